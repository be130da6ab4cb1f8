from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def file_url(name: str) -> str:
    """The public address of a stored news file (covers, the magazine's PDFs)."""
    return reverse("news:file", args=[name]) if name else ""


def _srcset(sizes: list[dict[str, Any]], fmt: str) -> str:
    return ", ".join(f"{file_url(s['name'])} {s['width']}w" for s in sizes if s["format"] == fmt)


@register.simple_tag
def cover_picture(
    obj: Any, alt: str, sizes: str = "(min-width: 60rem) 60rem, 100vw", eager: bool = False
) -> SafeString:
    """<picture> with WebP and JPEG phone sizes, lazy, with its alt text ('' if none)."""
    variants = list(getattr(obj, "cover_sizes", None) or [])
    if not variants:
        return mark_safe("")
    jpeg = [v for v in variants if v["format"] == "jpg"] or variants
    smallest = min(jpeg, key=lambda v: v["width"])
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" '
        'decoding="async" class="cover"></picture>',
        _srcset(variants, "webp"),
        sizes,
        file_url(smallest["name"]),
        _srcset(variants, "jpg"),
        sizes,
        smallest["width"],
        smallest.get("height", ""),
        alt or "",
        "eager" if eager else "lazy",
    )


@register.simple_tag
def largest_cover(obj: Any) -> str:
    variants = [v for v in (getattr(obj, "cover_sizes", None) or []) if v["format"] == "jpg"]
    return file_url(max(variants, key=lambda v: v["width"])["name"]) if variants else ""


@register.simple_tag(takes_context=True)
def hreflang_links(context: Any, languages: list[str]) -> SafeString:
    from django.urls import translate_url

    request = context["request"]
    path = request.path
    return format_html_join(
        "\n",
        '<link rel="alternate" hreflang="{}" href="{}">',
        ((code, request.build_absolute_uri(translate_url(path, code))) for code in languages),
    )
