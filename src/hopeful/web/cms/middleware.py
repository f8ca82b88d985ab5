"""The CMS admin (``/cms/``) is for network staff only.

Wagtail's admin asks for its own permission (``wagtailadmin.access_admin``), which a group
grants; this middleware adds the rule that matters more: a person who is not network staff
never sees the admin, whatever groups they are in. Signed-out people go to HOPEful's sign-in
(the admin has none of its own: ``/cms/login/`` redirects there too), so the CMS is reached
through the same sign-in, two factors included, as the rest of HOPEful.
"""

from __future__ import annotations

from collections.abc import Callable

from csp.decorators import csp_replace
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from hopeful.web.organizations.access import NetworkStaffRequired, is_network_staff

#: Where the admin lives (hopeful.web.config.urls).
ADMIN_PREFIX = "/cms/"
#: The site's policy (settings.CONTENT_SECURITY_POLICY) with these directives replaced, for
#: the admin only (docs/security.md says why each is needed):
#: - Wagtail renders its choosers (page, image, document) and inline panels (a resource's
#:   files) with an inline script each, whose text differs per field and page: no hash or
#:   file can stand in for them, so the admin runs inline scripts;
#: - its page editor's scripts (vendor.js) add <style> elements whose text changes with each
#:   page, so no hash can allow them: style elements only, style attributes stay refused;
#: - the editor previews a page in a frame of its own origin;
#: - it shows the images being uploaded (blob: addresses) before they are sent.
ADMIN_CSP: dict[str, list[str]] = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src-elem": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}


class CmsAdminAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(ADMIN_PREFIX):
            user = getattr(request, "user", None)
            if not getattr(user, "is_authenticated", False):
                return redirect_to_login(request.get_full_path())
            if not (is_network_staff(user) or getattr(user, "is_superuser", False)):
                raise NetworkStaffRequired
            # django-csp's CSPMiddleware (earlier in MIDDLEWARE) builds the header from these.
            response = csp_replace(ADMIN_CSP)(self.get_response)(request)
            # The editor previews a page in a frame of its own origin; nothing else frames.
            response["X-Frame-Options"] = "SAMEORIGIN"
            return response
        return self.get_response(request)
