import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import FeedbackQuestion, FeedbackSurvey


@register(FeedbackSurvey)
class FeedbackSurveyTranslationOptions(TranslationOptions):
    fields = ("title", "intro")
    fallback_undefined = dict.fromkeys(fields, "")


@register(FeedbackQuestion)
class FeedbackQuestionTranslationOptions(TranslationOptions):
    fields = ("label",)
    fallback_undefined = dict.fromkeys(fields, "")


# After the translated fields exist, so the history keeps every language.
simple_history.register(FeedbackSurvey)
simple_history.register(FeedbackQuestion)
