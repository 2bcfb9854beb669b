"""What a process keeps in memory to write pages faster, bounded by its size."""

from __future__ import annotations

from typing import Any


class KeptText(dict[Any, Any]):
    """A dict of things kept per process, each counted by the characters of text it holds:
    when keeping one more would pass the limit, everything is dropped and kept anew (a busy
    desk's pages are back in memory after one visit each). The limit is given with each
    thing kept, so a module's setting may change while the process runs (tests)."""

    chars = 0

    def keep(self, key: Any, value: Any, chars: int, limit: int) -> None:
        if self.chars + chars > limit:
            self.clear()
        self[key] = value
        self.chars += chars

    def clear(self) -> None:
        super().clear()
        self.chars = 0
