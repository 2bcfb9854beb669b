from django.urls import path

from frontdesk.organizations.views import create, groups, home, permissions, staff

app_name = "organizations"
urlpatterns = [
    path("", home.choose, name="choose"),
    path("new/", create.new_organization, name="new"),
    path("<str:org_slug>/", home.home, name="home"),
    path("<str:org_slug>/settings/", home.settings_index, name="settings"),
    path("<str:org_slug>/settings/staff/", staff.staff_list, name="staff"),
    path("<str:org_slug>/settings/staff/invitations/<int:invitation_id>/revoke/",
         staff.revoke_invitation, name="revoke_invitation"),
    path("<str:org_slug>/settings/staff/<int:membership_id>/", staff.staff_member,
         name="staff_member"),
    path("<str:org_slug>/settings/staff/<int:membership_id>/admin/", staff.set_staff_admin,
         name="set_staff_admin"),
    path("<str:org_slug>/settings/staff/<int:membership_id>/remove/", staff.remove_staff,
         name="remove_staff"),
    path("<str:org_slug>/settings/permissions/", permissions.permissions, name="permissions"),
    path("<str:org_slug>/settings/groups/", groups.group_list, name="groups"),
    path("<str:org_slug>/settings/groups/<int:group_id>/", groups.group_detail, name="group"),
]
