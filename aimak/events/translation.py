import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Event


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "agenda")
    fallback_undefined = {"title": "", "agenda": ""}


# After the translated fields exist, so the history keeps title_ky/_ru/_en and agenda_*.
simple_history.register(Event)
