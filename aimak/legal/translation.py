import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import IssuingBody, LegalAct


@register(IssuingBody)
class IssuingBodyTranslationOptions(TranslationOptions):
    fields = ("name",)
    fallback_undefined = {"name": ""}


@register(LegalAct)
class LegalActTranslationOptions(TranslationOptions):
    fields = ("title",)
    # Many acts have a title in one language only: show it rather than nothing.
    fallback_undefined = {"title": ""}


# After the translated fields exist, so the history keeps title_ky, title_ru and title_en.
simple_history.register(
    LegalAct,
    excluded_fields=[
        "search_title",
        "search_text",
        "search_folded",
    ],
)
