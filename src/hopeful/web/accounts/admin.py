from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from hopeful.web.accounts.forms import UserChangeAdminForm, UserCreationAdminForm
from hopeful.web.accounts.models import RecoveryCodeDevice, User, UserSession

if TYPE_CHECKING:
    # Generic in django-stubs only: at runtime these classes cannot be subscripted.
    _UserAdminBase = DjangoUserAdmin[User]
    _RecoveryCodeDeviceAdminBase = admin.ModelAdmin[RecoveryCodeDevice]
    _UserSessionAdminBase = admin.ModelAdmin[UserSession]
else:
    _UserAdminBase = DjangoUserAdmin
    _RecoveryCodeDeviceAdminBase = admin.ModelAdmin
    _UserSessionAdminBase = admin.ModelAdmin


@admin.register(User)
class UserAdmin(_UserAdminBase):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ("email",)
    list_display = ("email", "display_name", "preferred_language", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "preferred_language")
    search_fields = ("email", "display_name", "first_name", "last_name")
    readonly_fields = ("public_id", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password", "public_id")}),
        (
            _("Personal info"),
            {"fields": ("display_name", "first_name", "last_name", "preferred_language")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(RecoveryCodeDevice)
class RecoveryCodeDeviceAdmin(_RecoveryCodeDeviceAdminBase):
    """Site administrators remove a person's recovery codes here (deleting the device); the
    codes themselves are never shown (only digests are stored)."""

    list_display = ("user", "name", "confirmed")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
    readonly_fields = ("name",)


@admin.register(UserSession)
class UserSessionAdmin(_UserSessionAdminBase):
    list_display = ("user", "user_agent", "ip_network", "created_at", "last_active_at")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
    readonly_fields = ("session_key", "user_agent", "ip_network", "created_at", "last_active_at")
