"""The indexes of the staff search (support/search_index.py) stay right however rows are
written, and never let one organization's words change what another finds."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.db import connection

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.lib.search import fold
from frontdesk.portal.services import find_or_create_portal_user
from frontdesk.support import request_search, search_index
from frontdesk.support.models import Post, Task, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import create_request

LIST = "/app/acme-support/requests/"


class SearchIndexTests(FrontdeskTestCase):
    def request(self, title: str, description: str = "", *, org_b: bool = False) -> Task:
        if org_b:
            requester = find_or_create_portal_user(
                organization=self.org_b, email="someone@b.test", first_name="Some",
                last_name="One")
            topic = Topic.objects.for_org(self.org_b).get()
        else:
            requester, topic = self.portal_a1, Topic.objects.for_org(self.org_a).get()
        return create_request(topic=topic, requester=requester, title=title,
                              description=description)

    def pages(self, query: str) -> list[int]:
        """Every request found for `query`, page after page; the link back from each page
        gives the page before it again."""
        self.login_staff(self.agent_a)
        url, pages = LIST + "?" + urlencode({"q": query}), []
        while url:
            page = self.client.get(url.replace("&amp;", "&")).content.decode()
            pages.append([int(pk) for pk in re.findall(r"<tr>\s*<td>(\d+)</td>", page)])
            newer = re.search(r'href="(\?[^"]*after=\d+)"', page)
            if newer:
                back = self.client.get((LIST + newer.group(1)).replace("&amp;", "&"))
                self.assertEqual([int(pk) for pk in re.findall(r"<tr>\s*<td>(\d+)</td>",
                                                               back.content.decode())],
                                 pages[-2])
            older = re.search(r'href="(\?[^"]*before=\d+)"', page)
            url = LIST + older.group(1) if older else ""
        return [pk for page in pages for pk in page]

    def expected(self, query: str) -> list[int]:
        """What the search must find, by reading every request of organization A."""
        words = request_search.query_words(query)

        def has(text: str) -> bool:
            own = set(re.split(r"[\W_]+", fold(text)))
            return all(word in own if len(word) == 1
                       else any(term.startswith(word) for term in own) for word in words)

        return [task.pk for task in Task.objects.for_org(self.org_a).order_by("-pk")
                if has(f"{task.title} {task.description}")
                or any(has(post.body) for post in Post.objects.filter(task=task))]

    def test_several_words_and_starts_find_what_reading_every_request_finds(self) -> None:
        # A common word, a rarer one, words sharing starts, and posts: over two pages.
        for number in range(40):
            task = self.request(f"Printer {'offline' if number % 3 == 0 else 'slow'}",
                                f"Desk {number % 7} please help" + (" toner" if number % 5 == 0
                                                                     else ""))
            if number % 4 == 0:
                add_staff_post(task=task, author=self.agent_a, body=f"offline toner desk {number}")
        for query in ("printer", "print offline", "offline printer", "toner desk", "desk 3",
                      "pl he", "offline toner desk", "printer nothing", "pr", "t"):
            with self.subTest(query=query):
                self.assertEqual(self.pages(query), self.expected(query))

    def test_the_statement_for_one_word_finds_what_the_general_one_finds(self) -> None:
        """On PostgreSQL a query of one word has a shorter statement of its own
        (request_search.one_word): the same ids, for every page and direction."""
        tasks = [self.request(f"Kettle {'descaled' if number % 2 else 'broken'}")
                 for number in range(12)]
        for task in tasks[::3]:
            add_staff_post(task=task, author=self.agent_a, body="kettle descaling notes")
        pages: list[dict[str, int]] = [{}, {"before": tasks[6].pk}, {"after": tasks[4].pk},
                                       {"before": tasks[0].pk}]
        for word in ("kettle", "desc", "broken", "notes", "k", "nothing"):
            match = request_search.match_expression([word], connection)
            for page in pages:
                with self.subTest(word=word, page=page):
                    ids = [sorted(Task.objects.filter(pk__in=request_search.found(
                        connection.vendor, match, self.org_a.pk, rows=4, one_word=one,
                        **page)).values_list("pk", flat=True)) for one in (True, False)]
                    self.assertEqual(ids[0], ids[1])
        self.assertTrue(request_search.one_word(["kettle"]))
        self.assertFalse(request_search.one_word(["kettle", "notes"]))
        self.assertFalse(request_search.one_word(["ab\u2460c"]))  # a circled digit breaks it

    def test_another_organizations_words_change_nothing(self) -> None:
        """Their words, however many start like ours, and their posts with every word of the
        query, neither reach our pages nor take places on them."""
        ours = [self.request(f"Zephyr {number}", "gale") for number in range(3)]
        for number in range(12):
            theirs = self.request(f"Zephyr{'abcdefghijkl'[number]}ine gale", "zephyr gale",
                                  org_b=True)
            add_staff_post(task=theirs, author=self.staff_b, body="zephyr gale")
        newest_first = [task.pk for task in reversed(ours)]
        for query in ("zeph", "zephyr", "zephyr gale", "gale zep", "zephyra"):
            with self.subTest(query=query):
                self.assertEqual(self.pages(query), [] if query == "zephyra" else newest_first)

    def test_a_bulk_load_is_found_and_rows_written_after_it_too(self) -> None:
        with search_index.made_after(connection):
            loaded = self.request("Bulk loaded walrus")
        self.assertEqual(self.pages("walrus"), [loaded.pk])
        later = self.request("Walrus again")
        self.assertEqual(self.pages("walrus"), [later.pk, loaded.pk])

    def test_rows_written_by_sql_are_found_and_forgotten(self) -> None:
        task = self.request("Heron")
        Task.objects.filter(pk=task.pk).update(description="egret")
        self.assertEqual(self.pages("heron egret"), [task.pk])
        post = add_staff_post(task=task, author=self.agent_a, body="stork")
        Post.objects.bulk_create([Post(organization_id=task.organization_id, task=task,
                                       author=self.agent_a, body="crane")])
        self.assertEqual(self.pages("stork"), [task.pk])
        self.assertEqual(self.pages("crane"), [task.pk])
        self.assertEqual(self.pages("crane heron"), [])  # not in one post, nor in the request
        Post.objects.filter(pk=post.pk).update(body="ibis")
        self.assertEqual(self.pages("stork"), [])
        self.assertEqual(self.pages("ibis"), [task.pk])
        # Saving other fields keeps the words.
        task.refresh_from_db()
        task.save()
        self.assertEqual(self.pages("egret"), [task.pk])

    def test_emptied_tables_leave_no_words(self) -> None:
        """Django's flush empties the tables with TRUNCATE, which no row trigger sees: the
        tables of words (PostgreSQL) are emptied with them, so rows inserted later with the
        same ids are not found by the words of the rows that were there."""
        self.request("Pelican", "pelican")
        if connection.vendor != "postgresql":
            # SQLite has no TRUNCATE; Django's flush deletes rows, which its triggers see.
            self.assertEqual(self.pages("pelican"), [Task.objects.get().pk])
            return
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE support_task CASCADE")
            counts = []
            for words, _key in search_index.WORD_TABLES.values():
                cursor.execute(f"SELECT count(*) FROM {words}")  # noqa: S608 (our names)
                counts.append(cursor.fetchone()[0])
        self.assertEqual(counts, [0, 0])

    def test_the_migration_indexes_the_rows_already_there(self) -> None:
        task = self.request("Flamingo")
        add_staff_post(task=task, author=self.agent_a, body="plover")
        if connection.vendor != "postgresql":
            self.assertEqual(self.pages("flamingo"), self.pages("plover"))
            return
        with connection.cursor() as cursor:
            # As in a migration of its own: the foreign keys checked before the tables change.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in search_index.pg_drop_word_statements():
                cursor.execute(statement)
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'task_search'")
            self.assertEqual(cursor.fetchone()[0], 1)  # undone: the GIN indexes are back
            for statement in search_index.pg_word_statements():
                cursor.execute(statement)
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'task_search'")
            self.assertEqual(cursor.fetchone()[0], 0)
        self.assertEqual(self.pages("flamingo"), [task.pk])
        self.assertEqual(self.pages("plover"), [task.pk])
