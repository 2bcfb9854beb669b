"""The page a rating link from the "your request was closed" e-mail opens (SPEC X2,
portal.rating_links): the request's title and the chosen rating, pre-selected, with an
optional comment. The link is the credential, whether or not anyone is signed in: a GET only
shows (mail scanners follow links), the POST rates through the same action as the request
page (support.services.rate)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontdesk.portal.access import PortalRequest, portal_view
from frontdesk.portal.forms import RatingForm
from frontdesk.portal.rating_links import open_rating_link
from frontdesk.support.models import Rating, Status
from frontdesk.support.services import rate


@require_http_methods(["GET", "POST"])
@portal_view(signed_in=False)
def rate_by_link(request: PortalRequest, task_id: int, token: str) -> HttpResponse:
    found = open_rating_link(organization=request.org, portal_settings=request.portal_settings,
                             task_id=task_id, token=token)
    if found is None:
        # Tampered, expired, revoked, or not this request's: the same answer for each.
        return render(request, "portal/rating_link_invalid.html", status=404)
    portal_user, task = found.portal_user, found.task
    if request.viewer is None and portal_user.language:
        translation.activate(portal_user.language)  # the link's person's, as their e-mail
    # None: reopened since the e-mail, nothing to rate (as on the request page).
    form: RatingForm | None = None
    if task.status == Status.CLOSED and request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                rate(task=task, portal_user=portal_user,
                     rating=Rating(form.cleaned_data["rating"]),
                     comment=form.cleaned_data["comment"])
            except ValidationError as error:  # reopened between the read and the write
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you for your rating."))
                return redirect("portal:rate_by_link", request.org.slug, task.pk, token)
    elif task.status == Status.CLOSED:
        chosen = request.GET.get("rating", "")
        form = RatingForm(initial={
            "rating": chosen if chosen in Rating.values else task.rating,
            "comment": task.rating_comment})
    return render(request, "portal/rate_by_link.html", {"task": task, "form": form},
                  status=400 if request.method == "POST" else 200)
