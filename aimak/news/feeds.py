"""RSS and Atom feeds of news and articles, one per language (the URL's language)."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import Article
from .selectors import article_public_list

FEED_SIZE = 30


class NewsRssFeed(Feed):
    def title(self) -> str:
        return _("Aimak: news and articles")

    def description(self) -> str:
        return _("News and articles on local self-government in the Kyrgyz Republic.")

    def link(self) -> str:
        return reverse("news:index")

    def items(self) -> list[Article]:
        return list(article_public_list()[:FEED_SIZE])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.lead or ""

    def item_pubdate(self, item: Article) -> datetime.datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name] if item.category else []


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()
