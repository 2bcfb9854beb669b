import datetime as dt

from django.conf import settings
from django.test import SimpleTestCase
from django.utils import dateformat, formats, timezone, translation

from frontdesk.lib.dates import DateFormatter, writer_for

SAMPLES = [
    dt.datetime(2026, 1, 5, 0, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 25, 22, 47, 9, tzinfo=dt.UTC),
    dt.datetime(1999, 12, 31, 9, 5, tzinfo=dt.UTC),
    dt.datetime(2026, 6, 7, 12, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 2, 28, 0, 45, tzinfo=dt.UTC),
    dt.datetime(2026, 5, 3, 13, 0, tzinfo=dt.UTC),
]
# Every code that is a word (months, weekdays, a.m., noon …), next to numeric ones.
WORDY_FORMAT = r"D l F M b N E, j n y, a A P f g h G H i s"



class FastDateFormatTests(SimpleTestCase):
    def test_it_writes_exactly_what_django_writes_in_every_language(self) -> None:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for name in ("SHORT_DATETIME_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT",
                             "DATE_FORMAT"):
                    for value in SAMPLES:
                        expected = formats.date_format(timezone.localtime(value), name)
                        self.assertEqual(DateFormatter()(value, name), expected,
                                         f"{language} {name} {value}")
                        if "TIME" not in name:
                            self.assertEqual(DateFormatter()(value.date(), name),
                                             formats.date_format(value.date(), name))

    def test_the_words_are_djangos_in_every_language(self) -> None:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for value in SAMPLES:
                    local = timezone.localtime(value)
                    self.assertEqual(writer_for(WORDY_FORMAT, language)(local),
                                     dateformat.format(local, WORDY_FORMAT), f"{language} {value}")

    def test_escaped_letters_stay_literal(self) -> None:
        value = dt.datetime(2026, 3, 4, tzinfo=dt.UTC)
        with self.settings(DATE_FORMAT=r"\d\e \Y Y, M"), translation.override(None):
            self.assertEqual(DateFormatter()(value.date(), "DATE_FORMAT"), "de Y 2026, Mar")

    def test_a_page_formatter_keeps_the_zone_and_language_of_its_first_date(self) -> None:
        value = dt.datetime(2026, 11, 25, 22, 47, tzinfo=dt.UTC)
        formatter = DateFormatter()  # looks nothing up until it writes a date
        with timezone.override("Europe/Istanbul"), translation.override("tr"):
            expected = formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
            self.assertEqual(formatter(value, "DATETIME_FORMAT"), expected)
        self.assertIn("Kasım", expected)  # 26 November, 01:47 in Istanbul
        self.assertIn("26", expected)
        self.assertEqual(formatter(value, "DATETIME_FORMAT"), expected)
        with translation.override("tr"):
            expected_date = formats.date_format(value.date(), "SHORT_DATE_FORMAT")
        # First used under Turkish, it stays Turkish whatever is active when it is used.
        with translation.override("en"):
            self.assertEqual(formatter(value.date(), "SHORT_DATE_FORMAT"), expected_date)
