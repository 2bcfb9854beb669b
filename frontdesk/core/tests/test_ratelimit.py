import datetime as dt
from unittest import mock

from django.test import TestCase, override_settings
from django.utils import timezone

from frontdesk.core.models import RateCounter
from frontdesk.core.ratelimit import allow, allow_all


class RateLimitTests(TestCase):
    def test_it_allows_up_to_the_limit_in_a_window(self) -> None:
        results = [allow("k", limit=3, window_seconds=3600) for _ in range(5)]
        self.assertEqual(results, [True, True, True, False, False])
        self.assertTrue(allow("other", limit=3, window_seconds=3600))

    @override_settings(FRONTDESK_RATE_SWEEP_ONE_IN=1)
    def test_a_new_window_starts_over_and_old_ones_are_swept(self) -> None:
        start = timezone.now().replace(minute=0, second=0, microsecond=0)
        with mock.patch("django.utils.timezone.now", return_value=start):
            for _ in range(3):
                allow("k", limit=2, window_seconds=3600)
            self.assertFalse(allow("k", limit=2, window_seconds=3600))
        later = start + dt.timedelta(days=1, hours=1, minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertTrue(allow("k", limit=2, window_seconds=3600))
        self.assertEqual(RateCounter.objects.filter(key="k").count(), 1)

    def test_allow_all_counts_every_key_and_refuses_when_one_is_over(self) -> None:
        self.assertTrue(allow_all([("ip", 3), ("mail", 1)]))
        # The e-mail is over its limit; the address is still counted.
        self.assertFalse(allow_all([("ip", 3), ("mail", 1)]))
        self.assertEqual(dict(RateCounter.objects.values_list("key", "count")),
                         {"ip": 2, "mail": 2})
        self.assertTrue(allow_all([("ip", 3)]))
        self.assertFalse(allow_all([("ip", 3)]))

    def test_a_key_given_twice_is_counted_once_against_the_lower_limit(self) -> None:
        self.assertTrue(allow_all([("k", 5), ("k", 1)]))
        self.assertFalse(allow_all([("k", 5), ("k", 1)]))
        self.assertEqual(RateCounter.objects.get(key="k").count, 2)
