"""The keys that say two customer records are probably the same company (SPEC C11).

Three keys, each stored in its own indexed column of the customer (`DuplicateKeyField`) and
written on every save and bulk insert, so finding duplicates is grouping on a column, never
comparing records with each other:
- the name without case, accents, punctuation, spaces and legal suffixes ("Acme Ltd." and
  "ACME" are both "acme");
- the domain of the e-mail address, unless it is a public mail provider's (two people with
  gmail.com addresses are not one company);
- the phone number's last nine digits (a country code or a trunk zero in front does not
  matter).
A record with no key of a kind stores NULL: the partial indexes leave it out.

Pure functions: the data migration that fills the keys of existing rows imports them too.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import models

# Letters NFKD does not take apart into a base letter and a mark.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe",
                          "ı": "i", "þ": "th"})

# Legal forms, as tokens once dots are gone ("B.V." is "bv", "Sp. z o.o." is "sp z oo",
# "A.Ş." is "as", "Ltd. Şti." is "ltd sti"). Only taken off the end of a name.
LEGAL_SUFFIXES: tuple[tuple[str, ...], ...] = tuple(sorted((
    ("ltd",), ("limited",), ("llc",), ("llp",), ("lp",), ("inc",), ("incorporated",),
    ("corp",), ("corporation",), ("co",), ("company",), ("plc",), ("gmbh",), ("ag",),
    ("kg",), ("ohg",), ("ug",), ("bv",), ("nv",), ("vof",), ("sa",), ("sas",), ("sarl",),
    ("srl",), ("spa",), ("sl",), ("ab",), ("as",), ("asa",), ("oy",), ("sro",), ("kft",),
    ("sp", "z", "oo"), ("spzoo",), ("sc",), ("sk",), ("ltd", "sti"), ("sti",),
    ("anonim", "sirketi"), ("limited", "sirketi"), ("pty",), ("pty", "ltd"), ("gmbh", "co", "kg"),
    ("ltda",), ("ev",),
), key=len, reverse=True))

# Mail providers whose addresses say nothing about the company.
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me",
    "protonmail.com", "gmx.com", "gmx.net", "gmx.de", "web.de", "t-online.de", "mail.com",
    "yandex.com", "yandex.ru", "yandex.com.tr", "mail.ru", "zoho.com", "hey.com",
    "hotmail.co.uk", "yahoo.co.uk", "outlook.de", "hotmail.de", "yahoo.de", "hotmail.fr",
    "yahoo.fr", "hotmail.nl", "live.nl", "outlook.nl", "ziggo.nl", "kpnmail.nl", "planet.nl",
    "wp.pl", "onet.pl", "o2.pl", "interia.pl", "op.pl", "gazeta.pl", "poczta.onet.pl",
    "tlen.pl", "hotmail.com.tr", "outlook.com.tr", "mynet.com", "windowslive.com",
})

PHONE_DIGITS_KEPT = 9
PHONE_DIGITS_MIN = 7
KEY_LENGTH = 120


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS))
    return "".join(char for char in text if not unicodedata.combining(char))


def name_key(name: str) -> str | None:
    """The company name reduced to what tells companies apart."""
    text = _folded(name).replace(".", "").replace("'", "").replace("’", "")
    tokens = [token for token in re.split(r"[\W_]+", text) if token]
    stripped = True
    while stripped and tokens:
        stripped = False
        for suffix in LEGAL_SUFFIXES:
            if len(tokens) > len(suffix) and tuple(tokens[-len(suffix):]) == suffix:
                del tokens[-len(suffix):]
                stripped = True
                break
    return "".join(tokens)[:KEY_LENGTH] or None


def email_domain_key(email: str) -> str | None:
    """The company's mail domain, or None for a public provider's address."""
    _local, at, domain = email.strip().lower().rpartition("@")
    domain = domain.strip().rstrip(".")
    if not at or not domain or domain in PUBLIC_MAIL_DOMAINS:
        return None
    return domain[:KEY_LENGTH]


def phone_key(phone: str) -> str | None:
    """The phone number's last digits: "+44 20 7946 0000" and "020 7946 0000" are one."""
    digits = "".join(char for char in phone if char.isdigit())
    if len(digits) < PHONE_DIGITS_MIN:
        return None
    return digits[-PHONE_DIGITS_KEPT:]


class DuplicateKeyField(models.CharField):
    """One of a customer's duplicate keys, computed from the record on every save and bulk
    insert by its `duplicate_key(attname)` method. Not edited, not shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("max_length", KEY_LENGTH)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        make = getattr(model_instance, "duplicate_key", None)
        if make is None:  # a migration's historical model has none of the model's methods
            value: str | None = super().pre_save(model_instance, add)
            return value
        value = make(self.attname)
        setattr(model_instance, self.attname, value)
        return value
