"""Demo data for aimak.plans (all marked as demo)."""

from aimak.territories.models import Territory


def seed_plans(municipality: Territory) -> None:
    """Add the demo's plans data; idempotent (a second seed changes nothing)."""
