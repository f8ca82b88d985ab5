from __future__ import annotations

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

import hopeful
from hopeful.web.cms import views as cms_views
from hopeful.web.cms.navigation import live_home
from hopeful.web.core.selectors import building_blocks_for_display, database_is_reachable


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public site's home page in this language (staff edit it in the CMS); until it has
    one in this language, the built-in home page."""
    language = get_language() or "en"
    if live_home(language) is not None:
        return cms_views.serve(request, "")
    blocks = building_blocks_for_display(language=language)
    return render(request, "core/home.html", {"blocks": blocks})


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    database_ok = database_is_reachable()
    return JsonResponse(
        {
            "status": "ok" if database_ok else "error",
            "database": "ok" if database_ok else "error",
            "version": hopeful.__version__,
        },
        status=200 if database_ok else 503,
    )


#: How far ahead security.txt's Expires lies (RFC 9116 asks for less than a year).
SECURITY_TXT_VALID = dt.timedelta(days=180)


def security_contact() -> str:
    """security.txt's Contact: ``HOPEFUL_SECURITY_CONTACT``, else the public site's contact
    address (``HOPEFUL_CONTACT_EMAIL``, else ``DEFAULT_FROM_EMAIL``'s mailbox), as a URI."""
    contact: str = settings.HOPEFUL_SECURITY_CONTACT or settings.HOPEFUL_CONTACT_EMAIL
    if not contact:
        contact = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if contact.startswith(("mailto:", "https://")):
        return contact
    if "@" in contact and ":" not in contact:
        return f"mailto:{contact}"
    raise ImproperlyConfigured(
        f"HOPEFUL_SECURITY_CONTACT must be an email address, a mailto: or an https: URI, "
        f"not {contact!r}"
    )


def security_txt_body(*, now: dt.datetime) -> str:
    """The text of ``/.well-known/security.txt`` at ``now`` (RFC 9116).

    Expires is computed, :data:`SECURITY_TXT_VALID` after the start of today (UTC), so the
    file never goes stale while the site runs; its contact comes from the live settings, not
    from a copy that could be forgotten."""
    day = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    expires = (day + SECURITY_TXT_VALID).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        f"Contact: {security_contact()}",
        f"Expires: {expires}",
        "Preferred-Languages: en, es",
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
    ]
    return "\n".join(lines) + "\n"


@login_not_required
@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def security_txt(request: HttpRequest) -> HttpResponse:
    """``/.well-known/security.txt``: where to report a vulnerability (docs/security.md)."""
    body = security_txt_body(now=timezone.now())
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
