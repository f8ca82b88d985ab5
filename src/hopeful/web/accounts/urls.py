from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from hopeful.web.accounts import security_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    # POST only (Django 5): a link or an image tag cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    # The account security page (recovery codes, passkeys, sessions): security_views.py.
    path("security/", security_views.security, name="security"),
    path(
        "security/recovery-codes/",
        security_views.recovery_codes_regenerate,
        name="recovery_codes",
    ),
    path(
        "security/passkeys/<int:passkey_id>/rename/",
        security_views.passkey_rename_view,
        name="passkey_rename",
    ),
    path(
        "security/passkeys/<int:passkey_id>/remove/",
        security_views.passkey_remove_view,
        name="passkey_remove",
    ),
    path(
        "security/sessions/<uuid:session_id>/end/",
        security_views.session_end,
        name="session_end",
    ),
    path(
        "security/sessions/end-others/",
        security_views.sessions_end_others,
        name="sessions_end_others",
    ),
    path("password-reset/", views.PasswordResetRequestView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
