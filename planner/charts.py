"""Geometry for the server-rendered SVG charts. Pure functions; templates only draw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Bar", "BarChart", "capability_chart", "HistoryRow", "HistoryChart", "history_chart"]

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
