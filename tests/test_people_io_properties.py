"""Property-based tests of reading people files: whatever bytes arrive, the reader answers with
rows or with problems named by line and column, never a crash."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.people_io import COLUMNS, ImportRefused, _parse_rows, read_table

PROBLEM = re.compile(r"^(line \d+: [a-z_]+: .+|file: .+)$")

cell = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
header = st.lists(st.sampled_from([*COLUMNS, "Email", "NAME", "extra"]), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["people.csv", "people.xlsx", "people.txt", ""]))
def test_any_bytes_give_rows_or_named_problems(content, filename):
    try:
        table = read_table(filename, content)
    except ImportRefused as refused:
        assert refused.errors and all(PROBLEM.match(e) for e in refused.errors), refused.errors
        return
    problems: list[str] = []
    _parse_rows(table, problems)
    assert all(PROBLEM.match(p) for p in problems), problems


@settings(max_examples=150, deadline=None)
@given(header, st.lists(st.lists(cell, max_size=9), max_size=12))
def test_any_csv_table_gives_rows_or_problems_on_the_right_line(columns, body):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(body)
    try:
        table = read_table("people.csv", out.getvalue().encode("utf-8"))
    except ImportRefused as refused:
        errors = refused.errors
    else:
        errors = []
    if errors:
        assert all(PROBLEM.match(e) for e in errors), errors
        assert "email" not in [c.lower() for c in columns] or "extra" in columns, errors
        return
    problems: list[str] = []
    rows = _parse_rows(table, problems)
    lines = {n for n, _ in table}
    for problem in problems:
        assert PROBLEM.match(problem), problem
        number = int(re.match(r"line (\d+)", problem).group(1))
        assert number in lines  # the line named is a line of the file with that row
    # every row of the file is read, or a problem names its line
    named = {int(re.match(r"line (\d+)", p).group(1)) for p in problems}
    assert {r.line for r in rows} | named >= lines
