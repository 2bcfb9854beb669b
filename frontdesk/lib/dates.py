"""Dates in the active language's format, without Django's per-call format parsing.

`django.utils.formats.date_format` parses the format string on every call (~30 µs); a request
page shows a date per post and per activity line. Here each format string is parsed once into
pieces; the numeric codes are formatted directly, any other code (month names, "a.m.", …) by
Django's own DateFormat, so the output is exactly Django's.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from django.utils import dateformat, formats, timezone

Piece = str | Callable[[dt.datetime | dt.date], str]  # literal text, or a numeric code

_NUMERIC: dict[str, Callable[[dt.datetime | dt.date], str]] = {
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
}
# Django's format codes (django/utils/dateformat.py): a letter not among them is literal.
_CODES = set("aAbBcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ")


class _DjangoCode(str):
    """A format code Django's DateFormat answers (by its method of that name)."""

    __slots__ = ()


@functools.lru_cache(maxsize=128)
def _compile(format_string: str) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    escaped = False
    for char in format_string:
        if escaped:
            pieces.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _NUMERIC:
            pieces.append(_NUMERIC[char])
        elif char in _CODES:
            pieces.append(_DjangoCode(char))
        else:
            pieces.append(char)
    return tuple(pieces)


def format_value(value: dt.datetime | dt.date, format_name: str) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    pieces = _compile(str(formats.get_format(format_name)))
    django_format: dateformat.DateFormat | None = None
    out = []
    for piece in pieces:
        if isinstance(piece, _DjangoCode):
            if django_format is None:
                django_format = dateformat.DateFormat(value)
            out.append(str(getattr(django_format, piece)()))
        elif isinstance(piece, str):
            out.append(piece)
        else:
            out.append(piece(value))
    return "".join(out)
