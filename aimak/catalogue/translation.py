import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Service


@register(Service)
class ServiceTranslationOptions(TranslationOptions):
    fields = ("name", "description")


# After the translated fields exist, so the history keeps every language.
simple_history.register(Service)
