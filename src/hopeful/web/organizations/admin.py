"""Django admin for organizations. Memberships, invitations and support grants are read-only
here: changing them goes through the members pages, whose services write the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from hopeful.web.organizations.models import (
    Invitation,
    Membership,
    Organization,
    Program,
    SupportGrant,
)

if TYPE_CHECKING:
    # Generic in django-stubs only: at runtime these classes cannot be subscripted.
    _ProgramInlineBase = admin.TabularInline[Program, Organization]
    _OrganizationAdminBase = admin.ModelAdmin[Organization]
    _ReadOnlyAdminBase = admin.ModelAdmin[Model]
else:
    _ProgramInlineBase = admin.TabularInline
    _OrganizationAdminBase = admin.ModelAdmin
    _ReadOnlyAdminBase = admin.ModelAdmin


class ProgramInline(_ProgramInlineBase):
    model = Program
    extra = 0
    fields = ("name",)


@admin.register(Organization)
class OrganizationAdmin(_OrganizationAdminBase):
    list_display = ("name", "kind", "state", "network_member", "created_at")
    list_filter = ("kind", "state", "network_member")
    search_fields = ("name",)
    readonly_fields = ("public_id", "created_at")
    inlines = (ProgramInline,)


class ReadOnlyAdmin(_ReadOnlyAdminBase):
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organization", "role", "all_programs", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organization__name")
    list_select_related = ("user", "organization")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "organization", "role", "created_at", "expires_at", "accepted_at")
    search_fields = ("email", "organization__name")
    exclude = ("token_hash",)
    list_select_related = ("organization",)


@admin.register(SupportGrant)
class SupportGrantAdmin(ReadOnlyAdmin):
    list_display = ("staff", "organization", "created_at", "expires_at", "revoked_at")
    search_fields = ("staff__email", "organization__name")
    list_select_related = ("staff", "organization")
