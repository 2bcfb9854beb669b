"""The template helpers that replace Jinja's and Django's slower paths give their results."""

import markupsafe
from django.http import HttpRequest
from django.template import engines
from django.test import RequestFactory, SimpleTestCase
from django.urls import reverse, set_script_prefix
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from jinja2 import Environment
from markupsafe import Markup

from frontdesk.lib.jinja import escape, url, url_halves


class TranslateTests(SimpleTestCase):
    def render(self, source: str, **context: object) -> str:
        return engines["jinja_backend"].from_string(source).render(context)

    def test_an_escaped_template_keeps_the_translation_and_escapes_the_values(self) -> None:
        self.assertEqual(self.render('{{ _("<b>%(who)s</b> wrote", who=who) }}', who="<i>Ada"),
                         "<b>&lt;i&gt;Ada</b> wrote")
        self.assertEqual(self.render('{{ _("100%% sure") }}'), "100% sure")
        self.assertEqual(self.render('{{ _("A & B") }}'), "A & B")

    def test_a_plain_text_template_escapes_nothing(self) -> None:
        env = engines["jinja_backend"].env  # type: ignore[attr-defined]
        text = env.overlay(autoescape=False).from_string('{{ _("%(who)s & co", who=who) }}')
        self.assertEqual(text.render(who="<Ada>"), "<Ada> & co")

    def test_it_translates_in_the_active_language(self) -> None:
        with translation.override("nl"):
            dutch = self.render('{{ _("Requests") }}')
        with translation.override("tr"):
            turkish = self.render('{{ _("Requests") }}')
        self.assertNotEqual(dutch, "Requests")
        self.assertNotEqual(dutch, turkish)


class UrlTests(SimpleTestCase):
    def test_it_gives_what_reverse_gives_under_any_script_prefix(self) -> None:
        self.assertEqual(url("support:request_list", "acme"),
                         reverse("support:request_list", args=["acme"]))
        self.assertEqual(url("support:request_detail", "acme", 7),
                         reverse("support:request_detail", args=["acme", 7]))
        try:
            set_script_prefix("/desk/")
            self.assertEqual(url("support:request_list", "acme"),
                             reverse("support:request_list", args=["acme"]))
            self.assertTrue(url("support:request_list", "acme").startswith("/desk/app/"))
        finally:
            set_script_prefix("/")
        self.assertTrue(url("support:request_list", "acme").startswith("/app/"))

    def test_links_for_ids_give_what_reverse_gives_under_any_script_prefix(self) -> None:
        for prefix in ("/", "/desk/", "/"):
            try:
                set_script_prefix(prefix)
                head, tail = url_halves("support:request_detail", "acme")
                for task_id in (7, 1234567, 987654321):
                    self.assertEqual(f"{head}{task_id}{tail}", reverse("support:request_detail",
                                                                       args=["acme", task_id]))
                self.assertTrue(head.startswith(prefix))
            finally:
                set_script_prefix("/")

    def test_static_gives_what_the_storage_gives(self) -> None:
        from django.templatetags.static import static

        from frontdesk.lib.jinja import static_url

        for path in ("frontdesk/app.css", "frontdesk/app.css", "frontdesk/a b.js"):
            self.assertEqual(static_url(path), static(path))
        self.assertEqual(static_url("frontdesk/app.css"), "/static/frontdesk/app.css")


class PageTests(SimpleTestCase):
    """What a page (a template rendered with its request) gets in place of Django's lazies."""

    def render(self, source: str, request: HttpRequest) -> str:
        return engines["jinja_backend"].from_string(source).render({}, request)

    def request(self) -> HttpRequest:
        return RequestFactory().get("/")

    def test_the_csrf_field_is_markup_made_once_per_page(self) -> None:
        request = self.request()
        page = self.render("{{ csrf_input }}|{{ csrf_input }}|{{ csrf_token }}", request)
        first, second, token = page.split("|")
        self.assertEqual(first, second)
        self.assertRegex(first, r'^<input type="hidden" name="csrfmiddlewaretoken" '
                                r'value="[A-Za-z0-9]{64}">$')
        self.assertRegex(token, r"^[A-Za-z0-9]{64}$")  # masked anew: the same secret
        self.assertTrue(request.META["CSRF_COOKIE_NEEDS_UPDATE"])

    def test_a_page_links_as_reverse_does_under_the_script_prefix_it_is_rendered_with(
            self) -> None:
        source = ("{{ url('support:request_list', 'acme') }}|"
                  "{{ url('support:request_detail', 'acme', 7) }}|"
                  "{{ url('support:request_detail', org_slug='acme', task_id=8) }}")
        for prefix in ("/", "/desk/", "/"):
            try:
                set_script_prefix(prefix)
                self.assertEqual(self.render(source, self.request()), "|".join((
                    reverse("support:request_list", args=["acme"]),
                    reverse("support:request_detail", args=["acme", 7]),
                    reverse("support:request_detail", kwargs={"org_slug": "acme",
                                                              "task_id": 8}))))
                self.assertTrue(self.render(source, self.request()).startswith(
                    f"{prefix}app/acme/"))
            finally:
                set_script_prefix("/")

    def test_a_page_without_a_form_makes_no_token(self) -> None:
        request = self.request()
        self.render("{{ _('Requests') }}", request)
        self.assertNotIn("CSRF_COOKIE_NEEDS_UPDATE", request.META)

    def test_a_page_translates_in_the_language_active_when_it_is_rendered(self) -> None:
        source = "{{ _('Requests') }}|{{ _('%(n)s & more', n='<b>') }}"
        with translation.override("nl"):
            dutch = self.render(source, self.request())
            self.assertEqual(dutch.split("|")[0], translation.gettext("Requests"))
        with translation.override("tr"):
            turkish = self.render(source, self.request())
        self.assertNotEqual(dutch, turkish)
        self.assertTrue(turkish.endswith("|&lt;b&gt; & more"))
        translation.deactivate_all()
        try:
            self.assertEqual(self.render(source, self.request()), "Requests|&lt;b&gt; & more")
        finally:
            translation.activate("en")

    def test_plurals_follow_the_language_with_num_among_the_variables(self) -> None:
        singular, plural = "%(num)s unread notification", "%(num)s unread notifications"
        source = ("{% for n in [1, 2, 5, 22] %}{{ ngettext('" + singular + "', '" + plural
                  + "', n) }}|{% endfor %}")
        for language in ("pl", "tr", "en"):
            with translation.override(language):
                expected = "".join(translation.ngettext(singular, plural, n) % {"num": n} + "|"
                                   for n in (1, 2, 5, 22))
                self.assertEqual(self.render(source, self.request()), expected, language)
                # Without a request (e-mails), the same.
                self.assertEqual(engines["jinja_backend"].from_string(source).render({}),
                                 expected)
        with translation.override("pl"):
            forms = set(self.render(source, self.request()).replace("22", "2")
                        .replace("5", "2").replace("1", "2").split("|"))
        self.assertEqual(len(forms - {""}), 3)  # Polish has three forms

    def test_plural_variables_are_escaped(self) -> None:
        page = self.render("{{ ngettext('%(num)s file of %(who)s', '%(num)s files of %(who)s', "
                           "2, who='<b>') }}", self.request())
        self.assertEqual(page, "2 files of &lt;b&gt;")


class EscapeTests(SimpleTestCase):
    def test_it_escapes_as_markupsafe_does_and_templates_use_it(self) -> None:
        class Html:
            def __html__(self) -> str:
                return "<b>own</b>"

        class Text(str):
            pass

        values: list[object] = [
            "<a href='x'>&\"</a>", "", "plain", 42, 1.5, None, True, Markup("<i>safe</i>"),
            mark_safe("<u>django safe</u>"), gettext_lazy("Requests"), Html(),
            Text("<sub>class</sub>"), ["<li>"], -7, 0, False,
        ]
        env = engines["jinja_backend"].env  # type: ignore[attr-defined]
        template = env.from_string("{{ value }}|{{ value }}")
        plain = Environment(autoescape=True).from_string("{{ value }}|{{ value }}")
        self.assertIs(template.root_render_func.__globals__["escape"], escape)
        for value in values:
            with self.subTest(value=value):
                ours = escape(value)
                self.assertIs(type(ours), Markup)
                self.assertEqual(ours, markupsafe.escape(value))
                self.assertEqual(template.render(value=value), plain.render(value=value))


class CallTests(SimpleTestCase):
    """Calls from templates reach every kind of callable as Jinja's own `Context.call` would."""

    def render(self, source: str, **context: object) -> str:
        env = engines["jinja_backend"].env  # type: ignore[attr-defined]
        ours = str(env.from_string(source).render(**context))
        self.assertEqual(ours, Environment(autoescape=True).from_string(source).render(**context)
                         .replace("Environment", "_Environment"))
        return ours

    def test_plain_functions_methods_and_builtins_get_their_arguments(self) -> None:
        class Greeter:
            def greet(self, who: str, punctuation: str = ".") -> str:
                return f"Hello {who}{punctuation}"

        self.assertEqual(self.render(
            "{{ f(1, b=2) }}|{{ g.greet('Ada', punctuation='!') }}|{{ d.get('k') }}"
            "{% for i in [1] %}|{{ f(i, b=i) }}{% endfor %}",
            f=lambda a, b: a + b, g=Greeter(), d={"k": "v"}), "3|Hello Ada!|v|2")

    def test_functions_that_want_the_context_environment_or_eval_context_get_them(self) -> None:
        from jinja2 import pass_context, pass_environment, pass_eval_context

        @pass_context
        def who(context: object, suffix: str) -> str:
            return f"{context['name']}{suffix}"  # type: ignore[index]

        @pass_environment
        def env_name(environment: Environment) -> str:
            return type(environment).__name__

        @pass_eval_context
        def escaping(eval_context: object) -> str:
            return str(eval_context.autoescape)  # type: ignore[attr-defined]

        self.assertEqual(self.render(
            "{{ who('!') }}|{{ env_name() }}|{{ escaping() }}"
            "{% for name in ['loop'] %}|{{ who('?') }}{% endfor %}",
            who=who, env_name=env_name, escaping=escaping, name="Ada"),
            "Ada!|_Environment|True|Ada?")

    def test_a_method_of_a_builtin_and_a_marked_method_are_called_as_jinja_calls_them(
            self) -> None:
        from types import MethodType

        from jinja2 import pass_context

        class Named:
            name = "obj"

            @pass_context
            def who(self, context: object) -> str:
                return f"{context['name']}/{self.name}"  # type: ignore[index]

        def plain(self: object, word: str) -> str:
            return f"plain {word}"

        self.assertEqual(self.render(
            "{{ marked() }}|{{ bound_builtin() }}|{{ descriptor('x') }}|{{ plain('y') }}",
            marked=Named().who, bound_builtin=MethodType(len, "abcd"), descriptor=str.upper,
            plain=MethodType(plain, object()), name="Ada"),
            "Ada/obj|4|X|plain y")

    def test_callable_objects_and_macros_still_work(self) -> None:
        from jinja2 import pass_context

        class Shout:
            @pass_context
            def __call__(self, context: object) -> str:
                return str(context["name"]).upper()  # type: ignore[index]

        self.assertEqual(self.render(
            "{% macro box(x) %}[{{ x }}]{% endmacro %}{{ box(shout()) }}",
            shout=Shout(), name="ada"), "[ADA]")

    def test_a_function_raising_stop_iteration_gives_undefined(self) -> None:
        def empty() -> str:
            raise StopIteration

        self.assertEqual(self.render("[{{ empty() }}]", empty=empty), "[]")


class ImportTests(SimpleTestCase):
    """Macros imported from another template see what Jinja's own imports let them see."""

    def test_an_imported_macro_sees_the_importers_globals_only_when_it_has_some(self) -> None:
        from jinja2 import DictLoader

        from frontdesk.lib.jinja import _Template

        templates = {
            "macros.html": "{% macro hi() %}[{{ greeting }}]{% endmacro %}",
            "page.html": '{% from "macros.html" import hi %}{{ hi() }}|{{ hi() }}',
        }
        ours = engines["jinja_backend"].env.overlay(  # type: ignore[attr-defined]
            loader=DictLoader(templates), cache_size=0)
        plain = Environment(loader=DictLoader(templates), cache_size=0, autoescape=True)
        for greeting in ({}, {"greeting": "Hey"}, {"greeting": "Hoi"}, {}):
            with self.subTest(globals=greeting):
                page = ours.get_template("page.html", globals=greeting)
                self.assertIsInstance(page, _Template)
                self.assertEqual(page.render(),
                                 plain.get_template("page.html", globals=greeting).render())
                said = greeting.get("greeting", "")
                self.assertEqual(page.render(), f"[{said}]|[{said}]")


class NewContextTests(SimpleTestCase):
    """A page's context holds what Jinja's own would: the environment's globals, under the
    template's own, under the page's variables."""

    def test_the_context_is_jinjas_own(self) -> None:
        from jinja2 import DictLoader, Template
        from jinja2.runtime import missing

        templates = {"page.html": "{{ shared }}|{{ own }}|{{ given }}|{{ _('Save') }}"}
        env = engines["jinja_backend"].env.overlay(  # type: ignore[attr-defined]
            loader=DictLoader(templates), cache_size=0)
        env.globals = {**env.globals, "shared": "environment", "own": "environment"}
        page = env.get_template("page.html", globals={"own": "template"})
        cases = [
            ({}, False, None),
            ({"given": "page", "shared": "page"}, False, None),
            ({"given": "page"}, False, {"l_1_x": "local", "l_1_y": missing}),
            ({"given": "page"}, True, {"l_1_x": "local"}),
        ]
        for variables, shared, locals_ in cases:
            with self.subTest(variables=variables, shared=shared, locals=locals_):
                ours = page.new_context(dict(variables), shared, locals_)
                jinjas = Template.new_context(page, dict(variables), shared, locals_)
                self.assertEqual(ours.parent, jinjas.parent)
                self.assertEqual(ours.globals_keys, jinjas.globals_keys)
                self.assertIsNot(ours.parent, env.globals)  # never the shared globals
                self.assertNotIn("l_1_y", ours.parent)
        self.assertEqual(page.render(given="page"), "environment|template|page|Save")
        self.assertEqual(page.render(own="page"), "environment|page||Save")
        self.assertEqual(env.globals["own"], "environment")  # rendering changed no globals


def render_string(source: str, **context: object) -> str:
    return str(engines["jinja_backend"].from_string(source).render(context))


class FileLinksTests(SimpleTestCase):
    """`|file_links`: a request's files as their download links, escaped."""

    def test_each_file_is_a_link_to_its_own_address(self) -> None:
        from frontdesk.support.queries import FileLine

        files = (FileLine(7, "report <1>.pdf", 2048), FileLine(12, 'a"b.txt', 10))
        html = render_string("{{ files|file_links(head, tail) }}", files=files,
                             head="/p/x/files/", tail="/")
        self.assertEqual(html, (
            '<ul class="files">'
            '<li><a href="/p/x/files/7/" download>report &lt;1&gt;.pdf</a> '
            '<span class="muted" dir="ltr">2.0 KB</span></li>'
            '<li><a href="/p/x/files/12/" download>a&#34;b.txt</a> '
            '<span class="muted" dir="ltr">10 B</span></li></ul>'))
        self.assertEqual(render_string("[{{ files|file_links(head, tail) }}]", files=(),
                                       head="/", tail="/"), "[]")
