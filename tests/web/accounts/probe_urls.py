"""The real site plus two probe pages: a signed-in page and a tenant page every role may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from hopeful.web.config.urls import urlpatterns as site_urlpatterns
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view


def private(request: HttpRequest) -> HttpResponse:
    return HttpResponse("private page")


@org_view()
def org_probe(request: HttpRequest, access: Access) -> HttpResponse:
    return HttpResponse(f"tenant page as {access.role}")


urlpatterns: list[URLPattern | URLResolver] = [
    path("probe/private/", private),
    path("probe/orgs/<uuid:org_id>/", org_probe),
    *site_urlpatterns,
]
