"""The knowledge base (SPEC K1): staff write articles by category, publish them, turn a solved
request into one; the portal shows the published ones to anyone, and nothing of a draft,
another organization or an internal note."""

from __future__ import annotations

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.knowledge.models import Article, Category
from frontdesk.organizations.models import Organization
from frontdesk.portal.models import PortalSettings
from frontdesk.support.models import Task, Topic
from frontdesk.support.posts import add_staff_post
from frontdesk.support.services import create_request

STAFF = "/app/acme-support/knowledge"
FAQ = "/p/acme-support/faq"


class KnowledgeTests(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        PortalSettings.objects.filter(organization=self.org_a).update(show_faq=True)

    def article(self, title: str = "How do I reset my password?", *, published: bool = True,
                organization: Organization | None = None,
                category: Category | None = None) -> Article:
        return Article.objects.create(organization=organization or self.org_a, title=title,
                                      body="Open the log-in page and choose “Forgot it”.",
                                      is_published=published, category=category)

    def test_staff_write_an_article_in_a_category_and_publish_it(self) -> None:
        self.login_staff(self.agent_a)
        self.client.post(f"{STAFF}/", {"name": "Accounts"})
        category = Category.objects.get(organization=self.org_a)
        response = self.client.post(f"{STAFF}/new/", {
            "title": "How do I reset my password?", "body": "Use “Forgot it”.",
            "category": category.pk, "is_published": "on"})
        self.assertRedirects(response, f"{STAFF}/")
        article = Article.objects.get()
        self.assertEqual((article.category, article.is_published, article.author),
                         (category, True, self.agent_a))
        page = self.client.get(f"{FAQ}/")
        self.assertContains(page, "Accounts")
        self.assertContains(page, "How do I reset my password?")
        self.assertContains(self.client.get(f"{FAQ}/{article.pk}/"), "Use “Forgot it”.")

    def test_bad_input_saves_nothing(self) -> None:
        self.login_staff(self.agent_a)
        response = self.client.post(f"{STAFF}/new/", {"title": "", "body": "x"})
        self.assertEqual(response.status_code, 400)
        other = Category.objects.create(organization=self.org_b, name="Theirs")
        response = self.client.post(f"{STAFF}/new/", {"title": "Q", "body": "A",
                                                       "category": other.pk})
        self.assertContains(response, "Select a valid choice", status_code=400)
        self.client.post(f"{STAFF}/", {"name": "Billing"})
        duplicate = self.client.post(f"{STAFF}/", {"name": "Billing"})
        self.assertContains(duplicate, "There is a category of that name already.",
                            status_code=400)
        self.assertFalse(Article.objects.exists())
        self.assertEqual(Category.objects.filter(organization=self.org_a).count(), 1)

    def test_drafts_and_other_organizations_stay_out_of_the_portal(self) -> None:
        draft = self.article("Secret draft", published=False)
        theirs = self.article("Their answer", organization=self.org_b)
        page = self.client.get(f"{FAQ}/")
        self.assertNotContains(page, "Secret draft")
        self.assertNotContains(page, "Their answer")
        for article in (draft, theirs):
            self.assertEqual(self.client.get(f"{FAQ}/{article.pk}/").status_code, 404)

    def test_the_faq_is_off_until_switched_on(self) -> None:
        article = self.article()
        PortalSettings.objects.filter(organization=self.org_a).update(show_faq=False)
        self.assertEqual(self.client.get(f"{FAQ}/").status_code, 404)
        self.assertEqual(self.client.get(f"{FAQ}/{article.pk}/").status_code, 404)
        self.login_portal(self.portal_a1)
        self.assertNotContains(self.client.get("/p/acme-support/requests/"), f"{FAQ}/")

    def test_the_faq_needs_no_log_in_and_searches_without_accents(self) -> None:
        self.article("Printer in Łódź office is offline")
        self.article("How do I reset my password?")
        page = self.client.get(f"{FAQ}/", {"q": "LODZ print"})
        self.assertContains(page, "Printer in Łódź office is offline")
        self.assertNotContains(page, "reset my password")
        self.assertContains(self.client.get(f"{FAQ}/", {"q": "nothing"}),
                            "No question has every word of")

    def test_a_solved_request_becomes_a_draft_without_its_internal_notes(self) -> None:
        topic = Topic.objects.for_org(self.org_a).get()
        task = create_request(topic=topic, requester=self.portal_a1, title="VPN drops hourly",
                              description="Since Monday.")
        add_staff_post(task=task, author=self.agent_a, body="Their firmware is ancient")
        Task.objects.filter(pk=task.pk).update(solution="Update the VPN client to 5.2.")
        self.login_staff(self.agent_a)
        detail = self.client.get(f"/app/acme-support/requests/{task.pk}/")
        self.assertContains(detail, f"{STAFF}/from-request/{task.pk}/")
        form = self.client.get(f"{STAFF}/from-request/{task.pk}/")
        self.assertContains(form, "VPN drops hourly")
        self.assertContains(form, "Update the VPN client to 5.2.")
        self.assertNotContains(form, "firmware")
        self.client.post(f"{STAFF}/from-request/{task.pk}/", {
            "title": "The VPN drops every hour", "body": "Update the VPN client to 5.2."})
        article = Article.objects.get()
        self.assertEqual((article.source_task_id, article.is_published), (task.pk, False))

    def test_permissions_and_other_organizations(self) -> None:
        article = self.article()
        self.login_staff(self.viewer_a)
        self.assertContains(self.client.get(f"{STAFF}/"), article.title)
        self.assertEqual(self.client.post(f"{STAFF}/new/", {"title": "Q", "body": "A"})
                         .status_code, 403)
        self.assertEqual(self.client.post(f"{STAFF}/{article.pk}/delete/").status_code, 403)
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(f"/app/other-org/knowledge/{article.pk}/").status_code,
                         404)
        self.assertEqual(self.client.post(f"/app/other-org/knowledge/{article.pk}/delete/")
                         .status_code, 404)
        self.assertTrue(Article.objects.filter(pk=article.pk).exists())
        self.login_staff(self.admin_a)
        self.client.post(f"{STAFF}/{article.pk}/delete/")
        self.assertFalse(Article.objects.filter(pk=article.pk).exists())

    def test_removing_a_category_keeps_its_articles(self) -> None:
        category = Category.objects.create(organization=self.org_a, name="Accounts")
        article = self.article(category=category)
        self.login_staff(self.admin_a)
        self.client.post(f"{STAFF}/categories/{category.pk}/remove/")
        article.refresh_from_db()
        self.assertIsNone(article.category)
        self.assertContains(self.client.get(f"{FAQ}/"), "Other questions")
