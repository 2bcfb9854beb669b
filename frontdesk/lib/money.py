"""Amounts as people read them: in the page's language, with the currency's sign."""

from __future__ import annotations

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, list_currencies
from django.utils.translation import get_language, to_locale

# ISO 4217 codes Babel knows; a document's currency must be one of them.
CURRENCIES = frozenset(code for code in list_currencies() if len(code) == 3)

_LOCALES: dict[str, Locale] = {}


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


def money(amount: Decimal | int | None, currency: str) -> str:
    """`amount` in `currency`, written the way the active language writes it."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=_locale(get_language()))


def number(value: Decimal | int | None) -> str:
    """A quantity or a rate as the active language writes it, without trailing zeros."""
    if value is None:
        return ""
    return format_decimal(value, locale=_locale(get_language()))


def currency_choices() -> list[tuple[str, str]]:
    """Every currency, as "EUR · Euro" in the active language, by code."""
    names = _locale(get_language()).currencies
    return [(code, f"{code} · {names.get(code, code)}") for code in sorted(CURRENCIES)]
