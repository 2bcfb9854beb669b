"""What is kept of an e-mail (SPEC E2): its own text (no quoted history, no signature), HTML
read as text, any charset, and its files as the portal keeps uploads."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from frontdesk.mail.html_text import html_to_text
from frontdesk.mail.parsing import parse_message
from frontdesk.mail.quotes import trim_quoted
from frontdesk.mail.tests.inbound_helpers import InboundTestCase, eml
from frontdesk.support.models import Attachment, Post


class TrimQuotedTests(SimpleTestCase):
    def test_it_cuts_the_quoted_history_in_the_five_languages(self) -> None:
        attributions = [
            "On Tue, 3 Jan 2023 at 10:00, Acme <help@acme.test> wrote:",
            "Op di 3 jan. 2023 om 10:00 schreef Acme <help@acme.test>:",
            "W dniu 3.01.2023 o 10:00, Acme <help@acme.test> pisze:",
            "Acme <help@acme.test> napisał(a):",
            "3 Oca 2023 Sal, 10:00 tarihinde Acme <help@acme.test> şunu yazdı:",
            "در تاریخ ۳ ژانویه ۲۰۲۳، Acme <help@acme.test> نوشت:",
        ]
        for line in attributions:
            with self.subTest(line=line):
                text = f"My answer.\n\n{line}\nold text without a quote mark\n> more"
                self.assertEqual(trim_quoted(text), "My answer.")

    def test_an_attribution_folded_over_two_lines_is_found(self) -> None:
        text = ("Fine now.\n\nOn Tue, 3 Jan 2023 at 10:00, Acme Support <help@acme.test>\n"
                "wrote:\n> old")
        self.assertEqual(trim_quoted(text), "Fine now.")

    def test_it_cuts_outlooks_original_message_and_header_block(self) -> None:
        self.assertEqual(trim_quoted("Mine\n-----Original Message-----\nFrom: a\nold"), "Mine")
        self.assertEqual(trim_quoted("Mijn\n-----Oorspronkelijk bericht-----\nold"), "Mijn")
        text = ("Mine\n\n________________________________\nFrom: Acme <help@acme.test>\n"
                "Sent: Tuesday, 3 January 2023 10:00\nTo: Peter\nSubject: x\n\nold body")
        self.assertEqual(trim_quoted(text), "Mine")
        self.assertEqual(trim_quoted("Mijn\nVan: Acme\nVerzonden: dinsdag\nold"), "Mijn")

    def test_it_cuts_the_signature_and_quoted_lines(self) -> None:
        self.assertEqual(trim_quoted("Hello\n> quoted\nagain\n-- \nPeter\nInitech"),
                         "Hello\nagain")

    def test_ordinary_text_stays_and_a_message_all_quote_is_kept_whole(self) -> None:
        text = "My colleague wrote: the printer is broken.\nPlease help."
        self.assertEqual(trim_quoted(text), text)
        self.assertEqual(trim_quoted("> forwarded words"), "> forwarded words")


class HtmlAndCharsetTests(SimpleTestCase):
    def test_html_becomes_text_without_markup_scripts_or_quotes(self) -> None:
        html = ("<html><head><style>p{color:red}</style><title>t</title></head><body>"
                "<p>First <b>line</b></p><div>Second<br>Third</div>"
                "<script>alert('x')</script><img src=x onerror=alert(1)>"
                "<ul><li>one</li><li>two</li></ul>"
                "<div class=\"gmail_quote\">On Mon wrote:<blockquote>old</blockquote></div>"
                "</body></html>")
        text = html_to_text(html)
        self.assertEqual(text, "First line\n\nSecond\nThird\n\n- one\n- two")
        for unwanted in ("<", "alert", "color", "old", "wrote"):
            self.assertNotIn(unwanted, text)

    def test_an_html_only_e_mail_is_read_as_text(self) -> None:
        parsed = parse_message(eml(body=None, html="<p>Hello &amp; <i>welcome</i></p>"))
        self.assertEqual(parsed.text, "Hello & welcome")

    def test_wrong_unknown_and_missing_charsets_give_text(self) -> None:
        cases = [
            (b"Content-Type: text/plain; charset=utf-8\r\n\r\nCaf\xe9", "Café"),
            (b"Content-Type: text/plain; charset=x-unknown\r\n\r\nCaf\xc3\xa9", "Café"),
            (b"Content-Type: text/plain; charset=iso-8859-2\r\n\r\nZa\xbf\xf3\xb3\xe6",
             "Zażółć"),
            (b"\r\nplain \xc5\x9f", "plain ş"),
        ]
        for body, expected in cases:
            with self.subTest(body=body):
                parsed = parse_message(b"From: a@b.test\r\nSubject: x\r\n" + body)
                self.assertEqual(parsed.text.strip(), expected)

    def test_headers_with_raw_8_bit_bytes_and_encoded_words_are_decoded(self) -> None:
        parsed = parse_message(b"From: Ren\xe9 <RENE@x.test>\r\n"
                               b"Subject: =?utf-8?q?Caf=C3=A9?= \xc3\xa9t\xc3\xa9\r\n\r\nx")
        self.assertEqual((parsed.envelope.from_name, parsed.envelope.from_address,
                          parsed.envelope.subject), ("René", "rene@x.test", "Café été"))


class AttachmentTests(InboundTestCase):
    def test_files_are_kept_with_the_request_as_portal_uploads(self) -> None:
        message = self.receive(eml(sender="peter@initech.test", files=[
            ("log.txt", b"line 1\n", "text/plain"), ("shot.png", b"\x89PNG...", "image/png")]))
        task = self.task_of(message)
        files = list(Attachment.objects.filter(task=task).order_by("id"))
        self.assertEqual([(f.name, f.size, f.post_id, f.uploaded_by_portal_user_id)
                          for f in files],
                         [("log.txt", 7, None, self.portal_a1.pk),
                          ("shot.png", 7, None, self.portal_a1.pk)])
        with files[1].file.open("rb") as handle:
            self.assertEqual(handle.read(), b"\x89PNG...")
        # The requester downloads it from the portal as any upload.
        self.login_portal(self.portal_a1)
        response = self.client.get(f"/p/acme-support/files/{files[0].pk}/")
        self.assertEqual(b"".join(response.streaming_content), b"line 1\n")  # type: ignore[attr-defined]

    def test_files_of_a_reply_go_with_its_post(self) -> None:
        first = self.receive(eml(sender="peter@initech.test"))
        reply = self.receive(eml(sender="peter@initech.test", subject=f"Re: [#{first.task_id}]",
                                 files=[("more.txt", b"more", "text/plain")]))
        post = Post.objects.get(task=self.task_of(reply))
        self.assertEqual([a.name for a in Attachment.objects.filter(post=post)], ["more.txt"])

    @override_settings(FRONTDESK_MAX_UPLOAD_MB=1, FRONTDESK_MAX_FILES_PER_POST=2)
    def test_files_over_the_limits_are_left_out_and_noted(self) -> None:
        message = self.receive(eml(files=[
            ("big.bin", b"x" * (1024 * 1024 + 1), "application/octet-stream"),
            ("a.txt", b"a", "text/plain"), ("b.txt", b"b", "text/plain"),
            ("c.txt", b"c", "text/plain")]))
        names = sorted(Attachment.objects.filter(task=self.task_of(message))
                       .values_list("name", flat=True))
        self.assertEqual(names, ["a.txt", "b.txt"])
        self.assertEqual([note["kind"] for note in message.notes],
                         ["file_too_large", "too_many_files"])
        self.login_staff(self.admin_a)
        response = self.client.get("/app/acme-support/settings/email/received/")
        self.assertContains(response, "“big.bin” (1.0\xa0MB) was left out")
        self.assertContains(response, "“c.txt” was left out: too many files")
