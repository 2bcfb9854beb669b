from django_tasks import task

from frontdesk.mail.services import deliver


@task()
def deliver_email(message_id: int) -> str:
    """One e-mail; retries are scheduled one message at a time."""
    return deliver(message_id)


@task()
def deliver_emails(message_ids: list[int]) -> dict[str, str]:
    """The e-mails queued by one action. A failing one schedules its own retry."""
    return {str(message_id): deliver(message_id) for message_id in message_ids}


@task()
def process_inbound_email(message_id: int) -> str:
    """An e-mail received (SPEC E2): what it becomes (mail.inbound.process_message)."""
    from frontdesk.mail.inbound import process_message

    return process_message(message_id=message_id)


@task()
def forget_inbound_email(message_id: int) -> bool:
    """A received e-mail's bytes, deleted once kept long enough (mail.inbound.forget_raw)."""
    from frontdesk.mail.inbound import forget_raw

    return forget_raw(message_id=message_id)


@task()
def sweep_inbound_emails() -> int:
    """Daily: the bytes of every received e-mail older than FRONTDESK_INBOUND_KEEP_DAYS
    forgotten, the next run scheduled (mail.inbound_sweep)."""
    from frontdesk.mail.inbound_sweep import sweep

    return sweep()
