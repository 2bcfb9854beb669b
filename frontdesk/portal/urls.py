from django.urls import path

from frontdesk.portal.views import followers, live, public, rating, requests, session, shared

app_name = "portal"
# The pages customers use most come first: Django tries the patterns in order (see
# frontdesk/urls.py).
urlpatterns = [
    path("requests/<int:task_id>/", requests.request_detail, name="request_detail"),
    path("requests/", requests.request_list, name="request_list"),
    path("support/", public.support_form, name="support_form"),
    path("requests/<int:task_id>/reply/", requests.reply, name="reply"),
    path("requests/<int:task_id>/posts/new/", live.new_posts, name="new_posts"),
    path("requests/<int:task_id>/close/", requests.close, name="close"),
    path("requests/<int:task_id>/rate/", requests.rate, name="rate"),
    path("requests/<int:task_id>/rating/<str:token>/", rating.rate_by_link,
         name="rate_by_link"),
    path("requests/new/", requests.new_request, name="new_request"),
    path("requests/<int:task_id>/followers/", followers.add_follower, name="add_follower"),
    path("requests/<int:task_id>/followers/<int:follower_id>/remove/",
         followers.remove_follower, name="remove_follower"),
    path("files/<int:attachment_id>/", requests.download, name="download"),
    path("support/thanks/", public.support_thanks, name="support_thanks"),
    path("logo/", public.logo, name="logo"),
    path("brand.css", public.brand_css, name="brand_css"),
    path("shared/", shared.shared_tasks, name="shared_tasks"),
    path("shared/<int:task_id>/", shared.shared_task_detail, name="shared_task_detail"),
    path("shared/<int:task_id>/reply/", shared.shared_task_reply, name="shared_task_reply"),
    path("shared/<int:task_id>/posts/new/", shared.shared_task_new_posts,
         name="shared_task_new_posts"),
    path("shared/files/<int:attachment_id>/", shared.shared_task_download,
         name="shared_task_download"),
    path("", session.portal_home, name="home"),
    path("login/", session.login, name="login"),
    path("logout/", session.logout, name="logout"),
    path("customer/", session.switch, name="switch_customer"),
    path("link/", session.new_link, name="new_link"),
    path("link/<str:token>/", session.open_link, name="link"),
    path("password/", session.set_password, name="set_password"),
    path("profile/", session.profile, name="profile"),
    path("signup/", session.sign_up, name="signup"),
]
