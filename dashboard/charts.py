"""Server-drawn SVG charts, inline in the page: no script, no style attribute (the strict CSP allows neither), every
colour and font from classes in dashboard/static/dashboard/dashboard.css (`s0`..`s7` a series each).

Each chart is a `<svg role="img">` named by its `<title>` and `<desc>`; every bar and point carries a `<title>` with
its number (a tooltip), and the page follows each chart with the same numbers in a table. Text from the data (an
outlet's name, a rating's label) is escaped here, since the markup is built as a string and marked safe once whole.
The viewBox scales the drawing to the width of its column (`width: 100%` in the CSS), a phone's too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Small enough that on a phone (about 340 px for the drawing) the text stays readable, scaled by 0.65.
WIDTH = 520
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 30
SERIES_CLASSES = 8  # s0..s7 in the CSS; more series than that reuse them
MAX_X_LABELS = 6  # at most this many category labels under the axis, so that they never overlap
EMPTY = "Nothing in this range yet."
Number = float | int | None


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number]


def series_class(index: int) -> str:
    return f"s{index % SERIES_CLASSES}"


def _e(value) -> str:
    return escape(str(value))


def _num(value: float) -> str:
    """A coordinate: short, never in exponent notation."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def plain(value: Number) -> str:
    if value is None:
        return "no data"
    return f"{value:g}" if isinstance(value, int) or float(value).is_integer() else f"{value:.1f}"


def _svg(name: str, title: str, desc: str, body: str, height: int = HEIGHT) -> SafeString:
    ids = f"chart-{name}-title chart-{name}-desc"
    return mark_safe(  # noqa: S308 - every piece of text in `body`, `title` and `desc` is escaped by _e
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-{name}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{ids}" preserveAspectRatio="xMidYMid meet">'
        f'<title id="chart-{name}-title">{_e(title)}</title><desc id="chart-{name}-desc">{_e(desc)}</desc>'
        f"{body}</svg>"
    )


def _nice_top(value: float) -> tuple[float, float]:
    """A round top for the axis and its tick step (1, 2 or 5 times a power of ten), four or five ticks."""
    if value <= 0:
        return 1, 1
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and value >= 1:
        step = 1
    return step * math.ceil(value / step), step


class _Frame:
    """The plot area: categories along x (bands), a linear y from `low` to `high`."""

    def __init__(self, categories: Sequence[str], low: float, high: float, height: int = HEIGHT):
        self.categories, self.low, self.high, self.height = list(categories), low, high, height
        self.plot_width = WIDTH - LEFT - RIGHT
        self.plot_height = height - TOP - BOTTOM
        self.band = self.plot_width / max(len(self.categories), 1)

    def y(self, value: float) -> float:
        return TOP + self.plot_height * (self.high - value) / ((self.high - self.low) or 1)

    def x(self, index: int) -> float:
        return LEFT + self.band * index

    def axes(self, step: float, tick: Callable[[float], str]) -> str:
        parts = ['<g class="grid">']
        value = self.low
        while value <= self.high + step / 1000:
            y = _num(self.y(value))
            parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>')
            parts.append(
                f'<text class="tick" x="{LEFT - 6}" y="{y}" text-anchor="end" dy="0.32em">{_e(tick(value))}</text>'
            )
            value += step
        parts.append("</g>")
        every = max(1, math.ceil(len(self.categories) / MAX_X_LABELS))
        parts.append('<g class="x-labels">')
        for index, label in enumerate(self.categories):
            if index % every == 0:
                x = _num(self.x(index) + self.band / 2)
                parts.append(f'<text x="{x}" y="{self.height - BOTTOM + 18}" text-anchor="middle">{_e(label)}</text>')
        parts.append("</g>")
        zero = _num(self.y(0 if self.low <= 0 <= self.high else self.low))
        parts.append(f'<line class="baseline" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{zero}" y2="{zero}"/>')
        return "".join(parts)


def _empty_note(height: int = HEIGHT) -> str:
    return f'<text class="empty-note" x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle">{_e(EMPTY)}</text>'


def bar_chart(
    name: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: Callable[[Number], str] = plain,
) -> SafeString:
    """Stacked columns: one per category, a segment per series (zeros drawn as nothing)."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    high, step = _nice_top(max(totals, default=0))
    frame = _Frame(categories, 0, high)
    body = [frame.axes(step, lambda v: f"{v:g}")]
    width = frame.band * 0.72
    for i, category in enumerate(categories):
        base = 0.0
        for k, one in enumerate(series):
            value = one.values[i] or 0
            if value <= 0:
                continue
            top, bottom = frame.y(base + value), frame.y(base)
            body.append(
                f'<rect class="bar {series_class(k)}" x="{_num(frame.x(i) + (frame.band - width) / 2)}" '
                f'y="{_num(top)}" width="{_num(width)}" height="{_num(bottom - top)}">'
                f"<title>{_e(category)}: {_e(one.name)} {_e(fmt(value))}</title></rect>"
            )
            base += value
    if not any(totals):
        body.append(_empty_note())
    return _svg(name, title, desc, "".join(body))


def line_chart(
    name: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: Callable[[Number], str] = plain,
) -> SafeString:
    """A line per series through the middle of each category; a missing value (None) breaks the line."""
    values = [v for s in series for v in s.values if v is not None]
    high, step = _nice_top(max(values, default=0))
    frame = _Frame(categories, 0, high)
    body = [frame.axes(step, lambda v: f"{v:g}")]
    for k, one in enumerate(series):
        path, points, pen_down = [], [], False
        for i, value in enumerate(one.values):
            if value is None:
                pen_down = False
                continue
            x, y = _num(frame.x(i) + frame.band / 2), _num(frame.y(value))
            path.append(f"{'L' if pen_down else 'M'}{x} {y}")
            pen_down = True
            points.append(
                f'<circle class="point {series_class(k)}" cx="{x}" cy="{y}" r="3">'
                f"<title>{_e(categories[i])}: {_e(one.name)} {_e(fmt(value))}</title></circle>"
            )
        if path:
            body.append(f'<path class="line {series_class(k)}" d="{" ".join(path)}"/>')
        body += points
    if not any(values):
        body.append(_empty_note())
    return _svg(name, title, desc, "".join(body))


def signed_bar_chart(
    name: str, title: str, desc: str, categories: Sequence[str], values: Sequence[Number], what: str
) -> SafeString:
    """One column per category from 0, up or down (agreement from -1 to 1); None is written as "no data"."""
    known = [v for v in values if v is not None]
    low = min(0.0, math.floor(min(known, default=0) * 4) / 4)
    frame = _Frame(categories, low, 1.0)
    body = [frame.axes(0.25, lambda v: f"{v:.2f}")]
    width = frame.band * 0.6
    for i, (category, value) in enumerate(zip(categories, values, strict=True)):
        x = frame.x(i) + (frame.band - width) / 2
        if value is None:
            body.append(
                f'<text class="no-data" x="{_num(x + width / 2)}" y="{_num(frame.y(0) - 6)}" text-anchor="middle">'
                f"n/a<title>{_e(category)}: not enough data</title></text>"
            )
            continue
        top, bottom = sorted((frame.y(max(value, 0)), frame.y(min(value, 0))))
        body.append(
            f'<rect class="bar {series_class(0)}" x="{_num(x)}" y="{_num(top)}" width="{_num(width)}" '
            f'height="{_num(max(bottom - top, 1))}"><title>{_e(category)}: {_e(what)} {value:.3f}</title></rect>'
        )
    return _svg(name, title, desc, "".join(body))


ROW = 26  # a horizontal bar's row height
LABEL_WIDTH = 165  # room for an outlet's name at the left
LABEL_CHARS = 14


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def hbar_chart(
    name: str, title: str, desc: str, categories: Sequence[str], series: Sequence[Series], fmt=plain
) -> SafeString:
    """Stacked horizontal bars, one row per category (outlets), named at the left (cut short, whole in the tooltip)."""
    height = TOP + BOTTOM + ROW * max(len(categories), 1)
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    high, step = _nice_top(max(totals, default=0))
    plot = WIDTH - LABEL_WIDTH - RIGHT
    body = ['<g class="grid">']
    value = 0.0
    while value <= high + step / 1000:
        x = _num(LABEL_WIDTH + plot * value / high)
        body.append(f'<line x1="{x}" x2="{x}" y1="{TOP}" y2="{height - BOTTOM}"/>')
        body.append(f'<text class="tick" x="{x}" y="{height - BOTTOM + 16}" text-anchor="middle">{value:g}</text>')
        value += step
    body.append("</g>")
    for i, category in enumerate(categories):
        y = TOP + ROW * i
        body.append(
            f'<text class="row-label" x="{LABEL_WIDTH - 8}" y="{_num(y + ROW / 2)}" text-anchor="end" dy="0.32em">'
            f"{_e(_short(category))}<title>{_e(category)}</title></text>"
        )
        base = 0.0
        for k, one in enumerate(series):
            value = one.values[i] or 0
            if value <= 0:
                continue
            x, w = LABEL_WIDTH + plot * base / high, plot * value / high
            body.append(
                f'<rect class="bar {series_class(k)}" x="{_num(x)}" y="{_num(y + 4)}" width="{_num(w)}" '
                f'height="{ROW - 8}"><title>{_e(category)}: {_e(one.name)} {_e(fmt(value))}</title></rect>'
            )
            base += value
    if not categories:
        body.append(_empty_note(height))
    return _svg(name, title, desc, "".join(body), height)
