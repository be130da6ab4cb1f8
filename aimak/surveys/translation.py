import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Questionnaire


@register(Questionnaire)
class QuestionnaireTranslationOptions(TranslationOptions):
    fields = ("title",)


# After the translated fields exist, so the history keeps every language.
simple_history.register(Questionnaire, m2m_fields=["services"])
