"""What the report-card dashboards show, prepared from the results (compute.py's
dataclasses) for the templates: headline indices with their intervals and warnings,
breakdown tables with unweighted counts beside weighted percentages, distributions,
changes in words, trends and side-by-side comparisons, with their SVG charts (charts.py).

No database and no request here: the views read rounds and results through the
selectors, apply suppression and permissions, and pass them in. Texts are made in the
active language (numbers with its decimal separator).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import charts
from .compute import (
    DIMENSION_LABELS,
    DIMENSIONS,
    FLAG_LABELS,
    Cell,
    Change,
    Estimate,
    QuestionResult,
    RoundResults,
    SectionChange,
    SectionResult,
)

DEFAULT_BREAKDOWN = ("sex",)  # men, women and "not stated" always appear first
INDICATORS = {
    # indicator: (label, lowest, highest, unit of the chart)
    "satisfied": (gettext_lazy("Share satisfied (top two points)"), 0.0, 100.0, "percent"),
    "dissatisfied": (
        gettext_lazy("Share dissatisfied (bottom two points)"),
        0.0,
        100.0,
        "percent",
    ),
    "net": (gettext_lazy("Net satisfaction (satisfied − dissatisfied)"), -100.0, 100.0, "points"),
    "score": (gettext_lazy("Score (0–100)"), 0.0, 100.0, "score"),
}
KIND_LABELS = {
    "rating": gettext_lazy("Rating scale"),
    "choice": gettext_lazy("One answer"),
    "multi": gettext_lazy("Several answers possible: shares add up to more than 100%"),
}


# --- Breakdowns --------------------------------------------------------------------------


def dimension_choices(available: Sequence[str]) -> list[tuple[str, str]]:
    return [(d, str(DIMENSION_LABELS[d])) for d in DIMENSIONS if d in available]


def breakdown_from(query: Mapping[str, str], available: Sequence[str]) -> tuple[str, ...]:
    """The breakdown asked for in `?by=&by2=`: one dimension, or two crossed; by sex
    when nothing (or nothing valid) is asked."""
    first = query.get("by", "")
    if first not in available:
        first = DEFAULT_BREAKDOWN[0] if DEFAULT_BREAKDOWN[0] in available else ""
    if not first:
        return ()
    second = query.get("by2", "")
    if second in available and second != first:
        return (first, second)
    return (first,)


# --- Numbers as the pages write them -----------------------------------------------------


def _flags(*flag_sets: Sequence[str]) -> list[str]:
    """Warnings in words (small base, wide interval), each once, without "suppressed"
    (the page explains suppressed cells once)."""
    seen: list[str] = []
    for flags in flag_sets:
        for flag in flags:
            if flag != "suppressed" and flag not in seen:
                seen.append(flag)
    return [str(FLAG_LABELS[f]) for f in seen if f in FLAG_LABELS]


def interval_text(estimate: Estimate | None, unit: str = "percent") -> str:
    """“36,1–58,4” (or with signs for points); empty when there is no interval."""
    if estimate is None or estimate.low is None or estimate.high is None:
        return ""
    if unit == "points":
        return f"{charts.signed(estimate.low)} … {charts.signed(estimate.high)}"
    return f"{charts.number(estimate.low)}–{charts.number(estimate.high)}"


def value_text(estimate: Estimate | None, unit: str = "percent") -> str:
    if estimate is None:
        return "—"
    if unit == "points":
        return charts.signed(estimate.value)
    if unit in ("score", "mean"):
        return charts.number(estimate.value, 2 if unit == "mean" else 1)
    return charts.percent(estimate.value)


@dataclass
class Figure:
    """One estimate as a page shows it."""

    label: str
    value: str
    interval: str
    flags: list[str]
    shown: bool  # False when suppressed or without a base


def figure(label: str, estimate: Estimate | None, unit: str = "percent") -> Figure:
    return Figure(
        label=label,
        value=value_text(estimate, unit),
        interval=interval_text(estimate, unit),
        flags=_flags(estimate.flags if estimate else ()),
        shown=estimate is not None and estimate.value is not None,
    )


# --- A round's results: per service, the headline and one breakdown ----------------------


def headline_question(section: SectionResult) -> QuestionResult | None:
    """The service's overall satisfaction (`<prefix>_satisfaction`), else its first
    rating, else nothing."""
    ratings = [q for q in section.questions if q.kind == "rating" and q.role == "service"]
    if section.uses and section.uses.endswith("_uses"):
        wanted = section.uses.removesuffix("_uses") + "_satisfaction"
        found = next((q for q in ratings if q.name == wanted), None)
        if found is not None:
            return found
    return next(
        (q for q in ratings if q.name.endswith("_satisfaction") and "response" not in q.name),
        ratings[0] if ratings else None,
    )


def headline_figures(cell: Cell) -> list[Figure]:
    return [
        figure(str(INDICATORS["satisfied"][0]), cell.satisfied),
        figure(str(INDICATORS["net"][0]), cell.net, "points"),
        figure(str(INDICATORS["score"][0]), cell.score, "score"),
    ]


@dataclass
class GroupRow:
    label: str
    base: int | None  # unweighted respondents in the base; None when suppressed
    figures: list[Figure]
    flags: list[str]
    suppressed: bool


def _group_rows(question: QuestionResult) -> list[GroupRow]:
    rows = []
    for cell in question.groups:
        rows.append(
            GroupRow(
                label=cell.group.label,
                base=cell.base,
                figures=[
                    figure(str(INDICATORS["satisfied"][0]), cell.satisfied),
                    figure(str(INDICATORS["score"][0]), cell.score, "score"),
                ],
                flags=_flags(
                    cell.flags,
                    cell.satisfied.flags if cell.satisfied else (),
                ),
                suppressed=cell.suppressed,
            )
        )
    return rows


def _bars(cells: Sequence[Cell], labels: Sequence[str], attribute: str) -> list[charts.Bar]:
    bars = []
    for cell, label in zip(cells, labels, strict=True):
        estimate: Estimate | None = getattr(cell, attribute)
        value = estimate.value if estimate else None
        bars.append(
            charts.Bar(
                label=label,
                value=value,
                low=estimate.low if estimate else None,
                high=estimate.high if estimate else None,
                dashed=bool(estimate and set(estimate.flags) & {"small_base", "wide_interval"}),
            )
        )
    return bars


def _n_label(label: str, base: int | None) -> str:
    return _("%(label)s (n = %(n)s)") % {"label": label, "n": "—" if base is None else base}


def distribution_chart(question: QuestionResult, cell: Cell, title: str) -> SafeString | None:
    if cell.suppressed or not cell.base:
        return None
    return charts.distribution_bar(
        [(share.label, share.estimate.value) for share in cell.distribution], title=title
    )


@dataclass
class SectionView:
    slug: str
    label: str
    respondents: int | None  # everyone interviewed
    users: int | None  # who use the service (the base of its questions)
    headline: QuestionResult | None
    figures: list[Figure]
    base: int | None
    warnings: list[str]
    suppressed: bool
    distribution: SafeString | None
    ratings: SafeString | None
    groups: list[GroupRow] = field(default_factory=list)
    groups_chart: SafeString | None = None


def _users(section: SectionResult) -> int | None:
    uses = next((q for q in section.questions if q.role == "uses"), None)
    if uses is None:
        return None
    yes = next((s for s in uses.total.distribution if s.name == "yes"), None)
    return yes.count if yes else None


def round_page_questions(results: RoundResults) -> RoundResults:
    """Only what a round's page shows (each service's uses question and ratings), so that
    suppression and rendering skip the rest; the service pages show every question."""
    return replace(
        results,
        sections=[
            replace(s, questions=[q for q in s.questions if q.role == "uses" or q.kind == "rating"])
            for s in results.sections
        ],
    )


def round_sections(results: RoundResults, breakdown: tuple[str, ...]) -> list[SectionView]:
    """Per service: the overall satisfaction's indices, its distribution, the share
    giving the top two points of each rating, and the chosen breakdown's groups."""
    views = []
    for section in results.sections:
        headline = headline_question(section)
        total = section.sizes[0].respondents if section.sizes else None
        view = SectionView(
            slug=section.slug,
            label=section.label,
            respondents=total,
            users=_users(section),
            headline=headline,
            figures=[],
            base=None,
            warnings=[],
            suppressed=False,
            distribution=None,
            ratings=None,
        )
        ratings = [q for q in section.questions if q.kind == "rating" and q.role == "service"]
        if ratings:
            view.ratings = charts.interval_bars(
                _bars(
                    [q.total for q in ratings],
                    [_n_label(q.label, q.total.base) for q in ratings],
                    "satisfied",
                ),
                title=_("%(service)s: share giving the top two points of each rating")
                % {"service": section.label},
            )
        if headline is not None:
            cell = headline.total
            view.figures = headline_figures(cell)
            view.base = cell.base
            view.suppressed = cell.suppressed
            view.warnings = _flags(cell.flags)  # each index carries its own
            view.distribution = distribution_chart(
                headline,
                cell,
                _("%(question)s: answers on the scale") % {"question": headline.label},
            )
            if breakdown:
                view.groups = _group_rows(headline)
                view.groups_chart = charts.interval_bars(
                    _bars(
                        headline.groups,
                        [_n_label(c.group.label, c.base) for c in headline.groups],
                        "satisfied",
                    ),
                    title=_("%(service)s: share satisfied by %(breakdown)s")
                    % {"service": section.label, "breakdown": breakdown_label(breakdown)},
                )
        views.append(view)
    return views


def breakdown_label(breakdown: Sequence[str]) -> str:
    return " × ".join(str(DIMENSION_LABELS[d]).lower() for d in breakdown)


# --- One service in detail ---------------------------------------------------------------


@dataclass
class ShareRow:
    label: str
    count: int | None
    value: str
    interval: str
    flags: list[str]


@dataclass
class BreakdownTable:
    columns: list[str]  # after the group and its n
    rows: list[tuple[str, int | None, list[str], list[str]]]  # label, n, cells, warnings


@dataclass
class QuestionView:
    name: str
    label: str
    kind: str
    kind_label: str
    role: str
    base: int | None
    answered: int | None
    suppressed: bool
    warnings: list[str]
    figures: list[Figure]  # ratings: satisfied, dissatisfied, net, score, mean
    shares: list[ShareRow]
    off_scale: list[ShareRow]  # don't know / refused: shares of everyone who answered
    chart: SafeString | None
    breakdown: BreakdownTable | None


def _share_rows(shares: Sequence[Any]) -> list[ShareRow]:
    return [
        ShareRow(
            label=s.label,
            count=s.count,
            value=value_text(s.estimate),
            interval=interval_text(s.estimate),
            flags=_flags(s.estimate.flags),
        )
        for s in shares
    ]


def _breakdown_table(question: QuestionResult) -> BreakdownTable | None:
    if not question.groups:
        return None
    if question.kind == "rating":
        columns = [
            str(INDICATORS["satisfied"][0]),
            _("Interval (95%)"),
            str(INDICATORS["score"][0]),
        ]
        rows = [
            (
                c.group.label,
                c.base,
                [
                    value_text(c.satisfied),
                    interval_text(c.satisfied),
                    value_text(c.score, "score"),
                ],
                _flags(c.flags, c.satisfied.flags if c.satisfied else ()),
            )
            for c in question.groups
        ]
    else:
        columns = [s.label for s in question.total.distribution]
        rows = [
            (
                c.group.label,
                c.base,
                [value_text(s.estimate) for s in c.distribution],
                _flags(c.flags),
            )
            for c in question.groups
        ]
    return BreakdownTable(columns=columns, rows=rows)


def service_questions(section: SectionResult) -> list[QuestionView]:
    """Every question of a service: indices (ratings), the full distribution with counts
    and intervals, don't know and refused, a chart, and the breakdown's groups."""
    views = []
    for question in section.questions:
        cell = question.total
        figures = []
        chart = None
        if question.kind == "rating":
            figures = [
                *headline_figures(cell)[:1],
                figure(str(INDICATORS["dissatisfied"][0]), cell.dissatisfied),
                *headline_figures(cell)[1:],
                figure(_("Mean on the scale"), cell.mean, "mean"),
            ]
            chart = distribution_chart(
                question,
                cell,
                _("%(question)s: answers on the scale") % {"question": question.label},
            )
        elif not cell.suppressed and cell.base:
            chart = charts.interval_bars(
                [
                    charts.Bar(
                        label=s.label,
                        value=s.estimate.value,
                        low=s.estimate.low,
                        high=s.estimate.high,
                        dashed=bool(set(s.estimate.flags) & {"small_base", "wide_interval"}),
                    )
                    for s in cell.distribution
                ],
                title=question.label,
            )
        views.append(
            QuestionView(
                name=question.name,
                label=question.label,
                kind=question.kind,
                kind_label=str(KIND_LABELS.get(question.kind, "")),
                role=question.role,
                base=cell.base,
                answered=cell.answered,
                suppressed=cell.suppressed,
                warnings=_flags(cell.flags),
                figures=figures,
                shares=_share_rows(cell.distribution),
                off_scale=_share_rows(cell.off_scale),
                chart=chart,
                breakdown=_breakdown_table(question),
            )
        )
    return views


# --- Change between two rounds, and the trend over all rounds ----------------------------


@dataclass
class ChangeRow:
    label: str
    unit: str  # percent (shares) or score
    before: str
    after: str
    difference: str
    interval: str
    verdict: str  # in words
    significant: bool | None
    bases: str
    flags: list[str]


@dataclass
class QuestionChangeView:
    name: str
    label: str
    rows: list[ChangeRow]

    @property
    def rating(self) -> bool:
        return any(r.unit == "score" for r in self.rows)

    @property
    def significant(self) -> int:
        return sum(1 for r in self.rows if r.significant)


@dataclass
class SectionChangeView:
    slug: str
    label: str
    questions: list[QuestionChangeView]
    trend: SafeString | None = None
    trend_rows: list[tuple[str, Figure, int | None]] = field(default_factory=list)


def _verdict(c: Change) -> str:
    if c.significant is None:
        return _("cannot be compared")
    if not c.significant:
        return _("not significant")
    if (c.difference or 0) > 0:
        return _("significant increase")
    return _("significant decrease")


def _change_label(c: Change) -> str:
    short = {
        "satisfied": _("Satisfied"),
        "dissatisfied": _("Dissatisfied"),
        "score": _("Score 0–100"),
    }
    return short.get(c.indicator) or c.label


def _change_row(c: Change) -> ChangeRow:
    unit = "score" if c.indicator == "score" else "percent"

    def shown(v: float | None) -> str:
        return charts.number(v) if unit == "score" else charts.percent(v)

    interval = ""
    if c.low is not None and c.high is not None:
        interval = f"{charts.signed(c.low)}…\u200b{charts.signed(c.high)}"  # may break after …
    return ChangeRow(
        label=_change_label(c),
        unit=unit,
        before=shown(c.before),
        after=shown(c.after),
        difference=charts.signed(c.difference),
        interval=interval,
        verdict=_verdict(c),
        significant=c.significant,
        bases=f"{'—' if c.base_before is None else c.base_before} → "
        f"{'—' if c.base_after is None else c.base_after}",
        flags=_flags(c.flags),
    )


def change_sections(sections: Sequence[SectionChange]) -> list[SectionChangeView]:
    return [
        SectionChangeView(
            slug=s.slug,
            label=s.label,
            questions=[
                QuestionChangeView(q.name, q.label, [_change_row(c) for c in q.changes])
                for q in s.questions
            ],
        )
        for s in sections
    ]


def trend(
    slug: str, service: str, rounds: Sequence[tuple[str, RoundResults]]
) -> tuple[SafeString | None, list[tuple[str, Figure, int | None]]]:
    """The share satisfied with a service (its overall satisfaction) in each round, as a
    chart and as rows (period, figure, base). `rounds`: (period label, results), oldest
    first, already suppressed for the reader."""
    points = []
    rows = []
    for period, results in rounds:
        section = next((s for s in results.sections if s.slug == slug), None)
        headline = headline_question(section) if section else None
        estimate = headline.total.satisfied if headline else None
        base = headline.total.base if headline else None
        points.append(
            charts.TrendPoint(
                label=period,
                value=estimate.value if estimate else None,
                low=estimate.low if estimate else None,
                high=estimate.high if estimate else None,
            )
        )
        rows.append((period, figure(period, estimate), base))
    if not any(p.value is not None for p in points):
        return None, rows
    chart = charts.trend_chart(
        points, title=_("%(service)s: share satisfied in each round") % {"service": service}
    )
    return chart, rows


# --- Municipalities side by side ---------------------------------------------------------


@dataclass
class CompareItem:
    municipality: str
    code: str
    round_id: int
    period: str
    base: int | None
    figure: Figure
    verdict: str  # charts.HIGHER, LOWER, OVERLAP or ""
    verdict_label: str
    value: float | None
    low: float | None
    high: float | None


VERDICT_LABELS = {
    charts.HIGHER: gettext_lazy("higher than the pooled value"),
    charts.LOWER: gettext_lazy("lower than the pooled value"),
    charts.OVERLAP: gettext_lazy("intervals overlap: no clear difference"),
}


@dataclass
class Comparison:
    items: list[CompareItem]
    pooled: float | None
    pooled_text: str
    chart: SafeString | None
    missing: list[str]  # municipalities whose latest published round lacks the service


def comparison(
    entries: Sequence[tuple[Any, str, RoundResults]],
    *,
    slug: str,
    indicator: str,
    by_estimate: bool,
) -> Comparison:
    """`entries`: (round, period label, suppressed results) of each municipality's latest
    published round, by name. The pooled value averages the municipalities' estimates in
    proportion to their effective sample sizes; a municipality differs from it when its
    95% interval lies wholly above or below it."""
    label, low, high, unit = INDICATORS[indicator]
    found = []
    missing = []
    for round, period, results in entries:
        section = next((s for s in results.sections if s.slug == slug), None)
        headline = headline_question(section) if section else None
        if headline is None:
            missing.append(round.municipality.name)
            continue
        cell = headline.total
        found.append((round, period, cell, getattr(cell, indicator)))
    weight = sum(
        c.effective_n or 0 for _r, _p, c, e in found if e is not None and e.value is not None
    )
    pooled = None
    if weight:
        pooled = (
            sum(
                (c.effective_n or 0) * e.value
                for _r, _p, c, e in found
                if e is not None and e.value is not None
            )
            / weight
        )
    items = []
    for round, period, cell, estimate in found:
        v = charts.verdict(
            estimate.low if estimate else None, estimate.high if estimate else None, pooled
        )
        items.append(
            CompareItem(
                municipality=round.municipality.name,
                code=round.municipality.code,
                round_id=round.pk,
                period=period,
                base=cell.base,
                figure=figure(str(label), estimate, unit),
                verdict=v,
                verdict_label=str(VERDICT_LABELS.get(v, "")),
                value=estimate.value if estimate else None,
                low=estimate.low if estimate else None,
                high=estimate.high if estimate else None,
            )
        )
    if by_estimate:
        items.sort(key=lambda i: (i.value is None, -(i.value or 0), i.municipality))
    pooled_text = value_text(Estimate(pooled), unit) if pooled is not None else "—"
    chart = None
    if items:
        chart = charts.comparison_chart(
            [
                charts.CompareRow(
                    label=i.municipality,
                    value=i.value,
                    low=i.low,
                    high=i.high,
                    verdict=i.verdict,
                    verdict_label=i.verdict_label,
                )
                for i in items
            ],
            title=str(label),
            pooled=pooled,
            pooled_label=_("Dashed line: the pooled value, %(value)s") % {"value": pooled_text},
            low=low,
            high=high,
            unit=unit,
        )
    return Comparison(
        items=items, pooled=pooled, pooled_text=pooled_text, chart=chart, missing=missing
    )
