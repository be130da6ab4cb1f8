"""What a report says, independent of its file format.

`analytical_document` turns a round's results (already suppressed for publication) into a
`Document`: a list of blocks (headings, paragraphs, bullet lists, tables, charts) that
pdf.py, word.py and workbook.py render the same way. `scorecard` gathers the one-page
scorecard's rows. Everything is computed here, in the active language (the caller wraps the
work in `translation.override`); the writers only lay it out.

Findings are stated only as far as the intervals support them: a change between rounds is
"higher" or "lower" only when Newcombe's interval excludes zero, two services or two groups
differ only when their intervals do not overlap, and otherwise the text says that the
difference is within the margin of error.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils import formats
from django.utils.translation import gettext as _

from aimak.results.compute import (
    DIMENSION_LABELS,
    Cell,
    Change,
    Estimate,
    QuestionResult,
    RoundResults,
    SectionChange,
    SectionResult,
    Share,
)
from aimak.results.stats import MIN_BASE, TRIM_FACTOR

MIN_CELL = 5  # groups with fewer respondents in the base are not shown (as open data)
BREAKDOWN_DIMENSIONS = ("sex", "age_group", "village", "vulnerable")
MINUS = "\u2212"
DASH = "—"


# --- Blocks ------------------------------------------------------------------------------


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    style: Literal["body", "note", "lead"] = "body"


@dataclass
class Bullets:
    items: list[str]


ColumnKind = Literal["text", "int", "number", "pct", "ci", "points", "score", "mean"]


@dataclass
class Column:
    label: str
    kind: ColumnKind = "text"


@dataclass
class Table:
    """A table: typed values (numbers stay numbers for the XLSX); `flags[i][j]` marks a
    value resting on fewer than 30 respondents (shown with an asterisk)."""

    title: str
    columns: list[Column]
    rows: list[list[Any]]
    note: str = ""
    key: str = ""  # a short name for the spreadsheet's sheet
    small: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class Bar:
    label: str
    value: float | None
    low: float | None
    high: float | None
    small: bool = False


@dataclass
class Stack:
    label: str
    parts: list[tuple[str, float | None]]  # (point name, percent)


@dataclass
class Chart:
    """A chart to draw (charts.py): bars with their intervals, or stacked distributions."""

    kind: Literal["bars", "stacks"]
    title: str
    caption: str
    bars: list[Bar] = field(default_factory=list)
    stacks: list[Stack] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (point name, label)
    image: bytes = b""  # PNG, filled in by charts.py


Block = Heading | Paragraph | Bullets | Table | Chart


@dataclass
class Document:
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    blocks: list[Block]
    language: str

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]


@dataclass
class Facts:
    """What the report needs to know about the round besides its results."""

    round_id: int
    municipality: str
    start: datetime.date
    end: datetime.date
    status: str
    preliminary: bool
    questionnaire: str
    version: int
    plan: Any | None  # surveys.SamplePlan
    language: str
    previous_start: datetime.date | None
    previous_end: datetime.date | None
    generated_at: datetime.datetime


# --- Numbers as text ---------------------------------------------------------------------


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return DASH
    return str(formats.number_format(round(value, digits), digits, use_l10n=True))


def pct(value: float | None) -> str:
    return DASH if value is None else f"{number(value)}%"


def interval(low: float | None, high: float | None, unit: str = "%") -> str:
    if low is None or high is None:
        return DASH
    return f"{signed_plain(low)}–{signed_plain(high)}{unit}"


def signed_plain(value: float) -> str:
    """A number with a real minus sign when negative (no plus sign)."""
    text = number(abs(value))
    return f"{MINUS}{text}" if round(value) < 0 else text


def signed(value: float | None) -> str:
    if value is None:
        return DASH
    text = number(abs(value))
    if round(value) == 0:
        return text
    return f"{MINUS}{text}" if value < 0 else f"+{text}"


def period(start: datetime.date | None, end: datetime.date | None) -> str:
    if start is None or end is None:
        return DASH
    return (
        f"{formats.date_format(start, 'SHORT_DATE_FORMAT')} – "
        f"{formats.date_format(end, 'SHORT_DATE_FORMAT')}"
    )


def format_value(value: Any, kind: ColumnKind) -> str:
    if kind == "text":
        return str(value) if value not in (None, "") else DASH
    if kind == "int":
        return number(value)
    if kind == "number":
        return DASH if value is None else signed_plain(value)
    if kind == "pct":
        return pct(value)
    if kind == "ci":
        low, high = value if value else (None, None)
        return interval(low, high, "")
    if kind == "points":
        return signed(value)
    if kind == "score":
        return number(value)
    if kind == "mean":
        return number(value, 1)
    return str(value)


def small(estimate: Estimate | None) -> bool:
    return estimate is not None and "small_base" in estimate.flags


# --- Reading the results -----------------------------------------------------------------


def prefix_of(section: SectionResult) -> str:
    if section.uses and section.uses.endswith("_uses"):
        return section.uses[: -len("_uses")]
    return ""


def service_questions(section: SectionResult) -> list[QuestionResult]:
    return [q for q in section.questions if q.role == "service"]


def headline_question(section: SectionResult) -> QuestionResult | None:
    """The overall satisfaction question of a service (`<prefix>_satisfaction`), else the
    last rating of its section."""
    ratings = [q for q in service_questions(section) if q.kind == "rating"]
    prefix = prefix_of(section)
    for q in ratings:
        if prefix and q.name == f"{prefix}_satisfaction":
            return q
    named = [
        q
        for q in ratings
        if q.name.endswith("_satisfaction") and not q.name.endswith("_response_satisfaction")
    ]
    if named:
        return named[-1]
    return ratings[-1] if ratings else None


def question_ending(section: SectionResult, suffix: str, kind: str) -> QuestionResult | None:
    prefix = prefix_of(section)
    questions = [q for q in service_questions(section) if q.kind == kind]
    for q in questions:
        if prefix and q.name == f"{prefix}{suffix}":
            return q
    return next((q for q in questions if q.name.endswith(suffix)), None)


def ranked(cell: Cell, exclude: frozenset[str] = frozenset()) -> list[Share]:
    shares = [
        s for s in cell.distribution if s.name not in exclude and s.estimate.value is not None
    ]
    return sorted(shares, key=lambda s: -(s.estimate.value or 0))


def groups_of(question: QuestionResult, dimension: str) -> list[Cell]:
    return [c for c in question.groups if c.group.by == (dimension,)]


def headline_change(
    changes: list[SectionChange] | None, section: SectionResult, question: QuestionResult
) -> Change | None:
    if not changes:
        return None
    for s in changes:
        if s.slug != section.slug:
            continue
        for q in s.questions:
            if q.name == question.name:
                return next((c for c in q.changes if c.indicator == "satisfied"), None)
    return None


def overlap(a: Estimate, b: Estimate) -> bool:
    if None in (a.low, a.high, b.low, b.high):
        return True
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    return not (a.low > b.high or b.low > a.high)


def uses_share(section: SectionResult) -> tuple[int | None, int | None, Estimate | None]:
    """(users, respondents who answered the uses question, the share of users)."""
    uses = next((q for q in section.questions if q.role == "uses"), None)
    if uses is None:
        return None, None, None
    yes = next((s for s in uses.total.distribution if s.name == "yes"), None)
    if yes is None:
        return None, uses.total.base, None
    return yes.count, uses.total.base, yes.estimate


# --- Findings ----------------------------------------------------------------------------


def change_sentence(change: Change | None, facts: Facts) -> str:
    if change is None or change.difference is None or change.before is None:
        return ""
    values = {
        "period": period(facts.previous_start, facts.previous_end),
        "before": pct(change.before),
        "diff": signed(change.difference),
        "low": signed(change.low),
        "high": signed(change.high),
    }
    if change.significant and change.difference > 0:
        return (
            _(
                "Higher than in the round of %(period)s (%(before)s): a change of %(diff)s "
                "points (95%% CI %(low)s to %(high)s), which is statistically significant."
            )
            % values
        )
    if change.significant and change.difference < 0:
        return (
            _(
                "Lower than in the round of %(period)s (%(before)s): a change of %(diff)s "
                "points (95%% CI %(low)s to %(high)s), which is statistically significant."
            )
            % values
        )
    return (
        _(
            "About the same as in the round of %(period)s (%(before)s): the change of "
            "%(diff)s points is within the margin of error (95%% CI %(low)s to %(high)s)."
        )
        % values
    )


def _sex_finding(section: SectionResult, question: QuestionResult) -> str:
    cells = {c.group.key.get("sex"): c for c in groups_of(question, "sex")}
    women, men = cells.get("female"), cells.get("male")
    if women is None or men is None or women.satisfied is None or men.satisfied is None:
        return ""
    if women.satisfied.value is None or men.satisfied.value is None:
        return ""
    values = {
        "service": section.label,
        "women": pct(women.satisfied.value),
        "men": pct(men.satisfied.value),
    }
    if overlap(women.satisfied, men.satisfied):
        return (
            _(
                "“%(service)s”: no clear difference between women (%(women)s satisfied) and "
                "men (%(men)s); their intervals overlap."
            )
            % values
        )
    return (
        _(
            "“%(service)s”: women (%(women)s satisfied) and men (%(men)s) differ; their "
            "intervals do not overlap."
        )
        % values
    )


def section_findings(
    section: SectionResult, changes: list[SectionChange] | None, facts: Facts
) -> list[str]:
    out: list[str] = []
    question = headline_question(section)
    if question is not None and question.total.satisfied is not None:
        estimate = question.total.satisfied
        if estimate.value is not None:
            sentence = _(
                "“%(service)s”: %(value)s of users are satisfied overall (95%% CI "
                "%(interval)s; %(base)s respondents)."
            ) % {
                "service": section.label,
                "value": pct(estimate.value),
                "interval": interval(estimate.low, estimate.high),
                "base": number(question.total.base),
            }
            extra = change_sentence(headline_change(changes, section, question), facts)
            if extra:
                sentence += " " + extra
            if small(estimate):
                sentence += " " + _("Few respondents: read with caution.")
            out.append(sentence)
        sex = _sex_finding(section, question)
        if sex:
            out.append(sex)
    problems = question_ending(section, "_problems", "multi")
    if problems is not None:
        top = ranked(problems.total, frozenset({"none", "other"}))
        if top:
            out.append(
                _(
                    "“%(service)s”: the problem met most often is “%(problem)s” (%(value)s of "
                    "users who answered)."
                )
                % {
                    "service": section.label,
                    "problem": top[0].label,
                    "value": pct(top[0].estimate.value),
                }
            )
    priority = question_ending(section, "_priority", "choice")
    if priority is not None:
        top = ranked(priority.total, frozenset({"other"}))
        if len(top) >= 2 and overlap(top[0].estimate, top[1].estimate):
            out.append(
                _(
                    "“%(service)s”: the priorities named most often are “%(first)s” "
                    "(%(first_value)s) and “%(second)s” (%(second_value)s); the difference "
                    "between them is within the margin of error."
                )
                % {
                    "service": section.label,
                    "first": top[0].label,
                    "first_value": pct(top[0].estimate.value),
                    "second": top[1].label,
                    "second_value": pct(top[1].estimate.value),
                }
            )
        elif top:
            out.append(
                _(
                    "“%(service)s”: the first priority for improvement is “%(priority)s” "
                    "(%(value)s of users)."
                )
                % {
                    "service": section.label,
                    "priority": top[0].label,
                    "value": pct(top[0].estimate.value),
                }
            )
    informal = question_ending(section, "_informal", "choice")
    if informal is not None:
        yes = next((s for s in informal.total.distribution if s.name == "yes"), None)
        if yes is not None and yes.estimate.value:
            out.append(
                _(
                    "“%(service)s”: %(value)s of users report an informal payment in the last "
                    "12 months (95%% CI %(interval)s)."
                )
                % {
                    "service": section.label,
                    "value": pct(yes.estimate.value),
                    "interval": interval(yes.estimate.low, yes.estimate.high),
                }
            )
    return out


def comparison_finding(results: RoundResults) -> str:
    """The most and least satisfying services, when their intervals do not overlap."""
    rated = []
    for section in results.sections:
        question = headline_question(section)
        satisfied = question.total.satisfied if question is not None else None
        if satisfied is not None and satisfied.value is not None:
            rated.append((section, satisfied))
    if len(rated) < 2:
        return ""
    rated.sort(key=lambda pair: -(pair[1].value or 0))
    (best, high), (worst, low) = rated[0], rated[-1]
    if overlap(high, low):
        return _(
            "Satisfaction with the services ranges from %(low)s (“%(worst)s”) to %(high)s "
            "(“%(best)s”), but these differences are within the margin of error."
        ) % {
            "low": pct(low.value),
            "worst": worst.label,
            "high": pct(high.value),
            "best": best.label,
        }
    return _(
        "Users are clearly more satisfied with “%(best)s” (%(high)s) than with “%(worst)s” "
        "(%(low)s): their intervals do not overlap."
    ) % {"best": best.label, "high": pct(high.value), "worst": worst.label, "low": pct(low.value)}


# --- Tables ------------------------------------------------------------------------------


def headline_table(
    section: SectionResult,
    question: QuestionResult,
    change: list[SectionChange] | None,
    facts: Facts,
) -> Table:
    cell = question.total
    indicators = [
        (_("Satisfied (%)"), cell.satisfied, "satisfied"),
        (_("Dissatisfied (%)"), cell.dissatisfied, "dissatisfied"),
        (_("Net satisfaction (points)"), cell.net, "net"),
        (_("Score (0–100)"), cell.score, "score"),
    ]
    changes: dict[str, Change] = {}
    for s in change or []:
        if s.slug == section.slug:
            for q in s.questions:
                if q.name == question.name:
                    changes = {c.indicator: c for c in q.changes if not c.category}
    columns = [
        Column(_("Indicator")),
        Column(_("Estimate"), "number"),
        Column(_("95% CI"), "ci"),
        Column(_("Respondents"), "int"),
    ]
    if changes:
        columns += [
            Column(_("Change (points)"), "points"),
            Column(_("95% CI of the change"), "ci"),
            Column(_("Significant?")),
        ]
    rows: list[list[Any]] = []
    small_cells: set[tuple[int, int]] = set()
    for label, estimate, key in indicators:
        if estimate is None:
            continue
        row: list[Any] = [label, estimate.value, (estimate.low, estimate.high), cell.base]
        if changes:
            c = changes.get(key)
            if c is None:
                row += [None, (None, None), DASH]
            else:
                row += [
                    c.difference,
                    (c.low, c.high),
                    DASH if c.significant is None else (_("yes") if c.significant else _("no")),
                ]
        if small(estimate):
            small_cells.add((len(rows), 1))
        rows.append(row)
    note = ""
    if changes:
        note = _(
            "Change since the round of %(period)s, in points; significant when its 95%% "
            "interval excludes zero."
        ) % {"period": period(facts.previous_start, facts.previous_end)}
    return Table(
        title=_("“%(service)s”, headline indices: %(question)s")
        % {"service": section.label, "question": question.label},
        columns=columns,
        rows=rows,
        note=note,
        key=f"{section.slug} headline",
        small=small_cells,
    )


def breakdown_table(
    section: SectionResult, question: QuestionResult, dimension: str
) -> Table | None:
    cells = groups_of(question, dimension)
    if not cells:
        return None
    rows: list[list[Any]] = []
    small_cells: set[tuple[int, int]] = set()
    for cell in [question.total, *cells]:
        satisfied = cell.satisfied
        label = cell.group.label
        if cell.suppressed or satisfied is None:
            rows.append([label, cell.base, None, (None, None), None])
            continue
        if small(satisfied):
            small_cells.add((len(rows), 2))
        rows.append(
            [
                label,
                cell.base,
                satisfied.value,
                (satisfied.low, satisfied.high),
                cell.score.value if cell.score else None,
            ]
        )
    return Table(
        title=_("“%(service)s”, satisfied by %(dimension)s")
        % {"service": section.label, "dimension": str(DIMENSION_LABELS[dimension]).lower()},
        columns=[
            Column(_("Group")),
            Column(_("Respondents"), "int"),
            Column(_("Satisfied"), "pct"),
            Column(_("95% CI"), "ci"),
            Column(_("Score (0–100)"), "score"),
        ],
        rows=rows,
        note=_("— : fewer than %(n)s respondents, not shown.") % {"n": MIN_CELL},
        key=f"{section.slug} {dimension}",
        small=small_cells,
    )


def users_table(section: SectionResult) -> Table | None:
    if not section.uses or not section.sizes:
        return None
    total = section.sizes[0].respondents
    rows: list[list[Any]] = []
    for size in section.sizes[1:]:
        if size.group.by != ("users",):
            continue
        share = None
        if size.respondents is not None and total:
            share = 100 * size.respondents / total
        rows.append([size.group.label, size.respondents, share])
    if not rows:
        return None
    return Table(
        title=_("“%(service)s”: who uses the service") % {"service": section.label},
        columns=[Column(_("Group")), Column(_("Respondents"), "int"), Column(_("Share"), "pct")],
        rows=rows,
        note=_("Shares of all %(n)s respondents, unweighted.") % {"n": number(total)},
        key=f"{section.slug} users",
    )


def distribution_table(section: SectionResult, question: QuestionResult, title: str = "") -> Table:
    cell = question.total
    rows: list[list[Any]] = []
    small_cells: set[tuple[int, int]] = set()
    for share in cell.distribution:
        e = share.estimate
        if small(e):
            small_cells.add((len(rows), 1))
        rows.append([share.label, e.value, (e.low, e.high), share.count])
    for share in cell.off_scale:
        e = share.estimate
        outside = _("%(answer)s (not in the base)") % {"answer": share.label}
        rows.append([outside, e.value, (e.low, e.high), share.count])
    note = _("Base: %(n)s respondents.") % {"n": number(cell.base)}
    if question.kind == "multi":
        note += " " + _("Several answers were possible: shares add up to more than 100%%.") % {}
    if cell.suppressed:
        note = _("Fewer than %(n)s respondents: not shown.") % {"n": MIN_CELL}
    return Table(
        title=title or f"{section.label}: {question.label}",
        columns=[
            Column(_("Answer")),
            Column(_("Share"), "pct"),
            Column(_("95% CI"), "ci"),
            Column(_("Respondents"), "int"),
        ],
        rows=rows,
        note=note,
        key=f"{question.name}",
        small=small_cells,
    )


# --- Charts ------------------------------------------------------------------------------


def satisfied_chart(section: SectionResult) -> Chart | None:
    bars = [
        Bar(
            label=q.label,
            value=q.total.satisfied.value,
            low=q.total.satisfied.low,
            high=q.total.satisfied.high,
            small=small(q.total.satisfied),
        )
        for q in service_questions(section)
        if q.kind == "rating" and q.total.satisfied is not None and not q.total.suppressed
    ]
    if not bars:
        return None
    return Chart(
        kind="bars",
        title=_("“%(service)s”: share satisfied on each question") % {"service": section.label},
        caption=_(
            "Share of users choosing the two highest points, with the 95%% confidence interval "
            "(the line). * fewer than %(n)s respondents."
        )
        % {"n": MIN_BASE},
        bars=bars,
    )


def distribution_chart(section: SectionResult) -> Chart | None:
    stacks: list[Stack] = []
    points: dict[str, str] = {}
    for q in service_questions(section):
        if q.kind != "rating" or q.total.suppressed or not q.total.distribution:
            continue
        stacks.append(Stack(q.label, [(s.name, s.estimate.value) for s in q.total.distribution]))
        for s in q.total.distribution:
            points.setdefault(s.name, s.name)
    if not stacks:
        return None
    names = sorted(points, key=lambda n: (len(n), n))
    return Chart(
        kind="stacks",
        title=_("“%(service)s”: answers on each rating question") % {"service": section.label},
        caption=_(
            "Points of the five-point scale, from 1 (worst) to 5 (best), as shares of the users "
            "who answered on the scale; “don't know” is left out."
        ),
        stacks=stacks,
        legend=[(n, n) for n in names],
    )


# --- The analytical report ---------------------------------------------------------------


def method_blocks(results: RoundResults, facts: Facts) -> list[Block]:
    blocks: list[Block] = [Heading(_("Method"), 1)]
    blocks.append(
        Paragraph(
            _(
                "A survey of the residents of %(municipality)s, door to door, from %(start)s to "
                "%(end)s, with the questionnaire “%(questionnaire)s” (version %(version)s)."
            )
            % {
                "municipality": facts.municipality,
                "start": formats.date_format(facts.start, "DATE_FORMAT"),
                "end": formats.date_format(facts.end, "DATE_FORMAT"),
                "questionnaire": facts.questionnaire,
                "version": facts.version,
            }
        )
    )
    plan = facts.plan
    blocks.append(Heading(_("Sample"), 2))
    if plan is not None:
        blocks.append(
            Paragraph(
                _(
                    "Sample plan: %(n)s interviews, for a margin of error of ±%(margin)s points "
                    "at %(confidence)s%% confidence, with an expected proportion of %(p)s and a "
                    "design effect of %(deff)s, in a population of %(N)s (%(source)s). The "
                    "sample was shared over the villages in proportion to their population, "
                    "with quotas of men and women."
                )
                % {
                    "n": number(plan.sample_size),
                    "margin": number(float(plan.margin), 1),
                    "confidence": plan.confidence,
                    "p": number(float(plan.proportion), 2),
                    "deff": number(float(plan.design_effect), 2),
                    "N": number(plan.frame_size),
                    "source": ", ".join(
                        str(x) for x in (plan.population_source, plan.population_year) if x
                    )
                    or DASH,
                }
            )
        )
        done = results.interviews
        share = 100 * done / plan.sample_size if plan.sample_size else None
        blocks.append(
            Paragraph(
                _("Interviews done: %(done)s of %(planned)s planned (%(share)s).")
                % {"done": number(done), "planned": number(plan.sample_size), "share": pct(share)}
            )
        )
    else:
        blocks.append(
            Paragraph(
                _("Interviews done: %(done)s. The round has no sample plan.")
                % {"done": number(results.interviews)}
            )
        )
    w = results.weighting
    blocks.append(Heading(_("Weights"), 2))
    text = w.note
    if w.method != "none":
        text += " " + _(
            "Weights above %(factor)s times the median weight were cut down to it "
            "(%(trimmed)s respondents); the design effect of the weights is %(deff)s."
        ) % {
            "factor": number(TRIM_FACTOR),
            "trimmed": number(w.trimmed),
            "deff": number(w.design_effect, 2),
        }
        if w.unmatched:
            text += " " + _(
                "%(n)s respondents without sex or age group keep the average weight."
            ) % {"n": number(w.unmatched)}
        if w.empty_cells:
            text += " " + _("Groups of the population without any respondent: %(cells)s.") % {
                "cells": ", ".join(w.empty_cells)
            }
    blocks.append(Paragraph(text))
    blocks.append(Heading(_("Indices and intervals"), 2))
    blocks.append(
        Bullets(
            [
                _(
                    "Percentages are of the respondents who use the service and answered on "
                    "the scale; “don't know” and refusals are left out of the base and counted "
                    "apart. Counts of respondents are unweighted."
                ),
                _(
                    "Satisfied: the two highest points of the five-point scale; dissatisfied: "
                    "the two lowest; net satisfaction: satisfied minus dissatisfied, in points; "
                    "score: the mean answer mapped onto 0–100."
                ),
                _(
                    "Each percentage has its 95%% confidence interval: the Wilson score interval "
                    "on Kish's effective sample size, which takes the weights into account. "
                    "Scores use the normal interval, net satisfaction the interval of a "
                    "difference of two shares of one sample."
                )
                % {},
                _(
                    "Changes between rounds use Newcombe's hybrid score interval; a change is "
                    "called significant when its interval excludes zero."
                ),
                _(
                    "Groups with fewer than %(n)s respondents in the base are not shown (—); "
                    "values resting on fewer than %(small)s respondents are marked * and should "
                    "be read with caution."
                )
                % {"n": MIN_CELL, "small": MIN_BASE},
                _(
                    "The intervals do not include the clustering of interviews in villages (the "
                    "plan's design effect) or the uncertainty of the population figures."
                ),
            ]
        )
    )
    return blocks


def analytical_document(
    results: RoundResults, changes: list[SectionChange] | None, facts: Facts
) -> Document:
    title = _("Citizen report card: %(municipality)s") % {"municipality": facts.municipality}
    subtitle = _("Analytical report of the round of %(period)s") % {
        "period": period(facts.start, facts.end)
    }
    facts_list = [
        (_("Municipality"), facts.municipality),
        (_("Period"), period(facts.start, facts.end)),
        (_("Interviews"), number(results.interviews)),
        (_("Services"), ", ".join(s.label for s in results.sections)),
        (
            _("Compared with"),
            period(facts.previous_start, facts.previous_end)
            if facts.previous_start
            else _("no earlier round"),
        ),
        (_("Made"), formats.date_format(facts.generated_at, "DATE_FORMAT")),
    ]
    blocks: list[Block] = []
    if facts.preliminary:
        blocks.append(
            Paragraph(
                _(
                    "Preliminary: the round is still collecting interviews, so these figures "
                    "will change."
                ),
                "lead",
            )
        )
    blocks.append(Heading(_("Summary of findings"), 1))
    findings: list[str] = []
    for section in results.sections:
        findings += section_findings(section, changes, facts)
    comparison = comparison_finding(results)
    if comparison:
        findings.append(comparison)
    blocks.append(Bullets(findings or [_("No service has enough answers to report.")]))
    blocks += method_blocks(results, facts)
    for section in results.sections:
        blocks.append(Heading(section.label, 1))
        users, answered, share = uses_share(section)
        if users is not None and answered:
            blocks.append(
                Paragraph(
                    _("Users of the service: %(users)s of %(answered)s respondents (%(share)s).")
                    % {
                        "users": number(users),
                        "answered": number(answered),
                        "share": pct(share.value if share else None),
                    }
                )
            )
        question = headline_question(section)
        if question is not None:
            blocks.append(headline_table(section, question, changes, facts))
        for chart in (satisfied_chart(section), distribution_chart(section)):
            if chart is not None:
                blocks.append(chart)
        if question is not None:
            for dimension in BREAKDOWN_DIMENSIONS:
                table = breakdown_table(section, question, dimension)
                if table is not None:
                    blocks.append(table)
        table = users_table(section)
        if table is not None:
            blocks.append(table)
        for suffix, kind, heading in (
            ("_problems", "multi", _("“%(service)s”: problems met")),
            ("_priority", "choice", _("“%(service)s”: priorities for improvement")),
        ):
            q = question_ending(section, suffix, kind)
            if q is not None:
                blocks.append(distribution_table(section, q, heading % {"service": section.label}))
    blocks.append(Heading(_("Appendix: every question"), 1))
    blocks.append(
        Paragraph(
            _(
                "Every question with an index, for all respondents of the question's base. "
                "The open-data table of the round has every group as well."
            ),
            "note",
        )
    )
    for section in results.sections:
        for q in section.questions:
            blocks.append(distribution_table(section, q))
    return Document(
        title=title,
        subtitle=subtitle,
        facts=facts_list,
        blocks=blocks,
        language=facts.language,
    )


# --- The scorecard -----------------------------------------------------------------------


@dataclass
class ScoreRow:
    service: str
    satisfied: Estimate | None
    base: int | None
    change: Change | None
    priority: str
    priority_share: float | None


@dataclass
class Scorecard:
    title: str
    subtitle: str
    interviews: int
    rows: list[ScoreRow]
    previous: str
    method: str
    facts: Facts


def change_words(change: Change | None) -> tuple[str, str]:
    """An arrow and a few words for the change of the share satisfied."""
    if change is None or change.difference is None:
        return "", _("no earlier figure")
    if change.significant and change.difference > 0:
        return "▲", _("%(diff)s points: up") % {"diff": signed(change.difference)}
    if change.significant and change.difference < 0:
        return "▼", _("%(diff)s points: down") % {"diff": signed(change.difference)}
    return "≈", _("no clear change (%(diff)s)") % {"diff": signed(change.difference)}


def scorecard(
    results: RoundResults, changes: list[SectionChange] | None, facts: Facts
) -> Scorecard:
    rows = []
    for section in results.sections:
        question = headline_question(section)
        priority = question_ending(section, "_priority", "choice")
        top = ranked(priority.total, frozenset({"other"})) if priority is not None else []
        rows.append(
            ScoreRow(
                service=section.label,
                satisfied=question.total.satisfied if question is not None else None,
                base=question.total.base if question is not None else None,
                change=headline_change(changes, section, question)
                if question is not None
                else None,
                priority=top[0].label if top else DASH,
                priority_share=top[0].estimate.value if top else None,
            )
        )
    weighted = results.weighting.method != "none"
    method = _(
        "Survey of %(n)s residents, %(period)s. Satisfied: users of the service choosing the two "
        "highest points of a five-point scale, with the 95%% confidence interval (Wilson). "
        "%(weights)s A change is marked up or down only when its 95%% interval excludes zero "
        "(Newcombe)."
    ) % {
        "n": number(results.interviews),
        "period": period(facts.start, facts.end),
        "weights": _("Weighted to the population by sex and age.")
        if weighted
        else _("Unweighted."),
    }
    return Scorecard(
        title=_("How residents rate their services: %(municipality)s")
        % {"municipality": facts.municipality},
        subtitle=_("Citizen report card, %(period)s, %(n)s interviews")
        % {"period": period(facts.start, facts.end), "n": number(results.interviews)},
        interviews=results.interviews,
        rows=rows,
        previous=period(facts.previous_start, facts.previous_end) if facts.previous_start else "",
        method=method,
        facts=facts,
    )
