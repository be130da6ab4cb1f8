"""URLs of collect_urls (see views)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
