from django import template
from django.conf import settings
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def language_links():
    """Each language as (code, name, is_current), for the switcher."""
    current = get_language()
    return [(code, name, code == current) for code, name in settings.LANGUAGES]
