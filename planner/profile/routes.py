from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from planner.catalogue.operations import framework_for_user
from planner.charts import history_chart
from planner.extensions import db, htmx
from planner.frameworks import framework_or_503
from planner.models import CompletedTraining, ServiceAreaYears
from planner.people import latest_ratings, profile_for, rating_history
from planner.permissions import signed_in
from planner.profile import bp
from planner.profile.forms import (
    SelfAssessmentForm,
    profile_form_class,
    rating_form_class,
    training_form_class,
)
from planner.profile.operations import (
    record_rating,
    record_ratings,
    record_training,
    remove_training,
    save_profile,
)


@bp.route("", methods=["GET", "POST"])
@signed_in
def profile():
    framework = framework_or_503()
    profile = profile_for(current_user)
    form_class = profile_form_class(framework)
    areas = {
        a.area: a.years
        for a in db.session.scalars(sa.select(ServiceAreaYears).filter_by(user_id=current_user.id))
    }
    if request.method == "GET":
        form = form_class(
            current_role=profile.current_role or "",
            years_qualified=profile.years_qualified,
            registered=profile.registered,
            line_management="yes" if profile.line_management else "no",
            extra_hours_per_week=profile.extra_hours_per_week,
            **{f"area_{slug}": areas.get(slug) for slug in framework.service_areas},
        )
    else:
        form = form_class()
    if form.validate_on_submit():
        save_profile(current_user, framework, form.data)
        flash("Your profile is saved.", "success")
        return redirect(url_for("profile.profile"))
    rated = latest_ratings(current_user.id)
    return render_template(
        "profile/profile.html",
        form=form,
        framework=framework,
        profile=profile,
        area_fields=[form[f"area_{slug}"] for slug in framework.service_areas],
        rated_count=sum(1 for c in framework.capabilities if c in rated),
    )


def _rating_context(framework, capability_slug, form=None, saved=False, rated=None):
    """One capability's rating card; ``rated`` (the latest ratings) is read once per page by
    callers that build every card, rather than once per capability."""
    if rated is None:
        rated = latest_ratings(current_user.id)
    current = rated.get(capability_slug)
    if form is None:
        form = rating_form_class(framework)(
            prefix=capability_slug, level=current.level if current else None
        )
    return {
        "framework": framework,
        "capability": framework.capabilities[capability_slug],
        "form": form,
        "current": current,
        "saved": saved,
    }


@bp.route("/ratings", methods=["GET", "POST"])
@signed_in
def ratings():
    """The self-assessment: every capability on one page, saved with one button. A capability
    left unanswered stays as it was (never rated, or its last rating); only changes are kept."""
    framework = framework_or_503()
    form = SelfAssessmentForm()
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400, description="This form has expired. Reload the page and try again.")
        levels, errors = _levels_from(framework, request.form)
        if not errors:
            changed = record_ratings(current_user, levels)
            names = ", ".join(f"{framework.capabilities[c].title} {levels[c]}" for c in changed)
            flash(
                f"Saved {len(changed)} rating{'s' if len(changed) != 1 else ''}: {names}."
                if changed
                else "No rating changed, so nothing new was saved.",
                "success" if changed else "info",
            )
            return redirect(url_for("profile.ratings"))
    rated = latest_ratings(current_user.id)
    cards = [_rating_context(framework, slug, rated=rated) for slug in framework.capabilities]
    if errors:
        for card in cards:
            slug = card["capability"].slug
            card["form"].level.data = _posted(request.form.get(f"{slug}-level"))
            if slug in errors:
                card["form"].level.errors = [errors[slug]]
    history = rating_history(current_user.id)
    series = {}
    for rating in history:
        if rating.capability in framework.capabilities:
            series.setdefault(framework.capabilities[rating.capability].title, []).append(
                (_aware(rating.created_at), rating.level)
            )
    chart = history_chart(series, framework.max_level, datetime.now(UTC))
    return render_template(
        "profile/ratings.html",
        framework=framework,
        cards=cards,
        chart=chart,
        history=list(reversed(history)),
        manager_history=list(reversed(rating_history(current_user.id, kind="manager"))),
        assessment_form=form,
        errors=errors,
        learned=_learning_by_capability(),
    ), 400 if errors else 200


def _learning_by_capability() -> dict[str, list]:
    """The learning record's entries for each capability they develop, newest first: shown
    beside the capability when the person rates themselves (evidence, never a rating)."""
    by_capability: dict[str, list] = {}
    for entry in _entries():
        for capability in entry.capabilities:
            by_capability.setdefault(capability, []).append(entry)
    return by_capability


def _posted(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _levels_from(framework, data) -> tuple[dict[str, int], dict[str, str]]:
    """The levels chosen on the self-assessment, and a message for each that is not one."""
    valid = {lv.level for lv in framework.levels}
    levels, errors = {}, {}
    for slug, capability in framework.capabilities.items():
        raw = (data.get(f"{slug}-level") or "").strip()
        if not raw:
            continue
        level = _posted(raw)
        if level not in valid:
            errors[slug] = f"{capability.title}: choose a level from {min(valid)} to {max(valid)}"
        else:
            levels[slug] = level
    return levels, errors


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


@bp.post("/ratings/<capability>")
@signed_in
def rate(capability: str):
    framework = framework_or_503()
    if capability not in framework.capabilities:
        abort(404, description=f"There is no capability called '{capability}'.")
    form = rating_form_class(framework)(prefix=capability)
    if form.validate_on_submit():
        record_rating(current_user, capability, form.level.data, rated_by=current_user)
        if htmx:
            return render_template(
                "profile/_rating.html", **_rating_context(framework, capability, saved=True)
            )
        flash(f"Your rating for {framework.capabilities[capability].title} is saved.", "success")
        return redirect(url_for("profile.ratings") + f"#rating-{capability}")
    context = _rating_context(framework, capability, form=form)
    if htmx:
        return render_template("profile/_rating.html", **context), 422
    rated = latest_ratings(current_user.id)
    cards = [
        context if slug == capability else _rating_context(framework, slug, rated=rated)
        for slug in framework.capabilities
    ]
    return render_template(
        "profile/ratings.html",
        framework=framework,
        cards=cards,
        chart=None,
        history=[],
        assessment_form=SelfAssessmentForm(),
        errors={capability: form.level.errors[0]} if form.level.errors else {},
    ), 422


@bp.route("/training", methods=["GET", "POST"])
@signed_in
def training():
    framework = framework_for_user(current_user)
    form = training_form_class(framework)()
    if form.validate_on_submit():
        record_training(current_user, form.item.data, form.completed_on.data)
        flash(f"Recorded: {framework.training[form.item.data].title}.", "success")
        return redirect(url_for("profile.training"))
    rows = db.session.scalars(
        sa.select(CompletedTraining)
        .filter_by(user_id=current_user.id)
        .order_by(CompletedTraining.completed_on.desc())
    ).all()
    return render_template("profile/training.html", framework=framework, form=form, rows=rows)


@bp.route("/training/<int:row_id>/delete", methods=["GET", "POST"])
@signed_in
def delete_training(row_id: int):
    """A confirmation page first (GOV.UK pattern, no JavaScript): a qualification removed
    here stops counting towards the next step."""
    from planner.plans.forms import MarkDoneForm

    row = db.session.scalar(
        sa.select(CompletedTraining).filter_by(user_id=current_user.id, id=row_id)
    )
    if row is None:
        abort(404, description="There is no completed training with that number in your account.")
    form = MarkDoneForm()
    if (
        request.method == "POST"
        and form.validate_on_submit()
        and request.form.get("confirm") == "yes"
    ):
        remove_training(current_user, row_id)
        flash("Removed from your completed training.", "success")
        return redirect(url_for("profile.training"))
    framework = framework_for_user(current_user)
    title = framework.training[row.item].title if row.item in framework.training else row.item
    return render_template("profile/training_delete.html", row=row, title=title, form=form)


def _learning_or_404(entry_id: int):
    from planner.models import LearningEntry

    entry = db.session.scalar(
        sa.select(LearningEntry).filter_by(id=entry_id, user_id=current_user.id)
    )
    if entry is None:
        abort(
            404, description="There is no learning record entry with that number in your account."
        )
    return entry


def _entries(year: int | None = None):
    from planner.models import LearningEntry

    query = sa.select(LearningEntry).filter_by(user_id=current_user.id)
    if year is not None and not 1950 <= year <= 2100:
        abort(404, description="Choose a year from 1950 to 2100.")
    if year is not None:
        query = query.where(
            LearningEntry.learned_on >= date(year, 1, 1),
            LearningEntry.learned_on <= date(year, 12, 31),
        )
    return db.session.scalars(
        query.order_by(LearningEntry.learned_on.desc(), LearningEntry.id.desc())
    ).all()


@bp.route("/learning", methods=["GET", "POST"])
@signed_in
def learning():
    """The learning record (CPL): every entry, newest first, grouped by year; the form to add
    one is at the top."""
    from planner.models import LEARNING_KINDS
    from planner.profile.forms import learning_form_class
    from planner.profile.operations import save_learning

    framework = framework_or_503()
    form = learning_form_class(framework)()
    if form.validate_on_submit():
        entry = save_learning(current_user, None, form)
        flash(f"Added to your learning record: {entry.title}.", "success")
        return redirect(url_for("profile.learning") + f"#entry-{entry.id}")
    entries = _entries()
    years: dict[int, list] = {}
    for entry in entries:
        years.setdefault(entry.learned_on.year, []).append(entry)
    from planner.profile.learning_routes import declaration_overview

    return render_template(
        "profile/learning.html",
        framework=framework,
        form=form,
        years=years,
        kinds=LEARNING_KINDS,
        **declaration_overview(current_user, entries),
    ), 400 if form.errors else 200


@bp.route("/learning/<int:entry_id>", methods=["GET", "POST"])
@signed_in
def learning_entry(entry_id: int):
    from planner.profile.forms import learning_form_class
    from planner.profile.operations import save_learning

    framework = framework_or_503()
    entry = _learning_or_404(entry_id)
    form = learning_form_class(framework)(obj=None if request.method == "POST" else entry)
    if request.method == "GET":
        form.capabilities.data = entry.capabilities
        form.topics.data = entry.topics
    if form.validate_on_submit():
        save_learning(current_user, entry, form)
        flash(f"Saved: {entry.title}.", "success")
        return redirect(url_for("profile.learning") + f"#entry-{entry.id}")
    return render_template(
        "profile/learning_entry.html", framework=framework, form=form, entry=entry
    ), 400 if form.errors else 200


@bp.route("/learning/<int:entry_id>/delete", methods=["GET", "POST"])
@signed_in
def delete_learning_entry(entry_id: int):
    """A confirmation page first (GOV.UK pattern, no JavaScript)."""
    from planner.plans.forms import MarkDoneForm
    from planner.profile.operations import delete_learning

    entry = _learning_or_404(entry_id)
    form = MarkDoneForm()
    if (
        request.method == "POST"
        and form.validate_on_submit()
        and request.form.get("confirm") == "yes"
    ):
        title = entry.title
        delete_learning(current_user, entry)
        flash(f"Deleted from your learning record: {title}.", "success")
        return redirect(url_for("profile.learning"))
    return render_template("profile/learning_delete.html", entry=entry, form=form)


def _verifier_name(entry) -> str:
    if entry.verified_at is None:
        return ""
    return entry.verified_by.name if entry.verified_by else "(account since deleted)"


@bp.get("/learning.<any(csv, xlsx):fmt>")
@signed_in
def learning_export(fmt: str):
    """A year's record (``?year=``), or all of it, for the annual declaration or a sampling
    request: one line per entry."""
    from pathways.cpl import requirements
    from pathways.learning_record import COLUMNS
    from planner.models import LEARNING_KINDS
    from planner.spreadsheets import table_download

    framework = framework_or_503()
    year = request.args.get("year", type=int)
    topics = requirements().topic_titles
    rows = [
        [
            e.learned_on.isoformat(),
            e.title,
            LEARNING_KINDS.get(e.kind, e.kind),
            e.minutes if e.minutes is not None else "",
            "; ".join(
                framework.capabilities[c].title if c in framework.capabilities else c
                for c in e.capabilities
            ),
            "; ".join(topics.get(t, t) for t in e.topics),
            e.reflection,
            e.evidence_link,
            _verifier_name(e),
            e.verified_at.date().isoformat() if e.verified_at else "",
        ]
        for e in _entries(year)
    ]
    header = [*COLUMNS, "verified by", "verified on"]
    stem = f"learning-record-{year}" if year else "learning-record"
    return table_download(stem, header, rows, fmt, sheet="Learning record")
