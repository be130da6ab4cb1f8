"""Demo data for aimak.news (all marked as demo)."""

from aimak.territories.models import Territory


def seed_news(municipality: Territory) -> None:
    """Add the demo's news data; idempotent (a second seed changes nothing)."""
