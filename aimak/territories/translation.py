import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Territory


@register(Territory)
class TerritoryTranslationOptions(TranslationOptions):
    fields = ("name",)
    # Villages have only a Russian name in the registry: fall back rather than show nothing.
    fallback_undefined = {"name": ""}


# After the translated fields exist, so the history keeps name_ky, name_ru and name_en too.
simple_history.register(Territory, excluded_fields=["search_key"])
