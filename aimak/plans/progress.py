"""The progress arithmetic, pure (the services store what it gives)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")


def action_progress(*, default: int, is_open: bool, latest_milestone: int | None) -> Decimal:
    """An open action: its latest milestone's %, else its status's default. A closed one
    (done, cancelled): the status's default (done 100; cancelled actions do not count)."""
    if is_open and latest_milestone is not None:
        return Decimal(latest_milestone)
    return Decimal(default)


def mean_progress(values: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal:
    """Weighted mean of (progress, weight); a missing weight counts as 1, so with no
    weights at all this is the plain mean. Nothing to count gives 0."""
    total = Decimal(0)
    weights = Decimal(0)
    for progress, weight in values:
        w = Decimal(1) if weight is None else Decimal(weight)
        total += Decimal(progress) * w
        weights += w
    if not weights:
        return Decimal(0)
    return (total / weights).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
