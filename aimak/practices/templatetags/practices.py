from django import template

from ..forms import LANGUAGE_NAMES

register = template.Library()


@register.filter
def language_names(codes: list[str]) -> str:
    return ", ".join(str(LANGUAGE_NAMES.get(code, code)) for code in codes or [])
