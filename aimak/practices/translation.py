import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Expert, Practice, Theme


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name",)
    fallback_undefined = {"name": ""}


@register(Practice)
class PracticeTranslationOptions(TranslationOptions):
    fields = ("title", "problem", "solution", "results", "cost_note")
    # A practice may be written in one language only (the author's): show it rather
    # than nothing until the content administrator adds the other.
    fallback_undefined = dict.fromkeys(fields, "")


@register(Expert)
class ExpertTranslationOptions(TranslationOptions):
    fields = ("organisation", "bio")
    fallback_undefined = dict.fromkeys(fields, "")


# After the translated fields exist, so the history keeps every language.
_SEARCH = ["search_title", "search_text", "search_vector"]
simple_history.register(Theme)
simple_history.register(Practice, excluded_fields=_SEARCH)
simple_history.register(Expert, excluded_fields=_SEARCH)
