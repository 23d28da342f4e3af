from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathways.catalogue import (
    FRAMEWORK,
    CatalogueError,
    catalogue_csv,
    catalogue_json,
    item_problems,
    make_item,
    parse_catalogue_csv,
)
from planner.catalogue import bp
from planner.catalogue.forms import ConfirmForm, ImportForm, item_form_class
from planner.catalogue.operations import (
    import_items,
    local_rows,
    row_item,
    save_item,
    set_retired,
)
from planner.extensions import db
from planner.frameworks import framework_or_503
from planner.hardening import attachment
from planner.models import LocalTraining
from planner.permissions import organisation_id_or_403, require_role
from planner.scoping import in_organisation

LD = ("ld", "admin")


def _row_or_404(local_id: int) -> LocalTraining:
    row = db.session.scalar(in_organisation(LocalTraining, LocalTraining.id == local_id))
    if row is None:
        abort(404, description="Your organisation has no local training item with that number.")
    return row


@bp.get("/catalogue")
@require_role(*LD)
def catalogue():
    from planner.catalogue.profile import current_answers

    framework = framework_or_503()
    org_id = organisation_id_or_403()
    rows = local_rows(org_id)
    return render_template(
        "catalogue/catalogue.html",
        framework=framework,
        answers=current_answers(org_id, framework),
        active=[r for r in rows if not r.retired],
        retired=[r for r in rows if r.retired],
        national=sorted(framework.training.values(), key=lambda i: i.title),
    )


def _apply_problems(form, problems) -> None:
    for problem in problems:
        field = getattr(form, problem.field, None) or form.id
        field.errors = [*field.errors, f"{field.label.text}: {problem.message}"]


def _edit(row: LocalTraining | None):
    framework = framework_or_503()
    org_id = organisation_id_or_403()
    form_class = item_form_class(framework, editing=row is not None)
    if row is not None and request.method == "GET":
        item = row_item(row)
        form = form_class(
            data={
                **{f: getattr(item, f) for f in ("id", "title", "kind", "mode", "status")},
                "capabilities": list(item.capabilities),
                "roles": list(item.roles),
                "sw_specific": "yes" if item.sw_specific else "no",
                "embedded": "yes" if item.embedded else "no",
                **{f: getattr(item, f) for f in ("duration", "provider", "cost", "link", "notes")},
            }
        )
    else:
        form = form_class()
    if request.method == "POST":
        ok = form.validate_on_submit()
        fields = form.fields_dict()
        if row is not None:
            fields["id"] = row.slug  # ids never change: plans may point at them
            form.id.data = row.slug
        taken = {r.slug for r in local_rows(org_id) if row is None or r.id != row.id}
        problems = item_problems(fields, framework, taken=taken)
        if ok and not problems:
            saved = save_item(org_id, make_item(fields), row)
            flash(f"Saved: {saved.title}.", "success")
            return redirect(url_for("catalogue.catalogue") + f"#local-{saved.id}")
        _apply_problems(form, problems)
        return render_template("catalogue/item.html", form=form, row=row), 400
    return render_template("catalogue/item.html", form=form, row=row)


@bp.route("/catalogue/new", methods=["GET", "POST"])
@require_role(*LD)
def new_item():
    return _edit(None)


@bp.route("/catalogue/<int:local_id>/edit", methods=["GET", "POST"])
@require_role(*LD)
def edit_item(local_id: int):
    return _edit(_row_or_404(local_id))


@bp.post("/catalogue/<int:local_id>/retire")
@require_role(*LD)
def retire_item(local_id: int):
    row = _row_or_404(local_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    retire = request.form.get("retire", "1") == "1"
    set_retired(row, retire)
    flash(
        f"Retired: {row.title}. It is no longer offered to practitioners; plans that include it keep it."
        if retire
        else f"Offered again: {row.title}.",
        "success",
    )
    return redirect(url_for("catalogue.catalogue") + f"#local-{row.id}")


def _import_page(**context):
    """The import page, with the values each column takes (ids or titles, any case)."""
    from pathways.catalogue import KINDS, MODES, STATUSES

    return render_template(
        "catalogue/import.html",
        framework=framework_or_503(),
        kinds=KINDS,
        modes=MODES,
        statuses=STATUSES,
        **context,
    )


@bp.route("/catalogue/import", methods=["GET", "POST"])
@require_role(*LD)
def import_csv():
    framework = framework_or_503()
    org_id = organisation_id_or_403()
    form = ImportForm()
    if request.method == "GET":
        return _import_page(form=form, problems=None)
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        form.file.errors = ["Choose a CSV file to import"]
        return _import_page(form=form, problems=None), 400
    data = upload.read()
    try:
        items = parse_catalogue_csv(data, framework)
    except CatalogueError as exc:
        form.file.errors = [
            f"{upload.filename} was not imported: {len(exc.problems)} problem"
            f"{'s' if len(exc.problems) != 1 else ''} found. Nothing has been changed."
        ]
        return _import_page(form=form, problems=exc.problems, filename=upload.filename), 400
    if not items:
        form.file.errors = [f"{upload.filename} has a header but no items; nothing to import"]
        return _import_page(form=form, problems=None), 400
    created, updated = import_items(org_id, items)
    flash(
        f"Imported {upload.filename}: {created} new item{'s' if created != 1 else ''}, "
        f"{updated} updated.",
        "success",
    )
    return redirect(url_for("catalogue.catalogue"))


def _all_items(ours_only: bool = False):
    """Framework items then the organisation's offered ones, and which catalogue each is in."""
    framework = framework_or_503()
    local = [row_item(r) for r in local_rows(organisation_id_or_403(), retired=False)]
    catalogues = dict.fromkeys(framework.training, FRAMEWORK)
    items = local if ours_only else [*framework.training.values(), *local]
    return items, catalogues


@bp.get("/catalogue.csv")
@require_role(*LD)
def export_csv():
    ours = request.args.get("only") == "ours"
    items, catalogues = _all_items(ours)
    name = "pathways-catalogue-ours.csv" if ours else "pathways-catalogue.csv"
    return Response(
        catalogue_csv(items, catalogues),
        mimetype="text/csv",
        headers={
            "Content-Disposition": attachment(name),
        },
    )


@bp.get("/catalogue.xlsx")
@require_role(*LD)
def export_xlsx():
    """The whole catalogue, as the CSV export's columns and cells, for a spreadsheet."""
    import csv
    import io

    from planner.spreadsheets import table_download

    header, *rows = csv.reader(io.StringIO(catalogue_csv(*_all_items()), newline=""))
    return table_download("pathways-catalogue", header, rows, "xlsx", sheet="Catalogue")


@bp.get("/coverage.<any(csv, xlsx):fmt>")
@require_role(*LD)
def export_coverage(fmt: str):
    """Coverage as one line per role and capability, with the same filters as the page."""
    from pathways.coverage import LEVELS, coverage
    from planner.catalogue.operations import framework_for_organisation
    from planner.catalogue.profile import current_answers
    from planner.spreadsheets import table_download

    org_id = organisation_id_or_403()
    framework = framework_for_organisation(framework_or_503(), org_id)
    result = coverage(
        framework,
        sw_only=request.args.get("sw_only") == "1",
        national_only=request.args.get("national_only") == "1",
        offered=current_answers(org_id, framework).available,
    )
    rows = [
        [
            row.role.stage,
            row.role.title,
            framework.capabilities[cell.capability].title,
            cell.required if cell.needed else "not required",
            LEVELS[cell.level] if cell.needed else "",
            len(cell.items),
            "; ".join(i.title for i in cell.items),
        ]
        for row in result.rows
        for cell in row.cells
    ]
    header = [
        "stage",
        "role",
        "capability",
        "level required",
        "coverage",
        "items",
        "training that develops it",
    ]
    return table_download("pathways-coverage", header, rows, fmt, sheet="Coverage")


@bp.get("/insight.<any(csv, xlsx):fmt>")
@require_role(*LD)
def export_insight(fmt: str):
    """Every figure on the insight page, one line each; groups of fewer than five people are
    "fewer than 5" here as on the page, so no one can be singled out."""
    from pathways.insight import MIN_GROUP
    from planner.catalogue.operations import framework_for_organisation
    from planner.insight import organisation_insight
    from planner.spreadsheets import table_download

    org_id = organisation_id_or_403()
    framework = framework_for_organisation(framework_or_503(), org_id)
    result = organisation_insight(framework, org_id)
    hidden = f"fewer than {MIN_GROUP}"

    def shown(figure):
        return figure.value if figure.shown else hidden

    def title(column: str) -> str:
        known = framework.capabilities.get(column)
        return known.title if known else column

    rows = []
    for table, grid in (
        ("People below their current role's level", result.current_gaps),
        ("People below their next step's level", result.next_gaps),
        ("Plans by stage", result.progression),
    ):
        for label, size, figures in grid.rows:
            for column, figure in zip(grid.columns, figures, strict=True):
                rows.append(
                    [table, label, size if size is not None else "", title(column), shown(figure)]
                )
    for item, plans, people in result.demand:
        name = framework.training[item].title if item in framework.training else item
        rows.append(["Training on plans", name, "", "plans holding it", shown(plans)])
        rows.append(["Training on plans", name, "", "people", shown(people)])
    for capability, people, _roles in result.unclosable:
        rows.append(["Gaps no training closes", title(capability), "", "people", shown(people)])
    header = ["table", "row", "people in the row", "column", "figure"]
    return table_download("pathways-insight", header, rows, fmt, sheet="Insight")


@bp.get("/catalogue.json")
@require_role(*LD)
def export_json():
    return Response(
        json.dumps(catalogue_json(*_all_items()), indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": attachment("pathways-catalogue.json"),
        },
    )


COVERAGE_MARKS = {"none": "0", "generic": "G", "development": "D", "specific": "C"}


@bp.get("/coverage")
@require_role(*LD)
def coverage_page():
    from pathways.coverage import LEVELS, coverage
    from planner.catalogue.operations import framework_for_organisation
    from planner.catalogue.profile import current_answers
    from planner.charts import heatmap

    org_id = organisation_id_or_403()
    framework = framework_for_organisation(framework_or_503(), org_id)
    answers = current_answers(org_id, framework)
    sw_only = request.args.get("sw_only") == "1"
    national_only = request.args.get("national_only") == "1"
    result = coverage(
        framework, sw_only=sw_only, national_only=national_only, offered=answers.available
    )
    caps = [framework.capabilities[c].title for c in result.capabilities]

    def mark(cell):
        role = framework.roles[cell.role].title
        cap = framework.capabilities[cell.capability].title
        count = f"{len(cell.items)} item{'s' if len(cell.items) != 1 else ''}"
        if not cell.needed:
            return (
                "cov-not-required",
                str(len(cell.items)) if cell.items else "",
                f"{role}, {cap}: not required; {count}",
            )
        return (
            f"cov-{cell.level}",
            COVERAGE_MARKS[cell.level],
            f"{role}, {cap}: needs level {cell.required}; {LEVELS[cell.level]} ({count})",
        )

    chart = heatmap(
        [f"{row.role.stage}. {row.role.title}" for row in result.rows],
        caps,
        [[mark(cell) for cell in row.cells] for row in result.rows],
    )
    return render_template(
        "insight/coverage.html",
        framework=framework,
        result=result,
        chart=chart,
        levels=LEVELS,
        marks=COVERAGE_MARKS,
        sw_only=sw_only,
        national_only=national_only,
    )


def _gap_heatmap(grid):
    from planner.charts import heatmap

    def css(figure, size):
        if not figure.shown:
            return ("suppressed", "<5", "fewer than 5 people (hidden so no one can be singled out)")
        share = figure.value / size if size else 0
        band = 0 if not figure.value else (1 if share < 0.34 else 2 if share < 0.67 else 3)
        return (f"gap-{band}", str(figure.value), f"{figure.value} of {size} people")

    rows = [(label, size, figures) for label, size, figures in grid.rows]
    labels = [f"{label} ({size} people)" for label, size, _ in rows]
    cells = [
        [
            (*css(f, size)[:2], f"{label}, {col}: {css(f, size)[2]}")
            for f, col in zip(figures, grid.columns, strict=True)
        ]
        for label, size, figures in rows
    ]
    return heatmap(labels, grid.columns, cells)


@bp.get("/insight")
@require_role(*LD)
def insight_page():
    from pathways.insight import MIN_GROUP
    from planner.catalogue.operations import framework_for_organisation
    from planner.insight import organisation_insight

    org_id = organisation_id_or_403()
    framework = framework_for_organisation(framework_or_503(), org_id)
    result = organisation_insight(framework, org_id)
    return render_template(
        "insight/insight.html",
        framework=framework,
        result=result,
        min_group=MIN_GROUP,
        current_chart=_gap_heatmap(result.current_gaps) if result.current_gaps.rows else None,
        next_chart=_gap_heatmap(result.next_gaps) if result.next_gaps.rows else None,
    )


def _audit_context() -> dict:
    from pathways.iriss import audit_framework
    from planner.catalogue.operations import framework_for_organisation
    from planner.catalogue.profile import current_answers, team_roles
    from planner.frameworks import current_version
    from planner.models import Organisation

    org_id = organisation_id_or_403()
    framework = framework_for_organisation(framework_or_503(), org_id)
    answers = current_answers(org_id, framework)
    return {
        "framework": framework,
        "version": current_version(),
        "organisation": db.session.get(Organisation, org_id),
        "checks": audit_framework(framework, answers=answers, teams=team_roles(org_id)),
        "local_count": len(framework.own_items),
        "answered": answers.answered,
    }


PROFILE_HISTORY_PAGE = 50


@bp.route("/organisation", methods=["GET", "POST"])
@require_role(*LD)
def organisation_profile():
    from markupsafe import Markup

    from pathways.organisation import FACTS_BY_KEY, offer_questions
    from planner.catalogue.forms import organisation_profile_form
    from planner.catalogue.profile import (
        changes_since,
        current,
        describe,
        lock,
        revision,
        save_answers,
    )
    from planner.models import Organisation
    from planner.models.organisation import FACT, OFFER

    framework = framework_or_503()
    org_id = organisation_id_or_403()
    form_class = organisation_profile_form(framework)
    status = 200
    if request.method == "POST":
        form = form_class()
        if form.validate_on_submit():
            lock(org_id)
            version = revision(org_id)
            seen = int(form.revision.data)
            if seen != version:
                changed = changes_since(org_id, seen)
                names = sorted({row.answered_by_name or "Deleted account" for row in changed})
                questions = "; ".join(dict.fromkeys(describe(framework, r)[0] for r in changed))
                form.revision.errors = [
                    f"While you had this page open, {', '.join(names)} changed: {questions}. "
                    "Your answers below are not saved yet: check them against theirs (see the "
                    "history of answers) and save again."
                ]
                form.revision.data = str(version)  # the next save is checked against theirs
            else:
                offers, facts = form.answers(request.form)
                changed = save_answers(org_id, current_user, framework, offers, facts)
                flash(
                    f"{changed} answer{'s' if changed != 1 else ''} saved. The Iriss audit "
                    "now uses them."
                    if changed
                    else "Nothing changed.",
                    "success",
                )
                return redirect(url_for("catalogue.organisation_profile"))
        status = 400
    answered = current(org_id)
    if request.method == "GET":
        data = {"revision": str(revision(org_id))}
        for kind, fields in ((OFFER, form_class.offer_fields), (FACT, form_class.fact_fields)):
            for question, name in fields:
                data[name] = (
                    answered[(kind, question)].value if (kind, question) in answered else ""
                )
        form = form_class(data=data)
    general = [{"text": e, "href": "#answers"} for e in form.revision.errors]
    form.revision.errors = []

    def last(kind, question) -> str:
        now = answered.get((kind, question))
        return f" Last answered by {now.by} on {now.at.strftime('%d %b %Y')}." if now else ""

    from planner.templating import evidence_tag_html

    items = {item.id: item for item in offer_questions(framework)}
    hints, legends = {}, {}
    for question, item in items.items():
        legends[question] = Markup(
            '<span class="govuk-visually-hidden">Does your organisation offer: </span>{}'
        ).format(item.title)
        roles = ", ".join(framework.roles[r].title for r in item.roles if r in framework.roles)
        hints[question] = Markup("{} For: {}.{}").format(
            evidence_tag_html(item), roles, last(OFFER, question)
        )
    for question, fact in FACTS_BY_KEY.items():
        hints[question] = ((fact.baseline + " ") if fact.baseline else "") + last(FACT, question)
    return (
        render_template(
            "insight/organisation.html",
            form=form,
            items=items,
            facts=FACTS_BY_KEY,
            hints=hints,
            legends=legends,
            general=general,
            organisation=db.session.get(Organisation, org_id),
        ),
        status,
    )


@bp.get("/organisation/history")
@require_role(*LD)
def organisation_history():
    from planner.catalogue.profile import describe, history
    from planner.models import Organisation
    from planner.paging import page_number

    framework = framework_or_503()
    org_id = organisation_id_or_403()
    total, _ = history(org_id, 0, 0)
    pages = max(1, -(-total // PROFILE_HISTORY_PAGE))
    page = page_number(request.args.get("page"), pages)
    _, rows = history(org_id, (page - 1) * PROFILE_HISTORY_PAGE, PROFILE_HISTORY_PAGE)

    return render_template(
        "insight/organisation_history.html",
        rows=[(row, *describe(framework, row)) for row in rows],
        total=total,
        page=page,
        pages=pages,
        organisation=db.session.get(Organisation, org_id),
    )


@bp.get("/audit")
@require_role(*LD)
def audit():
    return render_template("insight/audit.html", **_audit_context())


@bp.get("/audit.pdf")
@require_role(*LD)
def audit_pdf():
    from datetime import date

    from planner.pdf import render_pdf

    pdf = render_pdf("insight/audit_pdf.html", today=date.today(), **_audit_context())
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": attachment("pathways-iriss-audit.pdf"),
        },
    )
