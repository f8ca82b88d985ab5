"""A family downloads everything stored about it through its personal link: a complete JSON
file and a readable PDF in its language, audited, with nothing of another family."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from hopeful.framework import get_instrument
from hopeful.web.audit.models import AuditEvent
from hopeful.web.casework.models import ReminderKind
from hopeful.web.families.export import SCHEMA_VERSION

pytestmark = pytest.mark.django_db

KINDS = (
    "children",
    "personal_links",
    "submissions",
    "drafts",
    "family_codes",
    "care_team",
    "visits",
    "strengths_maps",
    "goals",
    "celebrations",
    "case_reviews",
    "reminders",
)


def url(token: str, tail: str, language: str = "en") -> str:
    return f"{'/es' if language == 'es' else ''}/s/{token}/your-data/{tail}"


def download_json(families: dict[str, Any]) -> dict[str, Any]:
    response = Client().get(url(families["a"]["token"], "data.json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "FamilyNameTok" not in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def test_the_json_holds_every_kind_of_record_and_nothing_of_another_family(
    families: dict[str, Any],
) -> None:
    data = download_json(families)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["generated_at"]
    assert data["family"]["name"] == "FamilyNameTokA"
    assert data["family"]["contact_email"] == "familya@example.org"
    for kind in KINDS:
        assert data[kind], kind
    assert data["children"][0]["nickname"] == "NickTokA"
    assert data["children"][0]["birth_month"] == "2023-04"
    assert {r["purpose"] for r in data["consent"]["history"]} == {
        "care",
        "program_improvement",
        "research",
    }
    assert len(data["submissions"]) == 2
    late = next(s for s in data["submissions"] if s["language"] == "es")
    assert late["answers"]["pce7"]["pce1"] == 5
    assert late["demographics"]["zip3"] == "537"
    assert late["scores"][0]["instrument_id"] == "pce7"
    assert late["scores"][0]["values"]
    assert data["drafts"][0]["state"]["name"] == "DraftNameTokA"
    assert data["goals"][0]["updates"][0]["text"] == "ProgressTokA"
    text = json.dumps(data)
    for word in ("SaidTokA", "OpenNoteTokA", "MapTokA", "CelebrateTokA", "AdversityTokA"):
        assert word in text, word
    assert data["care_team"][0] == {
        "name": "Pat Practitioner A",
        "role": "practitioner",
        "assigned_at": data["care_team"][0]["assigned_at"],
    }
    # nothing of family B, no staff email, no token or hash
    assert "TokB" not in text
    assert "@a.example.org" not in text
    assert families["a"]["token"] not in text
    assert families["a"]["link"].token_hash not in text


def test_a_restricted_note_is_withheld_but_its_visit_is_listed(families: dict[str, Any]) -> None:
    data = download_json(families)
    withheld = [v for v in data["visits"] if v["note_withheld"]]
    assert [(v["mode"], "note" in v) for v in withheld] == [("phone", False)]
    text = json.dumps(data)
    assert "RestrictedTokA" not in text
    assert "RestrictedSaidTokA" not in text


def pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_reads_back_with_the_answers_in_the_familys_language(
    families: dict[str, Any], language: str
) -> None:
    response = Client().get(url(families["a"]["token"], "data.pdf", language))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    text = " ".join(pdf_text(response.content).split())
    pce7 = get_instrument("pce7")
    assert " ".join(pce7.item("pce1").text.get_text(language).split()) in text
    assert pce7.item("pce1").option(5).label.get_text(language) in text
    for word in ("FamilyNameTokA", "NickTokA", "GoalTokA", "PlanTokA", "CelebrateTokA"):
        assert word in text, word
    assert "RestrictedTokA" not in text
    assert "TokB" not in text
    with translation.override(language):  # the casework vocabularies' labels too
        assert str(ReminderKind.FOLLOW_UP_DUE.label) in text


def test_each_download_is_audited_with_the_family_as_actor(families: dict[str, Any]) -> None:
    token = families["a"]["token"]
    client = Client()
    client.get(url(token, "data.json"))
    client.get(url(token, "data.pdf"))
    events = AuditEvent.objects.filter(verb__startswith="family.data_export").order_by("id")
    assert [e.verb for e in events] == ["family.data_export_json", "family.data_export_pdf"]
    for event in events:
        assert event.actor is None
        assert event.organization == families["org_a"]
        assert event.object_id == str(families["family_a"].public_id)
        assert event.extra["via"] == "personal_link"
        assert event.extra["link"] == str(families["a"]["link"].public_id)


def test_the_page_links_the_downloads_and_the_plan_links_the_page(
    families: dict[str, Any],
) -> None:
    token = families["a"]["token"]
    client = Client()
    page = client.get(url(token, ""))
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    body = page.content.decode()
    for tail in ("data.json", "data.pdf", "delete/"):
        assert url(token, tail) in body
    assert url(token, "") in client.get(f"/s/{token}/plan/").content.decode()
    spanish = client.get(url(token, "", "es"))
    assert '<html lang="es"' in spanish.content.decode()
    assert url(token, "data.pdf", "es") in spanish.content.decode()


def test_a_public_link_an_unknown_token_and_a_revoked_link_open_nothing(
    families: dict[str, Any],
) -> None:
    client = Client()
    assert client.get(url(families["token_a"], "data.json")).status_code == 404
    assert client.get(url("x" * 43, "data.json")).status_code == 404
    link = families["a"]["link"]
    link.revoked_at = link.created_at
    link.save(update_fields=["revoked_at"])
    assert client.get(url(families["a"]["token"], "data.json")).status_code == 410
    assert not AuditEvent.objects.filter(verb__startswith="family.data_export").exists()
