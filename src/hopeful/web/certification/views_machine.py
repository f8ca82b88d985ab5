"""Machine endpoints of the credentials (not translated, no sign-in): the issuer's public
keys and the two status lists. Both are built on every request and never cached, so a
revocation or suspension is visible to every verifier at once."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from hopeful.web.certification import issuing


def _machine(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    # Verifiers run anywhere (wallets, other sites' pages): the public data may be read
    # from any origin.
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@require_safe
def jwks(request: HttpRequest) -> HttpResponse:
    """The public keys that verify this deployment's credentials (RFC 7517 key set)."""
    body = json.dumps(issuing.public_jwks())
    return _machine(HttpResponse(body, content_type="application/jwk-set+json"))


@login_not_required
@require_safe
def status_list(request: HttpRequest, purpose: str) -> HttpResponse:
    """The signed BitstringStatusListCredential for ``revocation`` or ``suspension``."""
    if purpose not in issuing.PURPOSES:
        raise Http404
    token = issuing.status_list_jwt(purpose)
    return _machine(HttpResponse(token, content_type="application/vc+jwt"))
