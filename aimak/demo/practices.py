"""Demo data for aimak.practices (all marked as demo)."""

from aimak.territories.models import Territory


def seed_practices(municipality: Territory) -> None:
    """Add the demo's practices data; idempotent (a second seed changes nothing)."""
