"""The pages a person lands on when something is wrong: 400, 403, 404, 500 and a refused
form (CSRF), each on the site's layout, in the URL's language, with a way back.

Rules (tested in tests/web/core/test_error_pages.py and the browser test):

- 404 never tells what exists: it does not echo the address or depend on it, and has no
  per-request token, so another organization's object and a made-up address answer the same
  bytes (the organization rule itself is in :mod:`hopeful.web.organizations.access`).
- 403 is only raised for members (and support grant holders) of the organization: it names the
  roles the page needs and the organization's admins, who can change a role.
- 400 and 500 render without the database and without a request context (the error may be the
  database, or come before the middleware ran): a static header, the language from the path.
- A refused family survey form gets the survey's own page (its answers so far are saved, and
  a button continues); any other refused form says nothing was changed and how to retry.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

import hopeful
from hopeful.web.audit.middleware import current_request_id
from hopeful.web.core.selectors import NavLink, home_language_links
from hopeful.web.organizations.access import (
    NetworkStaffRequired,
    RoleRequired,
    organizations_for_user,
)
from hopeful.web.organizations.models import Role
from hopeful.web.organizations.selectors import admin_contacts
from hopeful.web.surveys.views_expired import csrf_failure as survey_csrf_failure

logger = logging.getLogger(__name__)

#: What a person gets when even the error template cannot be rendered.
FALLBACK = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Server error · HOPEful</title></head><body><main><h1>Something went wrong</h1>"
    "<p>The server could not complete your request. Please try again in a moment.</p>"
    '<p lang="es">El servidor no pudo completar su solicitud. Inténtelo de nuevo en un '
    'momento.</p><p><a href="/">HOPEful</a></p></main></body></html>'
)


def _path_language(request: HttpRequest) -> str:
    """The language of the URL (``/es/...`` is Spanish), without touching the database."""
    code = translation.get_language_from_path(request.path_info)
    return code or settings.LANGUAGE_CODE


def _static_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    """An error page rendered from the template alone: no database, no context processors."""
    language = _path_language(request)
    try:
        with translation.override(language):
            context = {
                "site_nav": [
                    NavLink(_("Home"), reverse("core:home"), False),
                    NavLink(_("Questionnaires"), reverse("instruments:list"), False),
                ],
                "language_links": home_language_links(current=language),
                "hopeful_version": hopeful.__version__,
                "request_id": current_request_id(),
                "error_page": True,
            }
            body = loader.get_template(template).render(context)
    except Exception:  # the page that reports errors must not fail in turn
        logger.exception("The %s page could not be rendered", status)
        body = FALLBACK
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _static_page(request, "400.html", 400)


def server_error(request: HttpRequest) -> HttpResponse:
    return _static_page(request, "500.html", 500)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The same page for every missing thing: nothing in it depends on the address."""
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    context = {
        "language_links": home_language_links(current=translation.get_language() or "en"),
        "error_page": True,
        "organizations": (
            [
                {"name": o.name, "url": reverse("practice:home", args=[o.public_id])}
                for o in organizations_for_user(user)
            ]
            if signed_in
            else []
        ),
    }
    return render(request, "404.html", context, status=404)


def _role_names(roles: tuple[str, ...]) -> list[str]:
    labels = dict(Role.choices)
    return [str(labels.get(role, role)) for role in roles]


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Why the page is closed to this person and who can open it."""
    context: dict[str, Any] = {"kind": "other"}
    if isinstance(exception, RoleRequired):
        organization = exception.organization
        context.update(
            kind="support" if exception.support else "role",
            organization_name=organization.name,
            organization_url=reverse("practice:home", args=[organization.public_id]),
            needed=_role_names(exception.roles),
            role=_role_names((exception.role,))[0],
            via_support=exception.via_support,
            admins=admin_contacts(organization=organization),
        )
    elif isinstance(exception, NetworkStaffRequired):
        context["kind"] = "network"
    return render(request, "403.html", context, status=403)


def _back_url(request: HttpRequest) -> str:
    """The page the refused form was on: the referring page of this site, else the form's
    own address when it is a page of the site, else nothing."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    try:
        resolve(request.path_info)
    except Resolver404:
        return ""
    return request.path


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the family survey's own page for its forms, else a page that
    says nothing was changed and links back to the page the form was on."""
    response = survey_csrf_failure(request, reason)
    if response is not None:
        return response
    return render(
        request,
        "403_csrf.html",
        {"back_url": _back_url(request), "request_id": current_request_id()},
        status=403,
    )
