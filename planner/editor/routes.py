from __future__ import annotations

import re
from decimal import Decimal

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathways.diff import diff_frameworks
from pathways.editing import (
    ROLE_FIELDS,
    TRAINING_FIELDS,
    load_data,
    remove_transition,
    set_role,
    set_training,
    set_transition,
    validate_data,
)
from pathways.errors import FrameworkError
from pathways.layout import layout_map
from planner.editor import bp
from planner.editor.forms import (
    PREREQUISITE_ROWS,
    DeleteForm,
    ImportYamlForm,
    RestoreForm,
    role_form_class,
    training_form_class,
    transition_form_class,
)
from planner.extensions import db
from planner.frameworks import (
    VersionConflict,
    current_version,
    framework_or_503,
    make_current,
    parsed_version,
    store_framework,
)
from planner.hardening import attachment
from planner.models import FrameworkVersion, Plan
from planner.permissions import require_role
from planner.widgets import STALE_CHECK_MESSAGE

# The national framework is shared by every organisation on the deployment: only national
# editors change it (organisations add their own items in their catalogue).
EDITORS = ("national_editor",)


def _version_or_404(version_id: int) -> FrameworkVersion:
    version = db.session.get(FrameworkVersion, version_id)
    if version is None:
        abort(404, description="There is no framework version with that number.")
    return version


def _number(value) -> int | float:
    """A form's Decimal as the plain number the document holds (3, not 3.0)."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _next_label(base: FrameworkVersion) -> str:
    count = db.session.scalar(
        sa.select(sa.func.count(FrameworkVersion.id)).filter_by(framework_id=base.framework_id)
    )
    suffix = f"-r{count + 1}"
    # the schema's version pattern: ASCII letters, digits and . _ + -, at most 64 characters
    root = re.sub(r"[^A-Za-z0-9._+-]", "-", re.sub(r"-r\d+$", "", base.version))
    if not root[:1].isalnum():
        root = "v" + root
    return root[: 64 - len(suffix)] + suffix


# --- versions ------------------------------------------------------------------------


@bp.get("/framework")
@require_role(*EDITORS)
def versions():
    framework = framework_or_503()
    rows = db.session.scalars(
        sa.select(FrameworkVersion).order_by(
            FrameworkVersion.created_at.desc(), FrameworkVersion.id.desc()
        )
    ).all()
    return render_template(
        "editor/versions.html",
        framework=framework,
        versions=rows,
        current=current_version(),
        restore_form=RestoreForm(),
        roles=sorted(framework.roles.values(), key=lambda r: (r.stage, r.title)),
        training=sorted(framework.training.values(), key=lambda i: i.title),
    )


@bp.get("/framework/versions/<int:version_id>")
@require_role(*EDITORS)
def version_detail(version_id: int):
    version = _version_or_404(version_id)
    framework = parsed_version(version)
    return render_template(
        "editor/version.html",
        version=version,
        framework=framework,
        layout=layout_map(framework),
        current=current_version(),
        restore_form=RestoreForm(),
    )


@bp.get("/framework/versions/<int:version_id>.yaml")
@require_role(*EDITORS)
def version_yaml(version_id: int):
    version = _version_or_404(version_id)
    return Response(
        version.document,
        mimetype="application/yaml",
        # The schema keeps id and version to plain ASCII; one stored before it did may hold a
        # quote, a line break or an accent, which attachment() makes safe for the header.
        headers={
            "Content-Disposition": attachment(f"{version.framework_id}-{version.version}.yaml"),
        },
    )


@bp.route("/framework/versions/<int:version_id>/restore", methods=["GET", "POST"])
@require_role(*EDITORS)
def restore(version_id: int):
    """Making an earlier version current changes the framework everyone sees, so the button
    opens a confirmation page (GOV.UK pattern, no JavaScript) and only its own "Yes" acts."""
    version = _version_or_404(version_id)
    form = RestoreForm()
    if request.method == "POST" and not form.validate_on_submit():
        abort(400, description=STALE_CHECK_MESSAGE)
    current = current_version()
    if request.method == "GET" or request.form.get("confirm") != "yes":
        if version.is_current:
            flash(f"Version {version.version} is already current.", "info")
            return redirect(url_for("editor.versions"))
        return render_template(
            "editor/restore.html",
            version=version,
            current=current,
            form=form,
            base=form.base.data if request.method == "POST" else current.id,
            plans=db.session.scalar(
                sa.select(sa.func.count(Plan.id)).where(Plan.framework_version_id == current.id)
            ),
        )
    try:
        make_current(version, _base(form))
    except VersionConflict as exc:
        return _conflict(exc, url_for("editor.versions"))
    flash(f"Version {version.version} is current again. Later versions are kept.", "success")
    return redirect(url_for("editor.versions"))


@bp.get("/framework/compare")
@require_role(*EDITORS)
def compare():
    rows = db.session.scalars(sa.select(FrameworkVersion).order_by(FrameworkVersion.id)).all()
    by_id = {v.id: v for v in rows}
    current = current_version()
    try:
        old_id = int(request.args.get("from", current.based_on_id or current.id))
        new_id = int(request.args.get("to", current.id))
    except ValueError:
        abort(400, description="Choose two versions to compare.")
    if old_id not in by_id or new_id not in by_id:
        abort(404, description="There is no framework version with that number.")
    old, new = by_id[old_id], by_id[new_id]
    return render_template(
        "editor/compare.html",
        versions=rows,
        old=old,
        new=new,
        changes=diff_frameworks(parsed_version(old), parsed_version(new)),
    )


# --- edits ---------------------------------------------------------------------------


def _base(form) -> int | None:
    try:
        return int(form.base.data)
    except (TypeError, ValueError):
        return None


def _conflict(exc: VersionConflict, back: str, template=None, **context):
    who = ""
    if exc.current is not None:
        from planner.models import User

        author = (
            db.session.get(User, exc.current.created_by_id) if exc.current.created_by_id else None
        )
        who = (
            f" Version {exc.current.version} was saved"
            + (f" by {author.name}" if author else "")
            + f" at {exc.current.created_at.strftime('%H:%M on %d %B %Y')}."
        )
    message = (
        "Someone else changed the framework while you were editing, so your change was not "
        f"saved.{who} Look at the current version, then make your change again."
    )
    if template:
        return render_template(template, conflict=message, **context), 409
    return render_template("error.html", code=409, message=message, error=None), 409


# Document fields that have a form field of the same name.
PATH_FIELDS = {*ROLE_FIELDS, *TRAINING_FIELDS, "slug", "id", "training_gap", "supports"}


def _show_problems(form, problems) -> list[dict]:
    """Put each problem on the field it is about; return the rest for the error summary."""
    general = []
    for problem in problems:
        path = problem.path
        name = None
        if len(path) >= 3 and path[2] in PATH_FIELDS:
            name = path[2]
        elif len(path) >= 4 and path[2] == "requirements":
            name = f"req_{path[3]}"
        elif len(path) >= 3 and path[2] == "sources":
            name = "source"
        elif len(path) >= 3 and path[2] in ("from", "to"):
            name = "source_role" if path[2] == "from" else "target_role"
        elif len(path) >= 4 and path[2] == "prerequisites":
            name = f"pre{path[3]}_type"
        field = form._fields.get(name) if name else None
        if field is not None:
            field.errors = [*field.errors, f"{field.label.text}: {problem.message}"]
        else:
            general.append({"text": f"{problem.item}: {problem.message}", "href": "#general"})
    return general


def _save(form, data, template: str, context: dict, done: str):
    """Validate ``data`` as a whole framework and store it as a new version."""
    base = current_version()
    try:
        framework_data = dict(data)
        framework_data["framework"] = {
            **data["framework"],
            "version": _next_label(base),
        }
        _framework, text = validate_data(framework_data)
        store_framework(
            text,
            "edited framework",
            created_by_id=current_user.id,
            based_on_id=base.id,
            note=form.note.data.strip(),
            expected_current_id=_base(form),
        )
    except FrameworkError as exc:
        general = _show_problems(form, exc.problems)
        return render_template(template, form=form, general=general, **context), 400
    except VersionConflict as exc:
        return _conflict(
            exc, url_for("editor.versions"), template, form=form, general=[], **context
        )
    flash(f"Saved as version {framework_data['framework']['version']}. {done}", "success")
    return redirect(url_for("editor.versions"))


def _current_data() -> dict:
    # stored text: versions saved before anchors were refused may hold them; dump_data
    # writes the edited document out in full
    return load_data(current_version().document, allow_aliases=True)


@bp.route("/framework/roles/new", methods=["GET", "POST"])
@require_role(*EDITORS)
def new_role():
    return _edit_role(None)


@bp.route("/framework/roles/<slug>/edit", methods=["GET", "POST"])
@require_role(*EDITORS)
def edit_role(slug: str):
    if slug not in framework_or_503().roles:
        abort(404, description=f"There is no role called '{slug}'.")
    return _edit_role(slug)


def _edit_role(slug: str | None):
    framework = framework_or_503()
    form_class = role_form_class(framework, new=slug is None)
    context = {"framework": framework, "slug": slug, "role": framework.roles.get(slug)}
    if request.method == "GET":
        form = form_class(base=current_version().id)
        if slug:
            role = framework.roles[slug]
            form.slug.data, form.title.data = role.slug, role.title
            form.description.data, form.track.data = role.description, role.track
            form.stage.data, form.positional.data = (
                str(role.stage),
                "yes" if role.positional else "no",
            )
            form.typical_years.data = Decimal(str(role.typical_years))
            form.training_gap.data = role.training_gap or ""
            form.responsibilities.data = "\n".join(role.responsibilities)
            for cap, level in role.required.items():
                form[f"req_{cap}"].data = str(level)
        return render_template("editor/role.html", form=form, general=[], **context)
    form = form_class()
    if not form.validate_on_submit():
        return render_template("editor/role.html", form=form, general=[], **context), 400
    fields = {
        "slug": (form.slug.data or "").strip() if slug is None else slug,
        "title": (form.title.data or "").strip(),
        "description": (form.description.data or "").strip(),
        "track": form.track.data,
        "stage": int(form.stage.data),
        "positional": form.positional.data == "yes",
        "typical_years": _number(form.typical_years.data),
        "requirements": {
            cap: int(form[f"req_{cap}"].data)
            for cap in framework.capabilities
            if form[f"req_{cap}"].data
        },
        "training_gap": form.training_gap.data or "",
        "responsibilities": [
            line.strip() for line in (form.responsibilities.data or "").splitlines() if line.strip()
        ],
    }
    try:
        data = set_role(_current_data(), slug, fields, form.source.data)
    except FrameworkError as exc:
        general = _show_problems(form, exc.problems)
        return render_template("editor/role.html", form=form, general=general, **context), 400
    return _save(form, data, "editor/role.html", context, f"Role: {fields['title']}.")


@bp.route("/framework/transitions/new", methods=["GET", "POST"])
@require_role(*EDITORS)
def new_transition():
    return _edit_transition(None)


@bp.route("/framework/transitions/<source>/<target>/edit", methods=["GET", "POST"])
@require_role(*EDITORS)
def edit_transition(source: str, target: str):
    framework = framework_or_503()
    if not framework.graph.has_edge(source, target):
        abort(404, description="There is no such move between roles in the framework.")
    return _edit_transition((source, target))


def _edit_transition(key):
    framework = framework_or_503()
    form_class = transition_form_class(framework, new=key is None)
    context = {
        "framework": framework,
        "key": key,
        "delete_form": DeleteForm(base=current_version().id),
    }
    if request.method == "GET":
        form = form_class(base=current_version().id)
        if key:
            t = framework.transition(*key)
            form.source_role.data, form.target_role.data = key
            form.typical_years.data = Decimal(str(t.typical_years))
            form.kind.data = t.kind
            form.supports.data = list(t.supports)
            for n, p in enumerate(t.prerequisites[:PREREQUISITE_ROWS]):
                form[f"pre{n}_type"].data = p.type
                form[f"pre{n}_item"].data = p.item or ""
                form[f"pre{n}_min"].data = Decimal(str(p.min)) if p.min is not None else None
                form[f"pre{n}_strength"].data = p.strength
        return render_template("editor/transition.html", form=form, general=[], **context)
    form = form_class()
    if key:
        form.source_role.data, form.target_role.data = key
    if not form.validate_on_submit():
        return render_template("editor/transition.html", form=form, general=[], **context), 400
    prerequisites = []
    for n in range(PREREQUISITE_ROWS):
        kind = form[f"pre{n}_type"].data
        if not kind:
            continue
        entry = {"type": kind}
        if kind == "qualification":
            entry["item"] = form[f"pre{n}_item"].data
        if kind in ("years_qualified", "service_areas") and form[f"pre{n}_min"].data is not None:
            entry["min"] = _number(form[f"pre{n}_min"].data)
        if form[f"pre{n}_strength"].data == "expected":
            entry["strength"] = "expected"
        prerequisites.append(entry)
    if key:  # a prerequisite kept as it was keeps its source
        before = {_prereq_key(p): p for p in _transition_data(key).get("prerequisites", ())}
        for entry in prerequisites:
            kept = before.get(_prereq_key(entry))
            if kept:
                entry.update({k: v for k, v in kept.items() if k in ("doc", "quote", "cite")})
    fields = {
        "from": form.source_role.data,
        "to": form.target_role.data,
        "typical_years": _number(form.typical_years.data),
        "kind": form.kind.data,
        "supports": form.supports.data or [],
        "prerequisites": prerequisites,
    }
    try:
        data = set_transition(_current_data(), key, fields, form.source.data)
    except FrameworkError as exc:
        general = _show_problems(form, exc.problems)
        return render_template("editor/transition.html", form=form, general=general, **context), 400
    title = f"{framework.roles[fields['from']].title} to {framework.roles[fields['to']].title}"
    return _save(form, data, "editor/transition.html", context, f"Move: {title}.")


def _prereq_key(entry: dict) -> tuple:
    return (
        entry.get("type"),
        entry.get("item"),
        entry.get("min"),
        entry.get("strength", "required"),
    )


def _transition_data(key) -> dict:
    return next(t for t in _current_data()["transitions"] if (t["from"], t["to"]) == tuple(key))


@bp.post("/framework/transitions/<source>/<target>/delete")
@require_role(*EDITORS)
def delete_transition(source: str, target: str):
    framework = framework_or_503()
    if not framework.graph.has_edge(source, target):
        abort(404, description="There is no such move between roles in the framework.")
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400, description="Say why the move is removed.")
    context = {
        "framework": framework,
        "key": (source, target),
        "delete_form": form,
    }
    # the edit page shows any problem the removal causes (a role nobody can reach, ...)
    t = framework.transition(source, target)
    edit_form = transition_form_class(framework, new=False)(
        formdata=None,
        base=form.base.data,
        note=form.note.data,
        source_role=source,
        target_role=target,
        typical_years=Decimal(str(t.typical_years)),
        kind=t.kind,
        supports=list(t.supports),
    )
    data = remove_transition(_current_data(), source, target)
    return _save(edit_form, data, "editor/transition.html", context, "The move is removed.")


@bp.route("/framework/training/new", methods=["GET", "POST"])
@require_role(*EDITORS)
def new_training():
    return _edit_training(None)


@bp.route("/framework/training/<training_id>/edit", methods=["GET", "POST"])
@require_role(*EDITORS)
def edit_training(training_id: str):
    if training_id not in framework_or_503().training:
        abort(404, description=f"There is no training item '{training_id}' in the framework.")
    return _edit_training(training_id)


def _edit_training(training_id: str | None):
    framework = framework_or_503()
    form_class = training_form_class(framework, new=training_id is None)
    context = {"framework": framework, "training_id": training_id}
    if request.method == "GET":
        form = form_class(base=current_version().id)
        if training_id:
            item = framework.training[training_id]
            for name in (
                "id",
                "title",
                "kind",
                "mode",
                "status",
                "scope",
                "duration",
                "provider",
                "cost",
                "link",
                "notes",
            ):
                form[name].data = getattr(item, name)
            form.capabilities.data = list(item.capabilities)
            form.roles.data = list(item.roles)
            form.sw_specific.data = "yes" if item.sw_specific else "no"
            form.embedded.data = "yes" if item.embedded else "no"
        return render_template("editor/training.html", form=form, general=[], **context)
    form = form_class()
    if training_id:
        form.id.data = training_id
    if not form.validate_on_submit():
        return render_template("editor/training.html", form=form, general=[], **context), 400
    fields = {**form.fields_dict(), "scope": form.scope.data}
    fields["title"] = fields["title"].strip()
    fields["duration"] = fields["duration"].strip()
    try:
        data = set_training(_current_data(), training_id, fields, form.source.data)
    except FrameworkError as exc:
        general = _show_problems(form, exc.problems)
        return render_template("editor/training.html", form=form, general=general, **context), 400
    return _save(form, data, "editor/training.html", context, f"Training: {fields['title']}.")


# --- whole documents -----------------------------------------------------------------


@bp.get("/framework.yaml")
@require_role(*EDITORS)
def export_yaml():
    return version_yaml(current_version().id)


@bp.route("/framework/import", methods=["GET", "POST"])
@require_role(*EDITORS)
def import_yaml():
    framework_or_503()
    if request.method == "GET":
        form = ImportYamlForm(base=current_version().id)
        return render_template("editor/import.html", form=form, problems=None)
    form = ImportYamlForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        if upload is None or not upload.filename:
            form.file.errors = ["Choose a framework file (YAML) to import"]
        return render_template("editor/import.html", form=form, problems=None), 400
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.file.errors = [f"{upload.filename} is not UTF-8 text; save it as UTF-8 and try again"]
        return render_template("editor/import.html", form=form, problems=None), 400
    base = current_version()
    try:
        version, created = store_framework(
            text,
            upload.filename,
            created_by_id=current_user.id,
            based_on_id=base.id,
            note=form.note.data.strip(),
            expected_current_id=_base(form),
        )
    except FrameworkError as exc:
        # the first problem on the field itself (for a file refused as a whole, too big or
        # with an alias, it is the reason); every problem in the table below
        first = exc.problems[0]
        found = (f"line {first.line}: " if first.line else "") + first.message
        if len(exc.problems) > 1:
            found = f"{len(exc.problems)} problems found, listed below; the first, {found}"
        form.file.errors = [
            f"{upload.filename} was not imported: {found}. Nothing has been changed."
        ]
        return render_template(
            "editor/import.html", form=form, problems=exc.problems, filename=upload.filename
        ), 400
    except VersionConflict as exc:
        return _conflict(exc, url_for("editor.versions"))
    if created:
        flash(
            f"Imported {upload.filename} as version {version.version}; it is now current.",
            "success",
        )
    else:
        flash(
            f"{upload.filename} is the same as version {version.version}, which is now current.",
            "success",
        )
    return redirect(url_for("editor.versions"))
