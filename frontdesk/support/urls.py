from django.urls import path

from frontdesk.support.views import (
    customer,
    followers,
    lists,
    live,
    notifications,
    replies,
    requests,
    sharing,
)

app_name = "support"
urlpatterns = [
    path("", lists.request_list, name="request_list"),
    path("by-topic/", lists.requests_by_topic, name="requests_by_topic"),
    path("<int:task_id>/", requests.request_detail, name="request_detail"),
    path("<int:task_id>/posts/", requests.add_post, name="add_post"),
    path("<int:task_id>/posts/new/", live.new_posts, name="new_posts"),
    path("<int:task_id>/posts/<int:post_id>/visibility/", requests.post_visibility,
         name="post_visibility"),
    path("<int:task_id>/status/", requests.change_status, name="change_status"),
    path("<int:task_id>/delegate/", requests.delegate, name="delegate"),
    path("<int:task_id>/describe/", requests.describe, name="describe"),
    path("<int:task_id>/customer/", customer.request_customer, name="request_customer"),
    path("<int:task_id>/share/", sharing.share_task, name="share_task"),
    path("<int:task_id>/followers/", followers.add_follower, name="add_follower"),
    path("<int:task_id>/followers/<int:follower_id>/remove/", followers.remove_follower,
         name="remove_follower"),
    path("<int:task_id>/revoke-links/", requests.revoke_links, name="revoke_links"),
    path("<int:task_id>/saved-replies/", replies.choose_saved_reply, name="choose_saved_reply"),
    path("files/<int:attachment_id>/", requests.download, name="download"),
    path("saved-replies/", replies.saved_replies, name="saved_replies"),
    path("saved-replies/<int:reply_id>/", replies.saved_reply_edit, name="saved_reply_edit"),
    path("saved-replies/<int:reply_id>/delete/", replies.saved_reply_delete,
         name="saved_reply_delete"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/<int:notification_id>/", notifications.open_notification,
         name="open_notification"),
    path("notifications/read/", notifications.mark_all_read, name="mark_all_read"),
]
