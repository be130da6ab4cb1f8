import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Article, Category, MagazineIssue, MagazineSection, Tag


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name",)
    fallback_undefined = {"name": ""}


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    fields = ("name",)
    fallback_undefined = {"name": ""}


@register(MagazineIssue)
class MagazineIssueTranslationOptions(TranslationOptions):
    fields = ("title",)
    fallback_undefined = {"title": ""}


@register(MagazineSection)
class MagazineSectionTranslationOptions(TranslationOptions):
    fields = ("title",)
    fallback_undefined = {"title": ""}


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    # English is optional per item: a page in English falls back to Russian, then Kyrgyz.
    fields = ("title", "lead", "body", "cover_alt")
    fallback_undefined = {"title": "", "lead": "", "body": "", "cover_alt": ""}


# After the translated fields exist, so the history keeps every language.
simple_history.register(
    Article, excluded_fields=["search_title", "search_text", "search_vector", "cover_sizes"]
)
simple_history.register(MagazineIssue, excluded_fields=["cover_sizes"])
