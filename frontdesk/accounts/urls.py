from django.urls import path

from frontdesk.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("account/", views.profile, name="profile"),
    path("password-reset/", views.password_reset_request, name="password_reset"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm,
         name="password_reset_confirm"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
