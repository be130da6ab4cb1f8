import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Community


@register(Community)
class CommunityTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    fallback_undefined = dict.fromkeys(fields, "")


# After the translated fields exist, so the history keeps every language.
simple_history.register(Community, m2m_fields=["moderators"])
