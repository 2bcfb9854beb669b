"""Groups (projects) of staff: tasks live in groups (SPEC O4). Admins manage them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontdesk.organizations import services
from frontdesk.organizations.access import StaffRequest, require_admin, staff_view
from frontdesk.organizations.forms import GroupForm
from frontdesk.organizations.models import Group
from frontdesk.organizations.queries import groups_with_members
from frontdesk.organizations.querysets import get_for_org


def _save(request: StaffRequest, form: GroupForm, group: Group | None) -> Group | None:
    """Run `save_group` for a submitted form; on refusal the reason goes on the form."""
    require_admin(request)
    if not form.is_valid():
        return None
    try:
        return services.save_group(organization=request.org, name=form.cleaned_data["name"],
                                   members=form.cleaned_data["members"], group=group)
    except ValidationError as error:
        form.add_error("name", error)
        return None


@require_http_methods(["GET", "POST"])
@staff_view()
def group_list(request: StaffRequest) -> HttpResponse:
    form = GroupForm(request.POST if request.method == "POST" else None,
                     organization=request.org)
    if request.method == "POST":
        group = _save(request, form, None)
        if group is not None:
            messages.success(request, _("The group %(name)s is created.") % {"name": group.name})
            return redirect("organizations:groups", request.org.slug)
    return render(request, "organizations/group_list.html", {
        "groups": list(groups_with_members(request.org)),
        "form": form if request.membership.is_admin else None,
    })


@require_http_methods(["GET", "POST"])
@staff_view()
def group_detail(request: StaffRequest, group_id: int) -> HttpResponse:
    group = get_for_org(groups_with_members(request.org), request.org, pk=group_id)
    members = list(group.members.all())
    if request.method == "POST":
        form = GroupForm(request.POST, organization=request.org)
        if _save(request, form, group) is not None:
            messages.success(request, _("The group is saved."))
            return redirect("organizations:group", request.org.slug, group.pk)
    else:
        form = GroupForm(initial={"name": group.name, "members": [m.pk for m in members]},
                         organization=request.org)
    return render(request, "organizations/group_detail.html", {
        "group": group, "members": members,
        "form": form if request.membership.is_admin else None,
    })
