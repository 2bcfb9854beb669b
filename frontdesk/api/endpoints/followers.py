"""/api/v1/requests/{id}/followers: who follows a request besides its requester (SPEC X5), as
on the staff page: colleagues of the request's customer and CC addresses, added and removed
through the same actions (support.followers), with the same rules and messages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status as Answer

from frontdesk.api import payloads
from frontdesk.api.auth import as_api_request, require
from frontdesk.api.endpoints.requests import task_of
from frontdesk.api.schemas import Error, FollowerIn, FollowerOut
from frontdesk.organizations.permissions import Area, Level
from frontdesk.portal.models import PortalUser
from frontdesk.support import followers
from frontdesk.support.models import Follower

router = Router(tags=["requests"])


@router.get("/requests/{task_id}/followers", response={200: list[FollowerOut], 404: Error},
            url_name="request_followers")
def follower_list(request: HttpRequest, task_id: int) -> list[dict[str, Any]]:
    """The request's followers, oldest first: colleagues (portal users of its customer, who
    see it in the portal) and CC addresses (they only get the e-mails)."""
    require(request, Area.SUPPORT, Level.VIEW)
    task = task_of(as_api_request(request).org, task_id)
    return [payloads.follower_data(follower) for follower in
            payloads.followers_for_output(Follower.objects.filter(task_id=task.pk))]


@router.post("/requests/{task_id}/followers",
             response={201: FollowerOut, 400: Error, 403: Error, 404: Error},
             url_name="request_followers")
def follower_add(request: HttpRequest, task_id: int, data: FollowerIn
                 ) -> Answer[dict[str, Any]]:
    """Add a follower: `portal_user_id`, an active portal user of the request's own customer,
    or an `email` to copy (one of the customer's people's address makes them a colleague
    follower). Refused (400, nothing changed) as on the staff page: someone of another
    customer, a bad address, the requester, a follower twice, more than the limit."""
    api_request = as_api_request(request)
    require(request, Area.SUPPORT, Level.CONTRIBUTE)
    task = task_of(api_request.org, task_id)
    email = data.email.strip()
    if (data.portal_user_id is None) == (not email):
        raise ValidationError(_("Choose a colleague or enter an e-mail address."))
    colleague = None
    if data.portal_user_id is not None:
        # Among the organization's people only; the action then refuses anyone but the
        # request's customer's own (another organization's id reads as another customer's).
        colleague = (PortalUser.objects.for_org(api_request.org)
                     .filter(pk=data.portal_user_id).first())
        if colleague is None:
            raise ValidationError({"portal_user_id": [
                _("Only people of the request's customer can follow it in the portal.")]})
    follower = followers.add_follower(task=task, portal_user=colleague, email=email,
                                      by=api_request.user)
    return Answer(201, payloads.follower_data(follower))


@router.delete("/requests/{task_id}/followers/{follower_id}",
               response={204: None, 403: Error, 404: Error}, url_name="request_follower")
def follower_remove(request: HttpRequest, task_id: int, follower_id: int) -> Answer[None]:
    """Remove a follower of this request (a colleague then no longer sees it in the portal
    where people see only their own requests)."""
    api_request = as_api_request(request)
    require(request, Area.SUPPORT, Level.CONTRIBUTE)
    # Another organization's follower, or another request's, answers as a missing one.
    follower = (Follower.objects.for_org(api_request.org)
                .filter(task_id=task_id, pk=follower_id)
                .select_related("task", "portal_user").first())
    if follower is None:
        raise HttpError(404, _("No such follower."))
    followers.remove_follower(follower=follower, by=api_request.user)
    return Answer(204, None)
