"""Dates in the active language's format, without Django's per-call format parsing.

`django.utils.formats.date_format` parses the format string on every call (~30 µs) and
translates month names and "a.m." anew for each date; a request page shows a date per row, per
post and per activity line. Here each format is compiled once per language into pieces: the
numeric codes are formatted directly, the words (months, weekdays, "a.m.", "noon" …) come
translated at compile time, and any other code is answered by Django's own DateFormat, so the
output is exactly Django's (a test compares the two in every language).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from django.utils import dateformat, dates, formats, timezone, translation

# Django's own messages, translated by Django's catalogues: under another name, so that our
# message extraction does not copy them into ours.
from django.utils.translation import gettext as djangos_gettext

Value = dt.datetime | dt.date
Piece = str | Callable[[Value], str]  # literal text, or a code

_NUMERIC: dict[str, Callable[[Value], str]] = {
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "Y": lambda v: f"{v.year:04d}",
    "y": lambda v: f"{v.year % 100:02d}",
    "H": lambda v: f"{getattr(v, 'hour', 0):02d}",
    "G": lambda v: str(getattr(v, "hour", 0)),
    "i": lambda v: f"{getattr(v, 'minute', 0):02d}",
    "s": lambda v: f"{getattr(v, 'second', 0):02d}",
    "g": lambda v: str(getattr(v, "hour", 0) % 12 or 12),
    "h": lambda v: f"{getattr(v, 'hour', 0) % 12 or 12:02d}",
}
# The same codes as expressions, for the writer compiled from a format (see `_writer`).
_NUMERIC_EXPRESSIONS = {
    "d": "v.day:02d", "j": "v.day", "m": "v.month:02d", "n": "v.month", "Y": "v.year:04d",
    "y": "v.year % 100:02d", "H": "getattr(v, 'hour', 0):02d", "G": "getattr(v, 'hour', 0)",
    "i": "getattr(v, 'minute', 0):02d", "s": "getattr(v, 'second', 0):02d",
    "g": "getattr(v, 'hour', 0) % 12 or 12", "h": "getattr(v, 'hour', 0) % 12 or 12:02d",
}
# Django's format codes (django/utils/dateformat.py): a letter not among them is literal.
_CODES = set("aAbBcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ")


def _hour_and_minute(value: Value) -> tuple[int, int]:
    return getattr(value, "hour", 0), getattr(value, "minute", 0)


def _words() -> dict[str, Callable[[Value], str]]:
    """The codes that are words, translated now (in the active language), as Django's
    DateFormat writes them."""
    am, pm = djangos_gettext("a.m."), djangos_gettext("p.m.")
    big_am, big_pm = djangos_gettext("AM"), djangos_gettext("PM")
    midnight, noon = djangos_gettext("midnight"), djangos_gettext("noon")
    months = {n: str(name) for n, name in dates.MONTHS.items()}
    months_3 = {n: str(name) for n, name in dates.MONTHS_3.items()}
    months_ap = {n: str(name) for n, name in dates.MONTHS_AP.items()}
    months_alt = {n: str(name) for n, name in dates.MONTHS_ALT.items()}
    weekdays = {n: str(name) for n, name in dates.WEEKDAYS.items()}
    weekdays_abbr = {n: str(name) for n, name in dates.WEEKDAYS_ABBR.items()}

    def f(value: Value) -> str:
        hour, minute = _hour_and_minute(value)
        hour12 = str(hour % 12 or 12)
        return hour12 if minute == 0 else f"{hour12}:{minute:02d}"

    def a(value: Value) -> str:
        return pm if _hour_and_minute(value)[0] > 11 else am

    written: dict[tuple[int, int], str] = {}  # a day has 1,440 minutes

    def p(value: Value) -> str:
        key = _hour_and_minute(value)
        found = written.get(key)
        if found is None:
            hour, minute = key
            if minute == 0 and hour == 0:
                found = midnight
            elif minute == 0 and hour == 12:
                found = noon
            else:
                found = f"{f(value)} {a(value)}"
            written[key] = found
        return found

    return {
        "a": a,
        "A": lambda v: big_pm if _hour_and_minute(v)[0] > 11 else big_am,
        "f": f,
        "P": p,
        "F": lambda v: months[v.month],
        "M": lambda v: months_3[v.month].title(),
        "b": lambda v: months_3[v.month],
        "N": lambda v: months_ap[v.month],
        "E": lambda v: months_alt[v.month],
        "l": lambda v: weekdays[v.weekday()],
        "D": lambda v: weekdays_abbr[v.weekday()],
    }


class _DjangoCode(str):
    """A format code Django's DateFormat answers (by its method of that name)."""

    __slots__ = ()


@functools.lru_cache(maxsize=256)
def writer_for(format_string: str, language: str | None) -> Callable[[Value], str]:
    """The function that writes a date (already in local time) with a Django format string,
    in a language."""
    with translation.override(language):
        words = _words()
    pieces: list[Piece] = []
    numeric: dict[int, str] = {}  # position of a piece -> its code, for `_writer`
    escaped = False
    for char in format_string:
        if escaped:
            pieces.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _NUMERIC:
            numeric[len(pieces)] = char
            pieces.append(_NUMERIC[char])
        elif char in words:
            pieces.append(words[char])
        elif char in _CODES:
            pieces.append(_DjangoCode(char))
        else:
            pieces.append(char)
    return _writer(tuple(pieces), numeric)


def _writer(pieces: tuple[Piece, ...], numeric: dict[int, str]) -> Callable[[Value], str]:
    """One function that writes the pieces: an f-string whose numeric codes are inline
    expressions and whose words and literals are looked up (no call per digit)."""
    if any(isinstance(piece, _DjangoCode) for piece in pieces):
        return functools.partial(_write_with_django, pieces)
    parts = []
    for position, piece in enumerate(pieces):
        if position in numeric:
            parts.append("{" + _NUMERIC_EXPRESSIONS[numeric[position]] + "}")
        elif isinstance(piece, str):
            parts.append(f"{{P[{position}]}}")
        else:
            parts.append(f"{{P[{position}](v)}}")
    source = 'lambda v: f"' + "".join(parts) + '"'
    # Built from our own fixed expressions and indexes only; the format's text stays in P.
    writer: Callable[[Value], str] = eval(source, {"P": pieces})  # noqa: S307
    return writer


def _write_with_django(pieces: tuple[Piece, ...], value: Value) -> str:
    django_format = dateformat.DateFormat(value)
    return "".join(
        str(getattr(django_format, piece)()) if isinstance(piece, _DjangoCode)
        else piece if isinstance(piece, str) else piece(value)
        for piece in pieces
    )


class DateFormatter:
    """Dates for one page: the active language, time zone and formats are looked up once,
    not for every date (a request page shows fifty; each lookup of the active language or
    time zone goes through asgiref's context-local storage)."""

    def __init__(self) -> None:
        # Looked up with the first date: many pages show none.
        self.language: str | None = None
        self.timezone: dt.tzinfo | None = None
        self._settled = False
        self._writers: dict[str, Callable[[Value], str]] = {}

    def locale(self) -> tuple[str | None, dt.tzinfo | None]:
        """The page's language and time zone: what its dates (and its words) depend on."""
        if not self._settled:
            self._settle()
        return self.language, self.timezone

    def _settle(self) -> None:
        self.language = translation.get_language()
        self.timezone = timezone.get_current_timezone()
        self._settled = True

    def __call__(self, value: Value, format_name: str) -> str:
        writer = self._writers.get(format_name)
        if writer is None:
            if not self._settled:
                self._settle()
            pattern = str(formats.get_format(format_name, self.language))
            writer = self._writers[format_name] = writer_for(pattern, self.language)
        if isinstance(value, dt.datetime) and value.utcoffset() is not None:
            value = value.astimezone(self.timezone)
        return writer(value)
