"""Reading an incoming e-mail whatever state it is in (SPEC E2): its headers, its text and its
files.

Mail arrives malformed more often than one would think: unknown or wrong charsets, 8-bit
bytes in headers, multiparts without their boundary, base64 with holes. The message is parsed
with the `compat32` policy, which keeps every header as the bytes it was given instead of
building (and failing on) structured header objects, and each value is decoded here with a
fallback at each step: the result is always text, at worst with replacement characters.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from frontdesk.mail.html_text import html_to_text

_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_bytes(data: bytes, charset: str | None) -> str:
    """`data` as text in `charset` if that is a charset we know and the bytes are valid in
    it; else UTF-8 if they are valid in that; else Windows-1252 (which takes any byte), the
    commonest mislabelled one."""
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            codecs.lookup(candidate)
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return data.decode("cp1252", errors="replace")


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def decode_header_value(value: object) -> str:
    """One header's value as text: encoded words (=?utf-8?b?…?=) decoded, raw 8-bit bytes
    read as UTF-8 (or Windows-1252), lines unfolded."""
    if value is None:
        return ""
    text = str(value)
    # The parser keeps undecodable bytes of a header as surrogates.
    if any("\udc80" <= char <= "\udcff" for char in text):
        text = decode_bytes(text.encode("ascii", "surrogateescape"), None)
    try:
        parts = decode_header(text)
    except Exception:  # a header the library cannot split: keep it as written
        parts = [(text, None)]
    decoded = "".join(part if isinstance(part, str) else decode_bytes(part, charset)
                      for part, charset in parts)
    return _clean(" ".join(decoded.split()))


def _address(value: str) -> tuple[str, str]:
    """(name, address) of the first address in a From-like header; the address lower-cased,
    or "" when it is not a valid one."""
    found = getaddresses([value])
    if not found:
        return "", ""
    name, address = found[0]
    address = address.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        return name.strip(), ""
    return name.strip().strip('"'), address


def message_ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value)


@dataclass(frozen=True)
class Envelope:
    """What the log shows and what finds a duplicate: read from the headers alone."""

    message_id: str
    from_name: str
    from_address: str
    subject: str


@dataclass
class IncomingFile:
    name: str
    content: bytes


@dataclass
class ParsedMessage:
    envelope: Envelope
    headers: dict[str, str]  # the first of each, by lower-case name
    references: list[str]  # In-Reply-To, then References (newest first)
    text: str  # the text as sent, quoted history and all
    files: list[IncomingFile] = field(default_factory=list)


def _parse(raw: bytes, *, headers_only: bool = False) -> Message:
    return BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=headers_only)


def _raw_header(message: Message, name: str) -> str | None:
    # The value as received: `get` would wrap a value with 8-bit bytes in a Header that
    # writes each of them as U+FFFD.
    wanted = name.lower()
    for key, value in message.raw_items():
        if key.lower() == wanted:
            return str(value)
    return None


def _envelope(message: Message) -> Envelope:
    found = message_ids(decode_header_value(_raw_header(message, "Message-ID")))
    name, address = _address(decode_header_value(_raw_header(message, "From")))
    return Envelope(message_id=found[0] if found else "", from_name=name[:200],
                    from_address=address[:254],
                    subject=decode_header_value(_raw_header(message, "Subject"))[:300])


def read_envelope(raw: bytes) -> Envelope:
    """The headers the receiving side stores (fast: the body is not parsed)."""
    return _envelope(_parse(raw, headers_only=True))


def _leaves(part: Message) -> list[Message]:
    # The parts that are not containers; an attached e-mail (message/rfc822) is one part,
    # a file, not text of this message.
    payload = part.get_payload()
    if part.get_content_maintype() == "multipart" and isinstance(payload, list):
        return [leaf for sub in payload if isinstance(sub, Message) for leaf in _leaves(sub)]
    return [part]


def _content(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        return inner.as_bytes(policy=policy.compat32) if isinstance(inner, Message) else b""
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _file_name(part: Message, number: int) -> str:
    try:
        name = part.get_filename()
    except Exception:  # a broken RFC 2231 parameter
        name = None
    name = decode_header_value(name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    if name:
        return name[:255]
    if part.get_content_type() == "message/rfc822":
        return f"message-{number}.eml"
    subtype = re.sub(r"[^a-z0-9]", "", part.get_content_subtype().lower())[:10] or "bin"
    return f"attachment-{number}.{subtype}"


def _is_attachment(part: Message) -> bool:
    disposition = str(part.get("Content-Disposition", "")).split(";")[0].strip().lower()
    if disposition == "attachment":
        return True
    if part.get_content_maintype() == "multipart":
        return False  # a multipart whose parts could not be split: read it as text
    # Images, documents, attached e-mails: files, inline or not.
    return part.get_content_type() not in ("text/plain", "text/html")


def parse_message(raw: bytes) -> ParsedMessage:
    """Everything processing needs of an e-mail. Never raises on a malformed message: what
    cannot be read is left out."""
    message = _parse(raw)
    headers: dict[str, str] = {}
    for name, value in message.raw_items():
        headers.setdefault(name.lower(), decode_header_value(value))
    references = (message_ids(headers.get("in-reply-to", ""))
                  + message_ids(headers.get("references", ""))[::-1])
    plain: str | None = None
    html: str | None = None
    files: list[IncomingFile] = []
    for part in _leaves(message):
        if _is_attachment(part):
            files.append(IncomingFile(name=_file_name(part, len(files) + 1),
                                      content=_content(part)))
            continue
        text = decode_bytes(_content(part), part.get_content_charset())
        if part.get_content_subtype() == "html":
            html = html if html is not None else text
        else:
            plain = plain if plain is not None else text
    if plain is not None and plain.strip():
        text = plain
    elif html is not None:
        text = html_to_text(html)
    else:
        text = plain or ""
    return ParsedMessage(envelope=_envelope(message), headers=headers,
                         references=list(dict.fromkeys(references)),
                         text=_clean(text.replace("\r\n", "\n").replace("\r", "\n")),
                         files=files)
