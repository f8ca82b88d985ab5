"""Members, invitations and support grants of one organization (org admins only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hopeful.web.accounts.models import User
from hopeful.web.accounts.selectors import user_has_second_factor
from hopeful.web.accounts.services import second_factor_reset
from hopeful.web.accounts.signed_in import signed_in_user
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.forms import InvitationForm, MembershipForm, SupportGrantForm
from hopeful.web.organizations.models import Invitation, Membership, Role, SupportGrant
from hopeful.web.organizations.services import (
    invitation_create,
    membership_remove,
    membership_update,
    support_grant_create,
    support_grant_revoke,
)
from hopeful.web.organizations.services import (
    invitation_revoke as invitation_revoke_service,
)


def _members_url(access: Access) -> str:
    return reverse("organizations:members", kwargs={"org_id": access.organization.public_id})


def _membership(access: Access, member_id: Any) -> Membership:
    membership = (
        Membership.objects.filter(organization=access.organization, public_id=member_id)
        .select_related("user", "organization")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def _no_support_changes(access: Access) -> None:
    # Support staff may look and help, but not hand out access to the organization.
    access.require_own_access()


@org_view(Role.ORG_ADMIN)
def member_list(request: HttpRequest, access: Access) -> HttpResponse:
    organization = access.organization
    now = timezone.now()
    members = (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .prefetch_related("programs")
        .order_by("user__display_name", "user__email")
    )
    invitations = (
        Invitation.objects.filter(
            organization=organization,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .prefetch_related("programs")
        .order_by("email")
    )
    grants = (
        SupportGrant.objects.filter(
            organization=organization, revoked_at__isnull=True, expires_at__gt=now
        )
        .select_related("staff", "granted_by")
        .order_by("expires_at")
    )
    context = {
        "access": access,
        "organization": organization,
        "members": members,
        "invitations": invitations,
        "grants": grants,
    }
    return render(request, "organizations/member_list.html", context)


@org_view(Role.ORG_ADMIN)
def member_invite(request: HttpRequest, access: Access) -> HttpResponse:
    _no_support_changes(access)
    organization = access.organization
    form = InvitationForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                organization=organization,
                actor=signed_in_user(request),
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                programs=form.cleaned_data["programs"],
                accept_url=lambda token: request.build_absolute_uri(
                    reverse("accounts:invitation_accept", args=[token])
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. It works for 7 days.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect(_members_url(access))
    return render(
        request,
        "organizations/member_invite.html",
        {"access": access, "organization": organization, "form": form},
    )


@org_view(Role.ORG_ADMIN)
@require_POST
def invitation_revoke(request: HttpRequest, access: Access, invitation_id: Any) -> HttpResponse:
    _no_support_changes(access)
    invitation = Invitation.objects.filter(
        organization=access.organization, public_id=invitation_id
    ).first()
    if invitation is None:
        raise Http404
    invitation_revoke_service(invitation=invitation, actor=signed_in_user(request))
    messages.success(
        request, _("The invitation of %(email)s is withdrawn.") % {"email": invitation.email}
    )
    return redirect(_members_url(access))


@org_view(Role.ORG_ADMIN)
def member_edit(request: HttpRequest, access: Access, member_id: Any) -> HttpResponse:
    _no_support_changes(access)
    membership = _membership(access, member_id)
    initial = {
        "role": membership.role,
        "all_programs": membership.all_programs,
        "programs": list(membership.programs.all()),
        "is_supervisor": membership.is_supervisor,
    }
    form = MembershipForm(request.POST or None, initial=initial, organization=access.organization)
    if request.method == "POST" and form.is_valid():
        try:
            membership_update(
                membership=membership,
                actor=signed_in_user(request),
                role=form.cleaned_data["role"],
                programs=form.cleaned_data["programs"],
                all_programs=form.cleaned_data["all_programs"],
                is_supervisor=form.cleaned_data["is_supervisor"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Saved the role and programs of %(name)s.")
                % {"name": membership.user.get_full_name()},
            )
            return redirect(_members_url(access))
    context = {
        "access": access,
        "organization": access.organization,
        "membership": membership,
        "form": form,
        "has_second_factor": user_has_second_factor(membership.user),
        "can_reset_second_factor": _can_reset_second_factor(request, access, membership),
    }
    return render(request, "organizations/member_edit.html", context)


def _can_reset_second_factor(request: HttpRequest, access: Access, membership: Membership) -> bool:
    """Org admins reset colleagues' second factor, never their own, never through a support
    grant, and not network staff's or site administrators' (those are reset by a site
    administrator)."""
    member = membership.user
    return not (
        access.via_support
        or member.pk == request.user.pk
        or member.is_network_staff
        or member.is_staff
        or member.is_superuser
    )


@org_view(Role.ORG_ADMIN)
def member_second_factor_reset(
    request: HttpRequest, access: Access, member_id: Any
) -> HttpResponse:
    """Confirm, then remove a member's authenticator apps, passkeys and recovery codes and end
    their sessions: they set up two-step sign-in again at their next sign-in."""
    _no_support_changes(access)
    membership = _membership(access, member_id)
    if not _can_reset_second_factor(request, access, membership):
        raise PermissionDenied
    if request.method == "POST":
        second_factor_reset(
            user=membership.user,
            actor=signed_in_user(request),
            organization=access.organization,
        )
        messages.success(
            request,
            _(
                "Reset the two-step sign-in of %(name)s. They set it up again when they next "
                "sign in."
            )
            % {"name": membership.user.get_full_name()},
        )
        return redirect(
            "organizations:member_edit",
            org_id=access.organization.public_id,
            member_id=membership.public_id,
        )
    context = {"access": access, "organization": access.organization, "membership": membership}
    return render(request, "organizations/member_second_factor_reset.html", context)


@org_view(Role.ORG_ADMIN)
def member_remove(request: HttpRequest, access: Access, member_id: Any) -> HttpResponse:
    _no_support_changes(access)
    membership = _membership(access, member_id)
    error = ""
    if request.method == "POST":
        try:
            membership_remove(membership=membership, actor=signed_in_user(request))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(name)s is no longer a member.") % {"name": membership.user.get_full_name()},
            )
            return redirect(_members_url(access))
    context = {
        "access": access,
        "organization": access.organization,
        "membership": membership,
        "error": error,
    }
    return render(
        request, "organizations/member_remove.html", context, status=409 if error else 200
    )


@org_view(Role.ORG_ADMIN)
def support_grant(request: HttpRequest, access: Access) -> HttpResponse:
    _no_support_changes(access)
    form = SupportGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        staff: User = form.cleaned_data["email"]
        try:
            grant = support_grant_create(
                organization=access.organization,
                actor=signed_in_user(request),
                staff=staff,
                hours=form.cleaned_data["hours"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s has support access until %(time)s (UTC).")
                % {
                    "name": staff.get_full_name(),
                    "time": grant.expires_at.strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect(_members_url(access))
    return render(
        request,
        "organizations/support_grant.html",
        {"access": access, "organization": access.organization, "form": form},
    )


@org_view(Role.ORG_ADMIN)
@require_POST
def support_revoke(request: HttpRequest, access: Access, grant_id: Any) -> HttpResponse:
    _no_support_changes(access)
    grant = (
        SupportGrant.objects.filter(organization=access.organization, public_id=grant_id)
        .select_related("staff", "organization")
        .first()
    )
    if grant is None:
        raise Http404
    support_grant_revoke(grant=grant, actor=signed_in_user(request))
    messages.success(request, _("Support access ended."))
    return redirect(_members_url(access))
