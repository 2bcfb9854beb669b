"""The translations: every message of the code in every language of the product, with the same
placeholders, and real pages and e-mails that come out in the organization's language.

The messages are extracted from the code here, in-process, as `make messages` does (the
mapping of babel.cfg and the keywords of the Makefile), so a new string that nobody translated
fails the suite. Pages and e-mails go through the compiled .mo files: `make test` compiles them
first; before running pytest on its own, run `.venv/bin/pybabel compile -d frontdesk/locale -D
django` (a test below says so when a .mo file is missing or older than its .po file).
"""

from __future__ import annotations

import gettext as gettext_module
import os
import re
import shlex
from collections.abc import Callable, Iterable
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.util import pathmatch
from django.conf import settings
from django.test import SimpleTestCase
from django.utils import translation

from frontdesk.core.testing import FrontdeskTestCase, html_of, text_of
from frontdesk.organizations.models import Organization
from frontdesk.support.models import Topic
from frontdesk.support.services import create_request

ROOT = Path(settings.BASE_DIR)
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
# The source language is English; every other language of the product has a catalogue.
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

FIX_HINT = (
    "Run `make messages`, translate the new or changed messages in "
    "frontdesk/locale/<language>/LC_MESSAGES/django.po (and remove their `#, fuzzy` flag), then "
    "`.venv/bin/pybabel compile -d frontdesk/locale -D django`."
)
COMPILE_HINT = (
    "Compile the catalogues: `.venv/bin/pybabel compile -d frontdesk/locale -D django` "
    "(`make test` does it before pytest)."
)

# The plural form each language picks for a few numbers: Turkish and Persian as Django's own
# catalogues have them (two forms, n > 1), Polish with its three forms.
PLURAL_SAMPLES: dict[str, dict[int, int]] = {
    "tr": {0: 0, 1: 0, 2: 1, 5: 1},
    "fa": {0: 0, 1: 0, 2: 1, 5: 1},
    "nl": {0: 1, 1: 0, 2: 1, 5: 1},
    "pl": {0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 12: 2, 14: 2, 21: 2, 22: 1, 25: 2, 104: 1, 112: 2},
}

# Python %-placeholders (named or not, "%%" included) and str.format placeholders.
PLACEHOLDER = re.compile(
    r"%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?[diouxXeEfFgGcrsa%]"
    r"|\{[^{}]*\}"
)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


@cache
def po_catalog(language: str) -> Catalog:
    with po_path(language).open("rb") as po_file:
        return read_po(po_file, locale=language)


def makefile_keywords() -> list[str]:
    """The -k keywords of `make messages` (BABEL_KEYWORDS in the Makefile)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^BABEL_KEYWORDS\s*:?=((?:[^\n]*\\\n)*[^\n]*)", text, re.MULTILINE)
    assert match, "BABEL_KEYWORDS is no longer defined in the Makefile"
    return shlex.split(match.group(1).replace("\\\n", " "))


def directory_filter(method_map: Iterable[tuple[str, str]]) -> Callable[[str], bool]:
    """pybabel's own rule (skip dot and underscore folders and `ignore` patterns), and no walk
    through top-level folders that no pattern of babel.cfg can match (bench/, var/ …)."""
    method_map = list(method_map)
    tops = {pattern.split("/", 1)[0] for pattern, _method in method_map}
    any_top = any(char in top for top in tops for char in "*?[")

    def keep(dirpath: str) -> bool:
        relative = os.path.relpath(dirpath, ROOT).replace(os.sep, "/")
        if relative.rsplit("/", 1)[-1].startswith((".", "_")):
            return False
        if any(method == "ignore" and pathmatch(pattern, relative)
               for pattern, method in method_map):
            return False
        return any_top or relative.split("/", 1)[0] in tops

    return keep


@cache
def source_messages() -> dict[tuple[str, str | None], Message]:
    """The messages of the code now, keyed by (msgid, context), as `make messages` sees them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    keywords: dict[str, Any] = dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords(makefile_keywords()))
    catalog = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords,
        directory_filter=directory_filter(method_map),
    ):
        catalog.add(message, None, [(filename, lineno)], context=context)
    return {(msgid_of(m), m.context): m for m in catalog if m.id}


def msgid_of(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def strings_of(message: Message) -> list[str]:
    string = message.string
    if isinstance(string, str):
        return [string]
    return list(string or ())


def placeholders(text: str) -> set[str]:
    found = set(PLACEHOLDER.findall(text))
    # Jinja's newstyle gettext %-formats every message, so a lone "%" breaks the page.
    if "%" in PLACEHOLDER.sub("", text):
        found.add("a lone %")
    return found


def describe(message: Message) -> str:
    label = repr(msgid_of(message))
    if message.context:
        label = f"{message.context!r} | {label}"
    if message.locations:
        filename, lineno = message.locations[0]
        label += f" ({filename}:{lineno})"
    return label


def translated(language: str, msgid: str) -> str:
    """The translation in the .po file (not through the .mo, which may be missing or stale)."""
    entry = po_catalog(language).get(msgid)
    string = entry.string if entry is not None else None
    assert entry is not None and isinstance(string, str) and string and not entry.fuzzy, (
        f"{msgid!r} is not translated into {language}. {FIX_HINT}")
    assert string != msgid, f"{msgid!r} is left in English in {language}"
    return string


def direction(language: str) -> str:
    return "rtl" if language in settings.LANGUAGES_BIDI else "ltr"


def subject_of(message: EmailMessage) -> str:
    # A long encoded subject is folded on the wire; compare it without that whitespace.
    return " ".join(str(message["Subject"]).split())


def report(problems: list[str], heading: str, hint: str, limit: int = 40) -> str:
    shown = "\n  ".join(problems[:limit])
    more = f"\n  … and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{heading} ({len(problems)}):\n  {shown}{more}\n{hint}"


class CatalogueTests(SimpleTestCase):
    def fail_on(self, problems: list[str], heading: str, hint: str) -> None:
        if problems:
            self.fail(report(problems, heading, hint))

    def test_the_product_has_a_catalogue_for_each_language(self) -> None:
        self.assertTrue(LANGUAGES)
        for language in LANGUAGES:
            self.assertTrue(po_path(language).is_file(), f"{po_path(language)} is missing. "
                            f"{FIX_HINT} (add the language to LANGUAGES in the Makefile)")

    def test_the_extraction_finds_the_messages_of_code_and_templates(self) -> None:
        locations = {filename for message in source_messages().values()
                     for filename, _line in message.locations}
        self.assertTrue(any(f.endswith(".py") for f in locations))
        self.assertTrue(any(f.endswith(".html") for f in locations))
        self.assertTrue(any(f.endswith(".txt") for f in locations))
        self.assertIn(("Log in to %(org)s", None), source_messages())

    def test_every_message_of_the_code_is_translated_in_every_language(self) -> None:
        problems = []
        for language in LANGUAGES:
            catalog = po_catalog(language)
            for (msgid, context), source in source_messages().items():
                entry = catalog.get(msgid, context)
                if entry is None:
                    problem = "not in the catalogue"
                elif entry.fuzzy:
                    problem = "fuzzy"
                elif source.id != entry.id:
                    problem = "its plural changed in the code"
                elif not all(strings_of(entry)):
                    problem = "not translated"
                elif entry.pluralizable and len(strings_of(entry)) != catalog.num_plurals:
                    problem = f"needs {catalog.num_plurals} plural forms"
                else:
                    continue
                problems.append(f"[{language}] {describe(source)}: {problem}")
        self.fail_on(problems, "Messages of the code without a translation", FIX_HINT)

    def test_translations_keep_the_placeholders_of_their_message(self) -> None:
        problems = []
        for language in LANGUAGES:
            for entry in po_catalog(language):
                if not entry.id or entry.fuzzy:
                    continue
                ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
                expected = set().union(*(placeholders(msgid) for msgid in ids))
                for index, string in enumerate(strings_of(entry)):
                    if string and placeholders(string) != expected:
                        form = f" (plural form {index})" if entry.pluralizable else ""
                        problems.append(
                            f"[{language}] {describe(entry)}{form}: has "
                            f"{sorted(placeholders(string))}, expected {sorted(expected)}")
        self.fail_on(problems, "Translations whose placeholders differ",
                     "Keep every %(name)s / {name} of the message.")

    def test_each_catalogue_has_the_plural_forms_of_its_language(self) -> None:
        for language in LANGUAGES:
            samples = PLURAL_SAMPLES.get(language)
            if samples is None:
                continue
            catalog = po_catalog(language)
            self.assertEqual(catalog.num_plurals, len(set(samples.values())),
                             f"Plural-Forms of {po_path(language)}")
            plural = gettext_module.c2py(catalog.plural_expr)
            self.assertEqual({n: plural(n) for n in samples}, samples,
                             f"Plural-Forms of {po_path(language)}: {catalog.plural_expr}")

    def test_arrows_point_the_way_the_language_reads(self) -> None:
        mirrored = str.maketrans("←→", "→←")
        problems = []
        for language in LANGUAGES:
            for entry in po_catalog(language):
                if not isinstance(entry.id, str) or not set("←→") & set(entry.id):
                    continue
                arrows = "".join(c for c in entry.id if c in "←→")
                if direction(language) == "rtl":
                    arrows = arrows.translate(mirrored)
                got = "".join(c for c in "".join(strings_of(entry)) if c in "←→")
                if got != arrows:
                    problems.append(f"[{language}] {describe(entry)}: {got!r}, expected "
                                    f"{arrows!r}")
        self.fail_on(
            problems, "Arrows in the wrong direction",
            "In a right-to-left language the browser mirrors the layout but not the arrow "
            "glyphs: “← Newer” becomes “→ …”.")

    def test_persian_is_written_with_persian_letters(self) -> None:
        # Arabic yeh and kaf look alike but break search and sorting for Persian readers.
        problems = [
            f"[fa] {describe(entry)}"
            for entry in (po_catalog("fa") if "fa" in LANGUAGES else [])
            if entry.id and set("".join(strings_of(entry))) & {"\u064a", "\u0643"}
        ]
        self.fail_on(problems, "Persian translations with Arabic ي or ك",
                     "Use the Persian letters ی (U+06CC) and ک (U+06A9).")

    def test_the_compiled_catalogues_match_the_po_files(self) -> None:
        problems = []
        for language in LANGUAGES:
            mo_path = po_path(language).with_suffix(".mo")
            if not mo_path.is_file():
                problems.append(f"{mo_path} is missing")
                continue
            with mo_path.open("rb") as mo_file:
                compiled = read_mo(mo_file)
            # Babel's read_mo keeps message contexts as bytes (python-babel/babel#1147).
            for message in list(compiled):
                if isinstance(message.context, bytes):
                    compiled.delete(message.id, message.context)
                    message.context = message.context.decode()
                    compiled[message.id] = message
            stale = [
                entry for entry in po_catalog(language)
                if entry.id and not entry.fuzzy and all(strings_of(entry))
                and ((found := compiled.get(entry.id, entry.context)) is None
                     or strings_of(found) != strings_of(entry))
            ]
            if stale:
                problems.append(f"{mo_path} is older than its .po file "
                                f"({len(stale)} messages differ, e.g. {describe(stale[0])})")
        self.fail_on(problems, "Compiled catalogues", COMPILE_HINT)


class TranslatedPagesAndEmailsTests(FrontdeskTestCase):
    """What a customer and the staff see, in each language the organization can have."""

    def tearDown(self) -> None:
        # The views activate the organization's language in this thread; leave it as found.
        translation.deactivate()
        super().tearDown()

    def use_language(self, language: str) -> None:
        Organization.objects.filter(pk=self.org_a.pk).update(language=language)

    def test_the_portal_login_page_is_in_the_organizations_language(self) -> None:
        for language in LANGUAGES:
            self.use_language(language)
            response = self.client.get("/p/acme-support/login/")
            prefix = f"[{language}]"
            self.assertEqual(response.status_code, 200, prefix)
            self.assertEqual(response["Content-Language"], language, prefix)
            self.assertContains(response, f'<html lang="{language}" dir="{direction(language)}">',
                                msg_prefix=prefix)
            self.assertContains(
                response, translated(language, "Log in to %(org)s") % {"org": "Acme Support"},
                msg_prefix=prefix)
            self.assertContains(response, translated(language, "Send me a link"),
                                msg_prefix=prefix)
            self.assertNotContains(response, "Log in to Acme Support", msg_prefix=prefix)

    def test_the_staff_request_list_is_in_the_organizations_language(self) -> None:
        self.login_staff(self.agent_a)
        for language in LANGUAGES:
            self.use_language(language)
            response = self.client.get("/app/acme-support/requests/")
            prefix = f"[{language}]"
            self.assertEqual(response["Content-Language"], language, prefix)
            self.assertContains(response, f'dir="{direction(language)}"', msg_prefix=prefix)
            self.assertContains(response, f"<h1>{translated(language, 'Requests')}</h1>",
                                msg_prefix=prefix)
            self.assertContains(response, translated(language, "Log out"), msg_prefix=prefix)

    def test_request_emails_go_out_in_the_organizations_language(self) -> None:
        for language in LANGUAGES:
            self.use_language(language)
            self.smtp.clear()
            topic = Topic.objects.for_org(self.org_a).get()
            with self.sending():
                task = create_request(topic=topic, requester=self.portal_a1,
                                      title=f"Printer ({language})", description="It smokes.")
            prefix = f"[{language}] "

            [confirmation] = self.smtp.to("peter@initech.test")
            self.assertEqual(
                subject_of(confirmation),
                f"[{task.reference}] "
                + translated(language, "We received your request: %(title)s")
                % {"title": task.title}, prefix)
            self.assertIn(translated(language, "Hello %(name)s,") % {"name": "Peter"},
                          text_of(confirmation), prefix)
            html = html_of(confirmation)
            self.assertIn(f'<html lang="{language}" dir="{direction(language)}">', html, prefix)
            self.assertIn(translated(language, "View my requests"), html, prefix)

            [notice] = self.smtp.to("agent@acme.test")
            self.assertEqual(
                subject_of(notice),
                f"[{task.reference}] "
                + translated(language, "New request: %(title)s") % {"title": task.title},
                prefix)
            self.assertIn(
                translated(language, "%(requester)s sent a new request to %(org)s:")
                % {"requester": "Peter", "org": "Acme Support"},
                text_of(notice), prefix)
