"""The ``pathways`` command: roles, one role, routes, the organisation audit, file checks.

Every subcommand takes ``--json``; the JSON shapes are documented in ``docs/cli.md``. Bad
input exits with status 2 and one clear line on standard error, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from pathways.errors import FrameworkError, PathwaysError, UnknownRole
from pathways.iriss import audit_framework, check_route
from pathways.loader import default_framework, load_framework
from pathways.person import load_profile
from pathways.serialize import iriss_json, role_detail_json, role_summary_json, route_json

__all__ = ["main", "build_parser"]


def _framework(args):
    return (
        load_framework(args.framework) if getattr(args, "framework", None) else default_framework()
    )


def _emit(args, data, text_lines):
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print("\n".join(text_lines))


def cmd_roles(args):
    fw = _framework(args)
    roles = sorted(fw.roles.values(), key=lambda r: (r.stage, r.track, r.slug))
    lines = [f"{'slug':<26} {'stage':>5}  {'track':<11} {'mgmt':<4}  title"]
    lines += [
        f"{r.slug:<26} {r.stage:>5}  {r.track:<11} {'yes' if r.positional else 'no':<4}  {r.title}"
        for r in roles
    ]
    _emit(args, [role_summary_json(r) for r in roles], lines)


def cmd_role(args):
    fw = _framework(args)
    if args.slug not in fw.roles:
        raise UnknownRole(args.slug, fw.roles)
    data = role_detail_json(fw, fw.roles[args.slug])
    lines = [
        f"{data['title']} ({data['slug']})",
        f"  track {data['track']}, stage {data['stage']}, "
        f"{'management (positional)' if data['positional'] else 'non-management'}, "
        f"typically {data['typical_years']:g} years",
        "",
        "  " + data["description"],
        "",
        "  Requires:",
    ]
    lines += [
        f"    {fw.capabilities[c].title}: {lv} ({fw.level(lv).label})"
        for c, lv in data["requirements"].items()
    ]
    if data["duties"]:
        lines += ["", "  Statutory duties:"] + [f"    - {d['duty']}" for d in data["duties"]]
    if data["training_gap"]:
        lines += ["", f"  Training gap: {data['training_gap']}"]
    lines += ["", "  Training:"] + [
        f"    - {t['title']}{'' if t['sw_specific'] else ' (generic)'}" for t in data["training"]
    ]
    _emit(args, data, lines)


def cmd_route(args):
    fw = _framework(args)
    person = load_profile(args.profile, fw) if args.profile else None
    from pathways.routes import find_routes

    routes = find_routes(
        fw,
        args.source,
        args.target,
        person,
        k=args.k,
        objective=args.objective,
        avoid_positional=args.avoid_management,
    )
    checks = check_route(fw, routes[0], person)
    data = {
        "from": args.source,
        "to": args.target,
        "objective": args.objective,
        "avoid_management": args.avoid_management,
        "routes": [route_json(fw, r) for r in routes],
        "iriss": iriss_json(checks),
    }
    lines = []
    for n, route in enumerate(routes, 1):
        lines.append(
            f"Route {n}: {' -> '.join(route.roles)} (about {route.years:g} years, "
            f"{route.gap_count} capabilities to develop)"
        )
        for step in route.steps:
            lines.append(f"  {step.source} -> {step.target} (about {step.years:g} years)")
            for gap in step.gaps:
                lines.append(
                    f"    gap: {fw.capabilities[gap.capability].title}: need {gap.required}, "
                    f"have {gap.held}"
                )
            for unmet in step.unmet:
                lines.append(f"    prerequisite: {unmet.description} ({unmet.detail})")
            for rec in step.training:
                lines.append(
                    f"    training: {rec.item.title} [{rec.item.id}]"
                    f"{'' if rec.item.sw_specific else ' (generic)'}"
                )
            for cap in step.catalogue_gaps:
                lines.append(
                    f"    catalogue gap: no training develops {fw.capabilities[cap].title}"
                )
    lines.append("")
    lines.append("Iriss recommendations (best route):")
    lines += _iriss_lines(checks)
    _emit(args, data, lines)


def _iriss_lines(checks):
    lines = []
    for check in checks:
        lines.append(f"  {check.id}. {check.title}: {check.status.replace('_', ' ')}")
        lines += [f"     - {finding}" for finding in check.findings]
        lines += [f"     > {action}" for action in check.actions]
    return lines


def cmd_audit(args):
    fw = load_framework(args.file) if args.file else default_framework()
    checks = audit_framework(fw)
    data = {
        "framework": {"id": fw.id, "version": fw.version, "title": fw.title},
        "iriss": iriss_json(checks),
    }
    heading = (
        f"Audit of {fw.title} (version {fw.version}). Without an organisation's answers, "
        "only what is in place nationally counts; the rest is not assessed."
    )
    _emit(args, data, [heading] + _iriss_lines(checks))


def cmd_check(args):
    try:
        fw = load_framework(args.file)
    except FrameworkError as exc:
        if args.json:
            print(
                json.dumps(
                    {
                        "valid": False,
                        "problems": [
                            {
                                "file": p.file,
                                "line": p.line,
                                "item": p.item,
                                "message": p.message,
                                "suggestion": p.suggestion,
                            }
                            for p in exc.problems
                        ],
                    },
                    indent=2,
                )
            )
        else:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
        return 2
    _emit(
        args,
        {"valid": True, "problems": [], "framework": {"id": fw.id, "version": fw.version}},
        [
            f"{args.file}: valid ({len(fw.roles)} roles, {len(fw.transitions)} transitions, "
            f"{len(fw.training)} training items)"
        ],
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pathways", description="Career pathways for social work."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print JSON (shapes in docs/cli.md)")
        p.set_defaults(func=func)
        return p

    for p in (add("roles", cmd_roles, "list every role"),):
        p.add_argument("--framework", metavar="FILE", help="framework file (default: Scotland)")
    p = add("role", cmd_role, "show one role: requirements, duties, training, sources")
    p.add_argument("slug")
    p.add_argument("--framework", metavar="FILE", help="framework file (default: Scotland)")
    p = add("route", cmd_route, "routes between two roles, with gaps, training and the Iriss check")
    p.add_argument("--from", dest="source", required=True, metavar="SLUG")
    p.add_argument("--to", dest="target", required=True, metavar="SLUG")
    p.add_argument("--profile", metavar="FILE", help="person profile JSON (docs/profile.md)")
    p.add_argument(
        "--avoid-management", action="store_true", help="only routes without positional roles"
    )
    p.add_argument("-k", type=_positive, default=3, help="number of alternative routes (default 3)")
    p.add_argument("--objective", choices=["quickest", "fewest_gaps"], default="quickest")
    p.add_argument("--framework", metavar="FILE", help="framework file (default: Scotland)")
    p = add("audit", cmd_audit, "the seven Iriss checks on a framework and its catalogue")
    p.add_argument("file", nargs="?", help="framework file (default: Scotland)")
    p = add("check", cmd_check, "validate a framework file")
    p.add_argument("file")
    return parser


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except FrameworkError as exc:
        first = exc.problems[0]
        more = (
            f" (and {len(exc.problems) - 1} more problems; run 'pathways check' on it)"
            if len(exc.problems) > 1
            else ""
        )
        print(f"pathways: {first}{more}", file=sys.stderr)
        return 2
    except PathwaysError as exc:
        print(f"pathways: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piping into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
