import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import AnswerTemplate


@register(AnswerTemplate)
class AnswerTemplateTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    fallback_undefined = dict.fromkeys(fields, "")


# After the translated fields exist, so the history keeps every language.
simple_history.register(AnswerTemplate)
