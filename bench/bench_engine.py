"""Benchmark: route + gaps + training + Iriss checks (k=3), default and generated frameworks.

Two figures a case: ``find_routes`` with k=3 (quickest), and ``alternative_routes`` (three
distinct labelled routes, as the planner shows them), each with the first route's checks.

Run on demand (never as a timed test):  make bench   or   .venv/bin/python bench/bench_engine.py
Reports the median of many timed runs, all measured in the same process, so the figures
can be compared with each other. Targets (issue 2): under 5 ms on the default framework,
under 100 ms at 1,000 roles.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from pathways.iriss import check_route
from pathways.loader import default_framework, framework_from_data
from pathways.person import load_profile
from pathways.routes import alternative_routes, find_routes
from pathways.synthetic import synthetic_document

ROOT = Path(__file__).resolve().parent.parent


def plan_once(framework, source, target, person):
    routes = find_routes(framework, source, target, person, k=3)
    return routes, check_route(framework, routes[0], person)


def alternatives_once(framework, source, target, person):
    """What the planner asks for: three distinct labelled routes and the first one's checks."""
    alternatives = alternative_routes(framework, source, target, person, k=3)
    return alternatives, check_route(framework, alternatives[0].route, person)


def measure(framework, source, target, person, repeat, once=plan_once):
    once(framework, source, target, person)  # warm caches (graph, schema) outside the timing
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        once(framework, source, target, person)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=200, help="timed runs per case (fewer for 1,000 roles)"
    )
    args = parser.parse_args()
    fw = default_framework()
    profile = load_profile(ROOT / "docs" / "examples" / "profile.json", fw)
    cases = [
        (
            f"default ({len(fw.roles)} roles) social_worker -> cswo",
            fw,
            "social_worker",
            "cswo",
            profile,
            args.repeat,
        ),
        (
            f"default ({len(fw.roles)} roles) social_worker -> consultant",
            fw,
            "social_worker",
            "consultant_social_worker",
            profile,
            args.repeat,
        ),
    ]
    for size in (100, 1000):
        for cycles in (False, True):
            synthetic = framework_from_data(
                synthetic_document(size, seed=7, cycles=cycles), f"synthetic-{size}"
            )
            kind = "with cycles" if cycles else "acyclic"
            cases.append(
                (
                    f"generated ({size} roles, {len(synthetic.transitions)} moves, {kind})"
                    " student -> cswo",
                    synthetic,
                    "student",
                    "cswo",
                    None,
                    max(20, args.repeat // (size // 50)),
                )
            )
    print(f"{'case':<76} {'k=3 ms':>8} {'labelled ms':>12} {'min ms':>8} {'runs':>5}")
    for label, framework, source, target, person, repeat in cases:
        median, best = measure(framework, source, target, person, repeat)
        labelled, _ = measure(framework, source, target, person, repeat, alternatives_once)
        print(f"{label:<76} {median:>8.2f} {labelled:>12.2f} {best:>8.2f} {repeat:>5}")


if __name__ == "__main__":
    main()
