"""The SQLite backend queues write transactions on a lock file (frontdesk/lib/sqlite)."""

import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from django.test import SimpleTestCase

from frontdesk.lib.sqlite.base import DatabaseWrapper

# SQLite's own wait for the writer's lock, far shorter than the first writer holds it: a second
# writer that waited there would fail with "database is locked"; one that waits in the queue
# does not depend on it.
BUSY_TIMEOUT = 0.05


def _wrapper(path: Path, alias: str) -> DatabaseWrapper:
    settings_dict: dict[str, Any] = {
        "ENGINE": "frontdesk.lib.sqlite", "NAME": str(path), "USER": "", "PASSWORD": "",
        "HOST": "", "PORT": "", "TIME_ZONE": None, "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {},
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE",
                    "timeout": BUSY_TIMEOUT},
    }
    return DatabaseWrapper(settings_dict, alias=alias)


def _begin(wrapper: DatabaseWrapper) -> None:
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(wrapper: DatabaseWrapper, *, commit: bool) -> None:
    if commit:
        wrapper.commit()
    else:
        wrapper.rollback()
    wrapper.set_autocommit(True)


class WriterQueueTests(SimpleTestCase):
    # Lifts the test runner's block on database access; the tests use their own file.
    databases = {"default"}

    def setUp(self) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.path = Path(self.folder.name) / "queue.sqlite3"
        self.first = _wrapper(self.path, "first")
        self.second = _wrapper(self.path, "second")
        self.second.inc_thread_sharing()  # it writes from another thread
        with self.first.cursor() as cursor:
            cursor.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, who TEXT)")

    def tearDown(self) -> None:
        self.first.close()
        self.second.close()
        self.second.dec_thread_sharing()
        self.folder.cleanup()

    def _second_writer(self, log: list[tuple[str, float]]) -> None:
        try:
            _begin(self.second)
        except Exception as error:  # recorded for the test to see
            log.append((f"second failed: {error}", time.monotonic()))
            return
        log.append(("second began", time.monotonic()))
        with self.second.cursor() as cursor:
            cursor.execute("INSERT INTO item (who) VALUES ('second')")
        _end(self.second, commit=True)

    def test_a_second_writer_waits_in_the_queue_until_the_first_commits(self) -> None:
        log: list[tuple[str, float]] = []
        _begin(self.first)
        with self.first.cursor() as cursor:
            cursor.execute("INSERT INTO item (who) VALUES ('first')")
        other = threading.Thread(target=self._second_writer, args=(log,))
        other.start()
        time.sleep(BUSY_TIMEOUT * 6)  # far past SQLite's busy timeout
        self.assertEqual(log, [], "the second writer began while the first held the lock")
        self.assertFalse(self.second._write_lock_held)
        committed = time.monotonic()
        _end(self.first, commit=True)
        other.join(10)
        self.assertFalse(other.is_alive())
        self.assertEqual(log[0][0], "second began")
        self.assertGreaterEqual(log[0][1], committed)
        with self.first.cursor() as cursor:
            cursor.execute("SELECT who FROM item ORDER BY id")
            self.assertEqual([row[0] for row in cursor.fetchall()], ["first", "second"])
        (self.path.parent / "queue.sqlite3.write-lock").stat()  # the queue's file

    def test_a_rollback_and_a_closed_connection_let_the_next_writer_in(self) -> None:
        _begin(self.first)
        _end(self.first, commit=False)
        self.assertFalse(self.first._write_lock_held)
        _begin(self.second)  # would wait forever if the rollback had kept the lock
        _end(self.second, commit=True)
        _begin(self.first)
        self.first.close()
        self.assertFalse(self.first._write_lock_held)
        log: list[tuple[str, float]] = []
        other = threading.Thread(target=self._second_writer, args=(log,))
        other.start()
        other.join(10)
        self.assertFalse(other.is_alive())
        self.assertEqual(len(log), 1)


class CheckpointTests(SimpleTestCase):
    databases = {"default"}

    def test_the_wal_is_copied_back_after_commits_not_inside_them(self) -> None:
        from frontdesk.lib.sqlite.base import CHECKPOINT_EVERY, _Checkpointer

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "wal.sqlite3"
            wrapper = _wrapper(path, "wal")
            with wrapper.cursor() as cursor:
                cursor.execute("PRAGMA wal_autocheckpoint=0")  # only ours
                cursor.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, who TEXT)")

            # Until a checkpoint, every change is in the WAL and the database file keeps the
            # size it had; a checkpoint copies the pages back into it.
            before = path.stat().st_size
            for number in range(CHECKPOINT_EVERY - 1):
                _begin(wrapper)
                with wrapper.cursor() as cursor:
                    cursor.execute("INSERT INTO item (who) VALUES (%s)", [f"w{number}" * 500])
                _end(wrapper, commit=True)
            self.assertEqual(path.stat().st_size, before)
            _begin(wrapper)
            with wrapper.cursor() as cursor:
                cursor.execute("INSERT INTO item (who) VALUES ('last')")
            _end(wrapper, commit=True)
            # The process's checkpointer thread copies them, beside the next requests.
            self.assertTrue(_Checkpointer.of(str(path)).settle(timeout=10))
            self.assertGreater(path.stat().st_size, before)
            wrapper.close()
