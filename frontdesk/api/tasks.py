from django_tasks import task

from frontdesk.api.delivery import deliver


@task()
def deliver_webhooks(delivery_ids: list[int]) -> dict[str, str]:
    """The deliveries of one event. A failing one schedules its own retry."""
    return {str(delivery_id): deliver(delivery_id) for delivery_id in delivery_ids}


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One delivery: a retry, or one sent again from the endpoint's page."""
    return deliver(delivery_id)
