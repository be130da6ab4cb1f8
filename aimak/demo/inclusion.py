"""Demo data for aimak.inclusion (all marked as demo)."""

from aimak.territories.models import Territory


def seed_inclusion(municipality: Territory) -> None:
    """Add the demo's inclusion data; idempotent (a second seed changes nothing)."""
