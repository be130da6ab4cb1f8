"""Sample size and allocation, checked against values computed by hand."""

import math

import pytest

from aimak.surveys.sampling import (
    frame_size,
    household_interval,
    largest_remainder,
    sample_size,
    sex_quota,
    z_value,
)


@pytest.mark.parametrize(("confidence", "z"), [(90, 1.644854), (95, 1.959964), (99, 2.575829)])
def test_normal_quantiles(confidence, z):
    assert z_value(confidence) == pytest.approx(z, abs=1e-6)


def test_sample_size_by_hand_with_fpc():
    # e = 5 %, 95 % (z = 1.959964), p = 0.5, deff = 1.5, N = 3,000 households:
    # n0 = 1.959964² · 0.5 · 0.5 / 0.05² = 3.841459 · 0.25 / 0.0025 = 384.146
    # × deff 1.5 = 576.219
    # FPC: 576.219 / (1 + 575.219 / 3000) = 576.219 / 1.191740 = 483.511 → 484
    size = sample_size(margin=5, confidence=95, design_effect=1.5, proportion=0.5, population=3000)
    assert size.n0 == pytest.approx(384.146, abs=1e-3)
    assert size.n_deff == pytest.approx(576.219, abs=1e-3)
    assert size.n_fpc == pytest.approx(483.511, abs=1e-3)
    assert size.n == 484


@pytest.mark.parametrize(
    ("margin", "confidence", "deff", "p", "population", "expected"),
    [
        # 1.959964² · .25 / .0025 = 384.15 → 385 (no correction, deff 1)
        (5, 95, 1.0, 0.5, None, 385),
        # 1.644854² · .25 / .0025 = 270.55 → 271
        (5, 90, 1.0, 0.5, None, 271),
        # 2.575829² · .25 / .0025 = 663.49 → 664
        (5, 99, 1.0, 0.5, None, 664),
        # 1.959964² · .3 · .7 / .03² = 896.34 → × 1.5 = 1344.51 → 1345
        (3, 95, 1.5, 0.3, None, 1345),
        # 576.219 / (1 + 575.219 / 500) = 576.219 / 2.150438 = 267.95 → 268
        (5, 95, 1.5, 0.5, 500, 268),
    ],
)
def test_sample_size_cases(margin, confidence, deff, p, population, expected):
    size = sample_size(
        margin=margin,
        confidence=confidence,
        design_effect=deff,
        proportion=p,
        population=population,
    )
    assert size.n == expected


def test_fpc_shrinks_the_sample_and_matters_more_for_small_populations():
    unlimited = sample_size(margin=5, confidence=95, design_effect=1.5).n
    sizes = [
        sample_size(margin=5, confidence=95, design_effect=1.5, population=n).n
        for n in (200, 1000, 3000, 100_000)
    ]
    assert sizes == sorted(sizes)
    assert all(s < unlimited for s in sizes)
    assert sizes[-1] >= unlimited - 4  # a large population barely changes it
    assert sizes[0] <= 200  # never more than the population


def test_refuses_impossible_inputs():
    with pytest.raises(ValueError):
        sample_size(margin=0, confidence=95)
    with pytest.raises(ValueError):
        sample_size(margin=5, confidence=95, proportion=1)
    with pytest.raises(ValueError):
        sample_size(margin=5, confidence=95, design_effect=0.5)


def test_frame_size_converts_persons_to_households():
    assert frame_size(persons=14_870, unit="persons", household_size=4.5) == 14_870
    assert frame_size(persons=14_870, unit="households", household_size=4.5) == 3304


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        (491, [820, 410, 295, 260, 350, 280, 240, 225, 230, 195]),
        (10, [1, 1, 1]),
        (7, [5, 0, 5]),
        (1, [3, 3]),
        (100, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
        (384, [10_000, 7]),
        (0, [4, 5]),
        (1000, [0.5, 0.25, 0.25]),
    ],
)
def test_largest_remainder_adds_up_and_is_proportional(total, weights):
    parts = largest_remainder(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / weight_sum
        # Each part is its exact quota rounded down or up: never further off than one.
        assert math.floor(exact) <= part <= math.ceil(exact)
    # Larger weights never get fewer interviews.
    for i in range(len(weights)):
        for j in range(len(weights)):
            if weights[i] > weights[j]:
                assert parts[i] >= parts[j]


def test_largest_remainder_by_hand():
    # 10 over 1:1:1 → quotas 3.33 each: 3, 3, 3 and one left for the first of the ties.
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    # 7 over 2:3 → 2.8 and 4.2: floors 2 and 4, the one left goes to the larger remainder.
    assert largest_remainder(7, [2, 3]) == [3, 4]


@pytest.mark.parametrize("total", [0, 1, 2, 29, 61, 122, 491])
@pytest.mark.parametrize("men_share", [49, 50, 48.5, 30])
def test_sex_quotas_add_up(total, men_share):
    men, women = sex_quota(total, men_share)
    assert men + women == total
    assert abs(men - total * men_share / 100) <= 1


def test_household_interval():
    # 820 households, 122 interviews: every 6th household (820 / 122 = 6.7).
    assert household_interval(households=820, interviews=122) == 6
    assert household_interval(households=50, interviews=80) == 1
    assert household_interval(households=100, interviews=0) is None
