"""The staff search over requests (SPEC T7; support/request_search.py), on SQLite and PostgreSQL
alike: words of a request's title, description and posts; case and accents ignored; another
organization's requests never found."""

from __future__ import annotations

import re
from unittest import mock
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.organizations.permissions import Level
from frontdesk.support import request_search, search_index
from frontdesk.support.models import Post, Status, Task, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import change_status, create_request

LIST = "/app/acme-support/requests/"


class RequestSearchTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.topic = Topic.objects.for_org(self.org_a).get()

    def request(self, title: str, description: str = "", *, org_b: bool = False) -> Task:
        if org_b:
            from frontdesk.portal.services import find_or_create_portal_user

            requester = find_or_create_portal_user(
                organization=self.org_b, email="someone@b.test", first_name="Some",
                last_name="One")
            topic = Topic.objects.for_org(self.org_b).get()
        else:
            requester, topic = self.portal_a1, self.topic
        return create_request(topic=topic, requester=requester, title=title,
                              description=description)

    def found(self, query: str, **params: str) -> list[int]:
        self.login_staff(self.agent_a)
        response = self.client.get(LIST + "?" + urlencode({"q": query, **params}))
        self.assertEqual(response.status_code, 200)
        return [int(pk) for pk in re.findall(r"<tr>\s*<td>(\d+)</td>", response.content.decode())]

    def test_words_of_the_title_description_and_any_post_newest_first(self) -> None:
        by_title = self.request("Scanner jams on page two")
        by_description = self.request("Help", "The scanner in room 4 jams daily.")
        by_post = self.request("Paper feed")
        add_staff_post(task=by_post, author=self.agent_a, body="Looks like the scanner jams.")
        by_note = self.request("Another one")
        add_staff_post(task=by_note, author=self.agent_a, body="Internal: scanner JAMS again")
        self.request("Printer jams")  # no "scanner"
        self.request("Scanner offline")  # no "jams"
        self.assertEqual(self.found("scanner jams"),
                         [by_note.pk, by_post.pk, by_description.pk, by_title.pk])

    def test_a_word_is_found_by_its_start_and_without_case_or_accents(self) -> None:
        lodz = self.request("Drukarka w Łodzi nie działa")
        isik = self.request("IŞIK yazıcısı çalışmıyor")
        cafe = self.request("Café Noël printer")
        self.assertEqual(self.found("lodz"), [lodz.pk])
        self.assertEqual(self.found("ŁÓDZ"), [lodz.pk])
        self.assertEqual(self.found("dzial"), [lodz.pk])
        self.assertEqual(self.found("isik calismiyor"), [isik.pk])
        self.assertEqual(self.found("Işık yazıcı"), [isik.pk])
        self.assertEqual(self.found("cafe noel"), [cafe.pk])
        self.assertEqual(self.found("print"), [cafe.pk])
        self.assertEqual(self.found("rinter"), [])  # words are found by their start

    def test_persian_with_either_yeh_and_kaf(self) -> None:
        arabic_letters = self.request("چاپگر كار نمي كند")
        persian_letters = self.request("چاپگر کار نمی‌کند")
        both = [persian_letters.pk, arabic_letters.pk]
        self.assertEqual(self.found("کار"), both)
        self.assertEqual(self.found("كار"), both)
        self.assertEqual(self.found("چاپگر نمی"), both)

    def test_another_organizations_requests_are_never_found(self) -> None:
        mine = self.request("Zeppelin invoice question")
        theirs = self.request("Zeppelin invoice question", "zeppelin", org_b=True)
        add_staff_post(task=theirs, author=self.staff_b, body="zeppelin again")
        self.assertEqual(self.found("zeppelin"), [mine.pk])
        # Their staff find theirs only, under their own address.
        self.login_staff(self.staff_b)
        page = self.client.get("/app/other-org/requests/?q=zeppelin").content.decode()
        self.assertIn(f"<td>{theirs.pk}</td>", page)
        self.assertNotIn(f"<td>{mine.pk}</td>", page)
        # And nothing of ours under our address.
        response = self.client.get(LIST + "?q=zeppelin")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn("Zeppelin", response.content.decode())

    def test_a_member_without_the_support_area_cannot_search(self) -> None:
        self.request("Secret merger plans")
        membership = self.membership(self.viewer_a)
        membership.level_support = Level.NONE
        membership.save()
        self.login_staff(self.viewer_a)
        response = self.client.get(LIST + "?q=merger")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("merger", response.content.decode())

    def test_portal_users_have_no_search_of_staff_requests(self) -> None:
        self.request("Quiet internal matter")
        self.login_portal(self.portal_a1)
        response = self.client.get(LIST + "?q=quiet")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("Quiet internal", response.content.decode())

    def test_closed_requests_and_changed_text_are_found(self) -> None:
        task = self.request("Old subject")
        change_status(task=task, status=Status.CLOSED, by=self.agent_a)
        self.assertEqual(self.found("old subject"), [task.pk])
        task.title = "Renamed heading"
        task.save()
        self.assertEqual(self.found("old"), [])
        self.assertEqual(self.found("renamed"), [task.pk])
        post = add_staff_post(task=task, author=self.agent_a, body="kumquat")
        self.assertEqual(self.found("kumquat"), [task.pk])
        Post.objects.filter(pk=post.pk).update(body="persimmon")
        self.assertEqual(self.found("kumquat"), [])
        self.assertEqual(self.found("persimmon"), [task.pk])
        Post.objects.filter(pk=post.pk).delete()
        self.assertEqual(self.found("persimmon"), [])
        Task.objects.filter(pk=task.pk).delete()
        self.assertEqual(self.found("renamed"), [])

    def test_search_syntax_in_the_query_is_taken_as_words(self) -> None:
        task = self.request("Router NEAR the door", 'says "AND" or * OR (x) - col:umn')
        for query in ['"', "*", "AND", "OR", "NOT", "NEAR(", "col:umn", "-router", "router*",
                      "(x)", "'", "&", "!", "|", ":*", "\\", "%", "_"]:
            with self.subTest(query=query):
                found = self.found(query)
                self.assertIn(found, ([], [task.pk]))
        self.assertEqual(self.found('router" OR "x'), [task.pk])
        self.assertEqual(self.found("near door"), [task.pk])

    def test_an_empty_query_shows_the_view_and_a_long_one_is_cut(self) -> None:
        task = self.request("Anything")
        self.assertEqual(self.found("   "), [task.pk])  # the open list
        self.assertEqual(self.found("— … !"), [task.pk])  # no word: the open list
        change_status(task=task, status=Status.CLOSED, by=self.agent_a)
        self.assertEqual(self.found(""), [])
        self.assertEqual(self.found("anything " + "x" * 5000), [])
        self.assertEqual(self.found("anything " * 100), [task.pk])

    def test_pages_of_results_go_older_and_newer_and_keep_the_query(self) -> None:
        # Every third request has the word only in a post: the pages' cursors hold for the
        # requests found by their posts too.
        tasks = [self.request(f"Gizmo number {number}") if number % 3
                 else self.request(f"Thing number {number}") for number in range(30)]
        for task in tasks[::3]:
            add_staff_post(task=task, author=self.agent_a, body="a gizmo inside")
        self.request("Unrelated")
        self.login_staff(self.agent_a)
        newest_first = [task.pk for task in reversed(tasks)]

        def rows_and_link(url: str, direction: str) -> tuple[list[int], str]:
            page = self.client.get(url.replace("&amp;", "&")).content.decode()
            link = re.search(rf'href="(\?[^"]*{direction}=\d+)"', page)
            assert link is not None
            self.assertIn("q=gizmo", link.group(1))
            return ([int(pk) for pk in re.findall(r"<tr>\s*<td>(\d+)</td>", page)],
                    LIST + link.group(1))

        first, older = rows_and_link(LIST + "?q=gizmo", "before")
        self.assertEqual(first, newest_first[:25])
        rest, newer = rows_and_link(older, "after")
        self.assertEqual(rest, newest_first[25:])
        self.assertEqual(rows_and_link(newer, "before")[0], newest_first[:25])

    def test_the_search_costs_the_same_queries_whatever_it_finds(self) -> None:
        for number in range(3):
            task = self.request(f"Widget {number}")
            add_staff_post(task=task, author=self.agent_a, body="widget note")
        self.login_staff(self.agent_a)
        counts = []
        for query in ("widget", "widget 1", "note", "nothing-like-it"):
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(LIST + "?" + urlencode({"q": query}))
                                 .status_code, 200)
            counts.append(len(queries))
        # The session with the membership; on SQLite, the indexed words that the query's
        # start (request_search._sqlite_words); the page.
        self.assertEqual(counts, [3 if connection.vendor == "sqlite" else 2] * 4)

    def test_the_page_shows_the_query_and_says_when_nothing_matches(self) -> None:
        self.request("Something")
        self.login_staff(self.agent_a)
        page = self.client.get(LIST + "?q=%3Cb%3Eunheard").content.decode()
        self.assertIn('value="&lt;b&gt;unheard"', page)
        self.assertIn("No request has every word of “&lt;b&gt;unheard”.", page)
        self.assertNotIn("<b>unheard", page)


    def test_each_organization_gets_its_own_newest_matches(self) -> None:
        """Another organization's newer matches take none of an organization's places: not
        among the requests found by their own text (the page's, read until there are enough),
        nor among the newest FOUND_AT_MOST posts with the words."""
        ours = self.request("Lantern broken")
        by_post = self.request("Something else")
        add_staff_post(task=by_post, author=self.agent_a, body="lantern glass")
        theirs = [self.request("Lantern broken", org_b=True) for _ in range(3)]
        for task in theirs:
            add_staff_post(task=task, author=self.staff_b, body="lantern")
        match = request_search.match_expression(["lantern"], connection)

        def found(**page: int) -> list[int]:
            # The page's ids: `found` gives them on PostgreSQL, a superset on SQLite, which
            # the page's query then cuts (as here).
            ids = request_search.found(connection.vendor, match, self.org_a.pk, page.get("before"),
                                     page.get("after"), page.get("rows", 26))
            cut = (Task.objects.filter(pk__in=ids).order_by("-pk")
                   .filter(pk__lt=page.get("before", 2**62)))[:page.get("rows", 26)]
            return sorted(cut.values_list("pk", flat=True))

        with mock.patch.object(request_search, "FOUND_AT_MOST", 2):
            self.assertEqual(found(), [ours.pk, by_post.pk])
            more = [self.request(f"Lantern {number}") for number in range(3)]
            self.assertEqual(found(rows=4), sorted([by_post.pk, *(task.pk for task in more)]))
            self.assertEqual(found(rows=2, before=more[1].pk), [by_post.pk, more[0].pk])

    def test_a_start_of_few_words_or_of_many_finds_every_word_it_starts(self) -> None:
        """On SQLite a word that starts at most WHOLE_WORDS_AT_MOST indexed words is looked
        for as those words, one that starts more as a start: the same requests either way."""
        words = ["quilt", "quill", "quilla", "quillb", "quillc", "quilld", "quille", "quillf",
                 "quillg"]
        tasks = [self.request(f"The {word} please") for word in words]
        by_post = self.request("Something else")
        add_staff_post(task=by_post, author=self.agent_a, body="A quilted cover, as a note.")
        self.request("An unquilted cover")  # "quil" starts no word of it
        newest_first = [task.pk for task in reversed([*tasks, by_post])]
        self.assertEqual(self.found("quil"), newest_first)
        self.assertEqual(self.found("QUILT"), [by_post.pk, tasks[0].pk])
        self.assertEqual(self.found("quilte"), [by_post.pk])
        self.assertEqual(self.found("quiltx"), [])
        self.assertEqual(self.found("quill pleas"), [task.pk for task in reversed(tasks[1:])])
        if connection.vendor == "sqlite":
            self.assertEqual(request_search.match_expression(["quil", "quilt"], connection),
                             '"quil"* AND ("quilt" OR "quilted")')

    def test_a_word_of_one_letter_is_a_whole_word(self) -> None:
        vitamin = self.request("Need vitamin a")
        self.request("Apple and avocado")
        self.assertEqual(self.found("a"), [vitamin.pk])
        self.assertEqual(self.found("vit a"), [vitamin.pk])


class QueryWordsTests(FrontdeskTestCase):
    def test_words_are_folded_cut_and_counted(self) -> None:
        self.assertEqual(request_search.query_words("  Łódź, İSTANBUL!  łódź "),
                         ["lodz", "istanbul"])
        self.assertEqual(request_search.query_words("a_b-c"), ["a", "b", "c"])
        self.assertEqual(len(request_search.query_words(" ".join(f"w{n}" for n in range(50)))),
                         request_search.MAX_WORDS)
        self.assertEqual(request_search.query_words("y" * 500),
                         ["y" * request_search.MAX_WORD_LENGTH])

    def test_the_index_is_made_again_when_a_trigger_went_missing(self) -> None:
        if connection.vendor != "sqlite":
            # PostgreSQL's indexes are the database's own: nothing to make again.
            self.assertEqual(search_index.ensure(connection), [])
            return
        task = create_request(topic=Topic.objects.for_org(self.org_a).get(),
                              requester=self.portal_a1, title="Quince", description="")
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER support_task_fts_update")
        Task.objects.filter(pk=task.pk).update(title="Medlar")  # not indexed: no trigger
        self.assertEqual(search_index.ensure(connection), ["support_task_fts_update"])
        self.login_staff(self.agent_a)
        page = self.client.get(LIST + "?q=medlar").content.decode()
        self.assertIn(f"<td>{task.pk}</td>", page)
        page = self.client.get(LIST + "?q=quince").content.decode()
        self.assertNotIn(f"<td>{task.pk}</td>", page)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE support_post_fts_words")
        self.assertEqual(search_index.ensure(connection), ["support_post_fts_words"])
        page = self.client.get(LIST + "?q=medlar").content.decode()
        self.assertIn(f"<td>{task.pk}</td>", page)
