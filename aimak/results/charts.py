"""Charts of report-card results as small inline SVG, drawn on the server.

Each function returns one `<svg role="img">` with a `<title>`, sized for a 320-unit-wide
phone column (it scales with the page), using the page's own font and no script. Charts
stay readable in black and white: every value is written as text next to its mark, the
segments of a distribution carry their numbers and a legend in the same order, and a
comparison says in words how each municipality stands. Every label is escaped; numbers
shown as text are localised (the language's decimal separator), coordinates are not.
No database and no request here: the pages pass plain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 320
VALUE_COLUMN = 60  # room at the right for the value written beside each bar
LINE = 15  # height of one line of a label
FONT = 12
SMALL = 11
INK = "#1d2327"
MUTED = "#50585e"
GRID = "#d5dadd"
BAR = "#9cc5b8"
BRAND = "#0b5d4b"
BAND = "#cfe3dc"
# Brown to teal (ColorBrewer BrBG): distinct in lightness from the middle outwards, and
# the same order left to right as the legend, which writes every value.
SCALE_COLOURS = {
    2: ["#a6611a", "#018571"],
    3: ["#a6611a", "#f5f5f5", "#018571"],
    4: ["#a6611a", "#dfc27d", "#80cdc1", "#018571"],
    5: ["#8c510a", "#d8b365", "#f0f0f0", "#5ab4ac", "#01665e"],
    6: ["#8c510a", "#d8b365", "#f6e8c3", "#c7eae5", "#5ab4ac", "#01665e"],
    7: ["#8c510a", "#d8b365", "#f6e8c3", "#f5f5f5", "#c7eae5", "#5ab4ac", "#01665e"],
}
DARK_FILLS = {"#8c510a", "#a6611a", "#01665e", "#018571"}


# --- Numbers as text ---------------------------------------------------------------------


def number(value: float | None, digits: int = 1) -> str:
    """A number in the active language's format (decimal comma in ky and ru), or —."""
    if value is None:
        return "—"
    return number_format(round(value, digits), decimal_pos=digits, use_l10n=True)


def percent(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return _("%(value)s%%") % {"value": number(value, digits)}


def signed(value: float | None, digits: int = 1) -> str:
    """+12.3, −4.0 (a true minus sign), 0.0."""
    if value is None:
        return "—"
    text = number(abs(value), digits)
    if round(value, digits) > 0:
        return "+" + text
    if round(value, digits) < 0:
        return "−" + text
    return text


def _value(value: float | None, unit: str) -> str:
    """A value as a chart writes it: percent, points (signed: net satisfaction, change) or
    a plain number (the 0–100 score)."""
    if unit == "points":
        return signed(value)
    if unit == "score":
        return number(value)
    return percent(value)


def _c(x: float) -> str:
    """A coordinate: plain decimal point, at most one decimal."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _wrap(text: str, width: float, size: int = FONT, max_lines: int = 3) -> list[str]:
    """Split a label into lines that fit `width` units (an estimate: SVG text never wraps)."""
    limit = max(8, int(width / (size * 0.58)))
    lines: list[str] = []
    line = ""
    for word in text.split():
        if len(word) > limit:
            word = word[: limit - 1] + "…"
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= limit:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: limit - 1] if len(last) >= limit else last) + "…"
    return lines or [""]


def _text(
    x: float, y: float, text: str, *, size: int = FONT, anchor: str = "", **attrs: str
) -> str:
    """One line of text; the chart's font size and ink unless told otherwise."""
    extra = f' text-anchor="{anchor}"' if anchor else ""
    if size != FONT:
        extra += f' font-size="{size}"'
    for key, value in attrs.items():
        extra += f' {key.replace("_", "-")}="{value}"'
    return f'<text x="{_c(x)}" y="{_c(y)}"{extra}>{escape(text)}</text>'


def _lines(x: float, y: float, lines: Sequence[str], *, size: int = FONT, **attrs: str) -> str:
    """Several lines of text, the first baseline at y."""
    if len(lines) == 1:
        return _text(x, y, lines[0], size=size, **attrs)
    extra = f' font-size="{size}"' if size != FONT else ""
    extra += "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    spans = "".join(
        f'<tspan x="{_c(x)}" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{_c(x)}" y="{_c(y)}"{extra}>{spans}</text>'


def _group(attrs: str, items: Sequence[str]) -> str:
    """Items sharing presentation attributes (one `<g>`: smaller than repeating them)."""
    return f"<g {attrs}>{''.join(items)}</g>" if items else ""


def _svg(height: float, title: str, body: Sequence[str]) -> SafeString:
    h = _c(height)
    # Safe: every label above went through escape().
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" fill="{INK}" '
        f'font-size="{FONT}"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


class _Scale:
    """Values in [low, high] onto x in [left, right]."""

    def __init__(self, low: float, high: float, left: float, right: float) -> None:
        self.low, self.high, self.left, self.right = low, high, left, right

    def __call__(self, value: float) -> float:
        value = min(max(value, self.low), self.high)
        return self.left + (value - self.low) / (self.high - self.low) * (self.right - self.left)

    def ticks(self) -> list[float]:
        if self.low < 0 < self.high:
            return [self.low, 0.0, self.high]
        return [self.low, (self.low + self.high) / 2, self.high]


def _axis(scale: _Scale, top: float, bottom: float) -> str:
    """Light vertical grid lines at the ticks, labelled under the plot."""
    path = "".join(f"M{_c(scale(t))} {_c(top)}V{_c(bottom)}" for t in scale.ticks())
    labels = []
    for tick in scale.ticks():
        anchor = "start" if tick == scale.low else "end" if tick == scale.high else "middle"
        text = signed(tick, 0) if scale.low < 0 else number(tick, 0)
        labels.append(_text(scale(tick), bottom + 12, text, anchor=anchor))
    return f'<path d="{path}" stroke="{GRID}"/>' + _group(
        f'font-size="{SMALL}" fill="{MUTED}"', labels
    )


HALO = 'paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"'


def _whisker(x1: float, x2: float, y: float, cap: float = 5) -> str:
    """Path data of an interval: a line with an end cap at each side."""
    return (
        f"M{_c(x1)} {_c(y)}H{_c(x2)}M{_c(x1)} {_c(y - cap)}v{_c(2 * cap)}"
        f"M{_c(x2)} {_c(y - cap)}v{_c(2 * cap)}"
    )


def _whiskers(paths: Sequence[str]) -> str:
    if not paths:
        return ""
    return f'<path d="{"".join(paths)}" stroke="{INK}" stroke-width="1.5" fill="none"/>'


# --- Bars of a percentage with its interval ----------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not shown (suppressed or no base)
    low: float | None = None
    high: float | None = None
    dashed: bool = False  # a warning (small base, wide interval): the bar gets a dashed edge


def interval_bars(
    bars: Sequence[Bar],
    *,
    title: str,
    low: float = 0.0,
    high: float = 100.0,
    unit: str = "percent",
) -> SafeString:
    """Horizontal bars from 0, each with its 95% interval as a whisker and its value
    written at the right (percent, or points for a score or net satisfaction)."""
    scale = _Scale(low, high, 1, WIDTH - VALUE_COLUMN)
    origin = scale(min(max(0.0, low), high))
    labels: list[str] = []
    rects: list[str] = []
    whiskers: list[str] = []
    values: list[str] = []
    y = 2.0
    for bar in bars:
        lines = _wrap(bar.label, WIDTH - 4)
        labels.append(_lines(0, y + FONT, lines))
        top = y + len(lines) * LINE + 2
        middle = top + 7
        if bar.value is not None:
            x = scale(bar.value)
            dash = f' stroke="{INK}" stroke-dasharray="3 2"' if bar.dashed else ""
            rects.append(
                f'<rect x="{_c(min(x, origin))}" y="{_c(top)}" width="{_c(abs(x - origin))}" '
                f'height="14"{dash}/>'
            )
            if bar.low is not None and bar.high is not None:
                whiskers.append(_whisker(scale(bar.low), scale(bar.high), middle))
        values.append(_text(WIDTH - 2, middle + 4, _value(bar.value, unit)))
        y = top + 14 + 10
    body = [
        _axis(scale, 0, y - 6),
        _group(f'fill="{BAR}"', rects),
        _whiskers(whiskers),
        _group(HALO, labels),
        _group('text-anchor="end" font-weight="600"', values),
    ]
    return _svg(y + 10, title, body)


# --- A distribution over a rating scale --------------------------------------------------


def distribution_bar(segments: Sequence[tuple[str, float | None]], *, title: str) -> SafeString:
    """One bar of 100% split into the points of a scale (lowest on the left), each segment
    with its rounded percentage, and a legend in the same order with every value."""
    colours = SCALE_COLOURS.get(len(segments)) or [
        SCALE_COLOURS[7][round(i * 6 / max(len(segments) - 1, 1))] for i in range(len(segments))
    ]
    total = sum(v or 0 for _label, v in segments) or 1.0
    rects: list[str] = []
    numbers: list[str] = []
    x = 0.0
    for (_label, value), colour in zip(segments, colours, strict=True):
        width = (value or 0) / total * WIDTH
        if width <= 0:
            continue
        rects.append(f'<rect x="{_c(x)}" y="0" width="{_c(width)}" height="26" fill="{colour}"/>')
        if width >= 24:
            white = ' fill="#fff"' if colour in DARK_FILLS else ""
            numbers.append(
                f'<text x="{_c(x + width / 2)}" y="17"{white}>{escape(number(value, 0))}</text>'
            )
        x += width
    swatches: list[str] = []
    legend: list[str] = []
    y = 36.0
    for (label, value), colour in zip(segments, colours, strict=True):
        swatches.append(f'<rect x="0" y="{_c(y)}" width="12" height="12" fill="{colour}"/>')
        lines = _wrap(f"{label}: {percent(value)}", WIDTH - 20)
        legend.append(_lines(18, y + 10, lines))
        y += len(lines) * LINE + 3
    body = [
        _group('stroke="#fff"', rects),
        _group(f'font-size="{SMALL}" text-anchor="middle"', numbers),
        _group(f'stroke="{MUTED}"', swatches),
        *legend,
    ]
    return _svg(y + 2, title, body)


# --- A trend over rounds -----------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    label: str  # the round, e.g. its period
    value: float | None
    low: float | None = None
    high: float | None = None


def trend_chart(
    points: Sequence[TrendPoint], *, title: str, low: float = 0.0, high: float = 100.0
) -> SafeString:
    """A line through the rounds' estimates with their 95% intervals as a shaded band and
    a whisker at each round; each value is written above its point."""
    height = 200.0
    top, bottom, left, right = 14.0, height - 44, 30.0, WIDTH - 6.0
    span = high - low

    def y_of(v: float) -> float:
        return bottom - (min(max(v, low), high) - low) / span * (bottom - top)

    n = len(points)
    step = (right - left) / max(n - 1, 1)
    xs = [left + (right - left) / 2] if n == 1 else [left + i * step for i in range(n)]
    ticks = [low + span * k / 4 for k in range(5)]
    grid = "".join(f"M{_c(left)} {_c(y_of(t))}H{_c(right)}" for t in ticks)
    body: list[str] = [
        f'<path d="{grid}" stroke="{GRID}"/>',
        _group(
            f'font-size="{SMALL}" fill="{MUTED}" text-anchor="end"',
            [_text(left - 4, y_of(t) + 4, number(t, 0)) for t in ticks],
        ),
    ]
    # The band, over each run of consecutive rounds with an interval.
    run: list[tuple[float, float, float]] = []
    runs: list[list[tuple[float, float, float]]] = []
    for x, p in zip(xs, points, strict=True):
        if p.value is not None and p.low is not None and p.high is not None:
            run.append((x, p.low, p.high))
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    for r in runs:
        if len(r) < 2:
            continue
        outline = [f"{_c(x)},{_c(y_of(hi))}" for x, _lo, hi in r]
        outline += [f"{_c(x)},{_c(y_of(lo))}" for x, lo, _hi in reversed(r)]
        body.append(f'<polygon points="{" ".join(outline)}" fill="{BAND}"/>')
    line = [
        f"{_c(x)},{_c(y_of(p.value))}"
        for x, p in zip(xs, points, strict=True)
        if p.value is not None
    ]
    if len(line) > 1:
        body.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="{BRAND}" stroke-width="2"/>'
        )
    whiskers: list[str] = []
    dots: list[str] = []
    values: list[str] = []
    labels: list[str] = []
    every = max(1, -(-n // 6))  # at most about six labels under the axis
    for i, (x, p) in enumerate(zip(xs, points, strict=True)):
        # The first and last texts lean inwards so that they stay inside the chart.
        anchor = "start" if n > 1 and i == 0 else "end" if n > 1 and i == n - 1 else "middle"
        if p.value is not None:
            if p.low is not None and p.high is not None:
                whiskers.append(f"M{_c(x)} {_c(y_of(p.low))}V{_c(y_of(p.high))}")
            yv = y_of(p.value)
            dots.append(f'<circle cx="{_c(x)}" cy="{_c(yv)}" r="4"/>')
            above = max(y_of(p.high) - 5 if p.high is not None else yv - 8, 10)
            values.append(_text(x, above, percent(p.value), anchor=anchor))
        if i % every == 0 or i == n - 1:
            lines = _wrap(p.label, max(step, 60), size=SMALL, max_lines=2)
            labels.append(_lines(x, bottom + 16, lines, text_anchor=anchor))
    if whiskers:
        body.append(f'<path d="{"".join(whiskers)}" stroke="{INK}"/>')
    body += [
        _group(f'fill="#fff" stroke="{BRAND}" stroke-width="2"', dots),
        _group(f'font-size="{SMALL}" font-weight="600" {HALO}', values),
        _group(f'font-size="{SMALL}"', labels),
    ]
    return _svg(height, title, body)


# --- Municipalities side by side ----------------------------------------------------------

HIGHER = "higher"
LOWER = "lower"
OVERLAP = "overlap"


@dataclass(frozen=True)
class CompareRow:
    label: str
    value: float | None
    low: float | None
    high: float | None
    verdict: str = ""  # HIGHER, LOWER, OVERLAP or "" (no estimate)
    verdict_label: str = ""  # the verdict in words, written after the name


def verdict(low: float | None, high: float | None, pooled: float | None) -> str:
    """Whether an interval lies wholly above or below the pooled value, or contains it."""
    if low is None or high is None or pooled is None:
        return ""
    if low > pooled:
        return HIGHER
    if high < pooled:
        return LOWER
    return OVERLAP


def comparison_chart(
    rows: Sequence[CompareRow],
    *,
    title: str,
    pooled: float | None,
    pooled_label: str,
    low: float = 0.0,
    high: float = 100.0,
    unit: str = "percent",
) -> SafeString:
    """Each municipality's estimate as a dot on its 95% interval, in the order given
    (never numbered), with the pooled value as a dashed line: a filled dot lies clearly
    above or below it, a hollow one has an interval that contains it."""
    scale = _Scale(low, high, 6, WIDTH - VALUE_COLUMN)
    labels: list[str] = []
    whiskers: list[str] = []
    marks: list[str] = []
    values: list[str] = []
    y = 2.0
    if pooled is not None:
        lines = _wrap(pooled_label, WIDTH - 4, size=SMALL)
        labels.append(_lines(0, y + SMALL, lines, size=SMALL, fill=MUTED))
        y += len(lines) * LINE + 4
    first = y
    for row in rows:
        label = f"{row.label} — {row.verdict_label}" if row.verdict_label else row.label
        lines = _wrap(label, WIDTH - 4)
        labels.append(_lines(0, y + FONT, lines))
        middle = y + len(lines) * LINE + 9
        if row.value is not None:
            if row.low is not None and row.high is not None:
                whiskers.append(_whisker(scale(row.low), scale(row.high), middle, cap=4))
            x = scale(row.value)
            if row.verdict == LOWER:  # a filled square
                marks.append(f'<rect x="{_c(x - 5)}" y="{_c(middle - 5)}" width="10" height="10"/>')
            elif row.verdict == HIGHER:  # a filled circle
                marks.append(f'<circle cx="{_c(x)}" cy="{_c(middle)}" r="5"/>')
            else:  # a hollow circle: no clear difference
                marks.append(f'<circle cx="{_c(x)}" cy="{_c(middle)}" r="5" fill="#fff"/>')
        values.append(_text(WIDTH - 2, middle + 4, _value(row.value, unit)))
        y = middle + 14
    body = [_axis(scale, first, y - 4)]
    if pooled is not None:
        x = scale(pooled)
        body.append(
            f'<path d="M{_c(x)} {_c(first)}V{_c(y - 4)}" stroke="{INK}" stroke-width="1.5" '
            f'stroke-dasharray="5 3"/>'
        )
    body += [
        _whiskers(whiskers),
        _group(f'stroke="{INK}" stroke-width="1.5"', marks),
        _group(HALO, labels),
        _group('text-anchor="end" font-weight="600"', values),
    ]
    return _svg(y + 12, title, body)
