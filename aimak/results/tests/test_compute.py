"""The engine on made-up data: by hand, against a row-by-row count, and its properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimak.results import stats
from aimak.results.compute import (
    NOT_STATED,
    DimensionMissing,
    Weights,
    analyse,
    change,
    check_breakdown,
)
from aimak.results.frame import Frame, single_column

from . import synthetic

SINGLE = [("sex",), ("age_group",), ("village",), ("users",)]
ALL_SINGLE = [*SINGLE, ("vulnerable",)]


def question(sections, name):
    return next(q for s in sections for q in s.questions if q.name == name)


def share(cell, name):
    return next(s for s in cell.distribution if s.name == name)


def hand_frame():
    """12 users rate the service: 1, 2, 3, 3, 4, 4, 4, 5, 5, 5 and two don't know."""
    ratings = ["1", "2", "3", "3", "4", "4", "4", "5", "5", "5", "dk", "dk"]
    n = len(ratings)
    spec = synthetic.spec()
    codes = [synthetic.SCALE.index(r) for r in ratings]
    columns = [
        single_column("sex", synthetic.SEXES, [0] * 6 + [1] * 4 + [-1] * 2),
        single_column("water_uses", ["yes", "no"], [0] * n),
        single_column("water_satisfaction", synthetic.SCALE, codes),
    ]
    return Frame(n=n, columns={c.name: c for c in columns}), spec


def test_indices_by_hand():
    frame, spec = hand_frame()
    (
        spec.dimensions.pop("age_group"),
        spec.dimensions.pop("village"),
        spec.dimensions.pop("vulnerable"),
    )
    cell = question(analyse(frame, spec), "water_satisfaction").total
    assert cell.base == 10 and cell.answered == 12
    # Satisfied: the top two points (4 and 5), 6 of 10; dissatisfied: 1 and 2, 2 of 10.
    assert cell.satisfied.value == pytest.approx(60)
    assert (round(cell.satisfied.low, 2), round(cell.satisfied.high, 2)) == (31.27, 83.18)
    assert cell.dissatisfied.value == pytest.approx(20)
    assert cell.net.value == pytest.approx(40)
    # Mean (1+2+3+3+4+4+4+5+5+5)/10 = 3.6; score (3.6 − 1)/(5 − 1) × 100 = 65.
    assert cell.mean.value == pytest.approx(3.6)
    assert cell.score.value == pytest.approx(65)
    variance = sum((x - 3.6) ** 2 for x in [1, 2, 3, 3, 4, 4, 4, 5, 5, 5]) / 10
    half = stats.Z95 * (variance / 10) ** 0.5 / 4 * 100
    assert (cell.score.low, cell.score.high) == pytest.approx((65 - half, 65 + half))
    # Net: Wald interval for a difference of two shares of one multinomial.
    net_half = stats.Z95 * ((0.6 + 0.2 - 0.4**2) / 10) ** 0.5 * 100
    assert (cell.net.low, cell.net.high) == pytest.approx((40 - net_half, 40 + net_half))
    # The distribution, each point with its Wilson interval, counts unweighted.
    assert [(s.name, s.count) for s in cell.distribution] == [
        ("1", 1),
        ("2", 1),
        ("3", 2),
        ("4", 3),
        ("5", 3),
    ]
    three = share(cell, "3")
    assert three.estimate.value == pytest.approx(20)
    assert (three.estimate.low, three.estimate.high) == pytest.approx(
        tuple(100 * b for b in stats.wilson(0.2, 10))
    )
    # Don't know: left out of the base, reported as a share of the 12 who answered.
    assert [(s.name, s.count) for s in cell.off_scale] == [("dk", 2)]
    assert cell.off_scale[0].estimate.value == pytest.approx(100 * 2 / 12)
    assert cell.flags == ("small_base",)
    assert "wide_interval" in cell.satisfied.flags and "small_base" in cell.satisfied.flags
    assert cell.satisfied.method == "wilson"


def test_men_women_and_not_stated_always_appear():
    frame, spec = hand_frame()
    for key in ("age_group", "village", "vulnerable"):
        spec.dimensions.pop(key)
    cells = question(analyse(frame, spec, breakdowns=[("sex",)]), "water_satisfaction").groups
    assert [c.group.key["sex"] for c in cells] == ["female", "male", NOT_STATED]
    assert [c.answered for c in cells] == [6, 4, 2]
    assert cells[2].group.label == "Not stated"


def test_a_group_with_nobody_is_shown_empty_not_dropped():
    frame = synthetic.frame(1, 200)
    frame.columns["village"] = single_column("village", synthetic.VILLAGES, [0] * 200)
    sections = analyse(frame, synthetic.spec(), breakdowns=[("village",)])
    cells = question(sections, "water_satisfaction").groups
    assert [c.group.key["village"] for c in cells] == ["v1", "v2", "v3", NOT_STATED]
    assert cells[1].base == 0 and cells[1].satisfied.value is None
    assert cells[1].satisfied.low is None


def test_service_questions_count_only_users():
    frame = synthetic.frame(2, 300)
    # An answer from a non-user (an import that skipped the skip logic) is not counted.
    codes = frame.columns["water_satisfaction"].codes.copy()
    uses = frame.columns["water_uses"].codes
    codes[np.flatnonzero(uses == 1)[:5]] = 0
    frame.columns["water_satisfaction"] = single_column(
        "water_satisfaction", synthetic.SCALE, np.where(codes == 6, -1, codes)
    )
    sections = analyse(frame, synthetic.spec(), breakdowns=[("users",)])
    q = question(sections, "water_satisfaction")
    users = int((uses == 0).sum())
    assert q.total.answered == users
    by_use = {c.group.key["users"]: c.answered for c in q.groups}
    assert by_use == {"users": users, "non_users": 0, NOT_STATED: 0}
    uses_q = question(sections, "water_uses")
    assert uses_q.total.base == int((uses < 2).sum())


def naive(frame, spec, name, dims, weights=None):
    """Row by row: {group key: (unweighted counts, weighted counts) per category}."""
    q = next(q for q in spec.sections[0].questions if q.name == name)
    column = frame.columns[name]
    w = np.ones(frame.n) if weights is None else weights
    uses = frame.columns["water_uses"].codes
    out = {}
    for i in range(frame.n):
        if q.role == "service" and uses[i] != 0:
            continue
        keys = [()]
        for d in dims:
            if d == "users":
                names = [["users", "non_users", NOT_STATED][min(int(uses[i]), 2)]]
            else:
                col = frame.columns[spec.dimensions[d].question]
                chosen = [col.categories[k] for k in np.flatnonzero(col.members[col.codes[i]])]
                names = chosen or [NOT_STATED]
            keys = [(*k, x) for k in keys for x in names]
        chosen = np.flatnonzero(column.members[column.codes[i]])
        for key in keys:
            counts, sums = out.setdefault(
                key, (np.zeros(len(column.categories)), np.zeros(len(column.categories)))
            )
            counts[chosen] += 1
            sums[chosen] += w[i]
    return out


@pytest.mark.parametrize(
    "by", [(), ("sex",), ("vulnerable",), ("users", "age_group"), ("village", "vulnerable")]
)
@pytest.mark.parametrize("name", ["water_satisfaction", "water_informal", "water_problems"])
def test_counts_and_weighted_shares_match_a_row_by_row_count(by, name):
    frame = synthetic.frame(3, 400)
    spec = synthetic.spec()
    rng = np.random.default_rng(4)
    w = rng.uniform(0.3, 3.0, frame.n)  # arbitrary weights: the general path
    sections = analyse(frame, spec, weights=Weights.from_rows(w), breakdowns=[by])
    q = question(sections, name)
    reference = naive(frame, spec, name, by, w)
    cells = [q.total] if not by else q.groups
    for cell in cells:
        key = tuple(cell.group.key[d] for d in by)
        counts, sums = reference.get(key, (None, None))
        column = frame.columns[name]
        spec_q = next(x for x in spec.sections[0].questions if x.name == name)
        for s in cell.distribution:
            j = column.categories.index(s.name)
            expected = 0 if counts is None else counts[j]
            assert s.count == expected, (key, s.name)
            if counts is not None and s.estimate.value is not None:
                on = [i for i, c in enumerate(column.categories) if spec_q.on_scale(c)]
                if spec_q.kind == "multi":
                    base_w = None  # the base is everyone who answered: compare counts only
                else:
                    base_w = sums[on].sum()
                    assert s.estimate.value == pytest.approx(100 * sums[j] / base_w)


def test_class_weights_and_row_weights_agree():
    frame = synthetic.frame(5, 500)
    spec = synthetic.spec()
    classes = np.random.default_rng(1).integers(0, 6, frame.n)
    values = np.array([0.5, 0.8, 1.0, 1.3, 2.0, 3.1])
    by_class = Weights(classes=classes, values=values)
    by_row = Weights(classes=None, values=None, rows=values[classes])
    a = analyse(frame, spec, weights=by_class, breakdowns=ALL_SINGLE)
    b = analyse(frame, spec, weights=by_row, breakdowns=ALL_SINGLE)
    for qa, qb in zip(a[0].questions, b[0].questions, strict=True):
        for ca, cb in zip([qa.total, *qa.groups], [qb.total, *qb.groups], strict=True):
            assert ca.base == cb.base
            assert ca.effective_n == pytest.approx(cb.effective_n)
            for sa, sb in zip(ca.distribution, cb.distribution, strict=True):
                assert sa.estimate.value == pytest.approx(sb.estimate.value, nan_ok=True)
                assert sa.estimate.low == pytest.approx(sb.estimate.low, nan_ok=True)


def test_unknown_or_absent_dimensions_are_refused():
    spec = synthetic.spec()
    spec.dimensions.pop("vulnerable")
    with pytest.raises(DimensionMissing):
        check_breakdown(spec, ("vulnerable",))
    with pytest.raises(ValueError):
        check_breakdown(spec, ("sex", "sex"))
    with pytest.raises(ValueError):
        check_breakdown(spec, ("sex", "village", "age_group"))
    with pytest.raises(ValueError):
        check_breakdown(spec, ("income",))


def test_change_between_two_rounds_uses_newcombe():
    spec = synthetic.spec()
    before = analyse(synthetic.frame(10, 300), spec)
    after = analyse(synthetic.frame(11, 300), spec)
    sections = change(before, after)
    q = next(q for s in sections for q in s.questions if q.name == "water_satisfaction")
    satisfied = next(c for c in q.changes if c.indicator == "satisfied")
    old = question(before, "water_satisfaction").total
    new = question(after, "water_satisfaction").total
    diff, low, high = stats.newcombe(
        new.satisfied.value / 100, new.effective_n, old.satisfied.value / 100, old.effective_n
    )
    assert satisfied.difference == pytest.approx(100 * diff[0])
    assert (satisfied.low, satisfied.high) == pytest.approx((100 * low[0], 100 * high[0]))
    assert satisfied.significant == (satisfied.low > 0 or satisfied.high < 0)
    assert {c.indicator for c in q.changes} == {"satisfied", "dissatisfied", "score", "share"}


def test_a_big_change_is_significant_and_no_change_is_not():
    spec = synthetic.spec()
    frame = synthetic.frame(12, 800)
    same = change(analyse(frame, spec), analyse(frame, spec))
    for s in same:
        for q in s.questions:
            for c in q.changes:
                assert c.difference == pytest.approx(0, abs=1e-9)
                assert c.significant is False
    worse = synthetic.frame(12, 800)
    codes = worse.columns["water_satisfaction"].codes.copy()
    codes[codes == 4] = 0  # every "very satisfied" becomes "very dissatisfied"
    worse.columns["water_satisfaction"] = single_column(
        "water_satisfaction", synthetic.SCALE, np.where(codes == 6, -1, codes)
    )
    sections = change(analyse(frame, spec), analyse(worse, spec))
    q = next(q for s in sections for q in s.questions if q.name == "water_satisfaction")
    satisfied = next(c for c in q.changes if c.indicator == "satisfied")
    assert satisfied.difference < 0 and satisfied.significant is True


# --- Properties ----------------------------------------------------------------------------

frames = st.builds(
    synthetic.frame,
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=1, max_value=250),
    missing=st.sampled_from([0.0, 0.05, 0.3]),
)


def all_cells(sections):
    for s in sections:
        for q in s.questions:
            yield from [q.total, *q.groups]


@settings(max_examples=30, deadline=None)
@given(frames, st.floats(min_value=0.1, max_value=10))
def test_equal_weights_give_the_unweighted_result(frame, weight):
    spec = synthetic.spec()
    plain = analyse(frame, spec, breakdowns=ALL_SINGLE)
    for weights in (
        Weights.from_rows(np.full(frame.n, weight)),
        Weights(classes=None, values=None, rows=np.full(frame.n, weight)),
    ):
        weighted = analyse(frame, spec, weights=weights, breakdowns=ALL_SINGLE)
        for a, b in zip(all_cells(plain), all_cells(weighted), strict=True):
            assert a.base == b.base
            assert b.effective_n == pytest.approx(a.effective_n)
            for x, y in zip(a.lines(), b.lines(), strict=True):
                assert y.estimate.value == pytest.approx(x.estimate.value, nan_ok=True)
                assert y.estimate.low == pytest.approx(x.estimate.low, nan_ok=True)
                assert y.estimate.high == pytest.approx(x.estimate.high, nan_ok=True)


@settings(max_examples=30, deadline=None)
@given(frames, st.integers(min_value=0, max_value=100))
def test_every_interval_contains_its_estimate_and_lies_in_range(frame, seed):
    w = np.random.default_rng(seed).uniform(0.2, 5, frame.n)
    sections = analyse(
        frame,
        synthetic.spec(),
        weights=Weights.from_rows(w),
        breakdowns=[*ALL_SINGLE, ("sex", "vulnerable")],
    )
    bounds = {"net": (-100, 100), "mean": (1, 5)}
    for cell in all_cells(sections):
        for line in cell.lines():
            e = line.estimate
            if e.value is None:
                assert e.low is None and e.high is None
                continue
            lo, hi = bounds.get(line.indicator, (0, 100))
            assert lo - 1e-9 <= e.low <= e.value + 1e-9
            assert e.value - 1e-9 <= e.high <= hi + 1e-9


@settings(max_examples=30, deadline=None)
@given(frames)
def test_breakdown_bases_add_up_to_the_total(frame):
    sections = analyse(frame, synthetic.spec(), breakdowns=SINGLE)
    for q in sections[0].questions:
        for dims in SINGLE:
            groups = [c for c in q.groups if c.group.by == dims]
            assert sum(c.base for c in groups) == q.total.base, (q.name, dims)
            assert sum(c.answered for c in groups) == q.total.answered
            for name in [s.name for s in q.total.distribution]:
                assert sum(share(c, name).count for c in groups) == share(q.total, name).count
    sizes = sections[0].sizes
    for dims in SINGLE:
        assert sum(s.respondents for s in sizes if s.group.by == dims) == frame.n


@settings(max_examples=30, deadline=None)
@given(
    frames,
    st.sampled_from(
        [("sex", "village"), ("age_group", "users"), ("users", "vulnerable"), ("vulnerable", "sex")]
    ),
)
def test_crossing_two_dimensions_adds_up_to_each_single_one(frame, crossed):
    sections = analyse(frame, synthetic.spec(), breakdowns=[crossed, (crossed[0],), (crossed[1],)])
    for q in sections[0].questions:
        cross = [c for c in q.groups if c.group.by == crossed]
        for dim, other in (crossed, crossed[::-1]):
            if other == "vulnerable":
                continue  # a respondent may be in several vulnerable groups: not a partition
            singles = {c.group.key[dim]: c.base for c in q.groups if c.group.by == (dim,)}
            summed: dict[str, int] = {}
            for c in cross:
                summed[c.group.key[dim]] = summed.get(c.group.key[dim], 0) + c.base
            assert summed == singles, (q.name, crossed, dim)


def test_counting_present_combinations_only_gives_the_same_result(monkeypatch):
    from aimak.results import compute

    frame = synthetic.frame(6, 600)
    spec = synthetic.spec()
    w = Weights.from_rows(np.random.default_rng(2).choice([0.5, 1.0, 2.0], frame.n))
    breakdowns = [*ALL_SINGLE, ("sex", "vulnerable"), ("users", "village")]
    full = analyse(frame, spec, weights=w, breakdowns=breakdowns)
    monkeypatch.setattr(compute, "FULL_SPACE_LIMIT", 0)
    present = analyse(frame, spec, weights=w, breakdowns=breakdowns)
    for a, b in zip(all_cells(full), all_cells(present), strict=True):
        assert a.group == b.group and a.base == b.base and a.answered == b.answered
        for x, y in zip(a.lines(), b.lines(), strict=True):
            assert y.estimate.value == pytest.approx(x.estimate.value, nan_ok=True)
            assert y.estimate.high == pytest.approx(x.estimate.high, nan_ok=True)


def test_reading_answers_keeps_unknown_choices_and_lists():
    from aimak.results.frame import ColumnSpec, frame_from_answers

    specs = [
        ColumnSpec("sex", False, ("female", "male")),
        ColumnSpec("problems", True, ("leaks", "smell", "none")),
    ]
    rows = [
        {"sex": "female", "problems": ["leaks", "smell"]},
        {"sex": "other", "problems": ["none"]},  # a name the list lacks
        {"problems": []},
        {},
    ]
    frame = frame_from_answers(rows, specs)
    sex = frame.columns["sex"]
    assert sex.categories == ["female", "male", "other"]
    assert sex.codes.tolist() == [0, 2, 3, 3]  # 3: no answer
    problems = frame.columns["problems"]
    ticked = [problems.members[c].tolist() for c in problems.codes]
    assert ticked[0] == [True, True, False] and ticked[1] == [False, False, True]
    assert ticked[2] == [False, False, False]  # answered, nothing ticked
    assert problems.codes[3] == problems.missing
