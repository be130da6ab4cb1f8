"""The formulas: by hand, against statsmodels directly, and their properties."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from aimak.results import stats

Z = 1.959963984540054


def wilson_by_hand(x: float, n: float) -> tuple[float, float]:
    """Wilson (1927): (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)."""
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def test_z_is_the_975_quantile():
    assert pytest.approx(Z, abs=1e-12) == stats.Z95


@pytest.mark.parametrize(
    ("x", "n", "expected"),
    [
        (6, 10, (0.3127, 0.8318)),  # 6 of 10 satisfied
        (7, 10, (0.3968, 0.8922)),
        (0, 10, (0.0, 0.2775)),
        (10, 10, (0.7225, 1.0)),
        (1, 2, (0.0945, 0.9055)),
    ],
)
def test_wilson_by_hand(x, n, expected):
    low, high = stats.wilson(x / n, n)
    assert (round(float(low), 4), round(float(high), 4)) == expected
    by_hand = wilson_by_hand(x, n)
    assert float(low) == pytest.approx(by_hand[0], abs=1e-12)
    assert float(high) == pytest.approx(by_hand[1], abs=1e-12)


def test_wilson_matches_statsmodels_on_many_cells():
    rng = np.random.default_rng(7)
    n = rng.integers(1, 500, size=200)
    x = rng.integers(0, n + 1)
    low, high = stats.wilson(x / n, n)
    ref_low, ref_high = proportion_confint(x, n, alpha=0.05, method="wilson")
    np.testing.assert_allclose(low, ref_low, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, atol=1e-12)


def test_wilson_of_an_empty_cell_is_undefined():
    low, high = stats.wilson(np.array([0.5, np.nan]), np.array([0, 0]))
    assert np.isnan(low).all() and np.isnan(high).all()


def test_kish_effective_n():
    assert stats.kish_neff([1, 1, 2, 2]) == pytest.approx(36 / 10)
    assert stats.kish_neff(np.ones(17)) == pytest.approx(17)
    assert stats.kish_neff([]) == 0
    np.testing.assert_allclose(stats.neff_from_sums([6, 0], [10, 0]), [3.6, 0])


def test_weighted_wilson_uses_the_effective_n():
    # 4 respondents, weights 1, 1, 2, 2; the two weighing 2 are satisfied: p = 4/6.
    w = np.array([1.0, 1, 2, 2])
    satisfied = np.array([0, 0, 1, 1])
    p = (w * satisfied).sum() / w.sum()
    n_eff = stats.kish_neff(w)
    low, high = stats.wilson(p, n_eff)
    ref = proportion_confint(p * n_eff, n_eff, method="wilson")
    assert (float(low), float(high)) == pytest.approx(ref)
    assert (float(low), float(high)) == pytest.approx(wilson_by_hand(p * 3.6, 3.6))


def test_newcombe_reproduces_newcombe_1998():
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 − 48/80,
    # method 10 (hybrid score): 0.0524 to 0.3339.
    diff, low, high = stats.newcombe(56 / 70, 70, 48 / 80, 80)
    assert float(diff[0]) == pytest.approx(0.2)
    assert (round(float(low[0]), 4), round(float(high[0]), 4)) == (0.0524, 0.3339)


def test_newcombe_matches_statsmodels():
    rng = np.random.default_rng(3)
    n1 = rng.integers(5, 400, 50)
    n2 = rng.integers(5, 400, 50)
    x1 = rng.integers(0, n1 + 1)
    x2 = rng.integers(0, n2 + 1)
    diff, low, high = stats.newcombe(x1 / n1, n1, x2 / n2, n2)
    ref_low, ref_high = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
    np.testing.assert_allclose(low, ref_low, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, atol=1e-12)
    np.testing.assert_allclose(diff, x1 / n1 - x2 / n2)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=5000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    ),
    st.floats(min_value=0.2, max_value=1.0),
)
def test_every_wilson_interval_contains_its_estimate(count_n, shrink):
    x, n = count_n
    n_eff = n * shrink  # an effective n, smaller than n under weights
    p = x / n
    low, high = stats.wilson(p, n_eff)
    assert 0 <= float(low) <= p <= float(high) <= 1


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=1, max_value=2000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    ),
    st.integers(min_value=1, max_value=2000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    ),
)
def test_every_newcombe_interval_contains_the_difference(a, b):
    diff, low, high = stats.newcombe(a[0] / a[1], a[1], b[0] / b[1], b[1])
    assert -1 <= float(low[0]) <= float(diff[0]) <= float(high[0]) <= 1


# --- Post-stratification ------------------------------------------------------------------


def test_post_stratified_shares_equal_the_population():
    # Cells: men 18-29, men 30+, women 18-29, women 30+. The sample has too many women
    # over 30 (the usual pattern of door-to-door surveys).
    cells = np.array([0] * 10 + [1] * 20 + [2] * 15 + [3] * 55)
    population = np.array([1200, 2600, 1150, 3050])
    result = stats.post_stratify(cells, population)
    w = result.weights
    assert w.sum() == pytest.approx(len(cells))
    weighted = np.bincount(cells, weights=w) / w.sum()
    np.testing.assert_allclose(weighted, population / population.sum())
    assert result.trimmed == 0
    assert result.empty_cells == []


def test_respondents_without_sex_or_age_keep_an_average_weight():
    cells = np.array([0, 0, 1, 1, 1, 1, -1, -1])
    result = stats.post_stratify(cells, np.array([500, 500]))
    w = result.weights
    assert w.sum() == pytest.approx(8)
    # Among those with a cell the shares are the population's; the others weigh 1.
    np.testing.assert_allclose(w[-2:], [1, 1])
    assert w[:2].sum() == pytest.approx(w[2:6].sum())
    assert result.respondents[-1] == 2


def test_extreme_weights_are_trimmed_at_five_times_the_median():
    # One young man among 99 others, while young men are a quarter of the population.
    cells = np.array([0] + [1] * 99)
    result = stats.post_stratify(cells, np.array([250, 750]))
    w = result.weights
    median = np.median(w)
    assert w.max() == pytest.approx(5 * median)
    assert result.cap == pytest.approx(5 * median)
    assert result.trimmed == 1
    assert w.sum() == pytest.approx(100)
    # Untrimmed it would have weighed 25 times the others.
    untrimmed = stats.post_stratify(cells, np.array([250, 750]), trim_factor=1e9).weights
    assert untrimmed[0] / untrimmed[1] == pytest.approx(0.25 * 100 / (0.75 * 100 / 99))


def test_cells_without_respondents_are_reported_not_invented():
    cells = np.array([0, 0, 1, 1])
    result = stats.post_stratify(cells, np.array([100, 100, 300]))
    assert result.empty_cells == [2]
    np.testing.assert_allclose(result.weights, 1.0)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=-1, max_value=5), min_size=1, max_size=300),
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=6, max_size=6),
)
def test_weights_always_sum_to_n_and_stay_within_the_cap(cells, population):
    result = stats.post_stratify(np.array(cells), np.array(population))
    w = result.weights
    assert len(w) == len(cells)
    assert (w > 0).all()
    assert w.sum() == pytest.approx(len(cells))
    assert w.max() <= stats.TRIM_FACTOR * np.median(w) * (1 + 1e-9)
