"""The CMS admin (``/cms/``) is for network staff only.

Wagtail's admin asks for its own permission (``wagtailadmin.access_admin``), which a group
grants; this middleware adds the rule that matters more: a person who is not network staff
never sees the admin, whatever groups they are in. Signed-out people go to HOPEful's sign-in
(the admin has none of its own: ``/cms/login/`` redirects there too), so the CMS is reached
through the same sign-in, two factors included, as the rest of HOPEful.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from hopeful.web.organizations.access import NetworkStaffRequired, is_network_staff

#: Where the admin lives (hopeful.web.config.urls).
ADMIN_PREFIX = "/cms/"
#: The site's policy (settings.CONTENT_SECURITY_POLICY), but the admin may frame its own
#: previews and show the images being uploaded (blob: addresses).
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-src 'self'; frame-ancestors 'self'"
)


class CmsAdminAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(ADMIN_PREFIX):
            user = getattr(request, "user", None)
            if not getattr(user, "is_authenticated", False):
                return redirect_to_login(request.get_full_path())
            if not (is_network_staff(user) or getattr(user, "is_superuser", False)):
                raise NetworkStaffRequired
            response = self.get_response(request)
            # The editor previews a page in a frame of its own origin; nothing else frames.
            response["X-Frame-Options"] = "SAMEORIGIN"
            response["Content-Security-Policy"] = ADMIN_POLICY
            return response
        return self.get_response(request)
