from django import template

from aimak.surveys.definition import Text
from aimak.surveys.forms import TYPE_LABELS

register = template.Library()


@register.filter
def in_language(value: Text | None, language: str) -> str:
    """A translated text of a form definition in `language` (falling back ru, ky, en)."""
    return value.get(language) if value is not None else ""


@register.filter
def only_language(value: Text | None, language: str) -> str:
    """A translated text in exactly `language` (empty when not translated), for editing."""
    return getattr(value, language, "") if value is not None else ""


@register.filter
def type_label(question_type: str) -> str:
    return str(TYPE_LABELS.get(question_type, question_type))  # type: ignore[call-overload]


@register.filter
def get_list(lists: dict, name: str):
    """The choice list called `name` from a {name: list} mapping."""
    return lists.get(name)
