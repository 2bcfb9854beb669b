"""Text search by "contains", the same on SQLite and PostgreSQL, in every language we serve.

A searched record keeps one extra column, its searched text: the fields a search looks at,
each folded by `fold` and kept on a line of its own. A search folds its term the same way and
asks for the rows whose searched text contains it (`LIKE '%term%'`). So:

- case and accents do not matter, in every language and on both databases: "lodz" finds
  "Łódź", "istanbul" finds "İstanbul", "ISIK" finds "Işık", and Persian written with Arabic
  letters (ي, ك) finds the Persian ones (ی, ک). SQLite's own LIKE folds only ASCII letters;
- the database compares bytes: no `UPPER()` per row and field (on PostgreSQL that was most of
  a search's time at a few thousand customers, where the planner reads every row), and one
  trigram index per table answers every field (customers migration 0004);
- a phone number is also kept as its digits alone, so "0650 5550100" finds "+1 650 555 0100".

The column is written by `SearchTextField.pre_save`, which Django calls on every save and bulk
insert (and lib/inserts.py does too): a row can not be saved with a stale one. A plain
`QuerySet.update()` of a searched field would leave it stale: the models' services never do
that.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import models

# Letters that neither case folding nor decomposition bring to the one people type for them.
_SAME_LETTER = str.maketrans({
    "ı": "i",  # Turkish dotless i (İ folds to i + a combining dot, dropped below)
    "ł": "l",  # Polish
    "ø": "o", "đ": "d", "ħ": "h",
    "ي": "ی", "ى": "ی", "ك": "ک",  # Arabic yeh, alef maksura and kaf, as Persian writes them
    "ە": "ه", "ۀ": "ه", "ة": "ه",
    "\u200c": "", "\u200d": "", "\u00ad": "",  # zero-width (non-)joiner, soft hyphen
})
_SPACES = re.compile(r"\s+")
# A term is read as a phone number when it is made of these only (and has three digits).
_PHONE = re.compile(r"[\d\s+().\-/]+")
_NOT_DIGIT = re.compile(r"\D")
MIN_PHONE_DIGITS = 3


def fold(text: str) -> str:
    """`text` as it is compared: case-folded, without accents or other combining marks, with
    the letters of `_SAME_LETTER` made one, and every run of white space one space."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return _SPACES.sub(" ", folded.translate(_SAME_LETTER)).strip()


def phone_digits(text: str) -> str:
    """The digits of a phone number, or "" when `text` does not read as one."""
    if not _PHONE.fullmatch(text):
        return ""
    digits = _NOT_DIGIT.sub("", text)
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def searched_text(fields: Iterable[str], phones: Iterable[str] = ()) -> str:
    """What a record keeps in its searched text: each field folded on its own line (a term,
    which has no line break, never matches across two fields), then each phone's digits."""
    lines = [fold(field) for field in fields]
    lines += [phone_digits(phone) for phone in phones]
    return "\n".join(line for line in lines if line)


def search_terms(query: str, max_length: int) -> tuple[str, str | None]:
    """What a search for `query` looks for: the folded term, and the digits alone when the
    term reads as a phone number with separators ("650 555" also finds "6505550100")."""
    term = fold(query)[:max_length]
    digits = phone_digits(term)
    return term, (digits if digits and digits != term else None)


class SearchTextField(models.TextField):
    """A model's searched text, computed from the record on every save and bulk insert by
    its `searched_text()` method (see `searched_text`). Not edited, not shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        make = getattr(model_instance, "searched_text", None)
        if make is None:  # a migration's historical model has none of the model's methods
            return super().pre_save(model_instance, add)
        value: str = make()
        setattr(model_instance, self.attname, value)
        return value
