"""The PDF certificate: one page with the holder's name, the tier, the dates, the
verification code and a QR code of the public verification address.

Laid out by the program report's renderer (:func:`hopeful.web.reports.render.report_pdf`,
WeasyPrint with a URL fetcher that fetches nothing): the page is self-contained HTML, and
the QR code is inline SVG made by ``segno``.
"""

from __future__ import annotations

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from hopeful.web.certification import issuing
from hopeful.web.certification.models import Credential
from hopeful.web.reports.render import report_pdf


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an inline SVG element (scaled by the page's CSS)."""
    return segno.make(url, error="m").svg_inline(scale=4, title=url)


def certificate_html(*, credential: Credential, tier_name: str) -> str:
    url = issuing.verify_url(credential.code)
    context = {
        "credential": credential,
        "tier_name": tier_name,
        "holder_name": credential.subject_name,
        "issued_on": timezone.localdate(credential.issued_at),
        "valid_until": timezone.localdate(credential.valid_until),
        "verify_url": url,
        "issuer_name": issuing.ISSUER_NAME,
        "qr_svg": mark_safe(qr_svg(url)),  # noqa: S308 - segno's SVG of our own URL
    }
    return render_to_string("certification/certificate_pdf.html", context)


def certificate_pdf(*, credential: Credential, tier_name: str) -> bytes:
    return report_pdf(certificate_html(credential=credential, tier_name=tier_name))
