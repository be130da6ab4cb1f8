"""The results of a report-card round: indices per service and question, with intervals,
weights and breakdowns. Pure computation over a Frame (frame.py); no database here.

Every percentage is a share of a *base*: the respondents who gave an answer on the scale
(for a rating) or one of the list's real choices (for other questions). "Don't know" and
"refused" (off-scale choices) are left out of the base and reported beside it as shares of
everyone who answered. A service's questions count only households that use the service
(`<prefix>_uses` = yes) when the form asks it. Breakdowns always show every group of a
dimension plus "not stated", so no respondent is dropped silently.

How it is fast: rows are first reduced to *combinations* of weight class and breakdown
groups (a few thousand at most); each question then costs one `np.bincount` over the rows
into (combination × users × answer) bins, and every breakdown is a small matrix product of
those bins with 0/1 indicator matrices. Weights that are constant within a weight class
(post-stratification weights are) need no weighted bincount: the weighted sums are the
bins' counts times their class weight. Arbitrary per-row weights take the general path:
two more bincounts with the weights and their squares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from math import isfinite
from typing import Any

import numpy as np
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from numpy.typing import NDArray

from aimak.surveys.definition import Definition, Group, Question, QuestionType

from . import stats
from .frame import Column, Frame

# Dimensions a breakdown may use, and how many at once.
DIMENSIONS = ("sex", "age_group", "village", "vulnerable", "users")
MAX_CROSSED = 2
NOT_STATED = "not_stated"
USERS = "users"
NON_USERS = "non_users"
ALL = "all"
# Off-scale choices of questions that are not ratings (ratings: every non-numeric choice).
OFF_SCALE_NAMES = frozenset({"dk", "refuse", "refused", "dont_know", "no_answer", "na"})
PROFILE_GROUP = "profile"
MAX_WEIGHT_CLASSES = 256  # more distinct weights than this take the general path
FULL_SPACE_LIMIT = 8192  # combinations counted directly; above, only the ones present

SPECIAL_LABELS = {
    NOT_STATED: _("Not stated"),
    USERS: _("Users of the service"),
    NON_USERS: _("Non-users"),
    ALL: _("All respondents"),
}
DIMENSION_LABELS = {
    "sex": _("Sex"),
    "age_group": _("Age group"),
    "village": _("Village"),
    "vulnerable": _("Vulnerable group"),
    "users": _("Use of the service"),
}
FLAG_LABELS = {
    "small_base": _("fewer than 30 respondents"),
    "wide_interval": _("interval wider than ±10 points"),
    "suppressed": _("fewer respondents than the open-data threshold: not shown"),
}

Labels = dict[str, str]


def pick(labels: Labels) -> str:
    """A label in the active language, else in ru, ky, en (the project's fallback order)."""
    language = (get_language() or "ru")[:2]
    for code in (language, "ru", "ky", "en"):
        value = labels.get(code)
        if value:
            return value
    return ""


class DimensionMissing(ValueError):
    """A breakdown asked for a dimension the round's form does not have."""

    def __init__(self, dimension: str) -> None:
        super().__init__(dimension)
        self.dimension = dimension


# --- The form as analysis sees it ------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    name: str
    kind: str  # "rating", "choice" or "multi"
    role: str  # "uses" (the service's uses question) or "service"
    labels: Labels
    category_labels: dict[str, Labels]
    points: dict[str, int]  # scale point of each on-scale choice (ratings)

    def on_scale(self, name: str) -> bool:
        if self.kind == "rating":
            return name in self.points
        if self.kind == "multi":
            return True
        return name not in OFF_SCALE_NAMES


@dataclass(frozen=True)
class SectionSpec:
    slug: str
    labels: Labels
    uses: str | None
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class DimensionSpec:
    key: str
    question: str | None  # None for "users" (each section's own uses question)
    multi: bool
    labels: dict[str, Labels]  # group name -> labels


@dataclass(frozen=True)
class FormSpec:
    sections: tuple[SectionSpec, ...]
    dimensions: dict[str, DimensionSpec]

    def has(self, dimension: str) -> bool:
        if dimension == "users":
            return True
        return dimension in self.dimensions


def _labels(text: Any) -> Labels:
    return {code: getattr(text, code) for code in ("ky", "ru", "en") if getattr(text, code, "")}


def _question_spec(definition: Definition, question: Question, role: str) -> QuestionSpec | None:
    if question.type == QuestionType.RATING:
        kind = "rating"
    elif question.type == QuestionType.SELECT_MULTIPLE:
        kind = "multi"
    elif question.type in (QuestionType.SELECT_ONE, QuestionType.YES_NO, QuestionType.VILLAGE):
        kind = "choice"
    else:
        return None
    choice_list = definition.list_by_name(question.list_name)
    choices = choice_list.choices if choice_list else []
    points = {c.name: c.scale_value for c in choices if c.scale_value is not None}
    return QuestionSpec(
        name=question.name,
        kind=kind,
        role=role,
        labels=_labels(question.label),
        category_labels={c.name: _labels(c.label) for c in choices},
        points=points if kind == "rating" else {},
    )


def _find(questions: list[Question], name: str, list_name: str) -> Question | None:
    return next(
        (q for q in questions if q.name == name),
        next((q for q in questions if q.list_name == list_name), None),
    )


def form_spec(
    definition: Definition, service_names: dict[str, tuple[str, Labels]] | None = None
) -> FormSpec:
    """Sections (one per service group of the form) and breakdown dimensions.

    A section is a top-level group other than the respondent profile; its `<name>_uses`
    question, wherever it sits, says who uses the service. `service_names` maps a group
    name (a service's prefix) to (slug, labels) for the standard services.
    """
    questions = definition.questions()
    by_name = {q.name: q for q in questions}
    dimensions: dict[str, DimensionSpec] = {}
    found = {
        "sex": _find(questions, "sex", "sex"),
        "age_group": _find(questions, "age_group", "age_group"),
        "village": next((q for q in questions if q.type == QuestionType.VILLAGE), None),
        "vulnerable": _find(questions, "vulnerable", "vulnerable"),
    }
    for key, question in found.items():
        if question is None:
            continue
        choice_list = definition.list_by_name(question.list_name)
        dimensions[key] = DimensionSpec(
            key=key,
            question=question.name,
            multi=question.type == QuestionType.SELECT_MULTIPLE,
            labels={c.name: _labels(c.label) for c in (choice_list.choices if choice_list else [])},
        )
    services = service_names or {}
    sections: list[SectionSpec] = []
    for item in definition.items:
        if not isinstance(item, Group) or item.name == PROFILE_GROUP or item.repeat:
            continue
        uses = by_name.get(f"{item.name}_uses")
        specs = []
        if uses is not None:
            spec = _question_spec(definition, uses, "uses")
            if spec is not None:
                specs.append(spec)
        inside = [
            q for q in Definition(items=[item]).questions() if uses is None or q.name != uses.name
        ]
        for question in inside:
            spec = _question_spec(definition, question, "service")
            if spec is not None:
                specs.append(spec)
        if not any(s.role == "service" for s in specs):
            continue
        slug, labels = services.get(item.name, (item.name, _labels(item.label)))
        sections.append(
            SectionSpec(
                slug=slug,
                labels=labels or _labels(item.label),
                uses=uses.name if uses is not None and specs[0].role == "uses" else None,
                questions=tuple(specs),
            )
        )
    return FormSpec(sections=tuple(sections), dimensions=dimensions)


# --- Results -----------------------------------------------------------------------------


@dataclass
class Estimate:
    """A percentage (or score) with its 95% interval. Values are percents (0–100), score
    points (0–100), net satisfaction in points (−100–100) or the mean on the scale."""

    value: float | None
    low: float | None = None
    high: float | None = None
    method: str = ""
    flags: tuple[str, ...] = ()


@dataclass
class Share:
    name: str
    labels: Labels
    count: int | None  # unweighted respondents who chose it
    estimate: Estimate

    @property
    def label(self) -> str:
        return pick(self.labels) or str(SPECIAL_LABELS.get(self.name, self.name))


@dataclass(frozen=True)
class GroupPart:
    dimension: str
    name: str
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        if self.name in SPECIAL_LABELS:
            return str(SPECIAL_LABELS[self.name])
        return pick(dict(self.labels)) or self.name


@dataclass(frozen=True)
class ResultGroup:
    """A group of respondents: everyone (no parts) or one group of one or two dimensions."""

    parts: tuple[GroupPart, ...] = ()

    @property
    def by(self) -> tuple[str, ...]:
        return tuple(p.dimension for p in self.parts)

    @property
    def key(self) -> dict[str, str]:
        return {p.dimension: p.name for p in self.parts}

    @property
    def label(self) -> str:
        if not self.parts:
            return str(SPECIAL_LABELS[ALL])
        return " · ".join(p.label for p in self.parts)


@dataclass
class Line:
    """One estimate of a cell, flat (the API and open data use these)."""

    indicator: str  # share, off_scale, satisfied, dissatisfied, net, score, mean
    category: str
    labels: Labels
    count: int | None
    base: int | None
    estimate: Estimate

    @property
    def label(self) -> str:
        return pick(self.labels) or self.category


@dataclass
class Cell:
    """One question among one group of respondents."""

    group: ResultGroup
    base: int | None  # unweighted respondents in the base
    answered: int | None  # the base plus don't know / refused
    weighted_base: float | None
    effective_n: float | None
    distribution: list[Share] = field(default_factory=list)
    off_scale: list[Share] = field(default_factory=list)
    mean: Estimate | None = None
    score: Estimate | None = None
    score_se: float | None = None
    satisfied: Estimate | None = None
    dissatisfied: Estimate | None = None
    net: Estimate | None = None
    flags: tuple[str, ...] = ()
    suppressed: bool = False

    def lines(self) -> list[Line]:
        out: list[Line] = []
        for index in ("mean", "score", "satisfied", "dissatisfied", "net"):
            estimate = getattr(self, index)
            if estimate is not None:
                out.append(Line(index, "", {}, None, self.base, estimate))
        for share in self.distribution:
            out.append(
                Line("share", share.name, share.labels, share.count, self.base, share.estimate)
            )
        for share in self.off_scale:
            out.append(
                Line(
                    "off_scale",
                    share.name,
                    share.labels,
                    share.count,
                    self.answered,
                    share.estimate,
                )
            )
        return out


@dataclass
class QuestionResult:
    name: str
    kind: str
    role: str
    labels: Labels
    total: Cell
    groups: list[Cell] = field(default_factory=list)

    @property
    def label(self) -> str:
        return pick(self.labels) or self.name


@dataclass
class GroupSize:
    group: ResultGroup
    respondents: int | None


@dataclass
class SectionResult:
    slug: str
    labels: Labels
    uses: str | None
    questions: list[QuestionResult]
    sizes: list[GroupSize] = field(default_factory=list)  # everyone first, then each group

    @property
    def label(self) -> str:
        return pick(self.labels) or self.slug


@dataclass
class WeightCell:
    sex: str
    age_group: str
    persons: int
    respondents: int
    weight: float | None


@dataclass
class Weighting:
    method: str = "none"  # "none" or "post-stratification"
    reason: str = "no_structure"  # why none: no_structure, no_questions, no_interviews
    structure_year: int | None = None
    structure_source: str = ""
    trim_factor: float = stats.TRIM_FACTOR
    cap: float | None = None
    trimmed: int = 0
    unmatched: int = 0  # respondents without sex or age group (weight of the average)
    empty_cells: list[str] = field(default_factory=list)
    design_effect: float | None = None
    cells: list[WeightCell] = field(default_factory=list)

    @property
    def note(self) -> str:
        if self.method != "none":
            return str(
                _(
                    "Weighted to the population by sex and age group (%(year)s, %(source)s); "
                    "counts of respondents are unweighted."
                )
                % {"year": self.structure_year, "source": self.structure_source}
            )
        reasons = {
            "no_structure": _("Unweighted: no population structure entered."),
            "no_questions": _("Unweighted: the questionnaire does not ask sex and age group."),
            "no_interviews": _("Unweighted: no interviews yet."),
        }
        return str(reasons.get(self.reason, reasons["no_structure"]))


@dataclass
class Weights:
    """Weights by class: respondent i weighs values[classes[i]]. Arbitrary per-row weights
    with more than MAX_WEIGHT_CLASSES distinct values keep `rows` instead."""

    classes: NDArray[np.int64] | None
    values: NDArray[np.float64] | None
    rows: NDArray[np.float64] | None = None

    @classmethod
    def from_rows(cls, weights: Any) -> Weights:
        w = np.asarray(weights, dtype=float)
        values, classes = np.unique(w, return_inverse=True)
        if len(values) <= MAX_WEIGHT_CLASSES:
            return cls(classes=classes.reshape(-1).astype(np.int64), values=values)
        return cls(classes=None, values=None, rows=w)

    def per_row(self) -> NDArray[np.float64]:
        if self.rows is not None:
            return self.rows
        assert self.values is not None and self.classes is not None
        return self.values[self.classes]


@dataclass
class RoundResults:
    round_id: int
    municipality: str
    status: str
    interviews: int
    breakdowns: tuple[tuple[str, ...], ...]  # () is everyone; then each breakdown asked for
    weighting: Weighting
    sections: list[SectionResult]
    min_cell: int = 0


# --- Dimensions over a frame -------------------------------------------------------------


@dataclass
class _Dim:
    key: str
    codes: NDArray[np.integer[Any]]  # per row, in [0, size)
    size: int
    indicator: NDArray[np.float64]  # (size, groups): which groups each code belongs to
    parts: list[GroupPart]
    multi: bool = False  # one code may belong to several groups (else indicator = identity)


def _parts(dimension: str, names: Sequence[str], labels: dict[str, Labels]) -> list[GroupPart]:
    return [
        GroupPart(dimension, name, tuple(sorted(labels.get(name, {}).items()))) for name in names
    ]


def _dimension(frame: Frame, spec: DimensionSpec) -> _Dim:
    assert spec.question is not None
    column = frame.columns[spec.question]
    names = [*column.categories, NOT_STATED]
    k = len(column.categories)
    indicator = np.zeros((column.patterns, k + 1))
    indicator[:, :k] = column.members
    indicator[:, k] = ~column.members.any(axis=1)  # no answer, or nothing ticked
    return _Dim(
        spec.key,
        column.codes,
        column.patterns,
        indicator,
        _parts(spec.key, names, spec.labels),
        multi=column.multi,
    )


def _users_codes(frame: Frame, uses: str | None) -> NDArray[np.int64]:
    """0 users, 1 non-users, 2 not stated (everyone when the section has no uses question)."""
    if uses is None or uses not in frame.columns:
        return np.full(frame.n, 2, dtype=np.int64)
    column = frame.columns[uses]
    table = np.full(column.patterns, 2, dtype=np.int64)
    for i, name in enumerate(column.categories):
        if name == "yes":
            table[i] = 0
        elif name == "no":
            table[i] = 1
    return table[column.codes]


USERS_PARTS = [
    GroupPart("users", USERS),
    GroupPart("users", NON_USERS),
    GroupPart("users", NOT_STATED),
]


# --- Passes: combinations of weight class and dimensions ---------------------------------


@dataclass
class _Pass:
    """Rows reduced to combinations of weight class and some dimensions.

    When every combination of the space is counted (`full`), a breakdown is a sum over
    the axes of the other dimensions of the counts reshaped to the space; otherwise (few
    rows in a large space: only the combinations present are counted) it is a product
    with a 0/1 indicator matrix of combinations × groups.
    """

    dims: list[_Dim]
    combo: NDArray[np.int64]  # per row: its combination
    size: int  # number of combinations
    full: bool
    radix: list[int]  # weight classes, then each dimension's codes
    weight: NDArray[np.float64]  # per combination (1 without weights or on the general path)
    codes: dict[str, NDArray[np.int64]]  # per dimension: each combination's code
    parts: dict[tuple[str, ...], list[tuple[GroupPart, ...]]] = field(default_factory=dict)
    matrix: NDArray[np.float64] = field(default_factory=lambda: np.ones((0, 0)))
    slices: dict[tuple[str, ...], slice] = field(default_factory=dict)

    def reduce(self, counts: NDArray[np.float64], others: tuple[str, ...]) -> NDArray[np.float64]:
        """(combinations, users, P) counts -> (groups of `others`, users, P)."""
        patterns = counts.shape[-1]
        if not self.full:
            window = self.slices[others]
            flat = counts.reshape(self.size, -1)
            return (self.matrix[:, window].T @ flat).reshape(-1, 3, patterns)
        keys = [d.key for d in self.dims]
        shaped = counts.reshape(*self.radix, 3, patterns)
        drop = (0, *(1 + i for i, k in enumerate(keys) if k not in others))
        summed = shaped.sum(axis=drop)
        kept = [k for k in keys if k in others]
        if kept != list(others):
            order = [kept.index(k) for k in others]
            summed = summed.transpose(*order, len(order), len(order) + 1)
        for axis, key in enumerate(others):
            dim = next(d for d in self.dims if d.key == key)
            if dim.multi:
                moved = np.tensordot(summed, dim.indicator, axes=([axis], [0]))
                summed = np.moveaxis(moved, -1, axis)
        return summed.reshape(-1, 3, patterns)


def _pass(
    dims: list[_Dim],
    w_codes: NDArray[np.int64],
    w_values: NDArray[np.float64],
    n: int,
    served: list[tuple[str, ...]],
) -> _Pass:
    radix = [len(w_values), *(d.size for d in dims)]
    space = int(np.prod(radix))
    code = w_codes.astype(np.int64, copy=True)
    for d in dims:
        code *= d.size
        code += d.codes
    full = space <= min(FULL_SPACE_LIMIT, max(n, 1))
    if full:
        combos = np.arange(space, dtype=np.int64)
        combo = code
    else:  # only the combinations present (at most one per row)
        combos, inverse = np.unique(code, return_inverse=True)
        combo = inverse.reshape(-1).astype(np.int64)
    decoded: list[NDArray[np.int64]] = []
    rest = combos.copy()
    for size in reversed(radix):
        decoded.append(rest % size)
        rest //= size
    decoded.reverse()
    p = _Pass(
        dims=dims,
        combo=combo,
        size=len(combos),
        full=full,
        radix=radix,
        weight=w_values[decoded[0]],
        codes=dict(zip([d.key for d in dims], decoded[1:], strict=True)),
    )
    matrices = []
    start = 0
    for b in served:
        others = tuple(d for d in b if d != "users")
        if others in p.parts:
            continue
        parts: list[tuple[GroupPart, ...]] = [()]
        matrix = np.ones((p.size, 1))
        for key in others:
            dim = next(d for d in dims if d.key == key)
            parts = [(*x, y) for x in parts for y in dim.parts]
            if not full:
                one = dim.indicator[p.codes[key]]
                matrix = (matrix[:, :, None] * one[:, None, :]).reshape(p.size, -1)
        p.parts[others] = parts
        if not full:
            matrices.append(matrix)
            p.slices[others] = slice(start, start + matrix.shape[1])
            start += matrix.shape[1]
    if matrices:
        p.matrix = np.hstack(matrices)
    return p


def _plan(
    breakdowns: Sequence[tuple[str, ...]], dims: dict[str, _Dim], w_size: int
) -> list[tuple[list[str], list[tuple[str, ...]]]]:
    """Group breakdowns into passes whose combination space stays small."""
    passes: list[tuple[list[str], list[tuple[str, ...]]]] = []
    for b in breakdowns:
        need = [d for d in b if d != "users"]
        for keys, served in passes:
            if set(need) <= set(keys):
                served.append(b)
                break
        else:
            for keys, served in passes:
                merged = keys + [d for d in need if d not in keys]
                space = w_size * int(np.prod([dims[d].size for d in merged]))
                if space <= FULL_SPACE_LIMIT:
                    keys[:] = merged
                    served.append(b)
                    break
            else:
                passes.append((list(need), [b]))
    return passes


# --- The statistics of one question over stacked groups ----------------------------------


def _none(values: NDArray[np.float64], scale: float = 1.0) -> list[float | None]:
    return [v * scale if isfinite(v) else None for v in values.tolist()]


def _flags(
    base: NDArray[np.int64], low: NDArray[np.float64], high: NDArray[np.float64]
) -> list[tuple[str, ...]]:
    small = (base < stats.MIN_BASE).tolist()
    with np.errstate(invalid="ignore"):
        wide = ((high - low) / 2 > stats.MAX_HALF_WIDTH).tolist()
    return [
        tuple(f for f, on in (("small_base", s), ("wide_interval", w)) if on)
        for s, w in zip(small, wide, strict=True)
    ]


def _estimates(
    value: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    base: NDArray[np.int64],
    method: str,
    scale: float = 100.0,
    width_scale: float = 1.0,
) -> list[Estimate]:
    flags = _flags(base, low * width_scale, high * width_scale)
    return [
        Estimate(
            v, lo, hi, method, f if v is not None else tuple(x for x in f if x == "small_base")
        )
        for v, lo, hi, f in zip(
            _none(value, scale), _none(low, scale), _none(high, scale), flags, strict=True
        )
    ]


def _question_cells(
    spec: QuestionSpec,
    column: Column,
    groups: list[ResultGroup],
    n: NDArray[np.float64],
    sw: NDArray[np.float64],
    sw2: NDArray[np.float64],
    weighted: bool,
) -> list[Cell]:
    """Cells of one question for stacked groups: n, sw, sw2 are (groups × patterns)."""
    answered_patterns = slice(0, column.missing)
    if column.multi:
        members = column.members[answered_patterns].astype(float)
        n_cat = np.rint(n[:, answered_patterns] @ members)
        w_cat = sw[:, answered_patterns] @ members
        w2_cat = sw2[:, answered_patterns] @ members
    else:
        n_cat, w_cat, w2_cat = (
            n[:, answered_patterns],
            sw[:, answered_patterns],
            sw2[:, answered_patterns],
        )
    categories = column.categories
    on = np.array([spec.on_scale(c) for c in categories], dtype=bool)
    off = ~on
    answered_n = np.rint(n[:, answered_patterns].sum(axis=1)).astype(np.int64)
    answered_w = sw[:, answered_patterns].sum(axis=1)
    answered_w2 = sw2[:, answered_patterns].sum(axis=1)
    if column.multi:
        base_n, base_w, base_w2 = answered_n, answered_w, answered_w2
    else:
        base_n = np.rint(n_cat[:, on].sum(axis=1)).astype(np.int64)
        base_w = w_cat[:, on].sum(axis=1)
        base_w2 = w2_cat[:, on].sum(axis=1)
    neff = stats.neff_from_sums(base_w, base_w2)
    neff_answered = stats.neff_from_sums(answered_w, answered_w2)
    method = "wilson-kish" if weighted else "wilson"
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = w_cat[:, on] / base_w[:, None]
        off_shares = w_cat[:, off] / answered_w[:, None]
    low, high = stats.wilson(shares, neff[:, None])
    off_low, off_high = stats.wilson(off_shares, neff_answered[:, None])
    on_names = [c for c, keep in zip(categories, on, strict=True) if keep]
    off_names = [c for c, keep in zip(categories, off, strict=True) if keep]
    on_counts = np.rint(n_cat[:, on]).astype(np.int64).tolist()
    off_counts = np.rint(n_cat[:, off]).astype(np.int64).tolist()
    distribution = [
        _estimates(shares[:, j], low[:, j], high[:, j], base_n, method)
        for j in range(len(on_names))
    ]
    off_scale = [
        _estimates(off_shares[:, j], off_low[:, j], off_high[:, j], answered_n, method)
        for j in range(len(off_names))
    ]
    rating: dict[str, list[Estimate]] = {}
    score_se: list[float | None] = [None] * len(groups)
    if spec.kind == "rating" and on_names:
        x = np.array([spec.points.get(c, 0) for c in on_names], dtype=float)
        order = np.argsort(x, kind="stable")
        x_min, x_max = float(x.min()), float(x.max())
        span = (x_max - x_min) or 1.0
        mean = (shares * x).sum(axis=1)
        variance = (shares * (x - mean[:, None]) ** 2).sum(axis=1)
        mean_low, mean_high = stats.normal_interval(mean, variance, neff)
        rating["mean"] = [
            Estimate(
                v,
                lo,
                hi,
                "normal-kish" if weighted else "normal",
                ("small_base",) if b < stats.MIN_BASE else (),
            )
            for v, lo, hi, b in zip(
                _none(mean),
                _none(np.clip(mean_low, x_min, x_max)),
                _none(np.clip(mean_high, x_min, x_max)),
                base_n.tolist(),
                strict=True,
            )
        ]
        score = (mean - x_min) / span
        s_low = np.clip((mean_low - x_min) / span, 0, 1)
        s_high = np.clip((mean_high - x_min) / span, 0, 1)
        rating["score"] = _estimates(
            score, s_low, s_high, base_n, "normal-kish" if weighted else "normal"
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            se = np.where(
                neff > 0, np.sqrt(variance / np.where(neff > 0, neff, 1)) / span * 100, np.nan
            )
        score_se = _none(se)
        top_k = 2 if len(on_names) >= 4 else 1
        top = order[-top_k:]
        bottom = order[:top_k]
        satisfied = shares[:, top].sum(axis=1)
        dissatisfied = shares[:, bottom].sum(axis=1)
        sat_low, sat_high = stats.wilson(satisfied, neff)
        dis_low, dis_high = stats.wilson(dissatisfied, neff)
        rating["satisfied"] = _estimates(satisfied, sat_low, sat_high, base_n, method)
        rating["dissatisfied"] = _estimates(dissatisfied, dis_low, dis_high, base_n, method)
        net = satisfied - dissatisfied
        net_low, net_high = stats.normal_interval(net, satisfied + dissatisfied - net**2, neff)
        rating["net"] = _estimates(
            net,
            np.clip(net_low, -1, 1),
            np.clip(net_high, -1, 1),
            base_n,
            "wald-multinomial-kish" if weighted else "wald-multinomial",
        )
    on_labels = [spec.category_labels.get(c, {}) for c in on_names]
    off_labels = [spec.category_labels.get(c, {}) for c in off_names]
    base_list = base_n.tolist()
    answered_list = answered_n.tolist()
    weighted_list = _none(base_w)
    neff_list = _none(neff)
    cells = []
    for g, group in enumerate(groups):
        cell = Cell(
            group=group,
            base=base_list[g],
            answered=answered_list[g],
            weighted_base=weighted_list[g],
            effective_n=neff_list[g],
            distribution=[
                Share(name, on_labels[j], on_counts[g][j], distribution[j][g])
                for j, name in enumerate(on_names)
            ],
            off_scale=[
                Share(name, off_labels[j], off_counts[g][j], off_scale[j][g])
                for j, name in enumerate(off_names)
            ],
            flags=("small_base",) if base_list[g] < stats.MIN_BASE else (),
        )
        if rating:
            cell.mean = rating["mean"][g]
            cell.score = rating["score"][g]
            cell.score_se = score_se[g]
            cell.satisfied = rating["satisfied"][g]
            cell.dissatisfied = rating["dissatisfied"][g]
            cell.net = rating["net"][g]
        cells.append(cell)
    return cells


# --- The analysis ------------------------------------------------------------------------


def check_breakdown(spec: FormSpec, by: Sequence[str]) -> tuple[str, ...]:
    """A breakdown as a tuple of distinct known dimensions, at most MAX_CROSSED."""
    out = tuple(by)
    if len(out) > MAX_CROSSED or len(set(out)) != len(out):
        raise ValueError(",".join(out))
    for dimension in out:
        if dimension not in DIMENSIONS:
            raise ValueError(dimension)
        if not spec.has(dimension):
            raise DimensionMissing(dimension)
    return out


def analyse(
    frame: Frame,
    spec: FormSpec,
    *,
    weights: Weights | None = None,
    breakdowns: Sequence[tuple[str, ...]] = ((),),
) -> list[SectionResult]:
    """Every section's questions for everyone and for each group of each breakdown.

    `breakdowns` lists tuples of dimensions; () is everyone. The total is always first in
    each question's cells (`total`), then the groups of each breakdown in order.
    """
    wanted = [check_breakdown(spec, b) for b in breakdowns]
    if () not in wanted:
        wanted.insert(0, ())
    dims = {key: _dimension(frame, dspec) for key, dspec in spec.dimensions.items()}
    n = frame.n
    general = weights is not None and weights.rows is not None
    if weights is None or general:
        w_codes = np.zeros(n, dtype=np.int64)
        w_values = np.ones(1)
    else:
        assert weights.classes is not None and weights.values is not None
        w_codes, w_values = weights.classes, weights.values
    weighted = weights is not None
    row_w = weights.per_row() if general and weights is not None else None
    plans = _plan(wanted, dims, len(w_values))
    passes = [
        (_pass([dims[k] for k in keys], w_codes, w_values, n, served), served)
        for keys, served in plans
    ]
    results: list[SectionResult] = []
    for section in spec.sections:
        users = _users_codes(frame, section.uses)
        restricted = section.uses is not None
        present = [q for q in section.questions if q.name in frame.columns]
        arrays: dict[tuple[str, tuple[str, ...]], list[NDArray[np.float64]]] = {}
        group_lists: dict[tuple[str, ...], list[ResultGroup]] = {}
        sizes: dict[tuple[str, ...], list[int]] = {}
        for p, served in passes:
            joint = p.combo * 3
            joint += users
            for q_index, question in enumerate(present):
                column = frame.columns[question.name]
                patterns = column.patterns
                code = joint * patterns
                code += column.codes
                shape = (p.size, 3 * patterns)
                bins = p.size * 3 * patterns
                raw = np.bincount(code, minlength=bins).reshape(shape).astype(float)
                if row_w is not None:
                    raw_w = np.bincount(code, weights=row_w, minlength=bins).reshape(shape)
                    raw_w2 = np.bincount(code, weights=row_w * row_w, minlength=bins).reshape(shape)
                elif weighted:
                    raw_w = raw * p.weight[:, None]
                    raw_w2 = raw_w * p.weight[:, None]
                else:
                    raw_w = raw_w2 = raw
                counts = [
                    arr.reshape(p.size, 3, patterns)
                    for arr in ((raw, raw_w, raw_w2) if weighted else (raw,))
                ]
                restrict = restricted and question.role == "service"
                for b in served:
                    others = tuple(d for d in b if d != "users")
                    reduced = [p.reduce(arr, others) for arr in counts]
                    if not weighted:
                        reduced = reduced * 3
                    shaped = []
                    for arr in reduced:
                        if "users" in b:
                            if restrict:
                                arr = arr.copy()
                                arr[:, 1:, :] = 0
                            if b[0] == "users":  # (others, users, P) -> groups in b's order
                                arr = arr.transpose(1, 0, 2)
                            shaped.append(arr.reshape(-1, patterns))
                        else:
                            shaped.append(arr[:, 0, :] if restrict else arr.sum(axis=1))
                    arrays[(question.name, b)] = shaped
                    if q_index == 0:
                        everyone = reduced[0].sum(axis=2)  # (groups, users)
                        parts = p.parts[others]
                        if "users" in b and b[0] == "users":
                            combos = [(u, *o) for u in USERS_PARTS for o in parts]
                            count = everyone.T.reshape(-1)
                        elif "users" in b:
                            combos = [(*o, u) for o in parts for u in USERS_PARTS]
                            count = everyone.reshape(-1)
                        else:
                            combos = list(parts)
                            count = everyone.sum(axis=1)
                        group_lists[b] = [ResultGroup(tuple(c)) for c in combos]
                        sizes[b] = np.rint(count).astype(np.int64).tolist()
        section_questions = []
        groups = [g for b in wanted for g in group_lists.get(b, [])]
        for question in present:
            column = frame.columns[question.name]
            stacked = [np.vstack([arrays[(question.name, b)][i] for b in wanted]) for i in range(3)]
            cells = _question_cells(
                question, column, groups, stacked[0], stacked[1], stacked[2], weighted
            )
            section_questions.append(
                QuestionResult(
                    name=question.name,
                    kind=question.kind,
                    role=question.role,
                    labels=question.labels,
                    total=cells[0],
                    groups=cells[1:],
                )
            )
        size_list = [
            GroupSize(group, count)
            for b in wanted
            for group, count in zip(group_lists.get(b, []), sizes.get(b, []), strict=True)
        ]
        results.append(
            SectionResult(
                slug=section.slug,
                labels=section.labels,
                uses=section.uses,
                questions=section_questions,
                sizes=size_list,
            )
        )
    return results


# --- Weights -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Structure:
    """A population structure as weighting reads it: persons by sex and age group."""

    year: int
    source: str
    cells: dict[str, dict[str, int]]  # sex -> age group -> persons
    sexes: tuple[str, ...]
    age_groups: tuple[str, ...]


def weighting(
    frame: Frame, spec: FormSpec, structure: Structure | None
) -> tuple[Weights | None, Weighting]:
    """Post-stratification weights to `structure`, or none (and why)."""
    sex = spec.dimensions.get("sex")
    age = spec.dimensions.get("age_group")
    if structure is None:
        return None, Weighting(reason="no_structure")
    info = Weighting(reason="", structure_year=structure.year, structure_source=structure.source)
    if sex is None or age is None or sex.question is None or age.question is None:
        return None, replace(info, reason="no_questions")
    if frame.n == 0:
        return None, replace(info, reason="no_interviews")
    sex_col = frame.columns[sex.question]
    age_col = frame.columns[age.question]
    n_age = len(structure.age_groups)
    sex_at = {name: i for i, name in enumerate(structure.sexes)}
    age_at = {name: i for i, name in enumerate(structure.age_groups)}
    sex_map = np.array([sex_at.get(c, -1) for c in sex_col.categories] + [-1], dtype=np.int64)
    age_map = np.array([age_at.get(c, -1) for c in age_col.categories] + [-1], dtype=np.int64)
    s = sex_map[sex_col.codes]
    a = age_map[age_col.codes]
    cells = np.where((s >= 0) & (a >= 0), s * n_age + a, -1)
    population = np.array(
        [
            structure.cells.get(x, {}).get(y, 0)
            for x in structure.sexes
            for y in structure.age_groups
        ],
        dtype=float,
    )
    result = stats.post_stratify(cells, population)
    weights = Weights(classes=result.classes, values=result.class_weights)
    n_cells = len(population)
    info.method = "post-stratification"
    info.cap = result.cap
    info.trimmed = result.trimmed
    info.unmatched = int(result.respondents[n_cells])
    info.empty_cells = [
        f"{structure.sexes[c // n_age]} {structure.age_groups[c % n_age]}"
        for c in result.empty_cells
    ]
    info.design_effect = frame.n / stats.kish_neff(weights.per_row())
    info.cells = [
        WeightCell(
            sex=structure.sexes[c // n_age],
            age_group=structure.age_groups[c % n_age],
            persons=int(population[c]),
            respondents=int(result.respondents[c]),
            weight=float(result.class_weights[c]) if result.respondents[c] else None,
        )
        for c in range(n_cells)
    ]
    return weights, info


# --- Suppression for open data -----------------------------------------------------------


def _blank(estimate: Estimate | None) -> Estimate | None:
    if estimate is None:
        return None
    return Estimate(None, None, None, estimate.method, ("suppressed",))


def _suppress_cell(cell: Cell, min_cell: int) -> Cell:
    if cell.base is not None and cell.base >= min_cell:
        return cell
    return Cell(
        group=cell.group,
        base=None,
        answered=None,
        weighted_base=None,
        effective_n=None,
        distribution=[Share(s.name, s.labels, None, _blank(s.estimate)) for s in cell.distribution],  # type: ignore[arg-type]
        off_scale=[Share(s.name, s.labels, None, _blank(s.estimate)) for s in cell.off_scale],  # type: ignore[arg-type]
        mean=_blank(cell.mean),
        score=_blank(cell.score),
        satisfied=_blank(cell.satisfied),
        dissatisfied=_blank(cell.dissatisfied),
        net=_blank(cell.net),
        flags=("suppressed",),
        suppressed=True,
    )


def suppress(results: RoundResults, min_cell: int) -> RoundResults:
    """A copy where every cell (a question among a group) with fewer than `min_cell`
    respondents in its base shows no figures, and group sizes under it are hidden too."""
    if min_cell <= 0:
        return results
    sections = []
    for section in results.sections:
        questions = [
            replace(
                q,
                total=_suppress_cell(q.total, min_cell),
                groups=[_suppress_cell(c, min_cell) for c in q.groups],
            )
            for q in section.questions
        ]
        sizes = [
            GroupSize(s.group, s.respondents if (s.respondents or 0) >= min_cell else None)
            for s in section.sizes
        ]
        sections.append(replace(section, questions=questions, sizes=sizes))
    return replace(results, sections=sections, min_cell=min_cell)


# --- Change between two rounds -----------------------------------------------------------


@dataclass
class Change:
    indicator: str  # satisfied, dissatisfied, score, share
    category: str
    labels: Labels
    before: float | None
    after: float | None
    difference: float | None
    low: float | None
    high: float | None
    significant: bool | None
    base_before: int | None
    base_after: int | None
    method: str
    flags: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return pick(self.labels) or self.category


@dataclass
class QuestionChange:
    name: str
    labels: Labels
    changes: list[Change]

    @property
    def label(self) -> str:
        return pick(self.labels) or self.name


@dataclass
class SectionChange:
    slug: str
    labels: Labels
    questions: list[QuestionChange]

    @property
    def label(self) -> str:
        return pick(self.labels) or self.slug


def _share_change(
    indicator: str,
    category: str,
    labels: Labels,
    before: Estimate | None,
    after: Estimate | None,
    old: Cell,
    new: Cell,
) -> Change | None:
    if before is None or after is None:
        return None
    b = None if before.value is None else before.value / 100
    a = None if after.value is None else after.value / 100
    diff = low = high = None
    if a is not None and b is not None and old.effective_n and new.effective_n:
        d, lo, hi = stats.newcombe(a, new.effective_n, b, old.effective_n)
        diff, low, high = float(d[0]) * 100, float(lo[0]) * 100, float(hi[0]) * 100
    small = (old.base or 0) < stats.MIN_BASE or (new.base or 0) < stats.MIN_BASE
    return Change(
        indicator=indicator,
        category=category,
        labels=labels,
        before=before.value,
        after=after.value,
        difference=diff,
        low=low,
        high=high,
        significant=None if low is None or high is None else bool(low > 0 or high < 0),
        base_before=old.base,
        base_after=new.base,
        method="newcombe-kish"
        if before.method.endswith("kish") or after.method.endswith("kish")
        else "newcombe",
        flags=("small_base",) if small else (),
    )


def _score_change(old: Cell, new: Cell) -> Change | None:
    if old.score is None or new.score is None:
        return None
    b, a = old.score.value, new.score.value
    diff = low = high = None
    if a is not None and b is not None and old.score_se is not None and new.score_se is not None:
        diff = a - b
        half = stats.Z95 * float(np.hypot(old.score_se, new.score_se))
        low, high = diff - half, diff + half
    small = (old.base or 0) < stats.MIN_BASE or (new.base or 0) < stats.MIN_BASE
    return Change(
        indicator="score",
        category="",
        labels={},
        before=b,
        after=a,
        difference=diff,
        low=low,
        high=high,
        significant=None if low is None or high is None else bool(low > 0 or high < 0),
        base_before=old.base,
        base_after=new.base,
        method="normal",
        flags=("small_base",) if small else (),
    )


def change(before: list[SectionResult], after: list[SectionResult]) -> list[SectionChange]:
    """What changed from `before` to `after` (totals), per service and question present in
    both: shares satisfied and dissatisfied (Newcombe) and the score for ratings, every
    choice's share (Newcombe) for the other questions."""
    old_sections = {s.slug: s for s in before}
    out: list[SectionChange] = []
    for section in after:
        old_section = old_sections.get(section.slug)
        if old_section is None:
            continue
        old_questions = {q.name: q for q in old_section.questions}
        questions = []
        for question in section.questions:
            old_q = old_questions.get(question.name)
            if old_q is None or old_q.kind != question.kind:
                continue
            old, new = old_q.total, question.total
            changes: list[Change | None] = []
            if question.kind == "rating":
                changes.append(
                    _share_change("satisfied", "", {}, old.satisfied, new.satisfied, old, new)
                )
                changes.append(
                    _share_change(
                        "dissatisfied", "", {}, old.dissatisfied, new.dissatisfied, old, new
                    )
                )
                changes.append(_score_change(old, new))
            old_shares = {s.name: s for s in old.distribution}
            for share in new.distribution:
                previous = old_shares.get(share.name)
                if previous is not None:
                    changes.append(
                        _share_change(
                            "share",
                            share.name,
                            share.labels,
                            previous.estimate,
                            share.estimate,
                            old,
                            new,
                        )
                    )
            kept = [c for c in changes if c is not None]
            if kept:
                questions.append(QuestionChange(question.name, question.labels, kept))
        if questions:
            out.append(SectionChange(section.slug, section.labels, questions))
    return out


def suppress_changes(sections: list[SectionChange], min_cell: int) -> list[SectionChange]:
    """Changes where either round has fewer than `min_cell` respondents show no figures."""
    if min_cell <= 0:
        return sections

    def blank(c: Change) -> Change:
        if (c.base_before or 0) >= min_cell and (c.base_after or 0) >= min_cell:
            return c
        return replace(
            c,
            before=None,
            after=None,
            difference=None,
            low=None,
            high=None,
            significant=None,
            base_before=None,
            base_after=None,
            flags=("suppressed",),
        )

    return [
        replace(
            s, questions=[replace(q, changes=[blank(c) for c in q.changes]) for q in s.questions]
        )
        for s in sections
    ]
