import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Contest, ContestField, Criterion


@register(Contest)
class ContestTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    fallback_undefined = dict.fromkeys(fields, "")


@register(ContestField)
class ContestFieldTranslationOptions(TranslationOptions):
    fields = ("label", "help")
    fallback_undefined = dict.fromkeys(fields, "")


@register(Criterion)
class CriterionTranslationOptions(TranslationOptions):
    fields = ("name",)
    fallback_undefined = {"name": ""}


# After the translated fields exist, so the history keeps every language.
simple_history.register(Contest)
simple_history.register(ContestField)
simple_history.register(Criterion)
