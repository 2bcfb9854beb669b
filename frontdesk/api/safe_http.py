"""POSTing to an address an organization gave us, without letting it reach our own network.

Webhook URLs are typed in by customers of the service: without a check, one pointing at
127.0.0.1, 10.x or the cloud's metadata address (169.254.169.254) would have our server call
its own internals (server-side request forgery). So the host is resolved and every address
it has must be public, unless FRONTDESK_WEBHOOKS_ALLOW_PRIVATE says otherwise (tests, or an
intranet installation); the connection then goes to the address that was checked, not to a
second lookup's answer (a DNS rebinding would otherwise pass the check and connect inside).
Redirects are not followed.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

RESPONSE_READ_LIMIT = 64 * 1024


class UnsafeURL(Exception):
    """The URL may not be called: its message says why, for the person who set it."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def split_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http or https URL, or UnsafeURL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeURL(_("Enter a valid URL.")) from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(_("The URL must start with http:// or https://."))
    if not parts.hostname:
        raise UnsafeURL(_("Enter a valid URL."))
    if parts.username or parts.password:
        raise UnsafeURL(_("The URL may not contain a user name or password."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def checked_address(host: str, port: int) -> str:
    """The address to connect to for `host`: the first it resolves to, after checking that
    none of them is private (loopback, private ranges, link-local, …) unless allowed."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(_("The host “%(host)s” could not be found.") % {"host": host}) from None
    addresses = [str(entry[4][0]) for entry in found]
    if not addresses:
        raise UnsafeURL(_("The host “%(host)s” could not be found.") % {"host": host})
    if not settings.FRONTDESK_WEBHOOKS_ALLOW_PRIVATE and not all(map(_is_public, addresses)):
        raise UnsafeURL(_("Webhooks may not be sent to a private or local network address."))
    return addresses[0]


def check_url(url: str) -> None:
    """Raise UnsafeURL unless `url` may be called (used when an endpoint is saved)."""
    _scheme, host, port, _path = split_url(url)
    checked_address(host, port)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST `body` to `url`; the response's status code. Raises UnsafeURL, OSError or
    http.client.HTTPException (a network failure)."""
    scheme, host, port, path = split_url(url)
    address = checked_address(host, port)
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, port, address, timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(RESPONSE_READ_LIMIT)
        return int(response.status)
    finally:
        connection.close()
