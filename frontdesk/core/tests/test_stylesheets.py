"""Our style sheets use logical properties only (inline/block, start/end), so that a
right-to-left page (Persian) is the mirror of a left-to-right one without rules of its own. A
physical side is allowed only in a rule written for one direction (`html[dir="rtl"] …`)."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

import frontdesk

# A property naming a side, or a value placing something on one.
PHYSICAL = re.compile(
    r"(?<![\w-])(?:(?:margin|padding|border|inset)-(?:left|right)(?:-[a-z]+)*|left|right)\s*:"
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)\b")
RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")


def stylesheets() -> list[Path]:
    root = Path(frontdesk.__file__).parent
    return sorted(path for path in root.glob("*/static/**/*.css"))


def physical_rules(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found = []
    for selector, body in RULE.findall(css):
        selector = " ".join(selector.split())
        if PHYSICAL.search(body) and not all(
                part.strip().startswith("html[dir=") for part in selector.split(",")):
            found.append(f"{selector} {{{body.strip()}}}")
    return found


class LogicalPropertiesTests(SimpleTestCase):
    def test_the_checker_finds_a_physical_side(self) -> None:
        self.assertEqual(len(physical_rules(".a { margin-left: 1px } .b { text-align: right }"
                                            " .c { left: 0 } .d { margin-inline-start: 1px }"
                                            " .e { border-right-color: red }")),
                         4)
        self.assertEqual(physical_rules('html[dir="rtl"] .a { text-align: right }'), [])
        self.assertEqual(len(physical_rules('html[dir="rtl"] .a, .b { text-align: right }')), 1)

    def test_our_style_sheets_have_none(self) -> None:
        sheets = stylesheets()
        self.assertTrue(any(path.name == "app.css" for path in sheets))
        for path in sheets:
            with self.subTest(sheet=path.name):
                self.assertEqual(physical_rules(path.read_text(encoding="utf-8")), [])
