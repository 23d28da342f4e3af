from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for

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
from planner.models import LocalTraining
from planner.permissions import organisation_id_or_403, require_role

LD = ("ld", "admin")


def _row_or_404(local_id: int) -> LocalTraining:
    row = db.session.get(LocalTraining, local_id)
    if row is None or row.organisation_id != organisation_id_or_403():
        abort(404, description="Your organisation has no local training item with that number.")
    return row


@bp.get("/catalogue")
@require_role(*LD)
def catalogue():
    framework = framework_or_503()
    org_id = organisation_id_or_403()
    rows = local_rows(org_id)
    return render_template(
        "catalogue/catalogue.html",
        framework=framework,
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


@bp.route("/catalogue/import", methods=["GET", "POST"])
@require_role(*LD)
def import_csv():
    framework = framework_or_503()
    org_id = organisation_id_or_403()
    form = ImportForm()
    if request.method == "GET":
        return render_template("catalogue/import.html", form=form, problems=None)
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        form.file.errors = ["Choose a CSV file to import"]
        return render_template("catalogue/import.html", form=form, problems=None), 400
    data = upload.read()
    try:
        items = parse_catalogue_csv(data, framework)
    except CatalogueError as exc:
        form.file.errors = [
            f"{upload.filename} was not imported: {len(exc.problems)} problem"
            f"{'s' if len(exc.problems) != 1 else ''} found. Nothing has been changed."
        ]
        return render_template(
            "catalogue/import.html", form=form, problems=exc.problems, filename=upload.filename
        ), 400
    if not items:
        form.file.errors = [f"{upload.filename} has a header but no items; nothing to import"]
        return render_template("catalogue/import.html", form=form, problems=None), 400
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
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/catalogue.json")
@require_role(*LD)
def export_json():
    return Response(
        json.dumps(catalogue_json(*_all_items()), indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="pathways-catalogue.json"'},
    )
