"""What the API answers and what webhooks send about a request, a post and a customer: one
representation for both, read with a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from frontdesk.accounts.models import User
from frontdesk.customers.models import Customer
from frontdesk.portal.models import person_name
from frontdesk.support.models import Follower, Post, Task, TaskQuerySet

_PEOPLE = User.objects.only("id", "full_name", "email").order_by("id")


def requests_for_output(tasks: TaskQuerySet) -> QuerySet[Task]:
    """`tasks` with what `request_data` reads: joined, and the assignees in one more query
    for all of them."""
    return (tasks.select_related("customer", "requester")
            .prefetch_related(Prefetch("assignees", queryset=_PEOPLE)))


def posts_for_output(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("author", "portal_author").order_by("id")


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": user.full_name or user.email, "email": user.email}


def request_data(task: Task) -> dict[str, Any]:
    """A request as `schemas.RequestOut`. The requester's e-mail is the organization's own
    data; staff are named with their e-mail as on staff pages."""
    requester = task.requester
    customer = task.customer
    return {
        "id": task.pk, "reference": task.reference, "title": task.title,
        "status": task.status, "priority": task.priority, "topic_id": task.topic_id,
        "customer": (None if customer is None
                     else {"id": customer.pk, "short_name": customer.short_name}),
        "requester": (None if requester is None else {
            "id": requester.pk, "email": requester.email,
            "name": person_name(requester.first_name, requester.last_name, requester.email)}),
        "assignees": [_person(user) for user in task.assignees.all()],
        "due_date": task.due_date, "created_at": task.created_at,
        "updated_at": task.updated_at, "closed_at": task.closed_at,
        "first_response_due_at": task.first_response_due_at,
        "first_responded_at": task.first_responded_at,
        "resolution_due_at": task.resolution_due_at, "next_due_at": task.next_due_at,
    }


def request_detail_data(task: Task, posts: list[Post], followers: list[Follower]
                        ) -> dict[str, Any]:
    """A request with its description, every post, internal notes flagged `internal` (the
    API is for staff: it shows what the staff page shows), and its followers."""
    return {**request_data(task), "description": task.description,
            "posts": [post_data(post) for post in posts],
            "followers": [follower_data(follower) for follower in followers]}


def followers_for_output(followers: QuerySet[Follower]) -> QuerySet[Follower]:
    return followers.select_related("portal_user").order_by("id")


def follower_data(follower: Follower) -> dict[str, Any]:
    """A follower as `schemas.FollowerOut`: a colleague (a portal user) or a CC address."""
    person = follower.portal_user if follower.portal_user_id is not None else None
    if person is None:
        return {"id": follower.pk, "kind": "email", "portal_user": None,
                "email": follower.email, "created_at": follower.created_at}
    return {"id": follower.pk, "kind": "colleague",
            "portal_user": {"id": person.pk,
                            "name": person_name(person.first_name, person.last_name,
                                                person.email),
                            "email": person.email},
            "email": person.email, "created_at": follower.created_at}


def post_data(post: Post) -> dict[str, Any]:
    if post.author_id is not None and post.author is not None:
        author = {"kind": "staff", "id": post.author_id,
                  "name": post.author.full_name or post.author.email}
    elif post.portal_author_id is not None and post.portal_author is not None:
        person = post.portal_author
        author = {"kind": "customer", "id": person.pk,
                  "name": person_name(person.first_name, person.last_name, person.email)}
    elif post.author_email:
        # A reply e-mailed by one of the request's CC followers (SPEC X5): no person.
        author = {"kind": "customer", "id": None, "name": post.author_email}
    else:
        # The author's account was deleted (SET_NULL): who wrote it is no longer known.
        author = {"kind": "unknown", "id": None, "name": ""}
    return {"id": post.pk, "request_id": post.task_id, "body": post.body,
            "internal": not post.is_visible_to_customer, "author": author,
            "created_at": post.created_at}


def customer_data(customer: Customer) -> dict[str, Any]:
    return {"id": customer.pk, "short_name": customer.short_name,
            "full_name": customer.full_name, "email": customer.email, "phone": customer.phone,
            "support_until": customer.support_until,
            "created_at": customer.created_at, "updated_at": customer.updated_at}


# Webhook payloads: the same shapes as the API's answers (schemas.py), read when the action
# emits its event (inside its transaction: as the change left things).

def request_json(task_id: int) -> dict[str, Any]:
    from frontdesk.api.schemas import RequestOut

    task = requests_for_output(Task.objects.filter(pk=task_id)).get()
    return RequestOut.model_validate(request_data(task)).model_dump(mode="json")


def post_json(post_id: int) -> dict[str, Any]:
    from frontdesk.api.schemas import PostOut

    post = posts_for_output(Post.objects.filter(pk=post_id)).get()
    return PostOut.model_validate(post_data(post)).model_dump(mode="json")


def customer_json(customer_id: int) -> dict[str, Any]:
    return customer_json_of(Customer.objects.get(pk=customer_id))


def customer_json_of(customer: Customer) -> dict[str, Any]:
    """`customer_json` of a customer at hand (an import's, just inserted)."""
    from frontdesk.api.schemas import CustomerDetailOut

    return CustomerDetailOut.model_validate(customer_data(customer)).model_dump(mode="json")


def follower_json(task_id: int, follower: Follower) -> dict[str, Any]:
    """`follower.added` / `follower.removed`: the request's id and the follower (made from
    the instance: a removed one's row is gone)."""
    from frontdesk.api.schemas import FollowerOut

    return {"request_id": task_id,
            "follower": FollowerOut.model_validate(follower_data(follower)
                                                   ).model_dump(mode="json")}
