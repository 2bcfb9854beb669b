"""The PostgreSQL backend checks a persistent connection at most once a second
(frontdesk/lib/postgresql): a connection that broke while idle is replaced before the request
uses it, and one that breaks between checks is closed at the end of its request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, connections
from django.db.utils import OperationalError
from django.test import TestCase
from psycopg.pq import Format

from frontdesk.lib.postgresql.base import CHECK_AT_MOST_EVERY, DatabaseWrapper


class HealthCheckTests(TestCase):
    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.assertEqual(connection.settings_dict["ENGINE"], "frontdesk.lib.sqlite")
            self.skip_on_sqlite = True
            return
        self.skip_on_sqlite = False
        self.assertIsInstance(connections["default"], DatabaseWrapper)
        settings_dict = {**connection.settings_dict, "CONN_MAX_AGE": 60,
                         "CONN_HEALTH_CHECKS": True}
        self.wrapper = DatabaseWrapper(settings_dict, alias="health")
        self.addCleanup(self.wrapper.close)

    def request(self) -> int:
        """One request on the persistent connection: its boundary, then a query."""
        self.wrapper.close_if_unusable_or_obsolete()
        with self.wrapper.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return int(cursor.fetchone()[0])

    def terminate(self, pid: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

    def test_a_connection_that_broke_while_idle_is_replaced_before_it_is_used(self) -> None:
        if self.skip_on_sqlite:
            return
        first = self.request()
        self.assertEqual(self.request(), first)  # kept between requests
        self.terminate(first)
        self.wrapper._checked_at -= CHECK_AT_MOST_EVERY  # idle for over a second
        second = self.request()
        self.assertNotEqual(second, first)

    def test_between_checks_a_broken_connection_fails_one_request_then_is_replaced(self
                                                                                   ) -> None:
        if self.skip_on_sqlite:
            return
        first = self.request()
        self.terminate(first)
        with self.assertRaises(OperationalError):
            self.request()  # checked under a second ago: not checked again
        self.wrapper.close_if_unusable_or_obsolete()  # the end of that request
        self.assertIsNone(self.wrapper.connection)
        self.assertNotEqual(self.request(), first)

    def test_a_request_running_past_the_second_is_not_checked_inside_its_transaction(self
                                                                                     ) -> None:
        if self.skip_on_sqlite:
            return
        first = self.request()
        self.wrapper.close_if_unusable_or_obsolete()  # the next request
        # A transaction as `atomic` runs it: Django's health check runs again when autocommit
        # is set back after the COMMIT; a check there (SELECT 1) would open a transaction.
        self.wrapper.set_autocommit(False)
        with self.wrapper.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.assertEqual(cursor.fetchone()[0], first)
        self.wrapper._checked_at -= CHECK_AT_MOST_EVERY  # the second runs out meanwhile
        self.wrapper.commit()
        self.wrapper.set_autocommit(True)
        self.assertEqual(self.request(), first)  # the next request checks, and keeps it


class PlanOnceTests(TestCase):
    """On PostgreSQL a page's statements are prepared on the server and planned once."""

    def test_the_pages_statements_are_planned_once_not_on_every_page(self) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            self.assertEqual(cursor.fetchone()[0], "force_generic_plan")
        # Run one statement that PostgreSQL used to plan anew each time ("Assigned to me")
        # eight times on this connection: prepared from the second, planned once.
        from frontdesk.support.views.lists import _mine_rows

        for _ in range(8):
            list(_mine_rows(1, 1, None, None))
        with connection.cursor() as cursor:
            cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                           "WHERE statement LIKE %s", ["%support_task_assignees%is_open%"])
            rows = cursor.fetchall()
        self.assertTrue(rows)
        for generic, custom in rows:
            self.assertEqual(custom, 0)
            self.assertGreaterEqual(generic, 6)


class TimestampLoaderTests(TestCase):
    """Timestamps come through psycopg's own loader (frontdesk/lib/postgresql), as the same
    instants, in UTC, that Django's loader gives. PostgreSQL only (CI runs both)."""

    def on_postgresql(self) -> bool:
        if connection.vendor == "postgresql":
            return True
        self.assertEqual(connection.settings_dict["ENGINE"], "frontdesk.lib.sqlite")
        return False

    VALUES = ("2026-11-26 16:52:59.235273+00", "2026-01-02 03:04:05.123456+05:30",
              "1999-12-31 23:59:59-08", "2026-03-29 01:30:00+01", "0001-01-01 00:00:00+00")

    def read(self, cursor: Any) -> list[Any]:
        cursor.execute("SELECT v::timestamptz FROM unnest(%s::text[]) v UNION ALL "
                       "SELECT NULL::timestamptz", [list(self.VALUES)])
        return [row[0] for row in cursor.fetchall()]

    def test_they_are_the_instants_django_reads_in_utc(self) -> None:
        if not self.on_postgresql():
            return
        from django.db.backends.postgresql.psycopg_any import register_tzloader

        from frontdesk.lib.postgresql.base import UtcTimestamptzLoader

        with connection.cursor() as cursor:
            self.assertIs(cursor.cursor.adapters.get_loader(1184, Format.TEXT),
                          UtcTimestamptzLoader)
            ours = self.read(cursor)
        with connection.cursor() as cursor:
            register_tzloader(connection.timezone, cursor.cursor)
            djangos = self.read(cursor)
        self.assertEqual(ours, djangos)
        self.assertIsNone(ours[-1])
        for value in ours[:-1]:
            self.assertEqual(value.utcoffset(), dt.timedelta(0))
        self.assertEqual(ours[1], dt.datetime(2026, 1, 1, 21, 34, 5, 123456, tzinfo=dt.UTC))

    def test_a_model_reads_back_what_it_saved(self) -> None:
        if not self.on_postgresql():
            return
        from frontdesk.core.models import RateCounter

        moment = dt.datetime(2026, 11, 26, 12, 0, 0, 1, tzinfo=dt.UTC)
        RateCounter.objects.create(key="k", window_start=moment, count=1)
        self.assertEqual(RateCounter.objects.get(key="k").window_start, moment)


class LongStatementTests(TestCase):
    """A page's long statement (5–10 KB) is turned into PostgreSQL's placeholders once per
    process, not on every request (frontdesk/lib/postgresql). PostgreSQL only."""

    def test_a_long_statement_is_converted_once(self) -> None:
        if connection.vendor != "postgresql":
            self.assertEqual(connection.settings_dict["ENGINE"], "frontdesk.lib.sqlite")
            return
        import psycopg._queries

        # 8 KB, with a comment that no other statement of the suite has.
        sql = "SELECT %s::int /* " + "long statement " * 550 + " */"
        self.assertGreater(len(sql), 8_000)
        with connection.cursor() as cursor:
            cursor.execute(sql, [1])
            before = psycopg._queries._query2pg.cache_info()
            cursor.execute(sql, [2])
            self.assertEqual(cursor.fetchone(), (2,))
            after = psycopg._queries._query2pg.cache_info()
        self.assertEqual(after.hits, before.hits + 1)
        self.assertEqual(after.misses, before.misses)
