from django_tasks import task

from frontdesk.mail.services import deliver


@task()
def deliver_email(message_id: int) -> str:
    return deliver(message_id)
