"""`{% memo %}` (lib/jinja_memo.py): a block is served from memory only while everything that
decides its HTML is the same; otherwise it is written again."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any, NamedTuple

from django.template import engines
from django.test import RequestFactory, SimpleTestCase
from django.utils import timezone, translation

from frontdesk.lib import jinja_memo


class Row(NamedTuple):
    pk: int
    body: str
    when: dt.datetime


WHEN = dt.datetime(2026, 3, 1, 22, 30, tzinfo=dt.UTC)


@functools.cache
def template(source: str) -> Any:
    """Compiled once, as a page's template is (each compiling has blocks of its own)."""
    return engines["jinja_backend"].from_string(source)


def render(source: str, request: Any = None, **context: Any) -> str:
    return template(source).render(context, request)


class MemoTests(SimpleTestCase):
    LOOP = ("{% for row in rows %}{% memo %}<li id=r{{ row.pk }}>{{ row.body }} {{ label }} "
            "{{ row.when|datetime }}</li>{% endmemo %}{% endfor %}")

    def setUp(self) -> None:
        jinja_memo.forget_all()
        self.addCleanup(jinja_memo.forget_all)

    def plain(self, source: str, **context: Any) -> str:
        """The same template without the memo."""
        return render(source.replace("{% memo %}", "").replace("{% endmemo %}", ""), **context)

    def test_a_block_from_memory_is_the_block_written_again(self) -> None:
        rows = (Row(1, "<b>bold</b> & co", WHEN), Row(2, "second", WHEN))
        expected = self.plain(self.LOOP, rows=rows, label="Internal")
        self.assertIn("&lt;b&gt;bold&lt;/b&gt; &amp; co", expected)
        for _ in range(3):
            self.assertEqual(render(self.LOOP, rows=rows, label="Internal"), expected)
        self.assertEqual(len(jinja_memo._MEMO), 2)

    def test_any_value_it_reads_changing_writes_it_again(self) -> None:
        rows = (Row(1, "first", WHEN),)
        render(self.LOOP, rows=rows, label="Internal")
        for rows, label in (((Row(1, "edited", WHEN),), "Internal"),
                            ((Row(1, "first", WHEN + dt.timedelta(minutes=1)),), "Internal"),
                            ((Row(2, "first", WHEN),), "Internal"),
                            ((Row(1, "first", WHEN),), "Visible")):
            with self.subTest(rows=rows, label=label):
                self.assertEqual(render(self.LOOP, rows=rows, label=label),
                                 self.plain(self.LOOP, rows=rows, label=label))

    def test_dates_follow_the_readers_language_and_time_zone(self) -> None:
        rows = (Row(1, "x", WHEN),)
        for request in (None, RequestFactory().get("/")):  # e-mails; pages (their formatter)
            seen = set()
            for language, zone in (("en", "UTC"), ("tr", "UTC"), ("en", "Asia/Tehran"),
                                   ("en", "UTC")):
                with self.subTest(language=language, zone=zone, page=bool(request)), \
                        translation.override(language), \
                        timezone.override(zoneinfo.ZoneInfo(zone)):
                    html = render(self.LOOP, request, rows=rows, label="L")
                    self.assertEqual(html, self.plain(self.LOOP, rows=rows, label="L"))
                    seen.add(html)
            self.assertEqual(len(seen), 3)  # each language and zone its own; the first again

    def test_a_block_reading_anything_but_plain_values_is_never_kept(self) -> None:
        class Thing:
            name = "before"

        thing = Thing()
        source = "{% memo %}[{{ thing.name }}]{% endmemo %}"
        self.assertEqual(render(source, thing=thing), "[before]")
        thing.name = "after"
        self.assertEqual(render(source, thing=thing), "[after]")
        # Nor lists, dicts or functions (their identity says nothing of what they give).
        for value in (["a"], {"a": 1}, lambda: "a", (1, ["nested"])):
            with self.subTest(value=value):
                render("{% memo %}{{ value }}{% endmemo %}", value=value)
        self.assertEqual(jinja_memo._MEMO, {})

    def test_two_blocks_with_the_same_values_are_kept_apart(self) -> None:
        source = "{% memo %}A{{ x }}{% endmemo %}|{% memo %}B{{ x }}{% endmemo %}"
        self.assertEqual(render(source, x=1), "A1|B1")
        self.assertEqual(render(source, x=1), "A1|B1")
        # Nor do two templates' blocks meet (made from strings, they have no name).
        self.assertEqual(render("{% memo %}C{{ x }}{% endmemo %}", x=1), "C1")

    def test_memory_is_bounded(self) -> None:
        self.addCleanup(setattr, jinja_memo, "MEMO_CHARS_KEPT", jinja_memo.MEMO_CHARS_KEPT)
        jinja_memo.MEMO_CHARS_KEPT = 100
        rows = tuple(Row(n, "y" * 30, WHEN) for n in range(10))
        html = render(self.LOOP, rows=rows, label="L")
        self.assertEqual(html, self.plain(self.LOOP, rows=rows, label="L"))
        self.assertLessEqual(jinja_memo._memo_chars, 100)
        self.assertEqual(render(self.LOOP, rows=rows, label="L"), html)

    def test_a_block_that_could_read_more_than_it_names_does_not_compile(self) -> None:
        from jinja2 import TemplateSyntaxError

        for body in ('{% include "core/forms.html" %}', '{% from "core/forms.html" import field %}',
                     "{% macro m() %}x{% endmacro %}", "{% call f() %}x{% endcall %}",
                     "{{ x|tojson }}", "{% block b %}x{% endblock %}"):
            with self.subTest(body=body), self.assertRaises(TemplateSyntaxError):
                template("{% memo %}" + body + "{% endmemo %}")
        # Pure filters and tests compile.
        self.assertEqual(render("{% memo %}{{ x|upper }}{% if x is string %}!{% endif %}"
                                "{% endmemo %}", x="a"), "A!")

    def test_a_variable_the_block_sets_itself_keeps_it_out_of_memory(self) -> None:
        source = "{% memo %}{% for i in items %}{{ i }}{% endfor %}{% endmemo %}"
        self.assertEqual(render(source, items=(1, 2)), "12")
        self.assertEqual(jinja_memo._MEMO, {})  # `i` is undefined outside: not plain
