"""Headers for pages opened from a private emailed link (a token in the address)."""

from __future__ import annotations

from django.http import HttpResponse


def private(response: HttpResponse) -> HttpResponse:
    """Keep a link page's token out of caches, referrers and search engines."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response
