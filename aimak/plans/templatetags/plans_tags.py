from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def evidence_of(evidence: dict[int, list[Any]], pk: int) -> list[Any]:
    return evidence.get(pk, [])


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, [])
