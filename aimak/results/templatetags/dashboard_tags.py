"""Template tags of the report-card dashboards: a municipality's published rounds, for the
municipality's public page (territories/detail.html includes results/_municipality_results.html)."""

from __future__ import annotations

from typing import Any

from django import template

from aimak.results.selectors import published_rounds

register = template.Library()


@register.simple_tag
def published_results(municipality: Any) -> list[Any]:
    """The municipality's published rounds, newest first (one query)."""
    return list(published_rounds(municipality=municipality))
