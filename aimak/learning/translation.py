import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Course, Lesson


@register(Course)
class CourseTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
    fallback_undefined = dict.fromkeys(fields, "")


@register(Lesson)
class LessonTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    fallback_undefined = dict.fromkeys(fields, "")


# After the translated fields exist, so the history keeps every language.
simple_history.register(Course)
simple_history.register(Lesson)
