"""Benchmark: what the YAML guard (pathways.loader.check_yaml) costs and how fast it refuses.

Run on demand (never as a timed test):  .venv/bin/python bench/bench_yaml_guard.py
Times, as medians of many runs in one process (so the figures compare with each other):
the refusal of a "billion laughs" alias bomb and of 990 levels of nesting; reading the
shipped framework (YAML only, read_document) and parsing it in full (parse_framework:
schema, references, graph) with and without the guard; and the guard alone. "Without the
guard" swaps check_yaml for a no-op in this process only; with and without are timed
alternately, run by run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from contextlib import contextmanager

from pathways import loader
from pathways.errors import FrameworkError
from pathways.loader import default_framework_path, parse_framework, read_document

# The classic bomb: nine lists of nine aliases, 9^9 (about 387 million) strings expanded.
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)
DEEP_LISTS = "[" * 990 + "]" * 990
DEEP_MAPPINGS = "".join(f"{'  ' * i}k{i}:\n" for i in range(990)) + "  " * 990 + "end\n"


def median_ms(action, repeat: int) -> float:
    action()  # warm caches (the schema validator) outside the timing
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def refused(text: str):
    def action():
        try:
            read_document(text, "hostile.yaml")
        except FrameworkError:
            return
        raise AssertionError("the hostile document was not refused")

    return action


def paired_ms(action, repeat: int) -> tuple[float, float]:
    """Medians of ``action`` with and without the guard, timed alternately so that the
    machine's load drifts over both alike."""
    action()
    with without_guard():
        action()
    guarded, bare = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        guarded.append(time.perf_counter() - start)
        with without_guard():
            start = time.perf_counter()
            action()
            bare.append(time.perf_counter() - start)
    return statistics.median(guarded) * 1000, statistics.median(bare) * 1000


@contextmanager
def without_guard():
    guard = loader.check_yaml
    loader.check_yaml = lambda *args, **kwargs: None
    try:
        yield
    finally:
        loader.check_yaml = guard


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per case")
    args = parser.parse_args()
    shipped = default_framework_path().read_text(encoding="utf-8")
    n = args.repeat

    rows = [
        (f"refuse the alias bomb ({len(BOMB)} bytes)", median_ms(refused(BOMB), n)),
        ("refuse 990 nested lists", median_ms(refused(DEEP_LISTS), n)),
        ("refuse 990 nested mappings", median_ms(refused(DEEP_MAPPINGS), n)),
        (
            f"guard alone, shipped framework ({len(shipped.encode()) // 1000} KB)",
            median_ms(lambda: loader.check_yaml(shipped), n),
        ),
    ]
    read_guarded, read_bare = paired_ms(lambda: read_document(shipped), n)
    full_guarded, full_bare = paired_ms(lambda: parse_framework(shipped), n)
    rows += [
        ("read_document, shipped framework, with guard", read_guarded),
        ("read_document, shipped framework, without guard", read_bare),
        ("parse_framework, shipped framework, with guard", full_guarded),
        ("parse_framework, shipped framework, without guard", full_bare),
    ]
    width = max(len(name) for name, _ in rows)
    parser_kind = "libyaml" if "CSafe" in loader._Loader.__name__ else "pure Python"
    print(f"median of {n} runs each ({parser_kind} parser)")
    for name, ms in rows:
        print(f"  {name:<{width}}  {ms:9.3f} ms")
    print(f"  read_document with / without guard:   {read_guarded / read_bare:.2f}x")
    print(f"  parse_framework with / without guard: {full_guarded / full_bare:.2f}x")


if __name__ == "__main__":
    main()
