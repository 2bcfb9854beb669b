"""`{% memo %}…{% endmemo %}`: a block of a template written once, then served from memory
while everything it reads stays the same.

A request page writes the same thirty posts and twenty activity lines on every visit, and each
cost more to write than the rest of the page's rows together: about 10 µs a post, most of it
Jinja's generic steps (an attribute read, an escape, a date in the reader's language and time
zone). `{% memo %}` keeps the HTML of its block per process, under a key made of

- the values of every variable the block reads, found when the template is compiled (the
  author lists nothing, so nothing can be forgotten);
- the page's language and time zone (words and dates in the block depend on them);
- the block itself (each block compiled has a number of its own).

A block may hold a whole list (`{% memo %}{% for post in posts %}…{% endfor %}{% endmemo %}`,
`posts` a tuple): the loop's variable is its own, and the list is in the key. Found, the list
costs one look-up instead of one per row (a row's look-up and the loop's steps around it cost
about 5 µs; thirty posts were a tenth of their page).

A block may call the page's own `_()`, `ngettext()`, `url()` and `static()` (named so, and
only called: their arguments are read as any value): given the same arguments, each writes the
same text for the page's language (in the key) and the site's address (a function made for the
page says what else it depends on as its `memo_key`, which joins the key). Labels and links
need not be worked out in the view for a block to be kept. The same names called outside a
page (an e-mail, Jinja's own functions) have no `memo_key`, and the block is written each time.

Only plain values make a key: strings (Markup too), numbers, dates and times, None, and tuples
of these (a post's row is a NamedTuple) or FrozenDicts of them (labels by value). A block that
reads anything else (a model instance, a request, a function such as `_` or `url`, a list, the
loop) is written every time, as if there were no memo: a model instance would compare equal to
its changed self, and a function's output depends on more than its identity. So the HTML
served from memory is the HTML the block would write again. Nothing of one page reaches
another unless every value it shows is the same.

What a block writes must follow from what it reads, the language and the time zone: no
filter or call in it may look at the clock or at the request (a call reads a function, and is
not kept anyway; a filter such as `|datetime` is, and writes an absolute date).

Memory: up to MEMO_CHARS_KEPT characters of HTML per process, then everything is dropped and
written again (a busy desk's pages are back in memory after one visit each).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from jinja2 import Environment, nodes, pass_context
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context
from jinja2.tests import TESTS
from markupsafe import Markup

from frontdesk.lib.dates import DateFormatter
from frontdesk.lib.kept import Kept

MEMO_CHARS_KEPT = 8_000_000

_places = itertools.count()
_PURE_TESTS = frozenset(TESTS)  # Jinja's own tests read their values only

_MEMO = Kept()

# The functions a block may call (see above), when the value under the name has a `memo_key`.
PURE_CALLS = frozenset(("_", "ngettext", "url", "static"))
_NO_KEY = object()

# A value that is what it is: its text and its equality say everything about it. (bool is an
# int, a datetime a date; str and int subclasses, Markup and choice enums among them, are as
# unchangeable as their base.) A Decimal is equal to another of the same value written with
# more digits (1.0 and 1.00): what a block writes of it (`|money`, `|number`, a comparison)
# depends on its value only.
_PLAIN = (str, int, float, dt.date, Decimal)
_PLAIN_TYPES = frozenset((str, Markup, int, bool, float, dt.datetime, dt.date, Decimal,
                          type(None)))


class FrozenDict(dict[Any, Any]):
    """A dict that refuses to change once made, of plain keys and values: plain itself, so a
    block may read it (labels by value, for a whole list's rows)."""

    __slots__ = ("_hash",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not (_all_plain(tuple(self)) and _all_plain(tuple(self.values()))):
            raise TypeError("a FrozenDict holds plain keys and values only")
        self._hash = hash(frozenset(self.items()))

    def __hash__(self) -> int:  # type: ignore[override]
        return self._hash

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a FrozenDict does not change")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse


def _all_plain(values: tuple[Any, ...]) -> bool:
    for value in values:
        if type(value) in _PLAIN_TYPES or type(value) is FrozenDict:
            continue
        if isinstance(value, tuple):
            if not _all_plain(value):
                return False
        elif not isinstance(value, _PLAIN):
            return False
    return True


# What a block may hold besides plain statements and expressions. Anything that reads the
# context without naming a variable (an include, an import, a block, a macro or call block,
# a filter or test that is passed the context) would write what its key does not show: such a
# block is refused when the template compiles.
_REFUSED = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends, nodes.Block,
            nodes.Macro, nodes.CallBlock, nodes.ContextReference,
            nodes.DerivedContextReference, nodes.ScopedEvalContextModifier)
# Filters whose output follows from their input (and the page's language and time zone).
PURE_FILTERS = frozenset((
    "datetime", "date", "filesize", "e", "escape", "string", "trim", "lower", "upper",
    "title", "capitalize", "default", "d", "length", "count", "int", "float", "abs", "round",
    "join", "replace", "truncate", "wordcount", "first", "last", "list", "sort", "unique",
    "min", "max", "sum", "center", "indent", "striptags", "urlencode", "format",
    "file_links", "money", "number",  # lib/jinja.py (the language is in the key)
))


def _names_read(body: list[nodes.Node], parser: Parser, lineno: int
                ) -> tuple[list[str], list[str]]:
    """The variables a block reads, in a fixed order (those it sets itself too: outside the
    block they are undefined, which is not a plain value, and the block is then not kept).
    The variable of a loop inside the block is its own inside that loop (each of its values
    comes from what the loop goes over, which the block reads): a block may hold a whole list.
    Second, the PURE_CALLS it calls (and reads no other way)."""
    names: set[str] = set()
    called: set[str] = set()

    def visit(node: nodes.Node, bound: frozenset[str]) -> None:
        if isinstance(node, _REFUSED):
            parser.fail(f"{{% memo %}} cannot hold {type(node).__name__}: its HTML "
                        "would depend on more than the variables it names", lineno)
        if isinstance(node, nodes.Filter | nodes.Test):
            known = PURE_FILTERS if isinstance(node, nodes.Filter) else _PURE_TESTS
            if node.name not in known:
                parser.fail(f"{{% memo %}} cannot use the {node.name!r} "
                            f"{type(node).__name__.lower()}", lineno)
        if isinstance(node, nodes.For) and not node.recursive:
            # `loop` is not among its variables: read, it makes the block be written each time.
            targets = [node.target, *node.target.find_all(nodes.Name)]
            inner = bound | {target.name for target in targets if isinstance(target, nodes.Name)}
            visit(node.iter, bound)
            for child in (*node.body, *([node.test] if node.test is not None else [])):
                visit(child, inner)
            for child in node.else_:  # runs when there was nothing to loop over
                visit(child, bound)
            return
        if (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name)
                and node.node.name in PURE_CALLS and node.node.name not in bound):
            called.add(node.node.name)
            arguments: list[nodes.Node | None] = [*node.args, *node.kwargs, node.dyn_args,
                                                  node.dyn_kwargs]
            for argument in arguments:
                if argument is not None:
                    visit(argument, bound)
            return
        if isinstance(node, nodes.Name) and node.name not in bound:
            names.add(node.name)
        for child in node.iter_child_nodes():
            visit(child, bound)

    for node in body:
        visit(node, frozenset())
    # A name also read as a value is a value: not plain, the block is written each time.
    return sorted(names), sorted(called - names)


class _Miss:
    """What `memo_find` gives for a block not in memory yet: the key to keep it under."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[Any, ...]) -> None:
        self.key = key

    def __bool__(self) -> bool:
        return False


class MemoExtension(Extension):
    """Compiles `{% memo %}body{% endmemo %}` to: look the block up (`memo_find`); when found,
    write what was kept; else write the body (a call block, as `{% call %}` makes) and keep it
    (`_keep`). The look-up is a filter, which a compiled template calls directly (a call goes
    through the context's `call`): a block found costs no more than it."""

    tags = {"memo"}

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["memo_find"] = memo_find

    def parse(self, parser: Parser) -> list[nodes.Node]:
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endmemo",), drop_needle=True)
        names, called = _names_read(body, parser, lineno)
        found = f"_memo_{lineno}"
        # Each block compiled has a place of its own (two blocks may share a line, and
        # templates made from strings share a name).
        place = f"{parser.name}:{lineno}:{next(_places)}"
        values = nodes.Tuple([nodes.Name(name, "load") for name in names], "load")
        functions = nodes.Tuple([nodes.Name(name, "load") for name in called], "load")
        find = nodes.Filter(values, "memo_find", [nodes.Const(place), functions], [], None,
                            None)
        keep = nodes.CallBlock(self.call_method("_keep", [nodes.Name(found, "load")]),
                               [], [], body)
        return [
            nodes.Assign(nodes.Name(found, "store"), find).set_lineno(lineno),
            nodes.If(nodes.Name(found, "load"), [nodes.Output([nodes.Name(found, "load")])],
                     [], [keep]).set_lineno(lineno),
        ]

    def _keep(self, found: _Miss | str | None, caller: Callable[[], str]) -> str:
        written = caller()
        if isinstance(found, _Miss):
            _remember(found.key, written)
        return written


@pass_context
def memo_find(context: Context, values: tuple[Any, ...], place: str,
              functions: tuple[Any, ...] = ()) -> str | _Miss | None:
    """The block's HTML if kept, else the key to keep it under; None when it reads a value
    that is not plain, or calls a function that is not the page's own (it is written every
    time)."""
    if not _all_plain(values):
        return None
    if functions:
        keys = tuple(getattr(function, "memo_key", _NO_KEY) for function in functions)
        if _NO_KEY in keys:
            return None
        values = (*values, keys)
    formatter = context.get("date_formatter")
    if isinstance(formatter, DateFormatter):
        locale = formatter.locale()
    else:
        locale = translation.get_language(), timezone.get_current_timezone()
    key = (place, locale, values)
    return _MEMO.get(key) or _Miss(key)


def _remember(key: tuple[Any, ...], written: str) -> None:
    _MEMO.keep(key, written, MEMO_CHARS_KEPT, len(written))


def forget_all() -> None:
    """Drop every block kept (tests)."""
    _MEMO.clear()
