import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Action, ActionStatus, Recommendation


@register(ActionStatus)
class ActionStatusTranslationOptions(TranslationOptions):
    fields = ("name",)
    fallback_undefined = {"name": ""}


@register(Recommendation)
class RecommendationTranslationOptions(TranslationOptions):
    fields = ("title", "text")
    fallback_undefined = {"title": "", "text": ""}


@register(Action)
class ActionTranslationOptions(TranslationOptions):
    fields = ("title",)
    fallback_undefined = {"title": ""}


# After the translated fields exist, so the history keeps every language.
simple_history.register(ActionStatus)
simple_history.register(Recommendation)
simple_history.register(Action)
