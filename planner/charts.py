"""Geometry for the server-rendered SVG charts. Pure functions; templates only draw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "Bar",
    "BarChart",
    "capability_chart",
    "HistoryRow",
    "HistoryChart",
    "history_chart",
    "HeatCell",
    "Heatmap",
    "heatmap",
]

LABEL_W = 300
PLOT_W = 420
ROW_H = 34


@dataclass(frozen=True)
class Bar:
    label: str
    held: int
    required: int | None
    y: float
    held_width: float
    required_x: float | None


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_x: int
    plot_w: int
    ticks: tuple[tuple[int, float], ...]
    bars: tuple[Bar, ...]


def capability_chart(rows, top: int) -> BarChart:
    """rows: (label, held, required or None). One bar per capability: held level as a bar,
    required level as a vertical mark."""
    scale = PLOT_W / top
    bars = tuple(
        Bar(
            label,
            held,
            required,
            30 + i * ROW_H,
            held * scale,
            LABEL_W + required * scale if required is not None else None,
        )
        for i, (label, held, required) in enumerate(rows)
    )
    ticks = tuple((n, LABEL_W + n * scale) for n in range(top + 1))
    return BarChart(LABEL_W + PLOT_W + 20, 40 + len(bars) * ROW_H, LABEL_W, PLOT_W, ticks, bars)


@dataclass(frozen=True)
class HistoryRow:
    label: str
    y: float
    points: tuple[tuple[float, float, int, str], ...]  # x, y, level, date text
    path: str


@dataclass(frozen=True)
class HistoryChart:
    width: int
    height: int
    plot_x: int
    plot_w: int
    rows: tuple[HistoryRow, ...]
    start: str
    end: str


def history_chart(
    series: dict[str, list[tuple[datetime, int]]], top: int, now: datetime
) -> HistoryChart | None:
    """Small multiples: one row per capability, a step line of its level over time."""
    stamps = [t for points in series.values() for t, _ in points]
    if not stamps:
        return None
    first = min(stamps)
    span = max((now - first).total_seconds(), 1.0)
    row_h = 44
    rows = []
    for i, (label, points) in enumerate(series.items()):
        top_y = 20 + i * row_h
        coords = []
        for t, level in points:
            x = LABEL_W + (t - first).total_seconds() / span * PLOT_W
            y = top_y + row_h - 10 - level / top * (row_h - 16)
            coords.append((round(x, 1), round(y, 1), level, t.strftime("%d %b %Y")))
        path, last_y = [], None
        for x, y, _, _ in coords:
            path.append(f"M{x},{y}" if last_y is None else f"H{x} V{y}")
            last_y = y
        if coords:
            path.append(f"H{LABEL_W + PLOT_W}")
        rows.append(HistoryRow(label, top_y, tuple(coords), " ".join(path)))
    return HistoryChart(
        LABEL_W + PLOT_W + 20,
        30 + len(rows) * row_h,
        LABEL_W,
        PLOT_W,
        tuple(rows),
        first.strftime("%d %b %Y"),
        now.strftime("%d %b %Y"),
    )


HEAT_LABEL_W = 290
HEAT_CELL_W = 64
HEAT_CELL_H = 30
HEAT_TOP = 150  # room for the slanted column labels


@dataclass(frozen=True)
class HeatCell:
    x: float
    y: float
    css: str  # the cell's class: its colour and pattern
    text: str  # a short mark drawn in the cell, so colour is never the only cue
    label: str  # what the cell means, in words (the SVG <title> of the cell)


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    label_w: int
    top: int
    cell_w: int
    cell_h: int
    columns: tuple[tuple[float, str], ...]
    rows: tuple[tuple[float, str], ...]
    cells: tuple[HeatCell, ...]


def heatmap(row_labels, column_labels, cells) -> Heatmap:
    """A grid: ``cells[r][c]`` is (css class, short mark, label in words).

    >>> h = heatmap(["A"], ["x", "y"], [[("none", "0", "A x"), ("some", "2", "A y")]])
    >>> (h.width, len(h.cells), h.cells[1].x - h.cells[0].x)
    (568, 2, 64)
    """
    columns = tuple(
        (HEAT_LABEL_W + i * HEAT_CELL_W + HEAT_CELL_W / 2, label)
        for i, label in enumerate(column_labels)
    )
    rows = tuple((HEAT_TOP + i * HEAT_CELL_H, label) for i, label in enumerate(row_labels))
    grid = tuple(
        HeatCell(HEAT_LABEL_W + c * HEAT_CELL_W, HEAT_TOP + r * HEAT_CELL_H, css, text, label)
        for r, row in enumerate(cells)
        for c, (css, text, label) in enumerate(row)
    )
    return Heatmap(
        width=HEAT_LABEL_W + HEAT_CELL_W * len(columns) + 150,  # room for the slanted labels
        height=HEAT_TOP + HEAT_CELL_H * len(rows) + 10,
        label_w=HEAT_LABEL_W,
        top=HEAT_TOP,
        cell_w=HEAT_CELL_W,
        cell_h=HEAT_CELL_H,
        columns=columns,
        rows=rows,
        cells=grid,
    )
