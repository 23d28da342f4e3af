"""Geometry for the server-rendered SVG charts. Pure functions; templates only draw."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "wrap_label",
    "Bar",
    "BarChart",
    "capability_chart",
    "HistoryRow",
    "HistoryChart",
    "history_chart",
    "Radar",
    "RadarSeries",
    "radar_chart",
    "HeatCell",
    "Heatmap",
    "heatmap",
]

LABEL_W = 300
PLOT_W = 420
ROW_H = 34
LINE_H = 15  # one line of a wrapped label
KEY_H = 46  # the key above the bars, and the axis title


def wrap_label(text: str, width: int) -> tuple[str, ...]:
    """A label in full, on as many lines of at most ``width`` characters as it needs (never
    cut short: a chart once showed "Professional confidence in integr…").

    >>> wrap_label("Professional confidence in integrated settings", 24)
    ('Professional confidence', 'in integrated settings')
    """
    return tuple(textwrap.wrap(text, width, break_long_words=False)) or ("",)


@dataclass(frozen=True)
class Bar:
    label: str
    held: int
    required: int | None
    y: float
    held_width: float
    required_x: float | None
    lines: tuple[str, ...] = ()  # the label, wrapped
    height: float = ROW_H


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
    required level as a vertical mark; labels wrapped in full, a key and a level axis above.

    >>> chart = capability_chart([("Professional confidence in integrated settings", 2, 4)], 5)
    >>> chart.bars[0].lines, chart.bars[0].height > ROW_H
    (('Professional confidence in', 'integrated settings'), True)
    """
    scale = PLOT_W / top
    bars, y = [], KEY_H + 30
    for label, held, required in rows:
        lines = wrap_label(label, 36)
        height = max(ROW_H, len(lines) * LINE_H + 12)
        bars.append(
            Bar(
                label,
                held,
                required,
                y,
                held * scale,
                LABEL_W + required * scale if required is not None else None,
                lines,
                height,
            )
        )
        y += height
    ticks = tuple((n, LABEL_W + n * scale) for n in range(top + 1))
    return BarChart(LABEL_W + PLOT_W + 20, int(y) + 10, LABEL_W, PLOT_W, ticks, tuple(bars))


@dataclass(frozen=True)
class HistoryRow:
    label: str
    y: float
    points: tuple[tuple[float, float, int, str], ...]  # x, y, level, date text
    path: str
    levels: tuple[tuple[int, float], ...] = ()  # the row's level axis: each level and its y
    lines: tuple[str, ...] = ()  # the label, wrapped


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
    """Small multiples: one row per capability, a step line of its level over time, on a
    level axis of its own (a line per level, 0 and the top labelled), each point labelled
    with its level, so a rise of one level is plain to see.

    >>> from datetime import UTC
    >>> start, now = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)
    >>> chart = history_chart({"Vision": [(start, 0), (now, 1)]}, 5, now)
    >>> [(level, y) for _, y, level, _ in chart.rows[0].points]  # a rise of one: 12 px
    [(0, 94), (1, 82)]
    """
    stamps = [t for points in series.values() for t, _ in points]
    if not stamps:
        return None
    first = min(stamps)
    span = max((now - first).total_seconds(), 1.0)
    step = 12  # px per level
    row_h = top * step + 28
    rows = []
    for i, (label, points) in enumerate(series.items()):
        top_y = 20 + i * row_h
        base = top_y + row_h - 14  # where level 0 sits

        def level_y(level: int, base=base) -> float:
            return round(base - level * step, 1)

        coords = []
        for t, level in points:
            x = LABEL_W + (t - first).total_seconds() / span * PLOT_W
            coords.append((round(x, 1), level_y(level), level, t.strftime("%d %b %Y")))
        path, last_y = [], None
        for x, y, _, _ in coords:
            path.append(f"M{x},{y}" if last_y is None else f"H{x} V{y}")
            last_y = y
        if coords:
            path.append(f"H{LABEL_W + PLOT_W}")
        rows.append(
            HistoryRow(
                label,
                top_y,
                tuple(coords),
                " ".join(path),
                tuple((n, level_y(n)) for n in range(top + 1)),
                wrap_label(label, 36),
            )
        )
    return HistoryChart(
        LABEL_W + PLOT_W + 20,
        30 + len(rows) * row_h,
        LABEL_W,
        PLOT_W,
        tuple(rows),
        first.strftime("%d %b %Y"),
        now.strftime("%d %b %Y"),
    )


@dataclass(frozen=True)
class RadarSeries:
    name: str
    css: str
    points: str  # the polygon's "x,y x,y ..."
    values: tuple[int | None, ...]


@dataclass(frozen=True)
class Radar:
    width: int
    height: int
    cx: float
    cy: float
    rings: tuple[tuple[int, str], ...]  # level, polygon points
    spokes: tuple[tuple[float, float, float, float, str, tuple[str, ...]], ...]
    series: tuple[RadarSeries, ...]


def radar_chart(labels, series, top: int) -> Radar:
    """Capabilities around a circle, one polygon per series (``(name, css, values)``, a value
    None drawn at 0): self against manager against what the next step asks, in one shape.

    >>> r = radar_chart(["A", "B", "C", "D"], [("Self", "self", [5, 0, None, 5])], 5)
    >>> r.series[0].points  # A at the top at full radius, B and C at the centre
    '280.0,70.0 280.0,230.0 280.0,230.0 120.0,230.0'
    """
    import math

    radius, cx, cy = 160.0, 280.0, 230.0
    n = len(labels)

    def at(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / top
        return round(cx + r * math.cos(angle), 1), round(cy + r * math.sin(angle), 1)

    def polygon(values) -> str:
        return " ".join("{},{}".format(*at(i, v or 0)) for i, v in enumerate(values))

    rings = tuple((level, polygon([level] * n)) for level in range(1, top + 1))
    spokes = []
    for i, label in enumerate(labels):
        x, y = at(i, top)
        lx, ly = at(i, top * 1.1)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        spokes.append((x, y, lx, ly, anchor, wrap_label(label, 18)))
    drawn = tuple(
        RadarSeries(name, css, polygon(values), tuple(values))
        for name, css, values in series
        if any(v is not None for v in values)  # a series with no values at all is left out
    )
    return Radar(560, 480, cx, cy, rings, tuple(spokes), drawn)


HEAT_LABEL_W = 290
HEAT_CELL_W = 64
HEAT_CELL_H = 36  # room for a row label on two lines
HEAT_TOP = 170  # room for the slanted column labels, on up to two lines


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
    columns: tuple[tuple[float, tuple[str, ...]], ...]  # x, the label wrapped in full
    rows: tuple[tuple[float, tuple[str, ...]], ...]  # y, the label wrapped in full
    cells: tuple[HeatCell, ...]


def heatmap(row_labels, column_labels, cells) -> Heatmap:
    """A grid: ``cells[r][c]`` is (css class, short mark, label in words).

    >>> h = heatmap(["A"], ["x", "y"], [[("none", "0", "A x"), ("some", "2", "A y")]])
    >>> (h.width, len(h.cells), h.cells[1].x - h.cells[0].x)
    (568, 2, 64)
    """
    columns = tuple(
        (HEAT_LABEL_W + i * HEAT_CELL_W + HEAT_CELL_W / 2, wrap_label(label, 24))
        for i, label in enumerate(column_labels)
    )
    rows = tuple(
        (HEAT_TOP + i * HEAT_CELL_H, wrap_label(label, 40)) for i, label in enumerate(row_labels)
    )
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
