"""Amounts as people read them: in the page's language, with the currency's sign.

Babel knows how each language writes an amount, at about 15 µs an amount (it reads its
pattern and symbols each time): an account page of 50 lines writes 150. `_Writer` asks Babel
once per language and currency how it writes a probe amount, keeps what comes before and after
the digits (sign and currency sign included) and the two separators, and then writes every
amount with Python's own grouping (about 1 µs); a language whose digits are not the ones
Python writes keeps Babel's way (core/tests/test_money.py checks both agree)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, get_currency_precision, list_currencies
from django.utils.translation import get_language, to_locale

# ISO 4217 codes Babel knows; a document's currency must be one of them.
CURRENCIES = frozenset(code for code in list_currencies() if len(code) == 3)

_LOCALES: dict[str, Locale] = {}
_WRITERS: dict[tuple[str, str], Callable[[Decimal], str]] = {}
_PROBE = Decimal("1234567.891")


def _locale(language: str | None) -> Locale:
    code = language or "en"
    found = _LOCALES.get(code)
    if found is None:
        try:
            found = Locale.parse(to_locale(code))
        except (UnknownLocaleError, ValueError):
            found = Locale.parse("en")
        _LOCALES[code] = found
    return found


def _writer(language: str | None, currency: str) -> Callable[[Decimal], str]:
    key = (language or "en", currency)
    found = _WRITERS.get(key)
    if found is None:
        found = _WRITERS[key] = _make_writer(_locale(language), currency)
    return found


def _make_writer(locale: Locale, currency: str) -> Callable[[Decimal], str]:
    pattern = locale.currency_formats["standard"]
    digits = get_currency_precision(currency)
    step = Decimal(1).scaleb(-digits)

    def babel(amount: Decimal) -> str:
        return pattern.apply(amount, locale, currency=currency)

    symbols = locale.number_symbols.get("latn", {})
    table = str.maketrans({",": symbols.get("group", ","), ".": symbols.get("decimal", ".")})
    probe = _PROBE.quantize(step)
    number = f"{probe:,.{digits}f}".translate(table)
    shown, negative = babel(probe), babel(-probe)
    if shown.count(number) != 1 or negative.count(number) != 1:
        return babel
    before, after = shown.split(number)
    negative_before, negative_after = negative.split(number)

    def write(amount: Decimal) -> str:
        value = amount.quantize(step)
        text = f"{abs(value):,.{digits}f}".translate(table)
        if value < 0:
            return f"{negative_before}{text}{negative_after}"
        return f"{before}{text}{after}"

    return write


def money(amount: Decimal | int | None, currency: str, language: str | None = None) -> str:
    """`amount` in `currency`, written the way `language` (by default the active one) writes
    it."""
    if amount is None:
        return ""
    return _writer(language or get_language(), currency)(Decimal(amount))


def number(value: Decimal | int | None) -> str:
    """A quantity or a rate as the active language writes it, without trailing zeros."""
    if value is None:
        return ""
    return format_decimal(value, locale=_locale(get_language()))


def currency_choices() -> list[tuple[str, str]]:
    """Every currency, as "EUR · Euro" in the active language, by code."""
    names = _locale(get_language()).currencies
    return [(code, f"{code} · {names.get(code, code)}") for code in sorted(CURRENCIES)]
