"""The decorators access to a view goes through: :func:`org_view` for organization-scoped
views (tenancy, roles and two-factor sign-in) and :func:`network_staff_view` for the resource
center's own pages.

    @org_view(Role.ORG_ADMIN, Role.PRACTITIONER)
    def family_detail(request, access, family_id): ...

The URL must carry ``org_id`` (a UUID). The view receives the :class:`Access` instead of
``org_id``. Objects of another organization are 404 (as missing ones); a role not listed is
403; a user whose role sees identifiable records and who has not passed two-factor sign-in in
this session is sent to the two-factor step first. Every request made through a support grant
is audited (``support.access``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from hopeful.web.organizations.access import (
    Access,
    NetworkStaffRequired,
    get_organization_for_user,
    is_network_staff,
)
from hopeful.web.organizations.services import support_access_record

View = Callable[..., HttpResponseBase]


def needs_second_factor(request: HttpRequest, access: Access) -> bool:
    """Whether this request must complete two-factor sign-in before seeing records."""
    if not access.sees_identifiable:
        return False
    is_verified = getattr(request.user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def org_view(*roles: str) -> Callable[[View], View]:
    """Wrap a view of ``/orgs/<org_id>/...``; ``roles`` limit who may use it (all if none)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, org_id: Any, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = get_organization_for_user(request.user, org_id, *roles)
            if needs_second_factor(request, access):
                url = reverse("accounts:two_factor")
                return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
            if access.via_support and access.support_grant is not None:
                # Every request through a support grant leaves a trace the organization sees.
                support_access_record(
                    grant=access.support_grant,
                    actor=request.user,
                    path=request.path,
                    method=request.method or "",
                )
            request.access = access  # type: ignore[attr-defined]  # ours, not HttpRequest's
            return view(request, access, *args, **kwargs)

        wrapper.org_view_roles = roles  # type: ignore[attr-defined]  # for the URL inventory
        return wrapper

    return decorate


def network_staff_view(view: View) -> View:
    """Wrap a view only network staff may use: anyone else gets 403 (superusers and
    organization admins included). Its pages are never cached."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_network_staff(request.user):
            raise NetworkStaffRequired
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


def org_view_roles_for(path: str) -> tuple[str, ...] | None:
    """The roles :func:`org_view` lets into the organization page at ``path`` (empty: every
    member), or None when ``path`` is not an organization page. Links to a page are offered
    from this, so a link never leads to a 403 the page's own decorator would give."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "org_view_roles", None)
