"""Django's SQLite backend, with writers queued on a lock file instead of polling.

SQLite has one writer at a time. A second writer's `BEGIN IMMEDIATE` waits in SQLite's busy
handler, which sleeps and retries (1, 2, 5, 10, 15, 20, 25 … ms): when the first writer commits
after 3 ms, the second one may sleep on until 8 or 18 ms. With several web workers and the task
worker writing, that sleep was most of a form submission's time under load (p99 ~770 ms).

Here a write transaction first takes an exclusive `flock` on `<database>.write-lock`, which the
kernel hands to the next waiter the moment the holder lets go, then BEGINs as before (SQLite's
own lock is still what guards the data; the file lock only orders the queue). The lock is
released at COMMIT or ROLLBACK, and with the connection. In-memory databases (the tests) have
one connection per database and need no queue.

Its cursors also remember the statements they rewrote for SQLite (see `Cursor`).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

from django.db.backends.sqlite3 import base
from django.utils.asyncio import async_unsafe

from frontdesk.lib.kept import Kept

logger = logging.getLogger(__name__)

# Commits of one connection between its checkpoints; SQLite's own automatic checkpoint stays as
# the backstop, at a size no busy site reaches between ours (settings.py: wal_autocheckpoint).
CHECKPOINT_EVERY = 25


# Statements rewritten by `Cursor`, each with what it became; a page runs the same few.
_QMARK = Kept()
_QMARK_KEPT = 2_000
_QMARK_LONGEST = 16_384  # longer ones (inserts of many rows …) are rewritten each time


class Cursor(base.SQLiteCursorWrapper):
    """Django's SQLite cursor, which rewrites every statement's `%s` into SQLite's `?` with a
    regular expression (30 ns a character: 50–100 µs a page, for statements of 1–2 KB), and
    here remembers the result per statement: a page's statements are the same on every
    request (lib/prepared.py keeps them as the same strings), so the rewrite runs once."""

    def convert_query(self, query: str, *, param_names: Sequence[str] | None = None) -> Any:
        if param_names is not None or len(query) > _QMARK_LONGEST:
            return super().convert_query(query, param_names=param_names)
        converted = _QMARK.get(query)
        if converted is None:
            converted = super().convert_query(query)
            _QMARK.keep(query, converted, _QMARK_KEPT)
        return converted


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock_fd: int | None = None
    _write_lock_held = False

    @async_unsafe
    def create_cursor(self, name: str | None = None) -> Cursor:
        assert self.connection is not None
        return self.connection.cursor(factory=Cursor)

    def _write_lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return f"{name}.write-lock"

    def _acquire_write_lock(self) -> None:
        path = self._write_lock_path()
        if path is None:
            return
        if self._write_lock_fd is None:
            self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
        self._write_lock_held = True

    def _release_write_lock(self) -> None:
        if self._write_lock_held and self._write_lock_fd is not None:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
        self._write_lock_held = False

    def _start_transaction_under_autocommit(self) -> None:
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            was_writing = self._write_lock_held
            self._release_write_lock()
        if was_writing:
            self._checkpoint_now_and_then()

    _commits = 0

    def _checkpoint_now_and_then(self) -> None:
        """Have the WAL copied back into the database every CHECKPOINT_EVERY commits, after
        the writer's turn is over, by the process's checkpointer thread (`_Checkpointer`).
        Left to SQLite, the commit that fills 1,000 pages does it inside its transaction,
        and every writer queued behind it waits (a 7 ms stall every 40 form submissions)."""
        self._commits += 1
        # In-memory databases (no lock file either) have no WAL.
        if self._commits % CHECKPOINT_EVERY == 0 and self._write_lock_path() is not None:
            _Checkpointer.of(str(self.settings_dict["NAME"])).ask()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_write_lock()
            if self._write_lock_fd is not None:
                os.close(self._write_lock_fd)
                self._write_lock_fd = None


class _Checkpointer:
    """A thread of this process, with its own connection, that runs a PASSIVE checkpoint of
    one database when asked (it waits for nobody and nobody waits for it).

    Run by the request that asked, a checkpoint held its worker for 5 ms every 25 commits,
    most of it waiting for the disk (the database file is synced after the copy). Here the
    request answers at once, and the copy and the sync go on beside the next requests:
    SQLite lets go of the interpreter while it works.
    """

    _made: dict[tuple[int, str], _Checkpointer] = {}
    _making = threading.Lock()

    @classmethod
    def of(cls, path: str) -> _Checkpointer:
        # Per process: a forked process has none of its parent's threads.
        key = (os.getpid(), path)
        checkpointer = cls._made.get(key)
        if checkpointer is None:
            with cls._making:
                checkpointer = cls._made.get(key)
                if checkpointer is None:
                    checkpointer = cls._made[key] = cls(path)
        return checkpointer

    def __init__(self, path: str) -> None:
        self.path = path
        self._asked = self._done = 0
        self._changed = threading.Condition()
        threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True).start()

    def ask(self) -> None:
        with self._changed:
            self._asked += 1
            self._changed.notify_all()

    def settle(self, timeout: float) -> bool:
        """Wait until every checkpoint asked for has run (tests); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self._done >= self._asked, timeout)

    def _run(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None)
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._asked > self._done)
                asked = self._asked
            try:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                logger.exception("Checkpoint of %s failed", self.path)
            with self._changed:
                self._done = asked
                self._changed.notify_all()
