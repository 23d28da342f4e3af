"""The learning record beyond its entries: the SSSC declaration year, asking the line manager
to verify an entry, a year's record as a PDF, and bringing in an earlier record from CSV."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from pathways.catalogue import CatalogueError
from pathways.cpl import declaration_year, requirements, topics_covered
from planner.frameworks import framework_or_503
from planner.hardening import attachment
from planner.mail import send
from planner.people import profile_for
from planner.permissions import signed_in
from planner.profile import bp


def declaration_overview(user, entries) -> dict:
    """What the learning record page shows about the SSSC declaration: its date as the
    person entered it, the twelve months it covers, and the mandatory topics covered in
    them (by the person's own tagging; Pathways does not judge the learning)."""
    from planner.profile.operations import verifier_for

    cpl = requirements()
    due = profile_for(user).declaration_due_on
    today = date.today()
    window = declaration_year(due, today) if due else None
    in_window = [e for e in entries if window and window[0] <= e.learned_on <= window[1]]
    return {
        "cpl": cpl,
        "declaration_due": window[1] if window else None,
        "declaration_days": (window[1] - today).days if window else None,
        "declaration_window": window,
        "window_entries": in_window,
        "window_verified": sum(1 for e in in_window if e.verified_at),
        "topic_coverage": topics_covered(
            [e.topics for e in (in_window if window else entries)], cpl.mandatory_topics
        ),
        "verifier": verifier_for(user),
    }


@bp.route("/learning/declaration", methods=["GET", "POST"])
@signed_in
def learning_declaration():
    """The date of the person's next SSSC declaration, which the SSSC sets and tells them."""
    from planner.profile.forms import DeclarationForm
    from planner.profile.operations import set_declaration_date

    profile = profile_for(current_user)
    form = DeclarationForm(data={"due_on": profile.declaration_due_on})
    if request.method == "POST" and request.form.get("clear"):
        if not FlaskForm().validate_on_submit():  # the CSRF token
            abort(400)
        set_declaration_date(current_user, None)
        flash("Your declaration date is removed.", "success")
        return redirect(url_for("profile.learning") + "#declaration")
    if form.validate_on_submit():
        set_declaration_date(current_user, form.due_on.data)
        flash(f"Your next SSSC declaration is due on {form.due_on.data:%-d %B %Y}.", "success")
        return redirect(url_for("profile.learning") + "#declaration")
    return render_template(
        "profile/learning_declaration.html",
        form=form,
        cpl=requirements(),
        saved=profile.declaration_due_on,
    ), 400 if form.errors else 200


@bp.post("/learning/<int:entry_id>/verification")
@signed_in
def learning_verification(entry_id: int):
    """Ask the line manager to verify an entry (``ask=1``), or withdraw the request."""
    from planner.plans.forms import MarkDoneForm
    from planner.profile.operations import AlreadyAsked, NoVerifier, request_verification
    from planner.profile.routes import _learning_or_404

    entry = _learning_or_404(entry_id)
    if not MarkDoneForm().validate_on_submit():
        abort(400)
    ask = request.form.get("ask") == "1"
    if ask and entry.verified_at:
        flash(f"{entry.title} is already verified.", "info")
        return redirect(url_for("profile.learning") + f"#entry-{entry.id}")
    try:
        manager = request_verification(current_user, entry, ask)
    except (NoVerifier, AlreadyAsked) as exc:
        flash(str(exc), "info")
        return redirect(url_for("profile.learning") + f"#entry-{entry.id}")
    if manager is not None:
        send(
            manager.email,
            f"Pathways: {current_user.name} asks you to verify their learning",
            "learning_verify",
            name=manager.name,
            owner=current_user.name,
            link=url_for("team.learning_to_verify", _external=True),
        )
        flash(f"{manager.name} has been asked to verify: {entry.title}.", "success")
    else:
        flash(f"Request withdrawn: {entry.title}.", "success")
    return redirect(url_for("profile.learning") + f"#entry-{entry.id}")


@bp.get("/learning.pdf")
@signed_in
def learning_pdf():
    """A year's record (``?year=``), or the declaration year (``?declaration=1``), as a PDF
    for the annual declaration or a sampling request."""
    from planner.models import LEARNING_KINDS
    from planner.pdf import render_pdf
    from planner.profile.routes import _entries

    framework = framework_or_503()
    year = request.args.get("year", type=int)
    entries = list(_entries(year))
    overview = declaration_overview(current_user, entries)
    if request.args.get("declaration") == "1" and overview["declaration_window"]:
        start, end = overview["declaration_window"]
        entries = overview["window_entries"]
        heading = f"{start:%-d %B %Y} to {end:%-d %B %Y}"
        stem = f"learning-record-to-{end.isoformat()}"
    else:
        heading = str(year) if year else "All years"
        stem = f"learning-record-{year}" if year else "learning-record"
        overview["topic_coverage"] = topics_covered(
            [e.topics for e in entries], requirements().mandatory_topics
        )
    pdf = render_pdf(
        "profile/learning_pdf.html",
        framework=framework,
        person=current_user,
        entries=entries,
        heading=heading,
        kinds=LEARNING_KINDS,
        **{k: v for k, v in overview.items() if k != "window_entries"},
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": attachment(f"{stem}.pdf")},
    )


@bp.route("/learning/import", methods=["GET", "POST"])
@signed_in
def learning_import():
    """An earlier record from CSV (the download's columns). The whole file is checked first;
    entries already in the record (same date and title) are skipped, and imported entries
    are never verified."""
    from pathways.learning_record import COLUMNS, parse_learning_csv
    from planner.catalogue.forms import ImportForm
    from planner.models import LEARNING_KINDS
    from planner.profile.operations import import_learning

    framework = framework_or_503()
    form = ImportForm()
    page = {
        "framework": framework,
        "kinds": LEARNING_KINDS,
        "columns": COLUMNS,
        "cpl": requirements(),
    }
    if request.method == "GET":
        return render_template("profile/learning_import.html", form=form, problems=None, **page)
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        form.file.errors = ["Choose a CSV file to import"]
        return render_template(
            "profile/learning_import.html", form=form, problems=None, **page
        ), 400
    try:
        rows = parse_learning_csv(
            upload.read(),
            LEARNING_KINDS,
            framework.capabilities,
            date.today(),
            requirements().topic_titles,
        )
    except CatalogueError as exc:
        count = len(exc.problems)
        form.file.errors = [
            f"{upload.filename} was not imported: {count} problem{'s' if count != 1 else ''} "
            "found. Nothing has been added."
        ]
        return render_template(
            "profile/learning_import.html",
            form=form,
            problems=exc.problems,
            filename=upload.filename,
            **page,
        ), 400
    if not rows:
        form.file.errors = [f"{upload.filename} has a header but no entries; nothing to import"]
        return render_template(
            "profile/learning_import.html", form=form, problems=None, **page
        ), 400
    added, skipped, repeated = import_learning(current_user, rows)
    flash(
        f"Imported {upload.filename}: {added} entr{'y' if added == 1 else 'ies'} added"
        + (f", {skipped} already in your record skipped" if skipped else "")
        + (f", {repeated} repeated in the file skipped" if repeated else "")
        + ".",
        "success",
    )
    return redirect(url_for("profile.learning"))
