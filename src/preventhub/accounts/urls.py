from django.urls import path

from preventhub.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/sign-in/", views.sign_in, name="sign_in"),
    path("account/sign-out/", views.sign_out, name="sign_out"),
    path("account/", views.account, name="account"),
    path("account/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/backup-codes/", views.backup_codes_regenerate, name="backup_codes"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/password/changed/", views.password_change_done, name="password_change_done"),
    path("account/password-reset/", views.password_reset, name="password_reset"),
    path("account/password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "account/password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/complete/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("users/", views.user_list, name="user_list"),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path(
        "users/<int:pk>/reset-two-factor/",
        views.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
]
