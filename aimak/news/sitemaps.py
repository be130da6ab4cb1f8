"""Sitemaps of the public portal: `sitemaps` is the dict for django.contrib.sitemaps
(`path("sitemap.xml", sitemap, {"sitemaps": sitemaps})` at the root). Every page in every
language (i18n), with hreflang alternates."""

from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from aimak.legal.models import LegalAct

from .models import Article, MagazineIssue
from .selectors import article_public_list, issue_list


class _I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = False
    limit = 5000


class StaticPagesSitemap(_I18nSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "core:home",
            "core:about",
            "news:index",
            "news:magazine",
            "legal:search",
            "territories:browse",
            "catalogue:list",
        ]

    def location(self, item: str) -> str:  # type: ignore[override]
        return reverse(item)


class NewsSitemap(_I18nSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):  # type: ignore[no-untyped-def]
        return article_public_list().select_related(None).only("slug", "updated_at")

    def lastmod(self, item: Article) -> datetime.datetime:
        return item.updated_at


class MagazineSitemap(_I18nSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):  # type: ignore[no-untyped-def]
        return list(issue_list()) + list(
            article_public_list(kind="magazine").select_related(None).only("slug", "updated_at")
        )

    def location(self, item: MagazineIssue | Article) -> str:  # type: ignore[override]
        return item.get_absolute_url()


class LegalActSitemap(_I18nSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):  # type: ignore[no-untyped-def]
        return LegalAct.objects.order_by("-date", "key").only("key")

    def location(self, item: LegalAct) -> str:  # type: ignore[override]
        return reverse("legal:detail", args=[item.key])


sitemaps = {
    "pages": StaticPagesSitemap,
    "news": NewsSitemap,
    "magazine": MagazineSitemap,
    "legal-acts": LegalActSitemap,
}
