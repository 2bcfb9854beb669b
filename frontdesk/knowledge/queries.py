"""What the knowledge base's pages read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from frontdesk.knowledge.models import Article, Category
from frontdesk.lib.search import fold

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Shelf:
    """A category's articles (`category` None: those without one)."""

    category: Category | None
    articles: list[Article]


def shelves(articles: QuerySet[Article], categories: Iterable[Category]) -> list[Shelf]:
    """The articles grouped by category, in the categories' order, those without one last;
    categories without articles left out. Two reads."""
    by_category: dict[int | None, list[Article]] = {}
    for article in articles.order_by("title", "id").defer("body"):
        by_category.setdefault(article.category_id, []).append(article)
    found = [Shelf(category, by_category[category.pk]) for category in categories
             if category.pk in by_category]
    if None in by_category:
        found.append(Shelf(None, by_category[None]))
    return found


def matching(articles: Iterable[Article], query: str) -> list[Article]:
    """The articles whose question or answer has every word of `query`, case and accents
    aside (lib/search.fold). Compared here, not in the database: a knowledge base holds tens
    or hundreds of articles, read whole for its page anyway."""
    words = fold(query[:MAX_QUERY_LENGTH]).split()[:8]
    return [article for article in articles
            if all(word in fold(f"{article.title} {article.body}") for word in words)]
