import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Questionnaire


@register(Questionnaire)
class QuestionnaireTranslationOptions(TranslationOptions):
    fields = ("title",)


# After the translated fields exist, so the history keeps every language. The services
# are set once, when the questionnaire is made, so their m2m needs no history of its own.
simple_history.register(Questionnaire)
