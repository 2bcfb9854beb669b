from __future__ import annotations

from collections import Counter

from django.http import HttpRequest, HttpResponse
from django.middleware import csrf as django_csrf
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    CsrfViewMiddleware,
)
from django.test import RequestFactory, SimpleTestCase

from frontdesk.lib.csrf import get_token, new_secret


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("done")


class PageTokenTests(SimpleTestCase):
    def setUp(self) -> None:
        self.factory = RequestFactory()
        self.middleware = CsrfViewMiddleware(_view)

    def _page(self, cookie: str | None = None) -> tuple[str, str]:
        """A page's token and the cookie the middleware sends with the page."""
        request = self.factory.get("/")
        if cookie:
            request.COOKIES["csrftoken"] = cookie
        self.middleware.process_request(request)
        self.middleware.process_view(request, _view, (), {})
        token = get_token(request)
        response = self.middleware.process_response(request, HttpResponse())
        return token, response.cookies["csrftoken"].value

    def _post(self, token: str, cookie: str) -> int:
        request = self.factory.post("/", {"csrfmiddlewaretoken": token})
        request.COOKIES["csrftoken"] = cookie
        request._dont_enforce_csrf_checks = False  # type: ignore[attr-defined]
        self.middleware.process_request(request)
        response = self.middleware.process_view(request, _view, (), {})
        return 200 if response is None else response.status_code

    def test_a_new_visitor_gets_a_cookie_and_a_token_djangos_middleware_accepts(self) -> None:
        token, cookie = self._page()
        self.assertEqual(len(token), CSRF_TOKEN_LENGTH)
        self.assertEqual(len(cookie), CSRF_SECRET_LENGTH)
        self.assertTrue(set(token + cookie) <= set(CSRF_ALLOWED_CHARS))
        self.assertEqual(django_csrf._unmask_cipher_token(token), cookie)  # type: ignore[attr-defined]
        self.assertEqual(self._post(token, cookie), 200)

    def test_a_returning_visitor_keeps_the_cookie_and_gets_a_new_mask(self) -> None:
        first, cookie = self._page()
        second, renewed = self._page(cookie)
        self.assertEqual(renewed, cookie)  # sent again: its expiry is renewed
        self.assertNotEqual(first[:CSRF_SECRET_LENGTH], second[:CSRF_SECRET_LENGTH])
        self.assertEqual(self._post(second, cookie), 200)
        self.assertEqual(self._post(first, cookie), 200)

    def test_a_token_of_another_cookie_or_altered_is_refused(self) -> None:
        token, cookie = self._page()
        _, other_cookie = self._page()
        self.assertEqual(self._post(token, other_cookie), 403)
        changed = token[:-1] + ("a" if token[-1] != "a" else "b")
        self.assertEqual(self._post(changed, cookie), 403)

    def test_the_characters_are_drawn_evenly(self) -> None:
        # 2,000 secrets: 64,000 characters, about 1,032 of each of the 62. A bias such as
        # digits taken from too few bits, or a character never drawn, is far outside this.
        counts = Counter("".join(new_secret() for _ in range(2000)))
        self.assertEqual(set(counts), set(CSRF_ALLOWED_CHARS))
        expected = 2000 * CSRF_SECRET_LENGTH / len(CSRF_ALLOWED_CHARS)
        chi_square = sum((n - expected) ** 2 / expected for n in counts.values())
        self.assertLess(chi_square, 120)  # 61 degrees of freedom: p < 0.00001 above 120
        positions = Counter(secret[0] for secret in (new_secret() for _ in range(3000)))
        self.assertGreater(len(positions), 55)  # the first character varies as well
