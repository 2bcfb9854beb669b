"""Cutting the quoted history and the signature off an e-mail's text (SPEC E2), so a reply
by e-mail reads like a reply in the portal. The mail programs' own markers are recognised in
the five languages of Frontdesk (I1) where they are known: English, Turkish, Polish, Dutch
and Persian."""

from __future__ import annotations

import re

# "On Tue, 3 Jan 2023 at 10:00, Jan <jan@example.com> wrote:" and its translations. Gmail
# may fold it over two lines: each line is also tried joined with the next.
_ATTRIBUTION = re.compile(
    r"^(?:"
    r"On\s.{1,200}\swrote:"  # English
    r"|Op\s.{1,200}\sschreef\s.{0,200}:"  # Dutch: "Op … schreef Jan <…>:"
    r"|Op\s.{1,200}\sheeft\s.{0,200}geschreven:"  # Dutch (Outlook)
    r"|W dniu\s.{1,200}\s(?:pisze|napisał(?:a|\(a\))?):"  # Polish
    r"|.{1,200}\starihinde\s.{0,200}(?:şunu yazdı|yazdı):"  # Turkish
    r")\s*$",
    re.IGNORECASE)
# Shorter forms, taken only with the writer's address on the line: "Jan <…> napisał(a):".
_ATTRIBUTION_WITH_ADDRESS = re.compile(
    r"^.{0,200}@.{0,200}(?:napisał(?:a|\(a\))?|şunu yazdı|yazdı|نوشت|wrote|schreef)\s*:\s*$",
    re.IGNORECASE)


def _is_attribution(line: str) -> bool:
    return bool(_ATTRIBUTION.match(line) or _ATTRIBUTION_WITH_ADDRESS.match(line))


# Outlook's "-----Original Message-----" and its translations.
_ORIGINAL = re.compile(
    r"^\s*-{3,}\s*(?:Original Message|Oorspronkelijk bericht|Origineel bericht"
    r"|Wiadomość oryginalna|Oryginalna wiadomość|Özgün ileti|Orijinal ileti|Asıl ileti"
    r"|پیام اصلی)\s*-{3,}\s*$",
    re.IGNORECASE)

# Outlook's quoted header block: "From: …" and, on one of the next lines, "Sent: …"/"Date: …".
_FROM = re.compile(r"^\s*\*?(?:From|Van|Od|Kimden|Gönderen|از)\s*:\*?\s", re.IGNORECASE)
_SENT = re.compile(r"^\s*\*?(?:Sent|Date|Verzonden|Datum|Wysłano|Wysłane|Data|Tarih|Gönderildi"
                   r"|Gönderilme|تاریخ|ارسال شده|ارسال)\s*:", re.IGNORECASE)
# What Outlook puts above that block.
_RULE = re.compile(r"^\s*(?:_{5,}|-{5,})\s*$")
_SIGNATURE = {"-- ", "--"}


def _cut_at(lines: list[str]) -> int:
    """The index of the first line of the quoted history or signature; len(lines) if none."""
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.rstrip("\r") in _SIGNATURE or line.rstrip() == "--":
            return index
        if _ORIGINAL.match(line):
            return index
        stripped = line.strip()
        if stripped and (_is_attribution(stripped) or (
                following.strip() and _is_attribution(f"{stripped} {following.strip()}"))):
            return index
        if _FROM.match(line) and any(_SENT.match(later) for later in lines[index + 1:index + 5]):
            return index
    return len(lines)


def trim_quoted(text: str) -> str:
    """`text` without its quoted history (the lines quoted with ">", an attribution line and
    all below it, Outlook's original message), its signature (below "-- ") and the blank
    lines that leaves. The whole text when nothing would be left (a message that is all
    quote, such as a forward)."""
    lines = text.replace("\r\n", "\n").split("\n")
    lines = lines[:_cut_at(lines)]
    kept = [line.rstrip() for line in lines if not line.lstrip().startswith(">")]
    while kept and (not kept[-1].strip() or _RULE.match(kept[-1])):
        kept.pop()
    trimmed = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return trimmed or text.strip()
