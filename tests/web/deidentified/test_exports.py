"""De-identified exports end to end: no direct identifier in the files, k-anonymity, research
consent only, deleted families' research records, audit with purpose, bad input, settings,
roles, other organizations, expiry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hopeful.web.audit.models import AuditEvent
from hopeful.web.deidentified import deidentify as deid
from hopeful.web.deidentified import services
from hopeful.web.deidentified.models import DeidentifiedExport, ExportStatus
from hopeful.web.families.models import (
    Child,
    ConsentPurpose,
    ConsentRecord,
    Family,
    ResearchRecord,
)
from hopeful.web.organizations.models import Role
from hopeful.web.surveys.models import Submission
from tests.web import factories as f
from tests.web.practice.factories import make_submission

pytestmark = pytest.mark.django_db

PURPOSE = "PCE and flourishing study, IRB-2026-0042 (State University)"
WHEN = dt.datetime(2025, 3, 17, 14, 5, tzinfo=dt.UTC)
PLANTED = {
    "names": ["Zebulon Quixotefamily", "Wilhelmina Zorndike"],
    "emails": ["planted.quixote@example.net"],
    "phones": ["+1 608 555 0199", "6085550199"],
    "nicknames": ["Snickerdoodle"],
    "zips": ["53703"],
    "dates": ["2025-03-17", "03/17/2025", "2025-03", "17 Mar"],
}
DEMOGRAPHICS = {"zip3": "537", "race_ethnicity": ["white"], "income": "50-100k", "gender": "woman"}


def url(t: dict[str, Any], name: str, export: DeidentifiedExport | None = None) -> str:
    args: list[Any] = [t["org_a"].public_id]
    if export is not None:
        args.append(export.public_id)
    return reverse(f"deidentified:{name}", args=args)


def add_family(
    t: dict[str, Any],
    name: str,
    *,
    consent: tuple[str, ...] = (ConsentPurpose.RESEARCH,),
    demographics: dict[str, Any] | None = None,
    when: dt.datetime = WHEN,
    **kw: Any,
) -> Family:
    family = f.make_family(t["org_a"], t["program_a"], name, **kw)
    f.grant_consent(family, *consent)
    submission = make_submission(family, t["campaign_a"], t["link_a"], submitted_at=when)
    Submission.objects.filter(pk=submission.pk).update(
        demographics=demographics if demographics is not None else dict(DEMOGRAPHICS)
    )
    return family


def crowd(t: dict[str, Any], count: int = 14, **kw: Any) -> list[Family]:
    """Families alike in every quasi-identifier (one class), with research consent."""
    return [add_family(t, f"Crowd family {i}", **kw) for i in range(count)]


def make(t: dict[str, Any], role: str = Role.RESEARCHER, fmt: str = "csv") -> DeidentifiedExport:
    from hopeful.web.organizations.access import get_organization_for_user

    user = t["members_a"][role]
    access = get_organization_for_user(user, t["org_a"].public_id)
    return services.export_create(
        access=access, actor=user, purpose=PURPOSE, fmt=fmt, confirmed=True
    )


def csv_rows(export: DeidentifiedExport) -> list[dict[str, str]]:
    text = bytes(export.content or b"").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_text(body: bytes) -> str:
    book = load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def as_role(client: Client, t: dict[str, Any], role: str = Role.RESEARCHER) -> Client:
    f.login_verified(client, t["members_a"][role])
    return client


# -- what the file holds -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_direct_identifier_appears_anywhere_in_the_files(
    two_tenants: dict[str, Any], fmt: str
) -> None:
    t = two_tenants
    families = crowd(t, 13, contact_email="planted.quixote@example.net")
    families[0].display_name = "Zebulon Quixotefamily"
    families[0].contact_phone = "+1 608 555 0199"
    families[0].save()
    families[1].display_name = "Wilhelmina Zorndike"
    families[1].contact_phone = "6085550199"
    families[1].save()
    for family in families:
        Child.objects.create(
            organization=family.organization,
            family=family,
            nickname="Snickerdoodle",
            birth_month=dt.date(2021, 6, 1),
        )
    # a restricted area (stored as 000) and the same class otherwise
    restricted = crowd(t, 12, demographics={**DEMOGRAPHICS, "zip3": "000"})

    export = make(t, fmt=fmt)

    body = bytes(export.content or b"")
    text = body.decode("utf-8-sig") if fmt == "csv" else xlsx_text(body)
    dictionary = "\n".join(" ".join(line) for line in export.dictionary)
    for kind, values in PLANTED.items():
        for value in values:
            assert value not in text, (kind, value)
            assert value not in dictionary, (kind, value)
    for family in [*families, *restricted]:
        assert str(family.public_id) not in text
    assert str(t["program_a"].public_id) not in text
    assert "Main site" not in text  # the program by code only
    assert PURPOSE not in text
    # only years: no month or day anywhere
    assert not re.search(r"\b\d{4}-\d{2}\b(?!\d)", text.replace("2024-2025", ""))
    if fmt == "csv":
        rows = csv_rows(export)
        assert len(rows) == 25
        assert {r["year"] for r in rows} <= {"2025", "2024-2025", "2024-2027", ""}
        assert {r["zip3"] for r in rows} <= {"537", "5xx", ""}
        assert "000" not in {r["zip3"] for r in rows}
        assert {r["child_birth_years"] for r in rows} <= {"2021", ""}
        assert set(rows[0]) >= {"family_id", "program", "item.pce7.pce1", "score.pce7.score"}
        assert all(re.fullmatch(r"F[0-9a-f]{8}", r["family_id"]) for r in rows)
        assert "child_gender" not in rows[0]
        assert "disability" not in rows[0]
    else:
        book = load_workbook(io.BytesIO(body), read_only=True)
        assert book.sheetnames == ["data", "dictionary"]


def test_zip3_of_a_restricted_area_is_blank(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    crowd(t, 12)
    crowd(t, 12, demographics={**DEMOGRAPHICS, "zip3": "000"})
    rows = csv_rows(make(t))
    assert sorted({r["zip3"] for r in rows}) == ["", "537"]
    assert sum(r["zip3"] == "" for r in rows) == 12


def test_every_export_is_k_anonymous_after_generalization_and_counts_suppression(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    crowd(t, 30)
    # families that are unique in their ZIP3, race and income: they force generalization
    for i in range(12):
        add_family(
            t,
            f"Unusual {i}",
            demographics={
                "zip3": f"{600 + i}",
                "race_ethnicity": ["asian", "white"] if i % 2 else ["another"],
                "income": "<25k",
                "gender": "man",
            },
        )
    export = make(t)
    rows = csv_rows(export)

    assert export.generalized  # some quasi-identifier had to be generalized
    classes: dict[tuple[str, ...], set[str]] = {}
    for row in rows:
        classes.setdefault(tuple(row[c] for c in deid.QUASI_IDENTIFIERS), set()).add(
            row["family_id"]
        )
    assert min(len(v) for v in classes.values()) >= 11
    assert export.rows == len(rows)
    assert export.rows + export.suppressed_rows == export.candidate_rows == 42
    summary = {line[0]: line[2] for line in export.dictionary if line[1] == "summary"}
    assert summary["suppressed_rows"] == str(export.suppressed_rows)
    assert summary["k"].startswith("11")


# -- research consent only -----------------------------------------------------------------------


def test_only_families_whose_current_consent_covers_research(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    crowd(t, 12)
    add_family(t, "Care only", consent=(ConsentPurpose.CARE, ConsentPurpose.PROGRAM_IMPROVEMENT))
    revoked = add_family(t, "Revoked")
    regranted = add_family(t, "Regranted")
    later = timezone.now() + dt.timedelta(seconds=1)
    for family, granted in ((revoked, False), (regranted, False), (regranted, True)):
        later += dt.timedelta(seconds=1)
        ConsentRecord.objects.create(
            organization=family.organization,
            family=family,
            purpose=ConsentPurpose.RESEARCH,
            granted=granted,
            text_version="2026-1",
            language="en",
            recorded_at=later,
        )
    # a deleted family's released response (month and ZIP3 only)
    ResearchRecord.objects.create(
        organization=t["org_a"],
        program=t["program_a"],
        language="en",
        month=dt.date(2025, 3, 1),
        answers={"pce7": {f"pce{i}": 5 for i in range(1, 8)}},
        scores={"pce7": {"version": "1.0", "values": {"score": 7, "band": "6-7"}}},
        demographics=dict(DEMOGRAPHICS),
        consent_text_version="2026-1",
    )

    export = make(t)

    assert export.candidate_rows == 12 + 1 + 1  # the crowd, the re-granted, the record
    assert export.rows == 14
    assert export.research_records == 1
    assert export.families == 14


# -- the pages -----------------------------------------------------------------------------------


def test_a_researcher_makes_an_export_audited_with_its_purpose_and_downloads_it(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    crowd(t, 12)
    client = as_role(client, t)
    response = client.post(url(t, "list"), {"purpose": PURPOSE, "confirm": "on", "format": "xlsx"})
    export = DeidentifiedExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(t, "detail", export)
    assert export.purpose == PURPOSE
    assert export.requested_by == t["members_a"][Role.RESEARCHER]
    assert export.expires_at - export.created_at == dt.timedelta(days=30)
    event = AuditEvent.objects.get(verb="deidentified_export.create")
    assert event.object_id == str(export.public_id)
    assert event.extra["purpose"] == PURPOSE
    assert event.extra["rows"] == 12
    assert event.extra["families"] == 12
    assert event.extra["k"] == 11
    assert event.extra["suppressed"] == 0
    assert isinstance(event.extra["generalized"], list)

    page = client.get(url(t, "detail", export)).content.decode()
    assert PURPOSE in page
    assert "Main site" in page
    listing = client.get(url(t, "list")).content.decode()
    assert str(export.public_id) in listing

    download = client.get(url(t, "download", export))
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.xlsx"')
    assert bytes(download.content) == bytes(export.content or b"")
    dictionary = client.get(url(t, "dictionary", export))
    assert dictionary.status_code == 200
    assert b"family_id" in dictionary.content
    downloads = AuditEvent.objects.filter(verb="deidentified_export.download")
    assert sorted(e.extra["part"] for e in downloads) == ["data", "dictionary"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"purpose": "too short", "confirm": "on", "format": "csv"}, "Purpose"),
        ({"purpose": "x" * 501, "confirm": "on", "format": "csv"}, "Purpose"),
        ({"purpose": PURPOSE, "format": "csv"}, "Data-use statement"),
        ({"purpose": PURPOSE, "confirm": "on", "format": "pdf"}, "File format"),
    ],
)
def test_bad_requests_are_400_and_make_nothing(
    client: Client, two_tenants: dict[str, Any], data: dict[str, str], field: str
) -> None:
    t = two_tenants
    crowd(t, 12)
    client = as_role(client, t)
    response = client.post(url(t, "list"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page
    assert field in page
    assert not DeidentifiedExport.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="deidentified_export").exists()


def test_k_below_eleven_in_the_settings_is_refused(
    client: Client, two_tenants: dict[str, Any], settings: Any
) -> None:
    t = two_tenants
    crowd(t, 12)
    settings.HOPEFUL_EXPORT_K = 5
    client = as_role(client, t)
    response = client.post(url(t, "list"), {"purpose": PURPOSE, "confirm": "on", "format": "csv"})
    assert response.status_code == 503
    assert "HOPEFUL_EXPORT_K" in response.content.decode()
    assert not DeidentifiedExport.objects.exists()
    with pytest.raises(services.ExportRefusedError):
        make(t)
    settings.HOPEFUL_EXPORT_K = 15
    assert make(t).k == 15


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.RESEARCHER, 200),
        (Role.ORG_ADMIN, 200),
        (Role.ANALYST, 403),
        (Role.PRACTITIONER, 403),
        (Role.VIEWER, 403),
    ],
)
def test_roles(client: Client, two_tenants: dict[str, Any], role: str, status: int) -> None:
    t = two_tenants
    crowd(t, 12)
    export = make(t)
    client = as_role(client, t, role)
    for name in ("list", "detail", "download", "dictionary"):
        target = url(t, name, None if name == "list" else export)
        assert client.get(target).status_code == status, name
    assert client.post(url(t, "list"), {"purpose": PURPOSE, "confirm": "on", "format": "csv"})
    assert DeidentifiedExport.objects.count() == (2 if status == 200 else 1)


def test_another_organizations_members_get_404(client: Client, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    crowd(t, 12)
    export = make(t)
    for role in (Role.RESEARCHER, Role.ORG_ADMIN):
        f.login_verified(client, t["members_b"][role])
        for name in ("detail", "download", "dictionary"):
            assert client.get(url(t, name, export)).status_code == 404, (role, name)
        # their own organization's address with A's export: 404 too
        other = reverse("deidentified:download", args=[t["org_b"].public_id, export.public_id])
        assert client.get(other).status_code == 404
    assert not AuditEvent.objects.filter(verb="deidentified_export.download").exists()


def test_expired_files_are_deleted_and_no_longer_downloaded(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    crowd(t, 12)
    old, fresh = make(t), make(t)
    DeidentifiedExport.objects.filter(pk=old.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    client = as_role(client, t)
    response = client.get(url(t, "download", old))
    assert response.status_code == 302  # to its page, which says it expired
    old.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED
    assert old.content is None
    assert old.size == 0
    assert "Expired" in client.get(url(t, "detail", old)).content.decode()
    assert AuditEvent.objects.filter(verb="deidentified_export.expire").count() == 1
    assert client.get(url(t, "download", fresh)).status_code == 200

    # the nightly job deletes the others past their time
    from hopeful.web.deidentified.tasks import purge_expired

    DeidentifiedExport.objects.filter(pk=fresh.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert purge_expired.call() == {"deidentified_exports_expired": 1}
    fresh.refresh_from_db()
    assert fresh.content is None


def test_making_an_export_is_quick(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    crowd(t, 40)
    export = make(t)
    assert export.seconds < 2.0


def test_support_access_sees_the_list_but_makes_and_downloads_nothing(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    from hopeful.web.organizations.models import SupportGrant

    t = two_tenants
    crowd(t, 12)
    export = make(t)
    staff = f.make_user("support@hopeful.example", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=t["org_a"],
        granted_by=t["members_a"][Role.ORG_ADMIN],
        reason="Help with the study export",
        expires_at=timezone.now() + dt.timedelta(hours=4),
    )
    f.login_verified(client, staff)
    assert client.get(url(t, "list")).status_code == 200
    assert client.get(url(t, "download", export)).status_code == 403
    response = client.post(url(t, "list"), {"purpose": PURPOSE, "confirm": "on", "format": "csv"})
    assert response.status_code == 403
    assert DeidentifiedExport.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="deidentified_export.download").exists()


def test_a_study_asks_only_for_the_characteristics_it_needs(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    """The form's characteristics: those not asked for are blank in the file and named as
    such on the export's page and in the audit log."""
    t = two_tenants
    crowd(t, 12)
    client = as_role(client, t)
    form = client.get(url(t, "list")).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="keep"[^>]*>', form)
    assert len(boxes) == 8  # every characteristic offered, each ticked to start with
    assert all("checked" in box for box in boxes)
    response = client.post(
        url(t, "list"),
        {"purpose": PURPOSE, "confirm": "on", "format": "csv", "keep": ["income", "year"]},
    )
    assert response.status_code == 302
    export = DeidentifiedExport.objects.get()
    rows = csv_rows(export)
    assert len(rows) == 12
    assert {r["income"] for r in rows} == {DEMOGRAPHICS["income"]}
    assert {r["zip3"] for r in rows} == {""}
    assert {r["race_ethnicity"] for r in rows} == {""}
    assert export.levels["zip3"] == "not_asked_for"
    assert export.levels["income"] == "income_band"
    event = AuditEvent.objects.get(verb="deidentified_export.create")
    assert event.extra["kept"] == ["income", "year"]
    bad = client.post(
        url(t, "list"),
        {"purpose": PURPOSE, "confirm": "on", "format": "csv", "keep": ["shoe_size"]},
    )
    assert bad.status_code == 400
    assert DeidentifiedExport.objects.count() == 1
