"""Charts of the reports as PNG images (matplotlib's Agg renderer: no system libraries), the
same images in the PDF and the DOCX. Black and white: grey fills with hatching, values
written on the bars, so that a photocopy keeps every figure readable. Text in DejaVu Sans
(matplotlib's own copy), which has the Kyrgyz letters ң ө ү.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

from .content import Chart, number

DPI = 170
WIDTH_IN = 6.3  # fits A4 with 2 cm margins
GREYS = ["#ffffff", "#d9d9d9", "#a6a6a6", "#6e6e6e", "#262626"]
HATCHES = ["////", "..", "", "\\\\\\\\", ""]
TEXT_ON = ["#000000", "#000000", "#000000", "#ffffff", "#ffffff"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8.5,
            "hatch.linewidth": 0.6,
            "axes.edgecolor": "#000000",
            "axes.linewidth": 0.6,
            "svg.fonttype": "none",
        }
    )
    return plt


def _wrap(label: str, width: int = 38, lines: int = 3) -> str:
    wrapped = textwrap.wrap(label, width=width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], wrapped[lines - 1][: width - 1] + "…"]
    return "\n".join(wrapped)


def _png(fig: Any, plt: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return buffer.getvalue()


def bars_png(chart: Chart) -> bytes:
    """Horizontal bars (share satisfied) with the 95% interval as a whisker."""
    plt = _pyplot()
    bars = chart.bars
    height = 0.55 + 0.48 * len(bars)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
    y = list(range(len(bars)))[::-1]
    values = [b.value or 0 for b in bars]
    ax.barh(y, values, height=0.6, color=GREYS[1], edgecolor="#000000", linewidth=0.6)
    for yi, bar in zip(y, bars, strict=True):
        if bar.low is not None and bar.high is not None:
            ax.errorbar(
                [bar.value or 0],
                [yi],
                xerr=[[(bar.value or 0) - bar.low], [bar.high - (bar.value or 0)]],
                fmt="none",
                ecolor="#000000",
                elinewidth=1.0,
                capsize=3,
            )
        text = "—" if bar.value is None else f"{number(bar.value)}%" + ("*" if bar.small else "")
        x = (bar.high if bar.high is not None else (bar.value or 0)) + 1.5
        ax.text(min(x, 101), yi, text, va="center", ha="left", fontsize=8.5, fontweight="bold")
    ax.set_yticks(y, [_wrap(b.label) for b in bars])
    ax.set_xlim(0, 110)
    ax.set_xticks([0, 20, 40, 60, 80, 100], ["0", "20", "40", "60", "80", "100%"])
    ax.grid(axis="x", color="#bbbbbb", linewidth=0.4)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return _png(fig, plt)


def stacks_png(chart: Chart) -> bytes:
    """One stacked bar per question: the shares of each point of the scale."""
    plt = _pyplot()
    stacks = chart.stacks
    names = [name for name, _label in chart.legend]
    height = 0.9 + 0.48 * len(stacks)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
    y = list(range(len(stacks)))[::-1]
    for yi, stack in zip(y, stacks, strict=True):
        left = 0.0
        shares = dict(stack.parts)
        for index, name in enumerate(names):
            value = shares.get(name) or 0.0
            if value <= 0:
                continue
            colour = index * (len(GREYS) - 1) // max(len(names) - 1, 1)
            ax.barh(
                [yi],
                [value],
                left=left,
                height=0.6,
                color=GREYS[colour],
                hatch=HATCHES[colour],
                edgecolor="#000000",
                linewidth=0.5,
            )
            if value >= 7:
                ax.text(
                    left + value / 2,
                    yi,
                    number(value),
                    va="center",
                    ha="center",
                    fontsize=7.5,
                    color="#000000" if HATCHES[colour] else TEXT_ON[colour],
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8}
                    if HATCHES[colour]
                    else None,
                )
            left += value
    ax.set_yticks(y, [_wrap(s.label) for s in stacks])
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 20, 40, 60, 80, 100], ["0", "20", "40", "60", "80", "100%"])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    from matplotlib.patches import Patch

    handles = []
    for index, (_name, label) in enumerate(chart.legend):
        colour = index * (len(GREYS) - 1) // max(len(names) - 1, 1)
        handles.append(
            Patch(facecolor=GREYS[colour], hatch=HATCHES[colour], edgecolor="#000000", label=label)
        )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.2 / max(len(stacks), 1)),
        ncol=len(handles),
        frameon=False,
        fontsize=8,
        handlelength=1.8,
    )
    fig.tight_layout()
    return _png(fig, plt)


def draw(chart: Chart) -> Chart:
    chart.image = bars_png(chart) if chart.kind == "bars" else stacks_png(chart)
    return chart
