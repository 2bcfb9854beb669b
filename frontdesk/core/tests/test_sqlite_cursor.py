"""The SQLite backend's cursor remembers how it rewrote each statement (frontdesk/lib/sqlite)."""

from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper
from django.test import TestCase

from frontdesk.lib.sqlite import base


class RememberedRewriteTests(TestCase):
    """SQLite's cursor only: on PostgreSQL (CI runs the suite on both) there is no rewrite."""

    def on_sqlite(self) -> bool:
        if connection.vendor == "sqlite":
            return True
        self.assertEqual(connection.vendor, "postgresql")
        return False

    def test_statements_run_as_django_rewrites_them_and_the_rewrite_is_kept(self) -> None:
        if not self.on_sqlite():
            return
        statement = "SELECT %s, '50%%', %s || 'x' WHERE %s = %s"
        base._QMARK.pop(statement, None)
        with connection.cursor() as cursor:
            self.assertIsInstance(cursor.cursor, base.Cursor)
            for _ in range(2):  # rewritten, then remembered: the same rows
                cursor.execute(statement, [1, "a", 2, 2])
                self.assertEqual(cursor.fetchall(), [(1, "50%", "ax")])
        django_s = SQLiteCursorWrapper.convert_query(None, statement)  # type: ignore[arg-type]
        self.assertEqual(base._QMARK[statement], django_s)
        self.assertEqual(django_s, "SELECT ?, '50%', ? || 'x' WHERE ? = ?")

    def test_named_parameters_and_long_statements_are_rewritten_each_time(self) -> None:
        if not self.on_sqlite():
            return
        named = "SELECT %(first)s, %(second)s"
        long = "SELECT %s" + " " * base._QMARK_LONGEST
        with connection.cursor() as cursor:
            cursor.execute(named, {"first": 1, "second": 2})
            self.assertEqual(cursor.fetchall(), [(1, 2)])
            cursor.execute(long, [3])
            self.assertEqual(cursor.fetchall(), [(3,)])
        self.assertNotIn(named, base._QMARK)
        self.assertNotIn(long, base._QMARK)

    def test_the_memory_is_bounded(self) -> None:
        if not self.on_sqlite():
            return
        saved = dict(base._QMARK)

        def restore() -> None:
            base._QMARK.clear()
            base._QMARK.update(saved)

        self.addCleanup(restore)
        base._QMARK.clear()
        with connection.cursor() as cursor:
            for number in range(base._QMARK_KEPT + 5):
                cursor.execute(f"SELECT %s + {number}", [1])
                self.assertEqual(cursor.fetchone(), (1 + number,))
        self.assertLessEqual(len(base._QMARK), base._QMARK_KEPT)
