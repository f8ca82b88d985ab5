"""The public verification page and the holder's own certificates.

``/verify/<code>/`` is public (no sign-in): anyone holding a code (printed on the certificate,
inside its QR code, and the credential's id) learns whether it is valid, expired, suspended
or revoked, with the holder's name, the tier and the valid-until date, and nothing else.
It is computed on every request and never cached, so a revocation shows at once.

``/certificates/...`` are the signed-in holder's: their list, the PDF certificate, the
credential file and the renewal button. Someone else's code answers 404, as an unknown one.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from hopeful.credentials import bundle
from hopeful.framework.certification import Action, State, rules
from hopeful.web.certification import certificate, issuing, selectors, services
from hopeful.web.certification.models import Certification


def _no_store(response: HttpResponse, *, noindex: bool = False) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    if noindex:
        response["X-Robots-Tag"] = "noindex"
    return response


def tier_name(tier: str) -> str:
    """The tier's name in the page's language (the framework holds both)."""
    return rules(tier).name.get_text(get_language() or "en")


@login_not_required
@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Whether a credential is valid now, for anyone."""
    credential = selectors.credential_by_code(code)
    if credential is None:
        response = render(
            request, "certification/verify_unknown.html", {"code": code[:40]}, status=404
        )
        return _no_store(response, noindex=True)
    result = selectors.verification(credential)
    context = {
        "result": result,
        "tier_name": tier_name(result.tier),
        "issuer_name": issuing.ISSUER_NAME,
        "issuer_url": issuing.site_url() + "/",
    }
    return _no_store(render(request, "certification/verify.html", context), noindex=True)


#: States in which the holder's page shows what renewal needs (and the renew button).
RENEWAL_STATES = (State.EXPIRING.value, State.EXPIRED.value)


def _row(certification: Certification, now: Any, *, renewal: bool = True) -> dict[str, Any]:
    credentials = list(certification.credentials.all())
    latest = credentials[0] if credentials else None
    language = get_language() or "en"
    return {
        "certification": certification,
        "tier_name": tier_name(certification.tier),
        "renewal_text": rules(certification.tier).renewal.get_text(language),
        "latest": latest,
        "latest_status": selectors.credential_status(latest, now=now) if latest else None,
        "renewal": (
            selectors.renewal_progress(certification, now=now)
            if renewal and certification.state in RENEWAL_STATES
            else None
        ),
    }


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in person's certifications."""
    now = timezone.now()
    rows = [_row(c, now) for c in selectors.certifications_for_user(user=request.user)]
    organization_rows = [
        _row(c, now, renewal=False)
        for c in selectors.organization_certifications_for_admin(user=request.user)
    ]
    context = {"rows": rows, "organization_rows": organization_rows}
    return _no_store(render(request, "certification/mine.html", context))


@require_POST
def renew(request: HttpRequest, public_id: str) -> HttpResponse:
    """The holder renews their own certification once the requirements are met."""
    certification = (
        Certification.objects.filter(public_id=public_id, user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    if certification is None:
        raise Http404
    try:
        services.certification_act(
            certification=certification, action=Action.RENEW, actor=request.user
        )
    except services.CertificationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Renewed. Your new certificate and credential are ready."))
    return redirect("certification:mine")


def _own_credential(request: HttpRequest, code: str) -> Any:
    credential = selectors.credential_for_holder(user=request.user, code=code)
    if credential is None:
        raise Http404
    return credential


@require_safe
def pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The one-page PDF certificate of one of the holder's credentials."""
    credential = _own_credential(request, code)
    body = certificate.certificate_pdf(
        credential=credential, tier_name=tier_name(credential.certification.tier)
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="hope-certificate-{credential.code}.pdf"'
    )
    return _no_store(response)


@require_safe
def download(request: HttpRequest, code: str) -> HttpResponse:
    """The credential file (the signed credential, the issuer's keys and the status lists as
    of now) for ``hopeful verify FILE`` and other verifiers."""
    credential = _own_credential(request, code)
    now = timezone.now()
    content = bundle.make(credential.jwt, issuing.public_jwks(), issuing.status_lists(now=now), now)
    response = HttpResponse(
        json.dumps(content, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="hope-credential-{credential.code}.json"'
    )
    return _no_store(response)
