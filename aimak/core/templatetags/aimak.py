from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each language: (code, name, url, is_current)."""
    request = context["request"]
    current = get_language()
    path = request.get_full_path()
    return [(code, name, translate_url(path, code), code == current)
            for code, name in settings.LANGUAGES]


@register.filter
def has_perm_on(user, perm_and_obj):
    perm, obj = perm_and_obj
    return user.has_perm(perm, obj)
