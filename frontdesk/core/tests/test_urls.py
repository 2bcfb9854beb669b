"""Every named address resolves to its own view: the order of the URL patterns (hot pages
first, frontdesk/urls.py) never lets one pattern take another's address."""

from __future__ import annotations

from typing import Any

from django.test import SimpleTestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter

SAMPLE_STR = "acme"
SAMPLE_INT = 7


def _named(patterns: list[Any], namespace: str = "", outer: dict[str, Any] | None = None
           ) -> list[tuple[str, dict[str, Any]]]:
    """(view name with its namespaces, sample keyword arguments) of every named pattern."""
    found = []
    for entry in patterns:
        groups = {**(outer or {}), **{name: entry.pattern.converters.get(name)
                                      for name in entry.pattern.regex.groupindex}}
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _named(entry.url_patterns, space, groups)
        elif isinstance(entry, URLPattern) and entry.name:
            kwargs = {name: SAMPLE_INT if isinstance(converter, IntConverter) else SAMPLE_STR
                      for name, converter in groups.items()}
            found.append((f"{namespace}{entry.name}", kwargs))
    return found


class UrlOrderTests(SimpleTestCase):
    def test_every_named_address_resolves_to_its_own_pattern(self) -> None:
        named = _named(get_resolver().url_patterns)
        ours = [(name, kwargs) for name, kwargs in named if not name.startswith("admin:")]
        self.assertGreater(len(ours), 40)
        for name, kwargs in ours:
            with self.subTest(name=name):
                path = reverse(name, kwargs=kwargs)
                match = resolve(path)
                self.assertEqual(match.view_name, name, path)
                self.assertEqual(match.kwargs, kwargs, path)

    def test_an_organization_called_like_a_page_keeps_its_pages(self) -> None:
        # Slugs that are also words of the addresses ("new" is reserved): the organization's
        # pages stay its own.
        for slug in ("requests", "customers", "settings", "login", "p", "app"):
            with self.subTest(slug=slug):
                self.assertEqual(resolve(f"/app/{slug}/requests/").view_name,
                                 "support:request_list")
                self.assertEqual(resolve(f"/app/{slug}/").view_name, "organizations:home")
                self.assertEqual(resolve(f"/p/{slug}/support/").view_name,
                                 "portal:support_form")
