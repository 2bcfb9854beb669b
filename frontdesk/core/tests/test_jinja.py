"""The template helpers that replace Jinja's and Django's slower paths give their results."""

from django.template import engines
from django.test import SimpleTestCase
from django.urls import reverse, set_script_prefix
from django.utils import translation

from frontdesk.lib.jinja import url


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
