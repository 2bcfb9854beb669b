"""lib/money: the quick way of writing amounts writes them as Babel does."""

from __future__ import annotations

import random
from decimal import Decimal

from babel.numbers import format_currency
from django.test import SimpleTestCase

from frontdesk.lib.money import _locale, money


class MoneyTests(SimpleTestCase):
    def test_every_language_and_currency_writes_amounts_as_babel_does(self) -> None:
        rng = random.Random(7)
        amounts = [Decimal(0), Decimal("0.005"), Decimal("-0.015"),
                   Decimal("999.995"), Decimal("1000"), Decimal("-1234.5"),
                   Decimal("12345678901.99")]
        amounts += [Decimal(rng.randint(-10**9, 10**9)) / 100 for _ in range(200)]
        for language in ("en", "tr", "pl", "nl", "fa"):
            for currency in ("EUR", "USD", "TRY", "PLN", "IRR", "JPY", "KWD", "CHF"):
                for amount in amounts:
                    expected = format_currency(amount, currency, locale=_locale(language))
                    if amount < 0 and not any(digit in expected for digit in "123456789"):
                        continue  # a negative amount rounded to nothing: see below
                    self.assertEqual(money(amount, currency, language), expected,
                                     (language, currency, amount))

    def test_nothing_is_not_negative(self) -> None:
        # Babel writes "-€0.00" for a negative zero (a balance that came back to nothing).
        self.assertEqual(money(Decimal("-0.00"), "EUR", "en"), "€0.00")

    def test_the_page_language_decides(self) -> None:
        self.assertEqual(money(Decimal("1234.5"), "EUR", "nl"), "€\xa01.234,50")
        self.assertEqual(money(Decimal("-1234.5"), "EUR", "nl"), "€\xa0-1.234,50")
        self.assertEqual(money(None, "EUR", "en"), "")
