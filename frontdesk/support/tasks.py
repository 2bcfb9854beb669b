"""Background work of support actions: telling people about them (side effects, after the
action commits)."""

from django_tasks import task

from frontdesk.support import notify


@task()
def notify_about_new_request(task_id: int, new_customer_id: int | None = None) -> int:
    return notify.notify_about_new_request(task_id, new_customer_id)


@task()
def notify_about_customer_reply(post_id: int) -> int:
    return notify.notify_about_customer_reply(post_id)


@task()
def notify_about_assignment(task_id: int, user_ids: list[int], actor_id: int) -> int:
    return notify.notify_about_assignment(task_id, user_ids, actor_id)
