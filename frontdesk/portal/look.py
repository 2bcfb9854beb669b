"""An organization's own style sheet for its portal (SPEC P13; seed 002, "CSS URL for a custom
theme").

The sheet is the organization's to write, and it reaches every customer's browser, so what it may
do is narrowed to styling. A style sheet cannot run a script in a current browser, but it can
still send out what a page holds: an attribute selector with a background image from another
host ("input[value^=a] { background: url(https://…/a) }") leaks a form's hidden values one
character at a time. So a sheet may not load anything from elsewhere: no @import, and url() only
for a path of this site or an image given inline (data:image/…). CSS escapes are refused as
well: "\\75rl(" is "url(" to the browser and would slip past the check.
"""

from __future__ import annotations

import hashlib
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_CSS_CHARS = 50_000
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
# What loads or runs something: old browsers' script hooks, imports, and the way out of a <style>
# element (the sheet is served as a file, but may be pasted elsewhere).
_FORBIDDEN = ("@import", "expression(", "javascript:", "-moz-binding", "behavior:", "</")
# An address of another host anywhere, in url() or in a string (image-set("https://…")), and one
# that names no scheme ("//host/…").
_REMOTE = re.compile(r"[a-z][a-z0-9+.-]*:\s*//|[\"'(]\s*//", re.IGNORECASE)


def check_css(css: str) -> None:
    """Refuse a style sheet that could load from elsewhere or hide what it does (see above)."""
    if len(css) > MAX_CSS_CHARS:
        raise ValidationError(_("The style sheet is too long: at most %(count)s characters.")
                              % {"count": f"{MAX_CSS_CHARS:,}"}, code="too_long")
    lowered = css.lower()
    if "\\" in css:
        raise ValidationError(_("Escapes with a backslash are not allowed in the style sheet."),
                              code="escape")
    for needle in _FORBIDDEN:
        if needle in lowered:
            raise ValidationError(_("“%(text)s” is not allowed in the style sheet.")
                                  % {"text": needle}, code="forbidden")
    remote = _REMOTE.search(css)
    if remote:
        raise ValidationError(
            _("The style sheet may use images of this site or inline images only, not %(url)s.")
            % {"url": re.split(r"[\s\"')]", css[remote.start():].lstrip("\"'( "))[0][:80]},
            code="remote_url")
    for match in _URL.finditer(css):
        target = match.group(2).strip()
        if target.lower().startswith("data:image/"):
            continue
        if ":" in target or target.startswith("//"):
            raise ValidationError(
                _("The style sheet may use images of this site or inline images only, "
                  "not %(url)s.") % {"url": target[:80]}, code="remote_url")


def css_version(css: str) -> str:
    """The name a sheet is served under: a new sheet gets a new address, so browsers may keep
    each one as long as they like."""
    return hashlib.sha256(css.encode()).hexdigest()[:12] if css else ""
