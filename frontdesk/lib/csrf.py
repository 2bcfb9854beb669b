"""The CSRF token of a page: Django's `get_token`, with one read of the system's randomness
instead of sixty-four.

Django makes the secret and each token's mask with `get_random_string`, which asks
`secrets.choice` for every character: 32 `getrandom` calls and 32 Python-level draws for the
mask, 32 more for a new secret. On every page (each has the sign-out form) that was a twentieth
of a list page's time. Here both are drawn as one random integer of 256 bits, written in base
62 (`CSRF_ALLOWED_CHARS`). 62**32 is about 2**190.5: the 32 digits taken from 256 uniform bits
differ from uniform digits by less than 2**-65. The token is exactly Django's: the mask, then
the secret enciphered with it (`django.middleware.csrf._mask_cipher_secret`), checked by
Django's own `CsrfViewMiddleware`; the secret goes into `request.META` as `get_token` puts it,
so the middleware sets or renews the cookie the same way.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_BASE = len(CSRF_ALLOWED_CHARS)
_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_RANDOM_BITS = 256


def _random_digits() -> list[int]:
    """CSRF_SECRET_LENGTH random digits in base 62."""
    number = secrets.randbits(_RANDOM_BITS)
    digits = []
    for _ in range(CSRF_SECRET_LENGTH):
        number, digit = divmod(number, _BASE)
        digits.append(digit)
    return digits


def new_secret() -> str:
    return "".join([CSRF_ALLOWED_CHARS[digit] for digit in _random_digits()])


def get_token(request: HttpRequest) -> str:
    """A new masked token for a form on this page (what `django.middleware.csrf.get_token`
    returns): the cookie's secret if the request brought a valid one, else a new secret,
    which the middleware then sets as the cookie."""
    meta = request.META
    if "CSRF_COOKIE" in meta:
        secret = meta["CSRF_COOKIE"]
    else:
        secret = meta["CSRF_COOKIE"] = new_secret()
    # As Django does: a used cookie is sent again, which renews its expiry.
    meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    chars, index = CSRF_ALLOWED_CHARS, _INDEX
    mask = _random_digits()
    cipher = [chars[(index[char] + digit) % _BASE]
              for char, digit in zip(secret, mask, strict=True)]
    return "".join([chars[digit] for digit in mask] + cipher)
