"""`parsed_rows` (lib/json_rows.py): a list read as JSON is parsed once while its text is the
same, and again as soon as the text or anything else it depends on changes."""

from __future__ import annotations

from typing import Any

from django.test import SimpleTestCase

from frontdesk.lib import json_rows


class ParsedRowsTests(SimpleTestCase):
    def setUp(self) -> None:
        json_rows.forget_parsed()
        self.addCleanup(json_rows.forget_parsed)
        self.calls: list[tuple[list[list[Any]], tuple[Any, ...]]] = []

    def parse(self, rows: list[list[Any]], *args: Any) -> tuple[tuple[Any, ...], ...]:
        self.calls.append((rows, args))
        return tuple((*row, *args) for row in rows)

    def test_the_same_text_is_parsed_once(self) -> None:
        text = '[[1, "a"], [2, "b"]]'
        first = json_rows.parsed_rows(text, self.parse, "en")
        self.assertEqual(first, ((1, "a", "en"), (2, "b", "en")))
        # A new string with the same text, as the next request reads it.
        again = json_rows.parsed_rows("".join(list(text)), self.parse, "en")
        self.assertIs(again, first)
        self.assertEqual(len(self.calls), 1)

    def test_other_text_or_arguments_are_parsed_anew(self) -> None:
        json_rows.parsed_rows('[[1, "a"]]', self.parse, "en")
        self.assertEqual(json_rows.parsed_rows('[[1, "b"]]', self.parse, "en"), ((1, "b", "en"),))
        self.assertEqual(json_rows.parsed_rows('[[1, "a"]]', self.parse, "tr"), ((1, "a", "tr"),))
        self.assertEqual(len(self.calls), 3)
        # Nor do two parsers share what they kept.
        self.assertEqual(json_rows.parsed_rows('[[1, "a"]]', lambda rows, arg: "other", "en"),
                         "other")

    def test_no_rows_are_parsed_as_an_empty_list(self) -> None:
        for value in (None, "", "[]"):
            with self.subTest(value=value):
                self.assertEqual(json_rows.parsed_rows(value, self.parse), ())

    def test_memory_is_bounded(self) -> None:
        self.addCleanup(setattr, json_rows, "PARSED_CHARS_KEPT", json_rows.PARSED_CHARS_KEPT)
        json_rows.PARSED_CHARS_KEPT = 40
        for n in range(10):
            json_rows.parsed_rows(f'[[{n}, "{"x" * 10}"]]', self.parse)
            self.assertLessEqual(json_rows._PARSED.size, 40)
        self.assertLessEqual(len(json_rows._PARSED), 2)
        self.assertEqual(json_rows.parsed_rows('[[9, "xxxxxxxxxx"]]', self.parse),
                         ((9, "xxxxxxxxxx"),))
