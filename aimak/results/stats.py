"""The formulas of report-card results, vectorised over numpy arrays. No Django here.

Shares are proportions from 0 to 1 in this module (compute.py turns them into percents).
Intervals come from statsmodels (Wilson for one proportion, Newcombe's hybrid score
interval for a difference); with weights, each side enters with its Kish effective sample
size n_eff = (Σw)² / Σw² in place of n, the usual design-effect adjustment for weighted
survey estimates (Kish 1965, §11.7). statsmodels and scipy take about a second to import,
so they are imported the first time an interval is asked for, not when Django starts.

Post-stratification: each respondent whose sex and age group are known gets the
population share of their sex × age cell divided by the sample share of that cell; the
weights are then trimmed at TRIM_FACTOR × their median and scaled back so that they sum to
the number of respondents. See docs/statistics.md for the reasoning and references.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike, NDArray

ALPHA = 0.05
Z95 = NormalDist().inv_cdf(1 - ALPHA / 2)  # 1.959963984540054
MIN_BASE = 30  # a base under this gets the "small_base" flag
MAX_HALF_WIDTH = 0.10  # an interval wider than ±10 points gets the "wide_interval" flag
TRIM_FACTOR = 5.0  # weights above 5 × the median weight are cut down to it

Floats = NDArray[np.float64]


def kish_neff(weights: ArrayLike) -> float:
    """Kish's effective sample size (Σw)² / Σw² (0 for no weights)."""
    w = np.asarray(weights, dtype=float)
    total_sq = float(np.dot(w, w))
    return float(w.sum()) ** 2 / total_sq if total_sq > 0 else 0.0


def neff_from_sums(sum_w: ArrayLike, sum_w2: ArrayLike) -> Floats:
    """Kish's effective n from the sums of weights and of squared weights, per cell."""
    sw = np.asarray(sum_w, dtype=float)
    sw2 = np.asarray(sum_w2, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sw2 > 0, sw * sw / np.where(sw2 > 0, sw2, 1.0), 0.0)


def wilson(share: ArrayLike, n: ArrayLike, alpha: float = ALPHA) -> tuple[Floats, Floats]:
    """Wilson score interval of a proportion `share` observed on (effective) `n`.

    Calls statsmodels' proportion_confint(count, nobs, method="wilson") with count =
    share × n, which is exactly the design-based Wilson interval when n is Kish's effective
    n. Cells with n = 0 give NaN bounds.
    """
    from statsmodels.stats.proportion import proportion_confint

    p = np.asarray(share, dtype=float)
    nobs = np.broadcast_to(np.asarray(n, dtype=float), p.shape)
    ok = (nobs > 0) & np.isfinite(p)
    low = np.full(p.shape, np.nan)
    high = np.full(p.shape, np.nan)
    if ok.any():
        lo, hi = proportion_confint(p[ok] * nobs[ok], nobs[ok], alpha=alpha, method="wilson")
        low[ok] = np.minimum(lo, p[ok])  # rounding can put a bound a hair past the estimate
        high[ok] = np.maximum(hi, p[ok])
    return low, high


def newcombe(
    p1: ArrayLike, n1: ArrayLike, p2: ArrayLike, n2: ArrayLike, alpha: float = ALPHA
) -> tuple[Floats, Floats, Floats]:
    """The difference p1 − p2 of two independent proportions and its Newcombe hybrid score
    interval (Newcombe 1998, method 10), from statsmodels' confint_proportions_2indep with
    method="newcomb"; n1 and n2 may be effective sample sizes. NaN where either n is 0."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    a = np.atleast_1d(np.asarray(p1, dtype=float))
    b = np.atleast_1d(np.asarray(p2, dtype=float))
    na = np.broadcast_to(np.asarray(n1, dtype=float), a.shape)
    nb = np.broadcast_to(np.asarray(n2, dtype=float), b.shape)
    diff = a - b
    low = np.full(a.shape, np.nan)
    high = np.full(a.shape, np.nan)
    ok = (na > 0) & (nb > 0) & np.isfinite(a) & np.isfinite(b)
    if ok.any():
        lo, hi = confint_proportions_2indep(
            a[ok] * na[ok],
            na[ok],
            b[ok] * nb[ok],
            nb[ok],
            method="newcomb",
            compare="diff",
            alpha=alpha,
        )
        low[ok] = np.clip(np.minimum(lo, diff[ok]), -1.0, 1.0)  # rounding: -1.0000000000000002
        high[ok] = np.clip(np.maximum(hi, diff[ok]), -1.0, 1.0)
    diff[~ok] = np.nan
    return diff, low, high


def normal_interval(
    estimate: ArrayLike, variance: ArrayLike, n: ArrayLike
) -> tuple[Floats, Floats]:
    """estimate ± z·√(variance / n): the large-sample interval of a mean (the 0–100 score)
    and of a difference of two shares of one multinomial (net satisfaction), with n the
    effective sample size. NaN where n is 0."""
    est = np.asarray(estimate, dtype=float)
    var = np.asarray(variance, dtype=float)
    nobs = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        half = Z95 * np.sqrt(np.maximum(var, 0.0) / nobs)
    half = np.where(nobs > 0, half, np.nan)
    return est - half, est + half


# --- Post-stratification -----------------------------------------------------------------


@dataclass
class PostStratified:
    """Weights by class: class c < len(population) is a population cell; the last class
    holds respondents without a cell (sex or age not stated, or a cell of no population)."""

    classes: NDArray[np.int64]  # each respondent's class
    class_weights: Floats  # the weight of each class
    respondents: NDArray[np.int64]  # respondents per class
    cap: float  # the trimming cap, on the scale of the returned weights
    trimmed: int  # respondents whose weight was cut down to the cap
    empty_cells: list[int] = field(default_factory=list)  # cells with people, no respondent

    @property
    def weights(self) -> Floats:
        """Each respondent's weight."""
        return self.class_weights[self.classes]


def _weighted_median(values: Floats, counts: NDArray[np.int64]) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(counts[order])
    total = cumulative[-1]
    # The lower median of the expanded list (the mean of the two middle ones when even).
    lower = values[order][np.searchsorted(cumulative, (total + 1) // 2)]
    upper = values[order][np.searchsorted(cumulative, total // 2 + 1)]
    return float(lower + upper) / 2


def post_stratify(
    cells: ArrayLike, population: ArrayLike, *, trim_factor: float = TRIM_FACTOR
) -> PostStratified:
    """Post-stratification weights of respondents in `cells` (cell index per respondent,
    −1 when unknown) to the `population` of each cell (persons), trimmed and normalised.

    1. Cells with people but no respondent cannot be represented: they are left out and
       the other cells' population shares are scaled up to 1 (listed in `empty_cells`).
    2. A respondent of cell c weighs P_c · n_known / n_c (P_c: population share, n_c:
       respondents of the cell), so the weighted cell shares equal the population's.
       Respondents without a cell weigh 1 (their own share of the sample).
    3. Weights above trim_factor × the median weight are cut to it; then every weight is
       scaled so that the weights sum to the number of respondents.
    """
    pop = np.asarray(population, dtype=float)
    n_cells = len(pop)
    given = np.asarray(cells, dtype=np.int64)
    valid = (given >= 0) & (given < n_cells)
    # A respondent in a cell of no population gets no cell (weight 1), not a zero weight.
    valid &= pop[np.where(valid, given, 0)] > 0
    classes = np.where(valid, given, n_cells)
    respondents = np.bincount(classes, minlength=n_cells + 1).astype(np.int64)
    n = int(respondents.sum())
    usable = respondents[:n_cells] > 0
    empty = [int(c) for c in np.flatnonzero((respondents[:n_cells] == 0) & (pop > 0))]
    weights = np.ones(n_cells + 1)
    n_known = int(respondents[:n_cells].sum())
    if n_known:
        share = np.where(usable, pop, 0.0) / pop[usable].sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            weights[:n_cells] = np.where(
                usable, share * n_known / np.maximum(respondents[:n_cells], 1), 1.0
            )
    present = respondents > 0
    if not present.any():
        return PostStratified(classes, weights, respondents, cap=0.0, trimmed=0, empty_cells=empty)
    median = _weighted_median(weights[present], respondents[present])
    cap = trim_factor * median
    over = present & (weights > cap)
    trimmed = int(respondents[over].sum())
    weights = np.minimum(weights, cap)
    scale = n / float(np.dot(weights, respondents))
    weights *= scale
    return PostStratified(
        classes, weights, respondents, cap=cap * scale, trimmed=trimmed, empty_cells=empty
    )
