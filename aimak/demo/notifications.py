"""Demo data for aimak.notifications (all marked as demo)."""

from aimak.territories.models import Territory


def seed_notifications(municipality: Territory) -> None:
    """Add the demo's notifications data; idempotent (a second seed changes nothing)."""
