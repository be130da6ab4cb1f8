import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Resolution


@register(Resolution)
class ResolutionTranslationOptions(TranslationOptions):
    fields = ("title",)
    fallback_undefined = {"title": ""}


# After the translated fields exist, so the history keeps title_ky, title_ru and title_en.
simple_history.register(Resolution)
