"""What a process keeps in memory to answer faster, bounded by its size."""

from __future__ import annotations

from typing import Any


class Kept(dict[Any, Any]):
    """A dict of things a process keeps (URLs, checked sessions, written HTML …), bounded:
    each thing counts `size` (1, or the characters of text it holds), and when keeping one
    more would pass the limit, everything is dropped and kept anew (a busy desk's pages are
    back in memory after one visit each). `size` is what was kept since the last drop. The
    limit is given with each thing kept, so a module's setting may change while the process
    runs (tests)."""

    size = 0

    def keep(self, key: Any, value: Any, limit: int, size: int = 1) -> None:
        if self.size + size > limit:
            self.clear()
        self[key] = value
        self.size += size

    def clear(self) -> None:
        super().clear()
        self.size = 0
