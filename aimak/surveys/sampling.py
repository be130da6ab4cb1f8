"""Sample size and its allocation: pure functions, no database.

The sample size for estimating a proportion (Cochran): n0 = z² · p(1 − p) / e², multiplied
by the design effect, then corrected for a finite population of N units:
n = n0 / (1 + (n0 − 1) / N), rounded up. z is the normal quantile for the confidence level,
from Python's statistics.NormalDist (neither scipy nor statsmodels is installed, and the
quantile is exact to about 1e-15). Allocation and quotas use largest-remainder rounding, so
the parts always add up to the whole.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

CONFIDENCE_LEVELS = (90, 95, 99)
DEFAULT_CONFIDENCE = 95
DEFAULT_MARGIN = 5.0  # percent
DEFAULT_DESIGN_EFFECT = 1.5
DEFAULT_PROPORTION = 0.5
DEFAULT_HOUSEHOLD_SIZE = 4.5
# Used when nothing better is known; the plan page says so.
DEFAULT_MEN_SHARE = 49.0
# Floating-point slack before rounding up (n0 of exactly 384 must not become 385).
_EPSILON = 1e-9


@dataclass(frozen=True)
class SampleSize:
    z: float
    n0: float  # before the design effect
    n_deff: float  # after the design effect
    n_fpc: float  # after the finite-population correction, before rounding
    n: int  # what to interview


def z_value(confidence: int | float) -> float:
    """The two-sided normal quantile: 1.645 for 90 %, 1.960 for 95 %, 2.576 for 99 %."""
    return NormalDist().inv_cdf(1 - (1 - float(confidence) / 100) / 2)


def sample_size(
    *,
    margin: float,
    confidence: int | float,
    design_effect: float = DEFAULT_DESIGN_EFFECT,
    proportion: float = DEFAULT_PROPORTION,
    population: int | None = None,
) -> SampleSize:
    """`margin` and `confidence` in percent; `population` N (None: no correction)."""
    if not 0 < margin < 100:
        raise ValueError("margin must be between 0 and 100 percent")
    if not 0 < confidence < 100:
        raise ValueError("confidence must be between 0 and 100 percent")
    if not 0 < proportion < 1:
        raise ValueError("proportion must be between 0 and 1")
    if design_effect < 1:
        raise ValueError("the design effect is at least 1")
    z = z_value(confidence)
    e = float(margin) / 100
    p = float(proportion)
    n0 = z * z * p * (1 - p) / (e * e)
    n_deff = n0 * float(design_effect)
    n_fpc = n_deff / (1 + (n_deff - 1) / population) if population else n_deff
    n = max(1, math.ceil(n_fpc - _EPSILON))
    if population:
        n = min(n, population)
    return SampleSize(z=z, n0=n0, n_deff=n_deff, n_fpc=n_fpc, n=n)


def frame_size(*, persons: int, unit: str, household_size: float) -> int:
    """N in the sampling unit: persons, or households (persons / average size, rounded)."""
    if unit == "persons":
        return persons
    return max(1, round(persons / float(household_size)))


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` into whole numbers that add up to `total`.

    Each part gets the whole number below its exact quota; what is left goes one by one to
    the largest remainders (ties: the larger weight, then the earlier position).
    """
    if total < 0:
        raise ValueError("total must not be negative")
    weight_sum = float(sum(weights))
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    if not weights or weight_sum <= 0:
        if total:
            raise ValueError("nothing to allocate to")
        return [0 for _ in weights]
    quotas = [total * float(w) / weight_sum for w in weights]
    parts = [math.floor(q + _EPSILON) for q in quotas]
    left = total - sum(parts)
    order = sorted(
        range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), -float(weights[i]), i)
    )
    for i in order[:left]:
        parts[i] += 1
    return parts


def sex_quota(total: int, men_share: float) -> tuple[int, int]:
    """(men, women) for `total` interviews, `men_share` in percent."""
    men, women = largest_remainder(total, [float(men_share), 100 - float(men_share)])
    return men, women


def household_interval(*, households: float, interviews: int) -> int | None:
    """Every k-th household, so that `interviews` households spread over the village."""
    if not interviews or households <= 0:
        return None
    return max(1, math.floor(households / interviews))
