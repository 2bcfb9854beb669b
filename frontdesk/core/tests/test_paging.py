"""The links of a keyset page keep what the list was asked for and move only the cursor."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory, SimpleTestCase

from frontdesk.lib.paging import Page


class PageLinkTests(SimpleTestCase):
    def test_links_keep_the_other_parameters_and_move_the_cursor(self) -> None:
        request = RequestFactory().get(
            "/", {"view": "mine", "q": "Łódź & co", "tag": ["a", "b"], "after": "7"})
        page: Page[Any] = Page(items=(), newer_than=50, older_than=10)
        self.assertEqual(page.older_url(request),
                         "?view=mine&q=%C5%81%C3%B3d%C5%BA+%26+co&tag=a&tag=b&before=10")
        self.assertEqual(page.newer_url(request),
                         "?view=mine&q=%C5%81%C3%B3d%C5%BA+%26+co&tag=a&tag=b&after=50")
        # What Django's QueryDict would write for the same parameters.
        expected = request.GET.copy()
        expected.pop("after")
        expected["before"] = "10"
        self.assertEqual(page.older_url(request), "?" + expected.urlencode())

    def test_the_first_and_last_pages_have_one_link(self) -> None:
        request = RequestFactory().get("/")
        self.assertIsNone(Page(items=(), newer_than=None, older_than=3).newer_url(request))
        self.assertIsNone(Page(items=(), newer_than=4, older_than=None).older_url(request))
