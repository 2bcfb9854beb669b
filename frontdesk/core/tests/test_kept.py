"""`Kept` (lib/kept.py): what a process keeps never passes its limit, and stays usable."""

from __future__ import annotations

from django.test import SimpleTestCase

from frontdesk.lib.kept import Kept


class KeptTests(SimpleTestCase):
    def test_things_counted_one_each_never_pass_the_limit(self) -> None:
        kept = Kept()
        for number in range(25):
            kept.keep(number, str(number), limit=10)
            self.assertLessEqual(len(kept), 10)
            self.assertEqual(kept[number], str(number))  # the newest is always there
        self.assertEqual(kept.size, len(kept))

    def test_things_counted_by_size_never_pass_the_limit(self) -> None:
        kept = Kept()
        for number in range(20):
            kept.keep(number, "x" * 30, limit=100, size=30)
            self.assertLessEqual(kept.size, 100)
            self.assertEqual(kept.size, 30 * len(kept))
        kept.clear()
        self.assertEqual((kept.size, len(kept)), (0, 0))
        # One thing larger than the limit is still kept (alone), not lost.
        kept.keep("big", "y" * 500, limit=100, size=500)
        self.assertEqual(list(kept), ["big"])
