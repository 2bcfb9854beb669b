"""The Jinja2 environment every page and e-mail is rendered with."""

from __future__ import annotations

import datetime as dt
import functools
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import markupsafe
from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext, trans_real
from jinja2 import Environment, Template, pass_context, pass_eval_context, select_autoescape
from jinja2.compiler import CodeGenerator
from jinja2.environment import TemplateModule
from jinja2.nodes import EvalContext, Node
from jinja2.runtime import Context, new_context
from jinja2.utils import _PassArg
from markupsafe import Markup

from frontdesk.lib import form_html
from frontdesk.lib.dates import DateFormatter
from frontdesk.lib.kept import Kept
from frontdesk.lib.money import money, number

_URLS = Kept()
_URLS_KEPT = 20_000


def _remembered(prefix: str, urlconf: Any, name: str, args: tuple[Any, ...]) -> str:
    """`reverse(name, args)` under this script prefix and URLconf (those in effect), kept."""
    key = (prefix, urlconf, name, *args)
    found = _URLS.get(key)
    if found is None:
        found = reverse(name, args=args or None)
        _URLS.keep(key, found, _URLS_KEPT)
    return found


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """`reverse`, remembered: a staff page links the same dozen places on every request.
    The script prefix and URLconf in effect are part of what is remembered."""
    if kwargs:
        return reverse(name, kwargs=kwargs)
    return _remembered(get_script_prefix(), get_urlconf(), name, args)


def page_url() -> Callable[..., str]:
    """`url` for one page: the script prefix and URLconf, which Django keeps in asgiref's
    context-local storage (two look-ups a link, a dozen links a page), are read once."""
    prefix, urlconf = get_script_prefix(), get_urlconf()

    def url_on_page(name: str, *args: Any, **kwargs: Any) -> str:
        if kwargs:
            return reverse(name, kwargs=kwargs)
        return _remembered(prefix, urlconf, name, args)

    # What its links depend on besides their arguments, for `{% memo %}` (lib/jinja_memo.py).
    url_on_page.memo_key = (prefix, urlconf)  # type: ignore[attr-defined]
    return url_on_page


@functools.lru_cache(maxsize=1024)
def static_url(path: str) -> str:
    """`static`, remembered per path: the storage's URL of a file does not change while the
    process runs (Django fixes STATIC_URL, and the storage its base URL, at first use), and
    asking the storage took 50 µs a page."""
    return static(path)


static_url.memo_key = "static"  # type: ignore[attr-defined]  # fixed while the process runs


def _translator(gettext_: Callable[[str], str]) -> Callable[..., str]:
    @pass_eval_context
    def translate(eval_context: EvalContext, message: str, **variables: Any) -> str:
        """`_()` in templates, as Jinja's "newstyle" gettext has it (in an escaped template
        the translation is markup and the variables are escaped into it; `%%` is a percent
        sign), in one call where Jinja's alias makes three nested ones."""
        translated: str = gettext_(message) if message else ""
        if eval_context.autoescape:
            translated = Markup(translated)  # noqa: S704 (translations are ours; values escaped)
        if variables or "%" in translated:
            translated = translated % variables
        return translated

    return translate


def _plural_translator(ngettext_: Callable[[str, str, int], str]) -> Callable[..., str]:
    @pass_eval_context
    def translate_plural(eval_context: EvalContext, singular: str, plural: str, num: int,
                         **variables: Any) -> str:
        """`ngettext()` in templates, as Jinja's "newstyle" one has it (`num` is among the
        variables), without its calls through the template context (a tenth of a list page
        that says "+2 more" on each row)."""
        variables.setdefault("num", num)
        translated: str = ngettext_(singular, plural, num)
        if eval_context.autoescape:
            translated = Markup(translated)  # noqa: S704 (translations are ours; values escaped)
        return translated % variables

    return translate_plural


# In the language active when they are called (Django looks the language up each time).
translate = _translator(gettext)
translate_plural = _plural_translator(ngettext)


def page_translations() -> dict[str, Callable[..., str]]:
    """`_()` and `ngettext()` for one page: the active language's catalogue is looked up once,
    where Django's `gettext` finds it anew for every message through asgiref's context-local
    storage (four times the cost of the translation itself, for the fifty messages of a
    page)."""
    language = translation.get_language()
    if language is None:  # translation.deactivate_all(): messages stay as written
        return {"_": translate, "ngettext": translate_plural}
    catalogue = trans_real.translation(language)
    # A list asks for the same few plurals on every row ("+1 more", "+2 more"), and choosing a
    # plural form runs the language's formula: each is worked out once per page.
    plurals: dict[tuple[str, str, int], str] = {}

    def page_ngettext(singular: str, plural: str, num: int) -> str:
        key = (singular, plural, num)
        found = plurals.get(key)
        if found is None:
            found = plurals[key] = catalogue.ngettext(singular, plural, num)
        return found

    page_gettext, page_plural = _translator(catalogue.gettext), _plural_translator(page_ngettext)
    # Their words follow from their arguments and the language, for `{% memo %}`.
    page_gettext.memo_key = page_plural.memo_key = language  # type: ignore[attr-defined]
    return {"_": page_gettext, "ngettext": page_plural}


_ID_SLOT = 987654321


def url_halves(name: str, *args: Any) -> tuple[str, str]:
    """The URL of `name` with `args` and then an id, as the text before the id and after it:
    a row writes `head`, its id, `tail` (inside `{% memo %}`, where a function cannot be)."""
    head, tail = url(name, *args, _ID_SLOT).split(str(_ID_SLOT))
    return head, tail


def absolute_url(name: str, *args: Any, **kwargs: Any) -> str:
    """For e-mails: built from FRONTDESK_BASE_URL, as background work has no request."""
    return settings.FRONTDESK_BASE_URL + url(name, *args, **kwargs)


def _dates(context: Context) -> DateFormatter:
    """The page's date formatter (see jinja_backend), or one for this date (e-mails …)."""
    formatter = context.get("date_formatter")
    return formatter if isinstance(formatter, DateFormatter) else DateFormatter()


@pass_context
def format_datetime(context: Context, value: dt.datetime | None,
                    fmt: str = "SHORT_DATETIME_FORMAT") -> str:
    if value is None:
        return ""
    return _dates(context)(value, fmt)


@pass_context
def format_date(context: Context, value: dt.date | None, fmt: str = "SHORT_DATE_FORMAT") -> str:
    if value is None:
        return ""
    return _dates(context)(value, fmt)


@pass_context
def format_money(context: Context, amount: Any, currency: str) -> str:
    """`|money(currency)`: in the page's language, known to its date formatter already."""
    return money(amount, currency, _dates(context).locale()[0])


def filesize(num: int) -> str:
    size = float(num)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{num} B"


_FILE_ITEM = Markup('<li><a href="{}{}{}" download>{}</a> '
                    '<span class="muted" dir="ltr">{}</span></li>')


def file_links(files: Iterable[Any], head: str, tail: str) -> Markup:
    """`|file_links(head, tail)`: a request's files (each with `pk`, `name` and `size`) as the
    list of their download links, each address `head`, the file's id, `tail` (`url_halves`).
    A filter whose output follows from its input, so a `{% memo %}` block may use it."""
    items = "".join(_FILE_ITEM.format(head, int(f.pk), tail, f.name, filesize(f.size))
                    for f in files)
    return Markup(f'<ul class="files">{items}</ul>') if items else Markup()  # noqa: S704


def unread_notifications(request: Any) -> int:
    """The badge in the staff header (one indexed COUNT)."""
    from frontdesk.support.queries import unread_notification_count

    return unread_notification_count(request)


def portal_tabs(request: Any) -> dict[str, bool]:
    """The billing, shared tasks and documents tabs of the portal's header (billing.visibility,
    support.visibility and files.views.portal decide)."""
    from frontdesk.billing.visibility import tabs_shown
    from frontdesk.files.views.portal import documents_shown
    from frontdesk.support.visibility import shared_tasks_shown

    return {**tabs_shown(request.viewer, request.portal_settings),
            "shared_tasks": shared_tasks_shown(request.viewer, request.portal_settings),
            "documents": documents_shown(request.viewer, request.portal_settings)}


def language_direction() -> str:
    return "rtl" if translation.get_language_bidi() else "ltr"


_escape_inner: Callable[[str], str] | None
try:
    from markupsafe import _escape_inner
except ImportError:  # a markupsafe without it: its own escape, unchanged
    _escape_inner = None

_as_markup = str.__new__


def escape(value: Any) -> Markup:
    """What `{{ value }}` writes in an escaped template: markupsafe's `escape`, without the
    second look for `__html__` that making the Markup of an already escaped str does
    (markupsafe 3's `escape` is Python around its C core). A request page writes hundreds of
    values; this halves their cost. A test compares the two."""
    if _escape_inner is None:
        return markupsafe.escape(value)
    cls = value.__class__
    if cls is str:
        return _as_markup(Markup, _escape_inner(value))
    if cls is int:  # ids in links: digits and "-" only (a subclass, bool or IntEnum, is not)
        return _as_markup(Markup, int.__repr__(value))
    if hasattr(value, "__html__"):
        return _as_markup(Markup, value.__html__())
    return _as_markup(Markup, _escape_inner(str(value)))


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with compiled templates escaping through `escape` above (Jinja's
    documented way to change the code a template compiles to: `code_generator_class`)."""

    def writeline(self, x: str, node: Node | None = None, extra: int = 0) -> None:
        super().writeline(x, node, extra)
        if x.startswith("from jinja2.runtime import "):
            super().writeline(f"from {__name__} import escape")


_DIRECT_CALLS = (FunctionType, MethodType, BuiltinFunctionType)


class _Context(Context):
    """Jinja's context, with a shorter way for the calls a page makes most (`_()`, `url()`,
    a page's own helpers): a Python function or method, marked with no `pass_*` or with
    `pass_eval_context`, is called here directly. Jinja's `call` first asks every callable for
    a `__call__` that wants the context, then for its own marker, then cleans its keywords: a
    tenth of the rendering of a list page. Anything else (macros, callable objects, functions
    that want the context or the environment) goes through Jinja's `call`."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any
             ) -> Any:
        if type(__obj) in _DIRECT_CALLS:
            pass_arg = getattr(__obj, "jinja_pass_arg", None)
            if pass_arg is None or pass_arg is _PassArg.eval_context:
                if kwargs:
                    kwargs.pop("_block_vars", None)
                    kwargs.pop("_loop_vars", None)
                if pass_arg is not None:
                    args = (__self.eval_ctx, *args)
                try:
                    return __obj(*args, **kwargs)
                except StopIteration:
                    return __self.environment.undefined(
                        "value was undefined because a callable raised a"
                        " StopIteration exception")
        return super().call(__obj, *args, **kwargs)


class _Template(Template):
    """Jinja's template, with a cheaper check when another template imports it (`{% from
    "core/forms.html" import field %}`): whether the importer has globals this template lacks
    was a set minus the keys of a ChainMap, one Python-level look-up and generator per global
    (25 µs an import, on most pages). The same set, taken in one pass over the keys."""

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        if ctx is not None and ctx.globals_keys.difference(self.globals):
            return super()._get_default_module(ctx)  # Jinja's own module for those globals
        return super()._get_default_module(None)

    def new_context(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Mapping[str, Any] | None = None) -> Context:
        """Jinja's, with the globals under the page's variables copied in one pass per map.
        Jinja copies its ChainMap of globals (the template's own over the environment's) key
        by key, and each key of the environment's raises and catches a KeyError in the
        template's own, empty map first: 24 µs a page."""
        if shared or not isinstance(self.globals, ChainMap):
            return super().new_context(vars, shared, locals)
        parent: dict[str, Any] = {}
        for mapping in reversed(self.globals.maps):  # the first map's keys win, as in ChainMap
            parent.update(mapping)
        if vars:
            parent.update(vars)
        # Shared: Jinja takes `parent` as it is (a copy made here), then adds the locals.
        return new_context(self.environment, self.name, self.blocks, parent, True,
                           self.globals, locals)


class _Environment(Environment):
    code_generator_class = _CodeGenerator
    context_class = _Context
    template_class = _Template


def environment(**options: Any) -> Environment:
    # Pages (.html) are escaped; plain-text e-mail parts (.txt) are not, or an "&" in a title
    # would arrive as "&amp;".
    options["autoescape"] = select_autoescape(
        enabled_extensions=("html", "htm", "xml"), default_for_string=True, default=False,
    )
    options.setdefault("extensions", [])
    options["extensions"] = [*options["extensions"], "jinja2.ext.do",
                             "frontdesk.lib.jinja_memo.MemoExtension"]
    env = _Environment(**options)  # autoescape is set just above
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext,
    )
    env.globals.update(
        _=translate,
        ngettext=translate_plural,
        url=url,
        url_halves=url_halves,
        absolute_url=absolute_url,
        static=static_url,
        get_messages=get_messages,
        get_language=translation.get_language,
        language_direction=language_direction,
        unread_notifications=unread_notifications,
        portal_tabs=portal_tabs,
        form_field=form_html.field,
        form_widget=form_html.widget,
        form_non_field_errors=form_html.non_field_errors,
        LANGUAGES=settings.LANGUAGES,
        reset_hours=max(settings.PASSWORD_RESET_TIMEOUT // 3600, 1),
    )
    env.filters.update(datetime=format_datetime, date=format_date, filesize=filesize,
                       file_links=file_links, money=format_money, number=number)
    return env
