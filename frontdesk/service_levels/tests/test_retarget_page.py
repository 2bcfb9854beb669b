"""The settings page shows how far the update of the open requests' due moments got (SPEC X8,
service_levels.retarget); bad input queues nothing and moves nothing; the card's own URL
answers only the organization's support managers."""

from __future__ import annotations

from unittest import mock

from frontdesk.service_levels import retarget
from frontdesk.service_levels.models import DueDateUpdate
from frontdesk.service_levels.tests.test_retarget import RetargetTestCase, dues_of
from frontdesk.service_levels.tests.test_settings_pages import PAGE, hours_data, target_data

CARD = PAGE + "updates/"


class ProgressTests(RetargetTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login_staff(self.admin_a)
        with self.sending():
            for _ in range(2):
                self.request()  # three open requests of normal priority

    def test_the_page_shows_the_update_waiting_running_and_done(self) -> None:
        response = self.client.post(PAGE + "targets/", target_data(priority="normal"))
        self.assertRedirects(response, PAGE, fetch_redirect_response=False)
        page = self.client.get(PAGE).content.decode()
        self.assertIn("Waiting to update the due dates of the open requests", page)
        self.assertIn('data-progress-url="/app/acme-support/settings/service-levels/updates/"',
                      page)
        update = DueDateUpdate.objects.for_org(self.org_a).latest("id")
        claimed = retarget._claim(update.pk)
        assert claimed is not None
        self.assertTrue(retarget.run_batch(claimed, size=1))
        card = self.client.get(CARD).content.decode()
        self.assertIn("Updating due dates of 3 open requests: 33%", card)
        self.assertIn('value="33"', card)
        with mock.patch.object(retarget, "BATCH", 1):
            while retarget.run_batch(claimed, size=1):
                pass
        card = self.client.get(CARD).content.decode()
        self.assertIn("Due dates of 3 open requests updated.", card)
        self.assertNotIn("data-progress-url", card)
        self.assertIn("Due dates of 3 open requests updated.",
                      self.client.get(PAGE).content.decode())

    def test_a_failed_update_says_so(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(PAGE + "hours/", hours_data())
        with mock.patch.object(retarget, "run_batch", side_effect=RuntimeError("boom")), \
                self.assertLogs("frontdesk.service_levels.retarget", "ERROR"), self.sending():
            pass
        self.assertEqual(DueDateUpdate.objects.for_org(self.org_a).latest("id").state,
                         DueDateUpdate.State.FAILED)
        self.assertIn("failed", self.client.get(CARD).content.decode())

    def test_bad_input_queues_nothing_and_moves_nothing(self) -> None:
        count = DueDateUpdate.objects.count()
        before = dues_of(self.normal)
        response = self.client.post(PAGE + "targets/", target_data(
            priority="normal", first_response="5", resolution="1"))  # resolution before
        self.assertEqual(response.status_code, 400)
        response = self.client.post(PAGE + "targets/", target_data(priority="bogus"))
        self.assertEqual(response.status_code, 400)
        response = self.client.post(PAGE + "hours/", hours_data(time_zone="Mars/Olympus"))
        self.assertEqual(response.status_code, 400)
        response = self.client.post(PAGE + "hours/", hours_data(opens_0="18:00",
                                                               closes_0="08:00"))
        self.assertEqual(response.status_code, 400)
        with self.sending():
            pass
        self.assertEqual(DueDateUpdate.objects.count(), count)
        self.assertEqual(dues_of(self.normal), before)

    def test_another_organizations_update_is_not_shown(self) -> None:
        retarget.start(organization=self.org_b)
        self.assertNotIn("data-progress-url", self.client.get(CARD).content.decode())


class CardAccessTests(RetargetTestCase):
    def test_only_support_managers_of_the_organization_see_the_card(self) -> None:
        self.login_staff(self.staff_b)
        self.assertEqual(self.client.get(CARD).status_code, 404)
        self.login_staff(self.viewer_a)
        self.assertEqual(self.client.get(CARD).status_code, 403)
        self.login_portal(self.portal_a1)
        self.client.logout()
        self.assertEqual(self.client.get(CARD).status_code, 302)  # to the log-in page

    def test_the_card_reads_a_constant_number_of_statements(self) -> None:
        self.login_staff(self.admin_a)
        self.client.get(CARD)
        for _ in range(6):
            retarget.start(organization=self.org_a, topic_id=None, priority="low")
        with self.assertNumQueries(2):
            response = self.client.get(CARD)
        self.assertContains(response, "Waiting to update")
