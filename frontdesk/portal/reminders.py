"""Support-period reminders (SPEC P18; seed 002): a customer's people (its own portal users
and those acting for it, SPEC X7) are e-mailed a number of days (the organization's
`PortalSettings.support_reminder_days`) before the customer's support contract ends
(`Customer.support_until`).

No cron: whenever a customer's date or the organization's days change, the action enqueues a
task due at 08:00 (server time zone) of the reminder day (`schedule_customer`). The task
checks, when it runs, that the reminder is still due as it was scheduled (date and days
unchanged): a task for an outdated schedule does nothing, the newer one does the work. The
customer's `support_reminded_for` is claimed with a conditional UPDATE in the same transaction
as the e-mails are queued, so a retried task or two tasks for one date send once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import task

from frontdesk.customers import activity
from frontdesk.customers.models import Activity, Customer
from frontdesk.lib.background import enqueue_when_committed
from frontdesk.lib.jinja import absolute_url
from frontdesk.mail.builders import RenderedEmail, email_kind, render_templates
from frontdesk.mail.models import OutboxMessage
from frontdesk.mail.services import Email, queue_emails
from frontdesk.portal.access_links import mint_access_link
from frontdesk.portal.auth import viewer_outside_a_page
from frontdesk.portal.models import PortalMembership, PortalSettings, PortalUser

KIND = "portal.support_reminder"
SEND_AT = dt.time(8, 0)
DEFAULT_DAYS: int = PortalSettings._meta.get_field("support_reminder_days").default


def today() -> dt.date:
    """The server's date (a seam for tests, which move it to the reminder's day)."""
    return timezone.localdate()


def reminder_days(organization_id: int) -> int:
    days = (PortalSettings.objects.filter(organization_id=organization_id)
            .values_list("support_reminder_days", flat=True).first())
    return DEFAULT_DAYS if days is None else days


def due_at(support_until: dt.date, days: int) -> dt.datetime:
    """08:00 in the server's time zone, `days` before the support ends."""
    return timezone.make_aware(dt.datetime.combine(support_until - dt.timedelta(days=days),
                                                   SEND_AT), timezone.get_default_timezone())


def schedule_customer(*, customer: Customer, days: int | None = None) -> None:
    """Inside an action that changed the customer's `support_until` (or the days): have the
    worker remind at the reminder's time, once the transaction commits. A reminder whose
    time has passed (a date set inside the window) is due at once."""
    if customer.support_until is None:
        return
    days = reminder_days(customer.organization_id) if days is None else days
    if days <= 0 or customer.support_reminded_for == customer.support_until:
        return
    when = due_at(customer.support_until, days)
    # Due already (a date set inside the window, or today after 08:00): at the next run.
    later = when.date() > today() or (when.date() == today() and when > timezone.now())
    chosen = send_support_reminder.using(run_after=when) if later else send_support_reminder
    enqueue_when_committed(chosen, customer.pk, customer.support_until.isoformat(), days)


def schedule_organization(*, organization_id: int, days: int) -> None:
    """The organization's days changed: every customer's reminder is scheduled anew, by the
    worker (an organization may have many customers)."""
    if days > 0:
        enqueue_when_committed(schedule_organization_task, organization_id, days)


@task()
def schedule_organization_task(organization_id: int, days: int) -> int:
    if reminder_days(organization_id) != days:
        return 0  # changed again since: that change scheduled its own
    current = today()
    customers = (Customer.objects.for_org(organization_id)
                 .filter(support_until__gte=current)
                 .only("pk", "organization_id", "support_until", "support_reminded_for"))
    count = 0
    with transaction.atomic():
        for customer in customers.iterator(chunk_size=1000):
            schedule_customer(customer=customer, days=days)
            count += 1
    return count


@task()
def send_support_reminder(customer_id: int, support_until: str, days: int) -> int:
    """The reminder, if it is still due as scheduled: the e-mails queued, the activity noted.
    Returns how many e-mails were queued."""
    return remind(customer_id=customer_id, support_until=dt.date.fromisoformat(support_until),
                  days=days)


def people_of(customer: Customer) -> QuerySet[PortalUser]:
    """Who is reminded for `customer`: its own active portal users and the active people who
    act for it too (SPEC X7, an accountant for several firms), each once. One statement."""
    acting = PortalMembership.objects.filter(customer_id=customer.pk).values("portal_user_id")
    return (PortalUser.objects.for_org(customer.organization_id).filter(is_active=True)
            .filter(Q(customer_id=customer.pk) | Q(pk__in=acting)))


@transaction.atomic
def remind(*, customer_id: int, support_until: dt.date, days: int) -> int:
    customer = (Customer.objects.select_related("organization")
                .filter(pk=customer_id, support_until=support_until).first())
    if customer is None or days <= 0 or reminder_days(customer.organization_id) != days:
        return 0  # the date was changed or cleared, or the days: not this reminder
    current = today()
    if support_until < current:
        return 0  # over already
    if current < support_until - dt.timedelta(days=days):
        # Run early (a worker's clock, a task brought forward): due again at its time.
        enqueue_when_committed(send_support_reminder.using(run_after=due_at(support_until, days)),
                               customer_id, support_until.isoformat(), days)
        return 0
    # Claim the date: only one task (a retry, a second one) changes the row.
    claimed = (Customer.objects.filter(pk=customer_id, support_until=support_until)
               .exclude(support_reminded_for=support_until)
               .update(support_reminded_for=support_until))
    if not claimed:
        return 0
    organization = customer.organization
    people = list(people_of(customer).order_by("id").only("pk", "email", "language"))
    context = {"customer_id": customer_id, "support_until": support_until.isoformat()}
    emails = [Email(kind=KIND, to=person.email,
                    language=person.language or organization.language,
                    context=context | {"portal_user_id": person.pk}, organization=organization)
              for person in people]
    if not emails and customer.email:
        emails = [Email(kind=KIND, to=customer.email, language=organization.language,
                        context=context, organization=organization)]
    queue_emails(emails)
    activity.record(customer=customer_id, organization_id=organization.pk,
                    kind=Activity.Kind.SUPPORT_REMINDED,
                    emails=", ".join(email.to for email in emails) or "-")
    return len(emails)


@email_kind(KIND)
def support_reminder(message: OutboxMessage) -> RenderedEmail | None:
    """Says when support ends and how to reach the organization: the portal for a person it is
    open to, else the public form if it is on (SPEC P10)."""
    if message.organization_id is None:
        return None
    customer = (Customer.objects.for_org(message.organization_id)
                .filter(pk=message.context["customer_id"])
                .select_related("organization").first())
    if customer is None or customer.support_until is None or \
            customer.support_until.isoformat() != message.context["support_until"]:
        return None  # the date moved before delivery
    organization = customer.organization
    portal_settings = PortalSettings.objects.filter(organization=organization).first()
    portal_user = None
    link = ""
    if "portal_user_id" in message.context:
        portal_user = people_of(customer).filter(pk=message.context["portal_user_id"]).first()
        if portal_user is None:
            return None  # access revoked, or no longer acting for the customer
        # The link opens the portal as this customer, for one of its people or one acting
        # for it (SPEC X7), where the portal is open to it (SPEC P10).
        if viewer_outside_a_page(portal_user, portal_settings=portal_settings,
                                 customer_id=customer.pk) is not None:
            link = absolute_url("portal:link", organization.slug,
                                mint_access_link(portal_user, customer_id=customer.pk))
    form_link = ""
    if not link and portal_settings is not None and portal_settings.public_form_enabled:
        form_link = absolute_url("portal:support_form", organization.slug)
    org_name = portal_settings.shown_name() if portal_settings else organization.name
    context = {"customer": customer, "portal_user": portal_user, "org_name": org_name,
               "support_until": customer.support_until, "link": link, "form_link": form_link,
               "link_days": settings.FRONTDESK_LINK_DAYS}
    return render_templates("support_reminder", context, from_name=org_name)
