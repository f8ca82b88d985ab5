"""``/metrics`` for Prometheus (django-prometheus), behind a bearer token.

- ``HOPEFUL_METRICS_TOKEN`` unset: the address does not exist (404).
- Set: the scraper sends ``Authorization: Bearer <token>``; a missing or wrong token gets
  401 with ``WWW-Authenticate: Bearer`` (compared in constant time).

The metrics are labelled by view *name* and method (``survey:start``, ``GET``), never by
path, so no link token or id reaches them. Each web process serves its own counters:
Prometheus scrapes every web container.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

__all__ = ["metrics", "token_matches"]


def token_matches(request: HttpRequest, expected: str) -> bool:
    """Whether ``request`` carries ``Authorization: Bearer <expected>``."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@login_not_required
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    expected = settings.HOPEFUL_METRICS_TOKEN
    if not expected:
        raise Http404
    response: HttpResponse
    if token_matches(request, expected):
        response = ExportToDjangoView(request)
    else:
        response = HttpResponse("unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    response["Cache-Control"] = "no-store"
    return response
