"""Demo data for aimak.mentoring (all marked as demo)."""

from __future__ import annotations

from aimak.territories.models import Territory


def seed_mentoring(municipality: Territory) -> None:
    """Filled in with the app; idempotent."""
    return None
