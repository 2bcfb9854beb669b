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
        self.assertLessEqual(jinja_memo._MEMO.size, 100)
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
        for source in ("{% memo %}{% set i = items[0] %}{{ i }}{% endmemo %}",
                       # `loop` is the loop's, but the block reads it as a variable: not kept.
                       "{% memo %}{% for i in items %}{{ loop.index }}{% endfor %}{% endmemo %}"):
            with self.subTest(source=source):
                self.assertEqual(render(source, items=(1, 2)),
                                 self.plain(source, items=(1, 2)))
                self.assertEqual(jinja_memo._MEMO, {})

    LIST = ("{% memo %}<ol>{% for row in rows %}<li id=r{{ row.pk }}>{{ row.body }} {{ label }} "
            "{{ row.when|datetime }}</li>{% endfor %}</ol>{% endmemo %}")

    def test_a_whole_list_is_kept_as_one_block(self) -> None:
        rows = (Row(1, "<b>bold</b>", WHEN), Row(2, "second", WHEN))
        expected = self.plain(self.LIST, rows=rows, label="Internal")
        for _ in range(2):
            self.assertEqual(render(self.LIST, rows=rows, label="Internal"), expected)
        self.assertEqual(len(jinja_memo._MEMO), 1)  # the loop's variable is not in its key
        # Any row changing, one more or one fewer, or the label: written again.
        for changed, label in (((Row(1, "<b>bold</b>", WHEN), Row(2, "edited", WHEN)), "Internal"),
                               ((*rows, Row(3, "third", WHEN)), "Internal"),
                               (rows[:1], "Internal"), (rows, "Visible")):
            with self.subTest(rows=changed, label=label):
                self.assertEqual(render(self.LIST, rows=changed, label=label),
                                 self.plain(self.LIST, rows=changed, label=label))
        # A list (not a tuple) can change in place: never kept.
        jinja_memo.forget_all()
        render(self.LIST, rows=list(rows), label="Internal")
        self.assertEqual(jinja_memo._MEMO, {})

    def test_a_name_outside_its_loop_is_the_pages_own(self) -> None:
        # The same name before the loop, in the loop's `else` and in the loop's filter are
        # the page's variables (in its key); only inside the loop is it the loop's.
        sources = (
            "{% memo %}{{ row }}:{% for row in rows %}{{ row }}{% endfor %}{% endmemo %}",
            "{% memo %}{% for r in rows %}{{ r }}{% else %}{{ r }}{% endfor %}{% endmemo %}",
            "{% memo %}{% for r in rows if r > row %}{{ r }}{% endfor %}{% endmemo %}",
        )
        for source in sources:
            for rows in ((1, 2, 3), ()):
                for row in (0, 2, 0):
                    with self.subTest(source=source, rows=rows, row=row):
                        self.assertEqual(render(source, rows=rows, row=row, r=row),
                                         self.plain(source, rows=rows, row=row, r=row))
        # What a loop goes over is read outside it, even under the loop variable's name.
        source = "{% memo %}{% for r in r %}{{ r }}{% endfor %}{% endmemo %}"
        for r in ((1, 2), (3,)):
            with self.subTest(source=source, r=r):
                self.assertEqual(render(source, r=r), self.plain(source, r=r))

    def test_a_frozen_dict_is_a_plain_value(self) -> None:
        source = ("{% memo %}{% for row in rows %}[{{ labels[row.pk] }}]{% endfor %}"
                  "{% endmemo %}")
        rows = (Row(1, "a", WHEN), Row(2, "b", WHEN))
        english = jinja_memo.FrozenDict({1: "Open", 2: "Closed"})
        self.assertEqual(render(source, rows=rows, labels=english), "[Open][Closed]")
        self.assertEqual(len(jinja_memo._MEMO), 1)
        # Other labels (another language's) are another key.
        turkish = jinja_memo.FrozenDict({1: "Açık", 2: "Kapalı"})
        self.assertEqual(render(source, rows=rows, labels=turkish), "[Açık][Kapalı]")
        self.assertEqual(render(source, rows=rows, labels=english), "[Open][Closed]")
        # It does not change, and holds plain values only.
        for change in (lambda: english.__setitem__(3, "x"), lambda: english.update({1: "x"}),
                       lambda: english.pop(1), english.clear, english.popitem,
                       lambda: english.setdefault(3, "x"), lambda: english.__delitem__(1)):
            with self.subTest(change=change), self.assertRaises(TypeError):
                change()
        with self.assertRaises(TypeError):
            english |= {1: "x"}
        self.assertEqual(english, {1: "Open", 2: "Closed"})
        for value in (["list"], {"a": 1}, object()):
            with self.subTest(value=value), self.assertRaises(TypeError):
                jinja_memo.FrozenDict({1: value})

    CALLS = ('{% memo %}<a href="{{ url(\'support:request_list\', slug) }}">{{ _("Customer") }}'
             '</a>{{ ngettext("%(num)s file", "%(num)s files", n) }}'
             '<img src="{{ static(\'frontdesk/app.css\') }}">{% endmemo %}')

    def test_the_pages_own_words_and_links_may_be_called(self) -> None:
        page = RequestFactory().get("/")
        seen = set()
        for language, slug in (("en", "acme"), ("nl", "acme"), ("en", "other"), ("en", "acme")):
            with self.subTest(language=language, slug=slug), translation.override(language):
                html = render(self.CALLS, page, slug=slug, n=2)
                self.assertEqual(html, self.plain(self.CALLS, slug=slug, n=2))
                self.assertIn(f"/app/{slug}/requests/", html)
                seen.add(html)
        self.assertIn("Klant", "".join(seen))  # Dutch
        self.assertEqual(len(seen), 3)
        self.assertEqual(len(jinja_memo._MEMO), 3)  # the last page came from memory

    def test_functions_that_are_not_the_pages_own_are_not_kept(self) -> None:
        # Without a page (an e-mail), `_` and `url` are the environment's: written each time.
        self.assertEqual(render(self.CALLS, slug="acme", n=1),
                         self.plain(self.CALLS, slug="acme", n=1))
        # A view's function under another name; a page's function also read as a value.
        page = RequestFactory().get("/")
        for source, context in (("{% memo %}{{ shout('x') }}{% endmemo %}",
                                 {"shout": str.upper}),
                                ("{% memo %}{{ url|string|length > 0 }}{% endmemo %}", {})):
            with self.subTest(source=source):
                render(source, page, **context)
                self.assertEqual(render(source, page, **context), self.plain(source, **context))
        self.assertEqual(jinja_memo._MEMO, {})

    def test_amounts_are_plain_values(self) -> None:
        from decimal import Decimal

        source = "{% memo %}{% for a in amounts %}[{{ a|money('EUR') }}]{% endfor %}{% endmemo %}"
        page = RequestFactory().get("/")
        for amounts in ((Decimal("1.5"), Decimal("-2")), (Decimal("1.5"), Decimal("-2")),
                        (Decimal("1.50"), Decimal("-2.00")), (Decimal("1.51"), Decimal("-2"))):
            with self.subTest(amounts=amounts):
                self.assertEqual(render(source, page, amounts=amounts),
                                 self.plain(source, amounts=amounts))
        # The same value written with more digits is the same key: it writes the same text.
        self.assertEqual(len(jinja_memo._MEMO), 2)
