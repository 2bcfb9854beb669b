"""Keyset paging, newest first: every page costs the same, whether it is the first or the
thousandth (no OFFSET, no COUNT over a million rows)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.db import models
from django.http import HttpRequest

M = TypeVar("M", bound=models.Model)

PER_PAGE = 25


@dataclass
class Page(Generic[M]):
    items: tuple[M, ...]  # a tuple: a page may keep a list of plain rows ({% memo %})
    newer_than: int | None  # give as ?after= for the newer page
    older_than: int | None  # give as ?before= for the older page

    def link(self, request: HttpRequest, key: str, value: int) -> str:
        return keyset_link(request, key, value)

    def newer_url(self, request: HttpRequest) -> str | None:
        return None if self.newer_than is None else self.link(request, "after", self.newer_than)

    def older_url(self, request: HttpRequest) -> str | None:
        return None if self.older_than is None else self.link(request, "before",
                                                              self.older_than)


def keyset_link(request: HttpRequest, key: str, value: int) -> str:
    """The query string of the page with `key` (before/after) = `value` and the request's
    other parameters (a QueryDict's copy is a deep copy: a twentieth of a list page)."""
    params = [(name, item) for name, items in request.GET.lists()
              if name not in ("before", "after") for item in items]
    params.append((key, str(value)))
    return "?" + urlencode(params)


def _cursor(request: HttpRequest, key: str) -> int | None:
    raw = request.GET.get(key, "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def keyset_cursors(request: HttpRequest) -> tuple[int | None, int | None]:
    """The page asked for: (before, after) from `?before=` / `?after=`."""
    return _cursor(request, "before"), _cursor(request, "after")


def keyset_query(queryset: models.QuerySet[Any, Any], before: int | None, after: int | None,
                 per_page: int = PER_PAGE, order: str = "pk") -> models.QuerySet[Any, Any]:
    """The rows of the page (one more than a page, to know whether another follows): newest
    first, or, for `after`, the oldest ones newer than it (`page_of` puts them in order).
    `order` is what the rows are ordered by: the primary key, or a column equal to it that an
    index holds in order (a joined row's foreign key)."""
    if after is not None and before is None:
        return queryset.filter(pk__gt=after).order_by(order)[:per_page + 1]
    if before is not None:
        queryset = queryset.filter(pk__lt=before)
    return queryset.order_by(f"-{order}")[:per_page + 1]


def page_of(rows: list[Any], before: int | None, after: int | None, per_page: int = PER_PAGE
            ) -> Page[Any]:
    """The page made of the rows `keyset_query` read (model instances, or rows with `pk`)."""
    if after is not None and before is None:
        has_newer = len(rows) > per_page
        items = tuple(rows[:per_page][::-1])
        return Page(items, items[0].pk if has_newer and items else None,
                    items[-1].pk if items else None)
    items = tuple(rows[:per_page])
    has_older = len(rows) > per_page
    return Page(items, items[0].pk if before is not None and items else None,
                items[-1].pk if has_older else None)


def keyset_page(queryset: models.QuerySet[M], request: HttpRequest, per_page: int = PER_PAGE
                ) -> Page[M]:
    before, after = keyset_cursors(request)
    rows = list(keyset_query(queryset, before, after, per_page))
    return page_of(rows, before, after, per_page)
