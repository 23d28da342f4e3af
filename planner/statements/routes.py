from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, Length, Optional

from planner.audit import record
from planner.extensions import db
from planner.permissions import public, require_role
from planner.statements import bp

# When this statement was prepared and the service last tested (update with each review).
PREPARED_ON = "2 December 2026"


class ContactForm(FlaskForm):
    contact_email = EmailField(
        "Email for accessibility problems and questions about Pathways",
        widget=GovTextInput(),
        description="Shown in the accessibility statement and the privacy notice. A team "
        "mailbox, not a person's.",
        validators=[
            Optional(),
            Email("Enter an email address in the correct format, like team@council.gov.uk"),
            Length(max=254),
        ],
    )
    data_protection_contact = StringField(
        "How to contact your data protection officer",
        widget=GovTextInput(),
        description="For example: Data Protection Officer, dpo@council.gov.uk, 01234 567890",
        validators=[Length(max=500, message="Keep this under 500 characters")],
    )
    lawful_basis = TextAreaField(
        "The lawful basis you rely on for staff development records",
        widget=GovTextArea(),
        description="In your organisation's words, as your data protection officer agreed it "
        "(UK GDPR article 6). Shown in the privacy notice.",
        validators=[Length(max=1000, message="Keep this under 1,000 characters")],
    )
    submit = SubmitField("Save contact details", widget=GovSubmitInput())


def _organisation():
    if current_user.is_authenticated and current_user.organisation is not None:
        return current_user.organisation
    return None


def _context() -> dict:
    config = current_app.config
    return {
        "organisation": _organisation(),
        "operator_email": config.get("OPERATOR_EMAIL", ""),
        "retention_days": config["RETENTION_DAYS"],
        "prepared_on": PREPARED_ON,
    }


@bp.get("/accessibility")
@public
def accessibility():
    return render_template("statements/accessibility.html", **_context())


@bp.get("/privacy")
@public
def privacy():
    return render_template("statements/privacy.html", **_context())


@bp.route("/admin/contact", methods=["GET", "POST"])
@require_role("admin")
def contact():
    organisation = current_user.organisation
    if organisation is None:
        from flask import abort

        abort(403)
    form = ContactForm(obj=organisation)
    if form.validate_on_submit():
        organisation.contact_email = (form.contact_email.data or "").strip().lower()
        organisation.data_protection_contact = (form.data_protection_contact.data or "").strip()
        organisation.lawful_basis = (form.lawful_basis.data or "").strip()
        record(
            "organisation.contact",
            "organisation",
            organisation.id,
            "Contact details for the accessibility statement and privacy notice changed",
        )
        db.session.commit()
        flash("Saved. The accessibility statement and privacy notice show them now.", "success")
        return redirect(url_for("statements.contact"))
    return render_template("statements/contact.html", form=form, organisation=organisation)
