"""The shape of the bench's data (seed_bench): what each organization gets, and how requests
fall over time, statuses, priorities and customers."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate

from frontdesk.organizations.models import Organization
from frontdesk.support.models import Priority, Status


@dataclass
class OrgShape:
    """What to create in one organization."""

    slug: str
    name: str
    staff: int
    customers: int
    max_portal_users: int
    requests: int


@dataclass
class Team:
    group_id: int
    topic_id: int
    member_ids: list[int]


@dataclass
class OrgRows:
    """The ids of what was created in one organization."""

    organization: Organization
    staff_ids: list[int]
    teams: list[Team]
    customer_ids: list[int]
    portal_users: dict[int, list[int]] = field(default_factory=dict)  # customer id -> ids


def org_shapes(staff: int, customers: int, requests: int) -> tuple[OrgShape, OrgShape]:
    """The measured organization, and the other one: smaller, its rows interleaved."""
    return (OrgShape(slug="bench", name="Bench Company", staff=staff, customers=customers,
                     max_portal_users=3, requests=requests),
            OrgShape(slug="bench-other", name="Other Company", staff=5, customers=100,
                     max_portal_users=1, requests=max(requests // 10, 10)))


def status_for(rng: random.Random, age: float) -> Status:
    """Most requests are closed; the open ones are the recent ones (age 1.0 is the newest)."""
    roll = rng.random()
    if age >= 0.98:
        shares = (0.5, 0.7, 0.85)
    elif age >= 0.9:
        shares = (0.1, 0.2, 0.3)
    else:
        shares = (0.01, 0.02, 0.03)
    if roll < shares[0]:
        return Status.OPEN
    if roll < shares[1]:
        return Status.IN_PROGRESS
    if roll < shares[2]:
        return Status.WAITING
    return Status.CLOSED


# The open requests given a due date, 1–14 days after they came in (all past by now: overdue).
DUE_SHARE = 0.2
_DAYS = [dt.timedelta(days=number) for number in range(15)]


def pick_due(rng: random.Random, status: Status, created: dt.datetime) -> dt.date | None:
    if status == Status.CLOSED or rng.random() >= DUE_SHARE:
        return None
    return (created + _DAYS[rng.randint(1, 14)]).date()


def pick_priority(rng: random.Random) -> Priority:
    roll = rng.random()
    if roll < 0.7:
        return Priority.NORMAL
    if roll < 0.85:
        return Priority.LOW
    if roll < 0.97:
        return Priority.HIGH
    return Priority.URGENT


def plan_owners(rng: random.Random, orgs: list[OrgRows], shapes: list[OrgShape], *, big: int,
                big_customer: int) -> list[int]:
    """The customer of each request, in id (= time) order. Requests of the big customer
    and of the other organization are spread over the whole time span; the rest go to
    the other customers, some much busier than others (log-normal weights)."""
    measured, other = orgs
    total = sum(shape.requests for shape in shapes)
    slots = list(range(total))
    rng.shuffle(slots)
    other_slots = set(slots[:shapes[1].requests])
    big_slots = set(slots[shapes[1].requests:shapes[1].requests + big])

    def weighted(customer_ids: list[int]) -> tuple[list[int], list[float]]:
        weights = [rng.lognormvariate(0, 1) for _ in customer_ids]
        return customer_ids, list(accumulate(weights))

    measured_ids, measured_cum = weighted(measured.customer_ids[1:])
    other_ids, other_cum = weighted(other.customer_ids)
    owners = []
    for slot in range(total):
        if slot in big_slots:
            owners.append(big_customer)
        elif slot in other_slots:
            owners.append(other_ids[bisect(other_cum, rng.random() * other_cum[-1])])
        else:
            owners.append(measured_ids[bisect(measured_cum,
                                              rng.random() * measured_cum[-1])])
    return owners
