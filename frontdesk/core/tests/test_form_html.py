"""Form fields written out in Python (lib/form_html.py), as templates use them: labels tied to
widgets, errors tied to the widget for screen readers, values kept, everything escaped."""

from __future__ import annotations

from django import forms
from django.template import engines
from django.test import SimpleTestCase
from django.utils import translation

from frontdesk.lib.form_html import UnboundForm
from frontdesk.support.forms import FollowerForm, StaffPostForm

HOSTILE = '"><script>alert(1)</script>'


class SampleForm(forms.Form):
    name = forms.CharField(label="Name <b>", max_length=20, help_text="As on the <card>")
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    colour = forms.ChoiceField(choices=[("r", "Red & co"), ("g", "Green")])
    agree = forms.BooleanField(label="I agree", required=False)
    days = forms.MultipleChoiceField(choices=[("mo", "Monday"), ("tu", "Tuesday")],
                                     widget=forms.CheckboxSelectMultiple, required=False)
    upload = forms.FileField(required=False)
    size = forms.ChoiceField(choices=[("s", "Small"), ("l", "Large")], widget=forms.RadioSelect,
                             required=False)


def render(source: str, **context: object) -> str:
    page = '{% from "core/forms.html" import field, widget, fields %}' + source
    return engines["jinja_backend"].from_string(page).render(context)


class FieldTests(SimpleTestCase):
    def test_an_empty_field_has_its_label_mark_and_help(self) -> None:
        html = render("{{ field(form['name'], autofocus=true) }}", form=SampleForm())
        self.assertIn('<label for="id_name">Name &lt;b&gt; <span class="req" '
                      'aria-hidden="true">*</span></label>', html)
        self.assertIn('<input type="text" name="name" maxlength="20" autofocus required '
                      'aria-describedby="id_name_helptext" id="id_name">', html)
        self.assertIn('<p class="help" id="id_name_helptext">As on the &lt;card&gt;</p>', html)
        self.assertNotIn("aria-invalid", html)

    def test_errors_are_listed_and_tied_to_the_widget_and_values_come_back_escaped(self) -> None:
        form = SampleForm(data={"name": HOSTILE * 3, "notes": HOSTILE, "colour": "nope",
                                "secret": "hunter2"})
        self.assertFalse(form.is_valid())
        html = render("{{ field(form['name']) }}{{ field(form['colour']) }}"
                      "{{ field(form['notes']) }}{{ field(form['secret']) }}", form=form)
        self.assertIn('<div class="field has-error">', html)
        self.assertIn('aria-describedby="id_name-errors id_name_helptext" aria-invalid="true"',
                      html)
        self.assertIn('<ul class="errors" id="id_name-errors"><li>Ensure this value has at '
                      "most 20 characters", html)
        self.assertIn('<ul class="errors" id="id_colour-errors"><li>Select a valid choice. '
                      "nope is not one of the available choices.</li></ul>", html)
        self.assertNotIn("<script>", html)
        self.assertIn("&#34;&gt;&lt;script&gt;", html)
        self.assertNotIn("hunter2", html)  # a password is never written back

    def test_choices_keep_what_was_chosen(self) -> None:
        form = SampleForm(data={"colour": "g", "agree": "on", "days": ["tu"]})
        html = render("{{ field(form['colour']) }}{{ field(form['agree']) }}"
                      "{{ field(form['days']) }}", form=form)
        self.assertIn('<option value="r">Red &amp; co</option><option value="g" selected>'
                      "Green</option>", html)
        self.assertIn('<div class="field field-check">\n<input type="checkbox" name="agree" '
                      'checked id="id_agree">\n<label for="id_agree">I agree</label>', html)
        # A group of boxes is a fieldset named by its legend, each box with its own label.
        self.assertIn('<fieldset class="field">\n<legend>Days</legend>', html)
        self.assertIn('<input type="checkbox" name="days" value="mo" id="id_days_0"> '
                      '<label for="id_days_0">Monday</label>', html)
        self.assertIn('<input type="checkbox" name="days" value="tu" id="id_days_1" checked> '
                      '<label for="id_days_1">Tuesday</label>', html)
        self.assertNotIn('for=""', html)
        # So is a group of radio buttons.
        html = render("{{ field(form['size']) }}", form=SampleForm(data={"size": "s"}))
        self.assertIn('<fieldset class="field">\n<legend>Size</legend>', html)
        self.assertIn('<input type="radio" name="size" value="s" id="id_size_0" checked> '
                      '<label for="id_size_0">Small</label>', html)
        self.assertNotIn('for=""', html)
        # Its errors are read with the group.
        html = render("{{ field(form['days']) }}", form=SampleForm(data={"days": ["xx"]}))
        self.assertIn('<fieldset class="field has-error" aria-describedby="id_days-errors">',
                      html)
        self.assertIn('<ul class="errors" id="id_days-errors"><li>Select a valid choice.', html)

    def test_other_widgets_are_rendered_by_django(self) -> None:
        html = render("{{ widget(form['size']) }}{{ widget(form['upload']) }}",
                      form=SampleForm(initial={"size": "l"}))
        self.assertIn('<input type="radio" name="size" value="l" id="id_size_1" checked>', html)
        self.assertIn('<input type="file" name="upload" id="id_upload">', html)

    def test_fields_writes_the_whole_form(self) -> None:
        html = render("{{ fields(form) }}", form=SampleForm())
        for name in ("name", "secret", "notes", "colour", "agree", "days", "upload", "size"):
            self.assertIn(f'name="{name}"', html)

    def test_errors_of_no_field_are_listed_escaped_and_only_when_there_are_some(self) -> None:
        class Checked(SampleForm):
            def clean(self) -> dict[str, object]:
                raise forms.ValidationError(["Not <both>", "Nor & this"])

        source = ('{% from "core/forms.html" import non_field_errors %}'
                  "[{{ non_field_errors(form) }}]")
        page = engines["jinja_backend"].from_string(source)
        bound = Checked(data={"name": "Ada", "colour": "r"})
        self.assertEqual(page.render({"form": bound}),
                         '[\n<div class="form-errors" role="alert"><ul><li>Not &lt;both&gt;</li>'
                         "<li>Nor &amp; this</li></ul></div>\n]")
        self.assertEqual(page.render({"form": Checked()}), "[]")  # unbound: nothing checked
        self.assertEqual(page.render({"form": SampleForm(data={"name": "Ada", "colour": "r"})}),
                         "[]")
        self.assertIn('<div class="form-errors" role="alert"><ul><li>Not &lt;both&gt;',
                      render("{{ fields(form) }}", form=bound))


class UnboundFormTests(SimpleTestCase):
    """`UnboundForm` writes each field once per language and initial values: what it writes must
    be what the form itself writes, in the language of the page that asks."""

    FIELDS = ("name", "secret", "notes", "colour", "agree", "days", "upload")

    def test_its_fields_are_the_forms_own(self) -> None:
        source = "".join(f"{{{{ field(form['{name}']) }}}}|" for name in self.FIELDS)
        source += "{{ field(form['name'], autofocus=true) }}[{{ non_field_errors(form) }}]"
        source = '{% from "core/forms.html" import non_field_errors %}' + source
        for initial in ({}, {"colour": "g", "agree": True, "notes": "Hello <you>"}):
            with self.subTest(initial=initial):
                expected = render(source, form=SampleForm(initial=initial))
                for _ in range(2):  # written, then from memory
                    self.assertEqual(render(source, form=UnboundForm(SampleForm, initial)),
                                     expected)
        self.assertIn('<option value="g" selected>Green</option>',
                      render("{{ field(form['colour']) }}",
                             form=UnboundForm(SampleForm, {"colour": "g"})))
        self.assertNotIn(" selected", render("{{ field(form['colour']) }}",
                                             form=UnboundForm(SampleForm, {"colour": "x"})))

    def test_each_language_gets_its_own(self) -> None:
        source = "{{ field(form['visible_to_customer']) }}"
        for language, label in (("en", "Visible to customer"), ("tr", "Müşteriye görünür"),
                                ("en", "Visible to customer")):
            with self.subTest(language=language), translation.override(language):
                html = render(source, form=UnboundForm(StaffPostForm))
                self.assertIn(f">{label}</label>", html)
                self.assertEqual(html, render(source, form=StaffPostForm()))

    def test_a_form_set_up_by_its_arguments_is_written_for_each_set_of_them(self) -> None:
        # The request page's follower form: its colleagues are the request's customer's.
        source = "{{ field(form['colleague']) }}"
        for colleagues in (((1, "Ann <ann@a.test>"),), ((2, "Bob <bob@b.test>"),), ()):
            with self.subTest(colleagues=colleagues):
                for _ in range(2):  # written, then from memory
                    html = render(source, form=UnboundForm(
                        FollowerForm, init={"colleagues": colleagues}))
                    self.assertEqual(html, render(source,
                                                  form=FollowerForm(colleagues=colleagues)))
                for pk, name in ((1, "Ann"), (2, "Bob")):
                    self.assertEqual(f'value="{pk}"' in html, name in str(colleagues))

    def test_a_field_the_form_does_not_have_is_refused(self) -> None:
        with self.assertRaises(KeyError):
            UnboundForm(SampleForm)["nope"]
