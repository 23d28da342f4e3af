"""The `pathways` command: every subcommand, its JSON shape, and every bad-input case."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pathways.cli import main
from pathways.loader import default_framework_path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "docs" / "examples" / "profile.json"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def bad(capsys, *argv, match):
    try:
        code, out, err = run(capsys, *argv)
    except SystemExit as exc:  # argparse usage errors
        code, err = exc.code, capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert match in last, err
    return last


def test_roles_json_shape(capsys, framework):
    roles = run_json(capsys, "roles")
    assert len(roles) == len(framework.roles)
    assert set(roles[0]) == {"slug", "title", "track", "stage", "positional"}
    assert roles[0]["slug"] == "student"


def test_roles_text(capsys):
    code, out, _ = run(capsys, "roles")
    assert code == 0 and "consultant_social_worker" in out and "Chief Social Work Officer" in out


def test_role_json_shape(capsys):
    role = run_json(capsys, "role", "cswo")
    assert {
        "slug",
        "title",
        "track",
        "stage",
        "positional",
        "requirements",
        "duties",
        "training",
        "sources",
    } <= set(role)
    assert role["requirements"]["statutory_duties"] == 5
    assert any("secure" in d["duty"] for d in role["duties"])
    assert all({"id", "title", "sw_specific"} <= set(t) for t in role["training"])
    assert run_json(capsys, "role", "social_worker")["duties"] == []


def test_role_text_shows_the_training_gap(capsys):
    code, out, _ = run(capsys, "role", "senior_social_worker")
    assert code == 0 and "Training gap" in out


def test_route_json_shape(capsys):
    data = run_json(capsys, "route", "--from", "social_worker", "--to", "cswo", "-k", "2")
    assert len(data["routes"]) == 2
    route = data["routes"][0]
    assert route["roles"][0] == "social_worker" and route["roles"][-1] == "cswo"
    assert isinstance(route["years"], (int, float))
    step = route["steps"][0]
    assert {"from", "to", "gaps", "training"} <= set(step)
    assert all({"capability", "required", "held"} == set(g) for g in step["gaps"])
    assert all({"id", "title", "sw_specific"} <= set(t) for t in step["training"])
    assert [c["id"] for c in data["iriss"]] == list(range(1, 8))
    assert all({"id", "title", "status", "findings", "actions"} <= set(c) for c in data["iriss"])
    assert data["routes"][0]["years"] <= data["routes"][1]["years"]


def test_route_with_profile_and_avoid_management(capsys, framework):
    data = run_json(
        capsys,
        "route",
        "--from",
        "social_worker",
        "--to",
        "consultant_social_worker",
        "--profile",
        str(PROFILE),
        "--avoid-management",
        "-k",
        "3",
    )
    for route in data["routes"]:
        assert not any(framework.roles[r].positional for r in route["roles"])
    held = {g["capability"]: g["held"] for step in data["routes"][0]["steps"] for g in step["gaps"]}
    assert held.get("self_leadership") == 3  # from the profile, not zero
    rec1 = data["iriss"][0]
    assert any("avoids line management" in f for f in rec1["findings"])


def test_route_text(capsys):
    code, out, _ = run(capsys, "route", "--from", "social_worker", "--to", "senior_social_worker")
    assert code == 0 and "Route 1:" in out and "Catalogue gap" in out


def test_audit_json_and_text(capsys):
    data = run_json(capsys, "audit")
    assert [c["id"] for c in data["iriss"]] == list(range(1, 8))
    code, out, _ = run(capsys, "audit", str(default_framework_path()))
    assert code == 0 and "Senior social worker" in out


def test_check_valid_file(capsys):
    code, out, _ = run(capsys, "check", str(default_framework_path()))
    assert code == 0 and "valid" in out
    assert run_json(capsys, "check", str(default_framework_path()))["valid"] is True


def test_check_broken_file_lists_problems_with_lines(capsys, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        default_framework_path().read_text().replace("to: team_manager", "to: team_manger")
    )
    code, _, err = run(capsys, "check", str(broken))
    assert code == 2
    assert all(line.startswith("broken.yaml:") for line in err.strip().splitlines())
    assert "did you mean 'team_manager'" in err
    code, out, _ = run(capsys, "check", str(broken), "--json")
    data = json.loads(out)
    assert code == 2 and data["valid"] is False and data["problems"][0]["line"]


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["role", "cwso"], "did you mean 'cswo'"),
        (["route", "--from", "social_wroker", "--to", "cswo"], "unknown role 'social_wroker'"),
        (["route", "--from", "social_worker", "--to", "chief"], "valid roles are"),
        (["route", "--from", "cswo", "--to", "student"], "no route from 'cswo' to 'student'"),
        (
            ["route", "--from", "social_worker", "--to", "cswo", "--avoid-management"],
            "management role",
        ),
        (["route", "--from", "cswo", "--to", "cswo"], "already at"),
        (["route", "--from", "social_worker", "--to", "cswo", "-k", "0"], "must be at least 1"),
        (["route", "--from", "social_worker", "--to", "cswo", "-k", "x"], "not a whole number"),
        (
            ["route", "--from", "social_worker", "--to", "cswo", "--profile", "/nonexistent.json"],
            "cannot be read",
        ),
        (["audit", "/nonexistent.yaml"], "cannot be read"),
        (["check", "/nonexistent.yaml"], "cannot be read"),
        (["route", "--to", "cswo"], "--from"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(capsys, argv, match):
    bad(capsys, *argv, match=match)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "is not of type 'object'"),
        ('{"current_role": "social_wroker"}', "did you mean 'social_worker'"),
        ('{"current_role": "social_worker", "ratings": {"vison": 2}}', "did you mean 'vision'"),
        ('{"current_role": "social_worker", "ratings": {"vision": 9}}', "not on the scale"),
        (
            '{"current_role": "social_worker", "ratings": {"vision": "high"}}',
            "profile.ratings.vision",
        ),
        (
            '{"current_role": "social_worker", "preferences": {"line_management": "no"}}',
            "line_management",
        ),
        (
            '{"current_role": "social_worker", "completed_training": ["mba2"]}',
            "unknown training item 'mba2'",
        ),
        (
            '{"current_role": "social_worker", "plan_items": [{"item": "mba", "due": "soon"}]}',
            "is not a 'date'",
        ),
        ('{"current_role": "social_worker", "colour": "blue"}', "unknown field"),
    ],
)
def test_bad_profiles(capsys, tmp_path, content, match):
    path = tmp_path / "profile.json"
    path.write_text(content)
    line = bad(
        capsys,
        "route",
        "--from",
        "social_worker",
        "--to",
        "cswo",
        "--profile",
        str(path),
        match=match,
    )
    assert str(path) in line


def test_console_script_is_installed():
    exe = Path(sys.executable).parent / "pathways"
    result = subprocess.run(
        [str(exe), "route", "--from", "nqsw", "--to", "nope"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "unknown role 'nope'" in result.stderr
    result = subprocess.run(
        [str(exe), "roles", "--json"], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout)[0]["slug"] == "student"
