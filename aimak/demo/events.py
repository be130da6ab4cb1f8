"""Demo data for aimak.events (all marked as demo)."""

from aimak.territories.models import Territory


def seed_events(municipality: Territory) -> None:
    """Add the demo's events data; idempotent (a second seed changes nothing)."""
