"""An HTML-only e-mail as plain text (SPEC E2). No HTML is ever stored: the message is
sanitized by nh3 first (scripts, styles and everything but plain structure dropped), then
read as text by the standard library's parser; what comes out is text, shown escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

# The structure that matters for reading: where lines and paragraphs break.
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5",
           "h6", "blockquote", "hr", "pre"}
# Removed with what they hold.
_DROPPED = {"script", "style", "head", "title", "template", "noscript", "object", "iframe"}
# Quoted history as mail programs mark it: a citation, Gmail's and Thunderbird's blocks.
_QUOTE_CLASSES = {"gmail_quote", "moz-cite-prefix", "yahoo_quoted"}
_QUOTE_IDS = {"divrplyfwdmsg", "appendonsend"}


def _sanitized(html: str) -> str:
    return nh3.clean(html, tags=_BLOCKS | {"a", "span"},
                     clean_content_tags=_DROPPED,
                     attributes={"div": {"class", "id"}, "blockquote": {"class", "type"}},
                     link_rel=None)


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._quoted_depth = 0  # inside quoted history: how many elements deep
        self._stack: list[bool] = []  # for each open div/blockquote: does it start a quote?

    def _starts_quote(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        return ((tag == "blockquote") or bool(classes & _QUOTE_CLASSES)
                or (values.get("id") or "").lower() in _QUOTE_IDS)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("div", "blockquote"):
            quote = self._starts_quote(tag, attrs)
            self._stack.append(quote)
            if quote:
                self._quoted_depth += 1
        if tag in _BLOCKS:
            self.chunks.append("\n")
        if tag == "li" and not self._quoted_depth:
            self.chunks.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("div", "blockquote") and self._stack and self._stack.pop():
            self._quoted_depth -= 1
        if tag in _BLOCKS and tag not in ("li", "tr"):  # one item or row a line
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._quoted_depth:
            self.chunks.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> str:
    writer = _TextWriter()
    writer.feed(_sanitized(html))
    writer.close()
    lines = [line.strip() for line in "".join(writer.chunks).replace("\xa0", " ").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
