"""The shapes the API reads and writes (and webhooks send): the OpenAPI schema is made from
these."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from frontdesk.support.models import Priority, Status

StatusValue = Literal["open", "in_progress", "waiting", "closed"]
PriorityValue = Literal["low", "normal", "high", "urgent"]
# The choices of Status and Priority, as literals for the schema (a test keeps them equal).
STATUS_CHOICES: tuple[type[Status], type[Priority]] = (Status, Priority)


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class Person(Schema):
    id: int
    name: str
    email: str


class Author(Schema):
    kind: Literal["staff", "customer", "unknown"]
    id: int | None = Field(description="The staff member or portal user; null for a reply "
                           "e-mailed by a CC follower of the request (its `name` is then "
                           "the address) and for an author whose account was deleted.")
    name: str


class CustomerRef(Schema):
    id: int
    short_name: str


class RequestOut(Schema):
    id: int
    reference: str
    title: str
    status: StatusValue
    priority: PriorityValue
    topic_id: int | None
    customer: CustomerRef | None
    requester: Person | None
    assignees: list[Person]
    due_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    first_response_due_at: dt.datetime | None = Field(description=(
        "Service levels: when the first answer the customer sees is due, by the target of "
        "the request's topic and priority in business hours (null: no target). Moved on "
        "by the time the request waited for the customer."))
    first_responded_at: dt.datetime | None = Field(description=(
        "When staff first answered visibly to the customer (null: not yet)."))
    resolution_due_at: dt.datetime | None = Field(description=(
        "Service levels: when the request is due to be resolved (null: no target)."))
    next_due_at: dt.datetime | None = Field(description=(
        "What the request is due next: the first response's moment until it is given, then "
        "the resolution's; null while it waits for the customer, once closed, or without "
        "targets. Past: the target is breached."))


class PostOut(Schema):
    id: int
    request_id: int
    body: str
    internal: bool = Field(description="True for a staff note the customer does not see.")
    author: Author
    created_at: dt.datetime


class FollowerOut(Schema):
    id: int
    kind: Literal["colleague", "email"] = Field(description=(
        "colleague: a portal user of the request's customer, who sees the request in the "
        "portal; email: a CC address that only gets the e-mails."))
    portal_user: Person | None = Field(description="The colleague (null for an address).")
    email: str = Field(description="The colleague's e-mail, or the CC address.")
    created_at: dt.datetime = Field(description="When the follower was added.")


class FollowerIn(Schema):
    portal_user_id: int | None = Field(None, description=(
        "The id of an active portal user of the request's customer (as a request's "
        "`requester.id`)."))
    email: str = Field("", max_length=1000, description=(
        "Or an e-mail address to copy (an address of one of the customer's active portal "
        "users makes them a colleague follower)."))


class RequestDetailOut(RequestOut):
    description: str
    posts: list[PostOut]
    followers: list[FollowerOut]


class RequestPage(Schema):
    items: list[RequestOut]
    next_before: int | None = Field(description="Give as ?before= for the next page; null "
                                                "on the last one.")


class RequestIn(Schema):
    topic_id: int
    requester_email: str = Field(max_length=254)
    requester_first_name: str = Field("", max_length=100)
    requester_last_name: str = Field("", max_length=100)
    title: str = Field(min_length=1, max_length=200)
    description: str = ""


class RequestChange(Schema):
    status: StatusValue | None = None
    priority: PriorityValue | None = None
    assignee_ids: list[int] | None = Field(None, max_length=100)


class PostIn(Schema):
    body: str = Field(min_length=1)
    visible_to_customer: bool = Field(False, description="False: an internal note.")


class CustomerOut(Schema):
    id: int
    short_name: str
    full_name: str
    email: str
    phone: str


class CustomerDetailOut(CustomerOut):
    support_until: dt.date | None = Field(description="The end of its support contract; its "
                                                      "people are reminded before it.")
    created_at: dt.datetime
    updated_at: dt.datetime


class CustomerPage(Schema):
    items: list[CustomerOut]
    next_after: int | None = Field(description="Give as ?after= for the next page; null on "
                                               "the last one.")


class CustomerIn(Schema):
    short_name: str
    full_name: str = ""
    email: str = ""
    phone: str = ""
    support_until: dt.date | None = None


class CustomerChange(Schema):
    short_name: str | None = None
    full_name: str | None = None
    email: str | None = None
    phone: str | None = None
    support_until: dt.date | None = Field(None, description="Left out: unchanged; null: "
                                                            "cleared.")


class TopicOut(Schema):
    id: int
    name: str
