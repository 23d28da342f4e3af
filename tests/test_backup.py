"""Backup and restore: the whole database to a file and back, exactly, on either engine."""

from __future__ import annotations

import copy
import io
import json

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.backup import BackupError, backup, restore
from planner.extensions import db
from tests.conftest import (
    add_learning_entry,
    answer_profile,
    fill_user_data,
    local_item_form,
    save_notes,
)


def _populate(app, client, make_user, login):
    """Rows in every table: users and roles, a team, profile, ratings (self and manager),
    training, a shared plan with items, a conversation, local training, framework versions,
    audit events, an invitation, a reminder sent."""
    from planner.models import Organisation, Team

    with app.app_context():
        org = Organisation(name="Backup council")
        db.session.add(org)
        db.session.flush()
        team = Team(organisation_id=org.id, name="North")
        db.session.add(team)
        db.session.commit()
        org_id, team_id = org.id, team.id
    boss = make_user("boss@example.org", roles=("manager", "ld", "admin"), organisation_id=org_id)
    make_user(line_manager_id=boss, organisation_id=org_id, team_id=team_id)
    login()
    location = fill_user_data(client)
    client.post(location + "/share", data={"share": "1"})
    save_notes(client, location, 'Ünïcödé notes, "quoted"\nand lines')
    add_learning_entry(client)
    client.post("/logout")
    login("boss@example.org")
    plan = location.replace("/plans/", "/team/plans/")
    client.post(plan + "/ratings", data={"rating_vision": "4"})
    client.post(
        plan + "/conversations",
        data={
            "held_on": ["1", "11", "2026"],
            "next_on": ["1", "2", "2027"],
            "notes": "n",
            "actions-0-title": "Agreed",
        },
    )
    with app.test_request_context():  # a reminder sent (the action agreed falls due soon)
        from datetime import date, timedelta

        from planner.models import PlanItem
        from planner.reminders import send_reminders

        agreed = db.session.scalar(sa.select(PlanItem).filter_by(title="Agreed"))
        agreed.due = date.today() + timedelta(days=2)
        db.session.commit()
        assert send_reminders(date.today(), 7)[0] >= 1
    client.post("/catalogue/new", data=local_item_form())
    assert answer_profile(client, offer_protected_caseload="yes").status_code == 302
    client.post("/account/tokens", data={"name": "HR system"})
    client.post(
        "/admin/users",
        data={
            "name": "Ivy",
            "email": "ivy@example.org",
            "roles": ["practitioner"],
            "team": "",
            "line_manager": "",
        },
    )
    client.post("/logout")


def _dump(app) -> str:
    with app.app_context():
        out = io.StringIO()
        backup(out)
        return out.getvalue()


def test_backup_then_restore_into_an_empty_database_is_exact(app, client, make_user, login):
    _populate(app, client, make_user, login)
    first = _dump(app)
    data = json.loads(first)
    empty = [name for name, t in data["tables"].items() if not t["rows"]]
    assert empty == [], empty  # the round trip covers every table
    with app.app_context():
        db.session.remove()
        downgrade(revision="base")
        upgrade()
        counts = restore(io.StringIO(first))
    assert counts["plan"] == 1 and counts["conversation"] == 1
    assert _dump(app) == first
    # the restored database works: sign in, see the plan, and new rows get fresh ids
    login()
    page = client.get("/plans").get_data(as_text=True)
    assert "Senior practitioner" in page
    response = client.post(
        "/plans", data={"target": "practice_educator", "route": "social_worker,practice_educator"}
    )
    assert response.status_code == 302


def test_restore_refuses_a_database_with_data_and_changes_nothing(app, client, make_user, login):
    _populate(app, client, make_user, login)
    dump = _dump(app)
    with app.app_context(), pytest.raises(BackupError, match="not empty"):
        restore(io.StringIO(dump))
    assert _dump(app) == dump


@pytest.mark.parametrize(
    "text, message",
    [
        ("not json", "not a Pathways backup file"),
        ('{"format": "something else"}', "not a Pathways backup file"),
        ('{"format": "pathways-backup", "format_version": 99}', "not supported"),
        (
            '{"format": "pathways-backup", "format_version": 1, "alembic_revision": "abc", "tables": {}}',
            "migrate one to match",
        ),
    ],
)
def test_restore_says_what_is_wrong_with_a_bad_file(empty_app, text, message):
    with empty_app.app_context(), pytest.raises(BackupError, match=message):
        restore(io.StringIO(text))


def test_the_commands(app, runner, tmp_path):
    path = tmp_path / "backup.json"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0 and "Backed up" in result.output
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code != 0 and "not empty" in result.output
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM framework_version")) == 1


# --- A damaged backup: every problem reported, nothing written --------------------------------

_GOOD: dict[str, str] = {}  # engine -> a backup of _populate's data, made once per worker


def _row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in db.metadata.sorted_tables
        }


def _empty(app) -> None:
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
    assert not any(_row_counts(app).values())


@pytest.fixture
def good_backup(app, client, make_user, login) -> dict:
    """A backup with rows in every table (made once per engine and worker), and ``app``'s
    database emptied, ready to restore it into."""
    with app.app_context():
        engine = db.engine.dialect.name
    if engine not in _GOOD:
        _populate(app, client, make_user, login)
        _GOOD[engine] = _dump(app)
    _empty(app)
    return json.loads(_GOOD[engine])


def _restore(app, data) -> dict[str, int]:
    with app.app_context():
        return restore(io.StringIO(json.dumps(data)))


def _rows(data, table) -> list[list]:
    return data["tables"][table]["rows"]


def _at(data, table, column) -> int:
    return data["tables"][table]["columns"].index(column)


def _set(data, table, column, value, row=1) -> None:
    _rows(data, table)[row - 1][_at(data, table, column)] = value


def _user_id(data, email="prac@example.org") -> int:
    rows = _rows(data, "user_account")
    email_at, id_at = _at(data, "user_account", "email"), _at(data, "user_account", "id")
    return next(r[id_at] for r in rows if r[email_at] == email)


def test_the_undamaged_backup_restores(app, good_backup):
    """The control for the damage cases below: without the damage, the backup restores."""
    counts = _restore(app, good_backup)
    assert counts == {name: len(t["rows"]) for name, t in good_backup["tables"].items()}
    assert _row_counts(app) == counts


# Each damage changes a good backup and returns the problem restore must report.


def _table_removed(data):
    del data["tables"]["user_role"]
    return "user_role: the table is missing from the backup"


def _unknown_table(data):
    data["tables"]["party"] = {"columns": ["id"], "rows": [[1]]}
    return "party: unknown table (this database has no such table)"


def _table_not_an_object(data):
    data["tables"]["plan"] = [["not", "an", "object"]]
    return 'plan: the table must be an object with "columns" and "rows", not a list'


def _rows_missing(data):
    del data["tables"]["rating"]["rows"]
    return 'rating: "rows" must be a list of rows, not missing'


def _rows_not_a_list(data):
    data["tables"]["rating"]["rows"] = {"1": []}
    return 'rating: "rows" must be a list of rows, not an object'


def _columns_not_a_list(data):
    data["tables"]["organisation"]["columns"] = "id,name"
    return 'organisation: "columns" must be a list of column names, not text'


def _column_name_not_text(data):
    data["tables"]["organisation"]["columns"][0] = 1
    return 'organisation: "columns" must hold column names, not 1'


def _column_name_null(data):
    data["tables"]["organisation"]["columns"][0] = None
    return 'organisation: "columns" must hold column names, not null'


def _unexpected_key_in_a_table(data):
    data["tables"]["team"]["comment"] = "hello"
    return 'team: unexpected key "comment"'


def _column_removed(data):
    at = _at(data, "user_account", "email")
    del data["tables"]["user_account"]["columns"][at]
    for row in _rows(data, "user_account"):
        del row[at]
    return "user_account: column email is missing"


def _column_added(data):
    data["tables"]["user_account"]["columns"].append("shoe_size")
    for row in _rows(data, "user_account"):
        row.append(42)
    return 'user_account: unknown column "shoe_size"'


def _column_twice(data):
    data["tables"]["team"]["columns"][_at(data, "team", "name")] = "id"
    return "team: column name is missing"


def _row_too_short(data):
    _rows(data, "user_role")[0].pop()
    return "user_role:1: the row has 1 value; the table has 2 columns"


def _row_too_long(data):
    _rows(data, "user_role")[1].append("extra")
    return "user_role:2: the row has 3 values; the table has 2 columns"


def _row_not_a_list(data):
    _rows(data, "user_role")[0] = {"user_id": 1, "role": "admin"}
    return "user_role:1: the row must be a list of values, not an object"


def _integer_as_text(data):
    _set(data, "rating", "level", "4")
    return 'rating:1: level must be a whole number, not "4"'


def _integer_as_fraction(data):
    _set(data, "rating", "level", 3.5)
    return "rating:1: level must be a whole number, not 3.5"


def _integer_too_big(data):
    _set(data, "rating", "level", 2**40)
    return f"rating:1: level {2**40} is out of range for a 32-bit whole number"


def _boolean_as_text(data):
    _set(data, "user_account", "active", "yes")
    return 'user_account:1: active must be true or false, not "yes"'


def _boolean_as_number(data):
    _set(data, "user_account", "active", 1)
    return "user_account:1: active must be true or false, not 1"


def _number_as_text(data):
    _set(data, "profile", "years_qualified", "four")
    return 'profile:1: years_qualified must be a number, not "four"'


def _text_as_number(data):
    _set(data, "plan", "target_role", 7)
    return "plan:1: target_role must be text, not 7"


def _text_too_long(data):
    _set(data, "user_account", "name", "x" * 201)
    return "user_account:1: name is 201 characters long; at most 200 fit"


def _nul_in_text(data):
    _set(data, "plan", "private_notes", "before\x00after")
    return "plan:1: private_notes contains a NUL character (\\u0000), which PostgreSQL cannot store"


def _lone_surrogate(data):
    _set(data, "audit_event", "summary", "half \ud800 a character")
    return "audit_event:1: summary is not valid Unicode text (it has a lone surrogate)"


def _bad_date_and_time(data):
    _set(data, "plan", "created_at", "yesterday")
    return 'plan:1: created_at must be a date and time like 2026-01-31T09:30:00, not "yesterday"'


def _impossible_date(data):
    _set(data, "completed_training", "completed_on", "2020-02-30")
    return 'completed_training:1: completed_on must be a date like 2026-01-31, not "2020-02-30"'


def _null_where_required(data):
    _set(data, "user_account", "email", None)
    return "user_account:1: email is null, but the column needs a value"


def _unknown_role(data):
    _set(data, "user_role", "role", "superadmin")
    return 'user_role:1: role "superadmin" is not one of: practitioner, manager, ld, admin, national_editor'


def _unknown_plan_item_kind(data):
    _set(data, "plan_item", "kind", "party")
    return (
        'plan_item:1: kind "party" is not one of: training, mentoring, secondment, reflection, '
        "shadowing, leadership, other"
    )


def _unknown_action_owner(data):
    _set(data, "plan_item", "owner", "boss")
    return 'plan_item:1: owner "boss" is not one of: practitioner, manager'


def _unknown_item_status(data):
    _set(data, "plan_item", "status", "abandoned")
    return 'plan_item:1: status "abandoned" is not one of: planned, done'


def _unknown_rating_kind(data):
    _set(data, "rating", "kind", "peer")
    return 'rating:1: kind "peer" is not one of: self, manager'


def _unknown_training_status(data):
    _set(data, "local_training", "status", "compulsory")
    return 'local_training:1: status "compulsory" is not one of: mandatory, entitlement, optional'


def _role_for_a_missing_user(data):
    _rows(data, "user_role").append([999, "admin"])
    row = len(_rows(data, "user_role"))
    return f"user_role:{row}: user_id 999 points at user_account id 999, which is not in the backup"


def _plan_for_a_missing_user(data):
    _set(data, "plan", "user_id", 999)
    return "plan:1: user_id 999 points at user_account id 999, which is not in the backup"


def _manager_missing(data):
    prac = _user_id(data)
    id_at = _at(data, "user_account", "id")
    row = next(n for n, r in enumerate(_rows(data, "user_account"), 1) if r[id_at] == prac)
    _set(data, "user_account", "line_manager_id", 999, row=row)
    return (
        f"user_account:{row}: line_manager_id 999 points at user_account id 999, which is not "
        "in the backup"
    )


def _user_deleted(data):
    """The practitioner's account removed: their current ratings (among others) point at
    nothing."""
    prac = _user_id(data)
    id_at = _at(data, "user_account", "id")
    data["tables"]["user_account"]["rows"] = [
        r for r in _rows(data, "user_account") if r[id_at] != prac
    ]
    user_at = _at(data, "current_rating", "user_id")
    row = next(n for n, r in enumerate(_rows(data, "current_rating"), 1) if r[user_at] == prac)
    return (
        f"current_rating:{row}: user_id {prac} points at user_account id {prac}, which is not "
        "in the backup"
    )


def _rating_deleted(data):
    """The rating a current_rating row stands for removed."""
    rating_id = _rows(data, "current_rating")[0][_at(data, "current_rating", "rating_id")]
    id_at = _at(data, "rating", "id")
    data["tables"]["rating"]["rows"] = [r for r in _rows(data, "rating") if r[id_at] != rating_id]
    return (
        f"current_rating:1: rating_id {rating_id} points at rating id {rating_id}, which is not "
        "in the backup"
    )


def _row_pointed_at_unreadable(data):
    """The plan's row cut short: its items point at a plan that cannot be read."""
    plan_id = _rows(data, "plan")[0][_at(data, "plan", "id")]
    _rows(data, "plan")[0].pop()
    return (
        f"plan_item:1: plan_id {plan_id} points at plan id {plan_id}, which is not in the "
        "backup (or not in a row that could be read)"
    )


def _duplicate_primary_key(data):
    first = list(_rows(data, "user_role")[0])
    _rows(data, "user_role").append(first)
    row = len(_rows(data, "user_role"))
    return f'user_role:{row}: primary key user_id {first[0]}, role "{first[1]}" repeats row 1'


def _duplicate_email(data):
    email = _rows(data, "user_account")[0][_at(data, "user_account", "email")]
    _set(data, "user_account", "email", email, row=2)
    return f'user_account:2: email "{email}" is the same as in row 1; it must be unique'


def _duplicate_team(data):
    team = list(_rows(data, "team")[0])
    team[_at(data, "team", "id")] += 100
    _rows(data, "team").append(team)
    org = team[_at(data, "team", "organisation_id")]
    return f'team:2: organisation_id {org}, name "North" is the same as in row 1; it must be unique'


def _two_current_framework_versions(data):
    version = list(_rows(data, "framework_version")[0])
    version[_at(data, "framework_version", "id")] += 100
    version[_at(data, "framework_version", "checksum")] = "another"
    version[_at(data, "framework_version", "is_current")] = True
    _rows(data, "framework_version").append(version)
    return (
        "framework_version:2: is_current is true here and in row 1; at most one row may have "
        "is_current true"
    )


DAMAGE = [
    _table_removed,
    _unknown_table,
    _table_not_an_object,
    _rows_missing,
    _rows_not_a_list,
    _columns_not_a_list,
    _column_name_not_text,
    _column_name_null,
    _unexpected_key_in_a_table,
    _column_removed,
    _column_added,
    _column_twice,
    _row_too_short,
    _row_too_long,
    _row_not_a_list,
    _integer_as_text,
    _integer_as_fraction,
    _integer_too_big,
    _boolean_as_text,
    _boolean_as_number,
    _number_as_text,
    _text_as_number,
    _text_too_long,
    _nul_in_text,
    _lone_surrogate,
    _bad_date_and_time,
    _impossible_date,
    _null_where_required,
    _unknown_role,
    _unknown_plan_item_kind,
    _unknown_action_owner,
    _unknown_item_status,
    _unknown_rating_kind,
    _unknown_training_status,
    _role_for_a_missing_user,
    _plan_for_a_missing_user,
    _manager_missing,
    _user_deleted,
    _rating_deleted,
    _row_pointed_at_unreadable,
    _duplicate_primary_key,
    _duplicate_email,
    _duplicate_team,
    _two_current_framework_versions,
]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__.strip("_"))
def test_restore_reports_a_damaged_backup_and_writes_nothing(app, good_backup, damage):
    problem = damage(good_backup)
    with pytest.raises(BackupError) as caught:
        _restore(app, good_backup)
    assert problem in caught.value.problems, caught.value.problems
    assert not any(_row_counts(app).values())


def test_restore_reports_every_problem_in_the_file(app, good_backup):
    expected = [
        _table_removed(good_backup),
        _nul_in_text(good_backup),
        _unknown_plan_item_kind(good_backup),
        _two_current_framework_versions(good_backup),
        _plan_for_a_missing_user(good_backup),
    ]
    with pytest.raises(BackupError) as caught:
        _restore(app, good_backup)
    assert sorted(caught.value.problems) == sorted(expected)
    assert not any(_row_counts(app).values())


def test_restore_shows_the_first_50_problems_and_counts_the_rest(app, good_backup):
    before = len(_rows(good_backup, "user_role"))
    _rows(good_backup, "user_role").extend([1000 + n, "admin"] for n in range(60))
    with pytest.raises(BackupError) as caught:
        _restore(app, good_backup)
    assert len(caught.value.problems) == 60
    lines = str(caught.value).splitlines()
    assert len(lines) == 51 and lines[-1] == "and 10 more problems"
    assert lines[0] == (
        f"user_role:{before + 1}: user_id 1000 points at user_account id 1000, which is not in "
        "the backup"
    )
    assert not any(_row_counts(app).values())


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.pop("tables"), "the backup has no 'tables'"),
        (lambda d: d.update(tables=[]), "the backup's 'tables' must be an object, not a list"),
        (lambda d: d.update(extra=1), "unexpected keys at the top of the backup: extra"),
        (lambda d: d.update(format_version=True), "backup format True is not supported"),
    ],
)
def test_restore_reports_a_damaged_file(app, good_backup, change, message):
    change(good_backup)
    with pytest.raises(BackupError) as caught:
        _restore(app, good_backup)
    assert caught.value.problems == [message]
    assert not any(_row_counts(app).values())


def test_the_restore_command_lists_the_problems(app, good_backup, runner, tmp_path):
    expected = [_unknown_role(good_backup), _nul_in_text(good_backup)]
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(good_backup), encoding="utf-8")
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Error: {path}: nothing was restored (2 problems):"
    assert sorted(lines[1:]) == sorted(expected)
    assert not any(_row_counts(app).values())


# --- Random damage: restored, or refused with nothing written; never another error ------------

JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 30),  # small numbers collide with ids, so keys and references break
    st.integers(),
    st.floats(),
    st.text(max_size=10),
    st.lists(st.integers(0, 9), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _places(node, path=()):
    """The path of every value inside ``node`` (keys of objects, positions in lists)."""
    if isinstance(node, dict):
        children = node.items()
    elif isinstance(node, list):
        children = enumerate(node)
    else:
        return
    for key, child in children:
        yield (*path, key)
        yield from _places(child, (*path, key))


def _mutate(doc: dict, draw) -> None:
    """Drop a key or list item, give a value another JSON value, or delete a table's row."""
    how = draw(st.sampled_from(["drop", "replace", "delete a row"]))
    tables = doc.get("tables")
    if how == "delete a row" and isinstance(tables, dict):
        rows = [t["rows"] for t in tables.values() if isinstance(t, dict) and t.get("rows")]
        rows = [r for r in rows if isinstance(r, list)]
        if rows:
            chosen = draw(st.sampled_from(rows))
            del chosen[draw(st.integers(0, len(chosen) - 1))]
            return
    places = list(_places(doc))
    # Choose a depth first, so the few keys near the top are changed as often as cells.
    depth = draw(st.sampled_from(sorted({len(p) for p in places})))
    path = draw(st.sampled_from([p for p in places if len(p) == depth]))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if how == "replace":
        parent[path[-1]] = draw(JSON_VALUES)
    else:
        del parent[path[-1]]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_damage_is_restored_or_refused_with_nothing_written(app, good_backup, data):
    damaged = copy.deepcopy(good_backup)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        _mutate(damaged, data.draw)
    try:
        _restore(app, damaged)
    except BackupError as exc:
        event("refused")
        assert exc.problems, "a BackupError says what is wrong"
        # the checks caught it, not the database
        assert not any(p.startswith("the database refused") for p in exc.problems), exc
        assert not any(_row_counts(app).values())
    else:
        event("restored")
        _empty(app)  # for the next example
