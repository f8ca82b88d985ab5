"""The family outreach kit: a poster and hand-out cards, made from the token the link-created
page holds once, with the link as a QR code that scans back to it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from typing import Any

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from hopeful.web.audit.models import AuditEvent
from hopeful.web.surveys import kit
from hopeful.web.surveys.models import CampaignLink, CampaignStatus, LinkKind
from tests.web import factories as f

pytestmark = pytest.mark.django_db

LETTER = (612.0, 792.0)
A4 = (595.28, 841.89)
PHRASES = {"en": "a few minutes", "es": "unos minutos"}
CM = 72 / 2.54  # points


def admin_client(t: dict[str, Any], role: str = "org_admin", key: str = "a") -> Client:
    client = Client()
    f.login_verified(client, t[f"members_{key}"][role])
    return client


def campaign_url(t: dict[str, Any], key: str = "a") -> str:
    return f"/orgs/{t['org_a'].public_id}/campaigns/{t[f'campaign_{key}'].public_id}/"


def kit_url(t: dict[str, Any]) -> str:
    return campaign_url(t) + "links/kit/"


def choices(token: str, **overrides: str) -> dict[str, str]:
    return {"token": token, "kind": "poster", "language": "en", "paper": "letter", **overrides}


def link_url(token: str, language: str) -> str:
    prefix = "/es" if language == "es" else ""
    return f"http://testserver{prefix}/s/{token}/"


def flat(text: str) -> str:
    """Extracted text without line breaks (a long address wraps on the page)."""
    return "".join(text.split())


def decoded(pdf: bytes, scale: float = 2) -> list[Any]:
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=scale).to_pil()
    finally:
        document.close()
    return list(zxingcpp.read_barcodes(image))


def create_public_link(client: Client, t: dict[str, Any]) -> tuple[str, str]:
    """POST the real link form; the page's HTML and the new token."""
    response = client.post(
        campaign_url(t) + "links/new/", {"kind": "public", "rate_limit_per_minute": "60"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r"http://testserver/s/([A-Za-z0-9_-]+)/", html)
    assert match is not None
    return html, match.group(1)


# -- the page that shows the link once ---------------------------------------------------------


def test_the_link_created_page_offers_the_kit_with_the_token_in_its_form(
    two_tenants: dict[str, Any],
) -> None:
    client = admin_client(two_tenants)
    html, token = create_public_link(client, two_tenants)
    form = re.search(r'<form[^>]*action="([^"]+/links/kit/)".*?</form>', html, re.S)
    assert form is not None
    assert form.group(1) == kit_url(two_tenants)
    assert 'method="post"' in form.group(0)
    assert "csrfmiddlewaretoken" in form.group(0)
    assert f'type="hidden" name="token" value="{token}"' in form.group(0)
    for name, values in (
        ("kind", ("poster", "card")),
        ("language", ("en", "es")),
        ("paper", ("letter", "a4")),
    ):
        for value in values:
            assert re.search(rf'type="radio" name="{name}" value="{value}"', form.group(0))
    assert form.group(0).count("<fieldset") == 3
    assert form.group(0).count("<legend>") == 3
    assert "Download the kit" in form.group(0)
    assert "a lost kit means a new link" in html
    # outside the form, the token is only in the two addresses shown once
    rest = html.replace(form.group(0), "")
    assert rest.count(token) == 2
    detail = client.get(campaign_url(two_tenants)).content.decode()
    assert token not in detail
    assert "/links/kit/" not in detail


def test_a_personal_link_gets_no_kit(two_tenants: dict[str, Any]) -> None:
    client = admin_client(two_tenants)
    response = client.post(
        campaign_url(two_tenants) + "links/new/",
        {"kind": "personal", "family": two_tenants["family_a"].pk, "rate_limit_per_minute": "5"},
    )
    assert response.status_code == 200
    assert "/links/kit/" not in response.content.decode()


def test_a_campaign_in_english_only_offers_an_english_kit(two_tenants: dict[str, Any]) -> None:
    campaign = two_tenants["campaign_a"]
    campaign.languages = ["en"]
    campaign.save(update_fields=["languages"])
    client = admin_client(two_tenants)
    html, token = create_public_link(client, two_tenants)
    assert 'name="language" value="es"' not in html
    refused = client.post(kit_url(two_tenants), choices(token, language="es"))
    assert refused.status_code == 400


# -- the PDFs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", ["poster", "card"])
def test_each_kit_is_a_pdf_of_the_right_paper_language_and_link(
    two_tenants: dict[str, Any], kind: str, language: str, paper: str
) -> None:
    client = admin_client(two_tenants)
    token = two_tenants["token_a"]
    response = client.post(
        kit_url(two_tenants), choices(token, kind=kind, language=language, paper=paper)
    )
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="hopeful-{kind}-{language}-{paper}.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    expected = LETTER if paper == "letter" else A4
    assert float(box.width) == pytest.approx(expected[0], abs=1)
    assert float(box.height) == pytest.approx(expected[1], abs=1)
    text = " ".join(reader.pages[0].extract_text().split())
    assert two_tenants["org_a"].name in text
    assert "HOPEful" in text
    assert PHRASES[language] in text
    other = "es" if language == "en" else "en"
    assert PHRASES[other] not in text
    assert link_url(token, language) in flat(text)
    if language == "en":
        assert "/es/s/" not in flat(text)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", ["poster", "card"])
def test_the_qr_code_scans_back_to_the_link(
    two_tenants: dict[str, Any], kind: str, language: str
) -> None:
    client = admin_client(two_tenants)
    token = two_tenants["token_a"]
    response = client.post(kit_url(two_tenants), choices(token, kind=kind, language=language))
    assert response.status_code == 200
    scale = 2
    codes = decoded(response.content, scale=scale)
    texts = [code.text for code in codes]
    assert link_url(token, language) in texts
    assert set(texts) == {link_url(token, language)}
    if kind == "card":
        assert len(codes) == kit.CARDS_PER_SHEET  # one QR code on each card
    # large enough: >= 8 cm on the poster, >= 3 cm on a card (the symbol, not its margin)
    smallest = 8 if kind == "poster" else 3
    for code in codes:
        corners = code.position
        width = (corners.top_right.x - corners.top_left.x) / scale / CM
        assert width >= smallest, width


def test_kit_pdf_needs_no_request_and_refuses_an_unknown_kit() -> None:
    url = "https://hopeful.example.org/es/s/abc_DEF-123/"
    pdf = kit.kit_pdf(
        kind="card", language="es", paper="a4", url=url, organization_name="Clínica {Sol} & Co"
    )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Clínica {Sol} & Co" in text
    assert url in flat(text)
    with pytest.raises(ValueError, match="no such kit"):
        kit.kit_pdf(kind="flyer", language="en", paper="a4", url=url, organization_name="X")


# -- who may download it, and for which links ---------------------------------------------------


def _other_links(t: dict[str, Any]) -> dict[str, str]:
    """Tokens that must not make a kit under organization A's campaign."""
    admin = t["members_a"]["org_admin"]
    other_campaign = f.make_campaign(t["org_a"], t["program_a"], admin)
    _, other_campaign_token = f.make_link(other_campaign, admin)
    _, revoked = f.make_link(t["campaign_a"], admin, revoked_at=timezone.now())
    _, expired = f.make_link(
        t["campaign_a"], admin, expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    _, personal = f.make_link(t["campaign_a"], admin, kind=LinkKind.PERSONAL, family=t["family_a"])
    token = t["token_a"]
    return {
        "another campaign": other_campaign_token,
        "another organization": t["token_b"],
        "revoked": revoked,
        "expired": expired,
        "personal": personal,
        "tampered": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "garbage": "not-a-token",
        "too long": "x" * 500,
        "empty": "",
    }


def test_a_token_that_is_not_an_active_public_link_of_this_campaign_is_404(
    two_tenants: dict[str, Any],
) -> None:
    client = admin_client(two_tenants)
    before = AuditEvent.objects.count()
    for why, token in _other_links(two_tenants).items():
        response = client.post(kit_url(two_tenants), choices(token))
        assert response.status_code == 404, why
        assert not response.content.startswith(b"%PDF"), why
    missing = client.post(kit_url(two_tenants), {"kind": "poster"})
    assert missing.status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_closed_campaigns_link_makes_no_kit(two_tenants: dict[str, Any]) -> None:
    campaign = two_tenants["campaign_a"]
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    response = admin_client(two_tenants).post(kit_url(two_tenants), choices(two_tenants["token_a"]))
    assert response.status_code == 404


def test_organization_bs_token_under_bs_own_campaign_is_404_for_organization_a(
    two_tenants: dict[str, Any],
) -> None:
    client = admin_client(two_tenants)
    url = f"/orgs/{two_tenants['org_a'].public_id}/campaigns/{two_tenants['campaign_b'].public_id}"
    response = client.post(f"{url}/links/kit/", choices(two_tenants["token_b"]))
    assert response.status_code == 404


def test_an_outsider_gets_404_and_nothing_is_audited(two_tenants: dict[str, Any]) -> None:
    before = AuditEvent.objects.count()
    outsider = admin_client(two_tenants, key="b")
    response = outsider.post(kit_url(two_tenants), choices(two_tenants["token_a"]))
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ["practitioner", "analyst", "researcher", "viewer"])
def test_a_role_other_than_org_admin_gets_403(two_tenants: dict[str, Any], role: str) -> None:
    client = admin_client(two_tenants, role)
    response = client.post(kit_url(two_tenants), choices(two_tenants["token_a"]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(verb="link.kit_download").exists()


def test_the_kit_is_a_post_only_download(two_tenants: dict[str, Any]) -> None:
    client = admin_client(two_tenants)
    assert client.get(kit_url(two_tenants)).status_code == 405


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "flyer"), ("language", "fr"), ("paper", "legal"), ("kind", ""), ("paper", "A4")],
)
def test_an_impossible_choice_is_400_with_a_clear_message_and_stores_nothing(
    two_tenants: dict[str, Any], field: str, value: str
) -> None:
    client = admin_client(two_tenants)
    before = AuditEvent.objects.count()
    token = two_tenants["token_a"]
    response = client.post(kit_url(two_tenants), choices(token, **{field: value}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "The kit could not be made" in html
    assert 'role="alert"' in html
    assert token not in html
    assert AuditEvent.objects.count() == before


# -- the audit trail ----------------------------------------------------------------------------


def test_each_download_is_audited_without_the_token(two_tenants: dict[str, Any]) -> None:
    client = admin_client(two_tenants)
    _html, token = create_public_link(client, two_tenants)
    link = CampaignLink.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest())
    response = client.post(
        kit_url(two_tenants), choices(token, kind="card", language="es", paper="a4")
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(verb="link.kit_download")
    assert event.actor == two_tenants["members_a"]["org_admin"]
    assert event.organization == two_tenants["org_a"]
    assert event.object_id == str(link.public_id)
    assert event.extra == {
        "campaign": str(two_tenants["campaign_a"].public_id),
        "kind": "card",
        "language": "es",
        "paper": "a4",
    }
    for row in AuditEvent.objects.values():
        assert token not in repr(row)
        assert link.token_hash not in repr(row)


def _kit_text(response: Any) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(reader.pages[0].extract_text().split())


def test_the_kit_says_what_the_questions_are_about(two_tenants: dict[str, Any]) -> None:
    """A campaign of adults' own childhood (pce7) invites adults to tell about their own
    childhood; one that asks parents about a child, about the child's life."""
    client = admin_client(two_tenants)
    own = _kit_text(client.post(kit_url(two_tenants), choices(two_tenants["token_a"])))
    assert "your own childhood" in own
    assert "your child's life" not in own

    t = two_tenants
    campaign = f.make_campaign(
        t["org_a"],
        t["program_a"],
        t["members_a"]["org_admin"],
        instruments=[{"id": "nsch_flourishing_0_5", "version": "1.0"}],
    )
    _link, token = f.make_link(campaign, t["members_a"]["org_admin"])
    url = f"/orgs/{t['org_a'].public_id}/campaigns/{campaign.public_id}/links/kit/"
    child = _kit_text(client.post(url, choices(token, language="es", kind="card")))
    assert "su hijo o hija" in child
    assert "su propia infancia" not in child
