"""Labelled SPSS, Stata and SAS files: asked for on the page, made by the real database
worker, read back with pyreadstat and compared with the CSV export of the same access;
consent, program scoping, roles, bad input, expiry and the audit trail."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.web.audit.models import AuditEvent
from hopeful.web.families.models import ConsentPurpose
from hopeful.web.labelled import services
from hopeful.web.labelled.models import KEEP_FOR, DataFile, DataFileStatus
from hopeful.web.organizations.access import get_organization_for_user
from hopeful.web.organizations.models import Role, SupportGrant
from hopeful.web.practice.export import export_submissions
from tests.web import factories as f
from tests.web.practice.factories import make_submission

pytestmark = pytest.mark.django_db

READERS = {"sav": pyreadstat.read_sav, "dta": pyreadstat.read_dta, "xpt": pyreadstat.read_xport}
ANSWERS = (
    {"pce1": 5, "pce2": 4, "pce3": 2, "pce4": 8, "pce5": 4, "pce6": 3, "pce7": 5},
    {"pce1": 1, "pce2": 7, "pce3": 9, "pce4": 1, "pce5": 1, "pce6": 1, "pce7": 1},
    {"pce1": 5, "pce2": 5, "pce3": 5, "pce4": 5, "pce5": 5, "pce6": 5, "pce7": 5},
)


def url(t: dict[str, Any], name: str, data_file: DataFile | None = None) -> str:
    args: list[Any] = [t["org_a"].public_id]
    if data_file is not None:
        args.append(data_file.public_id)
    return reverse(f"labelled:{name}", args=args)


def as_role(client: Client, t: dict[str, Any], role: str = Role.ORG_ADMIN) -> Client:
    f.login_verified(client, t["members_a"][role])
    return client


def run_worker() -> None:
    """The database queue's real worker: every task waiting now, then exit."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())


def crowd(t: dict[str, Any]) -> dict[str, Any]:
    """Org A: three consenting families of the main site, one of the north site (the
    practitioner does not see it), one whose consent leaves out care; a pce7 submission each,
    and an ACE answer of one of them (another instrument: not in a pce7 file)."""
    made: dict[str, Any] = {"main": [], "north": None, "no_care": None}
    for i, answers in enumerate(ANSWERS):
        family = f.make_family(t["org_a"], t["program_a"], f"Main {i}")
        f.grant_consent(family, ConsentPurpose.CARE)
        when = timezone.now() - dt.timedelta(days=i)
        made["main"].append(
            make_submission(
                family, t["campaign_a"], t["link_a"], {"pce7": dict(answers)}, submitted_at=when
            )
        )
    north = f.make_family(t["org_a"], t["other_program_a"], "North")
    f.grant_consent(north, ConsentPurpose.CARE)
    made["north"] = make_submission(north, t["campaign_a"], t["link_a"])
    no_care = f.make_family(t["org_a"], t["program_a"], "Research only")
    f.grant_consent(no_care, ConsentPurpose.RESEARCH)
    made["no_care"] = make_submission(no_care, t["campaign_a"], t["link_a"])
    make_submission(
        made["main"][0].family,
        t["campaign_a"],
        t["link_a"],
        {"ace_brfss": {"ACEDEPRS": 1}},
    )
    return made


def ask(client: Client, t: dict[str, Any], fmt: str, instrument: str = "pce7") -> DataFile:
    response = client.post(url(t, "list"), {"instrument": instrument, "file_format": fmt})
    assert response.status_code == 302, response.content[:800]
    data_file = DataFile.objects.latest("created_at")
    assert response["Location"] == url(t, "detail", data_file)
    return data_file


def read_back(fmt: str, body: bytes) -> tuple[pd.DataFrame, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"file.{fmt}"
        path.write_bytes(body)
        if fmt == "sav":
            return pyreadstat.read_sav(str(path), user_missing=True)
        return READERS[fmt](str(path))  # type: ignore[no-any-return]  # pyreadstat is untyped


def csv_rows(t: dict[str, Any], role: str, instrument: str = "pce7") -> list[dict[str, str]]:
    access = get_organization_for_user(t["members_a"][role], t["org_a"].public_id)
    header, rows = export_submissions(access=access, actor=t["members_a"][role])
    return [
        r
        for r in (dict(zip(header, row, strict=True)) for row in rows)
        if r["instrument"] == instrument
    ]


def made(t: dict[str, Any], client: Client, fmt: str, role: str = Role.ORG_ADMIN) -> DataFile:
    """A file asked for on the page and made by the task body (what the worker runs)."""
    data_file = ask(as_role(client, t, role), t, fmt)
    services.datafile_run(data_file_id=data_file.pk)
    data_file.refresh_from_db()
    assert data_file.status == DataFileStatus.DONE, data_file.error
    return data_file


def download(client: Client, t: dict[str, Any], data_file: DataFile) -> bytes:
    response = client.get(url(t, "download", data_file))
    assert response.status_code == 200
    assert f'filename="{data_file.filename}"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    return response.content


# -- the whole path, through the real database worker ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_file_is_asked_for_made_by_the_database_worker_and_downloaded(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    crowd(t)
    client = as_role(client, t)
    data_file = ask(client, t, "sav")
    assert data_file.status == DataFileStatus.QUEUED
    page = client.get(url(t, "detail", data_file))
    assert b'http-equiv="refresh"' in page.content
    assert b"Waiting to start" in page.content

    run_worker()

    data_file.refresh_from_db()
    assert data_file.status == DataFileStatus.DONE, data_file.error
    assert data_file.rows == 4  # three main-site families and the north site's
    page = client.get(url(t, "detail", data_file))
    assert b'http-equiv="refresh"' not in page.content
    assert url(t, "download", data_file).encode() in page.content
    frame, meta = read_back("sav", download(client, t, data_file))
    assert len(frame) == 4
    assert meta.column_names_to_labels["pce7_pce1"] == (
        "Feel able to talk to your family about your feelings?"
    )


# -- the content, in every format --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["sav", "dta", "xpt"])
def test_each_format_reads_back_with_the_csv_exports_rows_and_numbers(
    client: Client, two_tenants: dict[str, Any], fmt: str
) -> None:
    t = two_tenants
    people = crowd(t)
    data_file = made(t, client, fmt)
    frame, meta = read_back(fmt, download(client, t, data_file))
    expected = csv_rows(t, Role.ORG_ADMIN)
    assert len(frame) == len(expected) == data_file.rows == 4
    assert list(frame["submission_id"]) == [r["submission_id"] for r in expected]
    assert list(frame["family_id"]) == [r["family_id"] for r in expected]
    assert list(frame["program"]) == [r["program"] for r in expected]
    assert list(frame["campaign"]) == [r["campaign"] for r in expected]
    assert list(frame["version"]) == [r["version"] for r in expected]
    assert list(frame["reason"].fillna("")) == [r["reason"] for r in expected]
    for column in ("score", "family", "community", "bb_relationships", "bb_emotional_growth"):
        got = [None if pd.isna(v) else int(v) for v in frame[f"pce7_{column}"]]
        want = [int(r[column]) if r[column] else None for r in expected]
        assert got == want, column
    bands = {0: "0-2", 3: "3-5", 6: "6-7"}
    got_bands = ["" if pd.isna(v) else bands[int(v)] for v in frame["pce7_band"]]
    assert got_bands == [r["band"] for r in expected]
    assert "" in got_bands  # the answers with 7 and 9 leave the score blank, as in the CSV
    # the answers, code by code (7 and 9 kept as codes)
    by_id = {s["submission_id"]: s for s in frame.to_dict("records")}
    second = by_id[str(people["main"][1].public_id)]
    assert (second["pce7_pce2"], second["pce7_pce3"]) == (7, 9)
    # submitted_at is the UTC time, to the second
    assert abs(
        frame["submitted_at"][0].to_pydatetime()
        - dt.datetime.fromisoformat(expected[0]["submitted_at"])
        .astimezone(dt.UTC)
        .replace(tzinfo=None)
    ) < dt.timedelta(seconds=1)
    labels = meta.column_names_to_labels
    assert labels["pce7_score"] == "Positive childhood experiences (0-7)"
    assert labels["pce7_pce1"].startswith("Feel able to talk to your family")
    assert not ({"name", "display_name"} & set(frame.columns))


@pytest.mark.parametrize("fmt", ["sav", "dta"])
def test_sav_and_dta_carry_value_labels_and_sav_user_missing_values(
    client: Client, two_tenants: dict[str, Any], fmt: str
) -> None:
    t = two_tenants
    crowd(t)
    _frame, meta = read_back(fmt, download(client, t, made(t, client, fmt)))
    labels = meta.variable_value_labels["pce7_pce1"]
    assert labels[1] == "Never"
    assert labels[5] == "Always"
    assert labels[7] == "Don't know / not sure"
    assert labels[9] == "Prefer not to answer"
    assert meta.variable_value_labels["pce7_band"] == {0: "0-2", 3: "3-5", 6: "6-7"}
    if fmt == "sav":
        assert meta.missing_ranges["pce7_pce1"] == [{"lo": 7.0, "hi": 7.0}, {"lo": 9.0, "hi": 9.0}]
    else:
        assert all(len(label) <= 80 for label in meta.column_names_to_labels.values())


def test_an_xpt_file_comes_with_its_value_labels_as_a_sas_program(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    crowd(t)
    data_file = made(t, client, "xpt")
    page = client.get(url(t, "detail", data_file))
    assert url(t, "formats", data_file).encode() in page.content
    response = client.get(url(t, "formats", data_file))
    assert response.status_code == 200
    program = response.content.decode()
    assert "proc format;" in program
    assert "7 = 'Don''t know / not sure'" in program
    assert "format pce7_pce1 " in program
    events = AuditEvent.objects.filter(verb="datafile.download")
    assert [e.extra["part"] for e in events] == ["formats"]


def test_a_family_without_care_consent_and_other_instruments_are_not_in_the_file(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    people = crowd(t)
    frame, _meta = read_back("dta", download(client, t, made(t, client, "dta")))
    ids = set(frame["submission_id"])
    assert str(people["no_care"].public_id) not in ids
    assert set(frame["instrument"]) == {"pce7"}
    assert str(t["family_a"].public_id) not in set(frame["family_id"])  # no submission


def test_consent_withdrawn_after_asking_leaves_the_family_out(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    people = crowd(t)
    data_file = ask(as_role(client, t), t, "sav")
    gone = people["main"][0]
    from hopeful.web.families.models import ConsentRecord

    ConsentRecord.objects.create(
        organization=t["org_a"],
        family=gone.family,
        purpose=ConsentPurpose.CARE,
        granted=False,
        text_version="2026-1",
        language="en",
    )
    services.datafile_run(data_file_id=data_file.pk)
    frame, _meta = read_back("sav", download(client, t, DataFile.objects.get(pk=data_file.pk)))
    assert str(gone.public_id) not in set(frame["submission_id"])
    assert len(frame) == 3


def test_a_practitioner_gets_their_own_programs_only_as_the_csv_export(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    people = crowd(t)
    data_file = made(t, client, "sav", Role.PRACTITIONER)
    assert data_file.programs == [str(t["program_a"].public_id)]
    frame, _meta = read_back("sav", download(client, t, data_file))
    expected = csv_rows(t, Role.PRACTITIONER)
    assert list(frame["submission_id"]) == [r["submission_id"] for r in expected]
    assert str(people["north"].public_id) not in set(frame["submission_id"])
    assert set(frame["program"]) == {"Main site"}


def test_a_name_that_looks_like_a_formula_is_kept_as_the_csv_export_keeps_it(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    crowd(t)
    t["program_a"].name = "=HYPERLINK(1)"
    t["program_a"].save(update_fields=["name"])
    frame, _meta = read_back("sav", download(client, t, made(t, client, "sav")))
    assert "'=HYPERLINK(1)" in set(frame["program"])


# -- who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ANALYST, Role.RESEARCHER, Role.VIEWER])
def test_roles_without_identifiable_records_get_403_everywhere(
    client: Client, two_tenants: dict[str, Any], role: str
) -> None:
    t = two_tenants
    crowd(t)
    data_file = made(t, Client(), "sav")
    client = as_role(client, t, role)
    for name in ("detail", "download", "formats"):
        assert client.get(url(t, name, data_file)).status_code == 403
    assert client.get(url(t, "list")).status_code == 403
    assert client.post(
        url(t, "list"), {"instrument": "pce7", "file_format": "sav"}
    ).status_code == (403)
    assert DataFile.objects.count() == 1


def test_an_outsider_gets_404_on_every_page(client: Client, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    crowd(t)
    data_file = made(t, Client(), "sav")
    f.login_verified(client, t["members_b"][Role.ORG_ADMIN])
    for name in ("detail", "download", "formats"):
        assert client.get(url(t, name, data_file)).status_code == 404
    assert client.get(url(t, "list")).status_code == 404
    assert client.post(
        url(t, "list"), {"instrument": "pce7", "file_format": "sav"}
    ).status_code == (404)
    # org B's own list does not show org A's file
    own = client.get(reverse("labelled:list", args=[t["org_b"].public_id]))
    assert own.status_code == 200
    assert str(data_file.public_id).encode() not in own.content


def test_a_practitioner_sees_only_their_own_files_not_an_admins(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    crowd(t)
    admins = made(t, Client(), "sav", Role.ORG_ADMIN)
    own = made(t, Client(), "dta", Role.PRACTITIONER)
    client = as_role(client, t, Role.PRACTITIONER)
    listing = client.get(url(t, "list"))
    assert url(t, "detail", own).encode() in listing.content
    assert url(t, "detail", admins).encode() not in listing.content
    assert client.get(url(t, "detail", admins)).status_code == 404
    assert client.get(url(t, "download", admins)).status_code == 404
    assert client.get(url(t, "download", own)).status_code == 200


def test_a_practitioner_who_lost_a_program_may_not_download_a_file_of_it(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    crowd(t)
    data_file = made(t, Client(), "sav", Role.PRACTITIONER)
    membership = t["org_a"].memberships.get(role=Role.PRACTITIONER)
    membership.programs.set([t["other_program_a"]])
    client = as_role(client, t, Role.PRACTITIONER)
    assert client.get(url(t, "download", data_file)).status_code == 403
    page = client.get(url(t, "detail", data_file))
    assert b"covers programs you do not see now" in page.content
    assert not AuditEvent.objects.filter(verb="datafile.download").exists()


def test_support_access_looks_but_neither_asks_nor_downloads(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    crowd(t)
    data_file = made(t, Client(), "sav")
    staff = f.make_user("support@hopeful.example", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=t["org_a"],
        granted_by=t["members_a"][Role.ORG_ADMIN],
        reason="Help with the SPSS file",
        expires_at=timezone.now() + dt.timedelta(hours=4),
    )
    f.login_verified(client, staff)
    assert client.get(url(t, "list")).status_code == 200
    listing = client.get(url(t, "list"))
    assert b"Support access looks only" in listing.content
    assert b'name="file_format"' not in listing.content
    page = client.get(url(t, "detail", data_file))
    assert page.status_code == 200
    assert url(t, "download", data_file).encode() not in page.content
    assert client.get(url(t, "download", data_file)).status_code == 403
    assert client.get(url(t, "formats", data_file)).status_code == 403
    response = client.post(url(t, "list"), {"instrument": "pce7", "file_format": "sav"})
    assert response.status_code == 403
    assert DataFile.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="datafile.download").exists()


# -- bad input, expiry, failures, audit --------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"instrument": "pce7", "file_format": "csv"}, b"Choose SPSS, Stata or SAS transport."),
        ({"instrument": "nope", "file_format": "sav"}, b"Choose one of the questionnaires"),
        ({"file_format": "sav"}, b"This field is required."),
    ],
)
def test_bad_input_is_400_with_a_clear_error_and_nothing_is_made(
    client: Client, two_tenants: dict[str, Any], data: dict[str, str], message: bytes
) -> None:
    t = two_tenants
    response = as_role(client, t).post(url(t, "list"), data)
    assert response.status_code == 400
    assert message in response.content
    assert b"Nothing was queued." in response.content
    assert not DataFile.objects.exists()
    assert not AuditEvent.objects.filter(verb="datafile.request").exists()


def test_requests_and_downloads_are_audited_with_counts_never_answers(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    crowd(t)
    data_file = made(t, client, "dta", Role.PRACTITIONER)
    download(client, t, data_file)
    request = AuditEvent.objects.get(verb="datafile.request")
    assert request.actor == t["members_a"][Role.PRACTITIONER]
    assert request.object_id == str(data_file.public_id)
    assert request.extra == {
        "format": "dta",
        "instrument": "pce7",
        "programs": [str(t["program_a"].public_id)],
        "rows": 3,
    }
    event = AuditEvent.objects.get(verb="datafile.download")
    assert event.extra == {
        "part": "data",
        "format": "dta",
        "instrument": "pce7",
        "rows": 3,
        "size": data_file.size,
    }


def test_a_file_past_its_keeping_time_is_not_downloaded_and_its_content_is_dropped(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    crowd(t)
    data_file = made(t, client, "sav")
    DataFile.objects.filter(pk=data_file.pk).update(
        finished_at=timezone.now() - KEEP_FOR - dt.timedelta(minutes=1)
    )
    response = client.get(url(t, "download", data_file))
    assert response.status_code == 302
    assert b"Expired." in client.get(url(t, "detail", data_file)).content
    ask(client, t, "dta")  # the next request drops expired content
    assert DataFile.objects.get(pk=data_file.pk).content is None


def test_a_requester_who_lost_the_role_gets_a_failed_file_with_a_reason(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    crowd(t)
    data_file = ask(as_role(client, t, Role.PRACTITIONER), t, "sav")
    t["org_a"].memberships.filter(role=Role.PRACTITIONER).update(role=Role.VIEWER)
    with pytest.raises(services.DataFileError):
        services.datafile_run(data_file_id=data_file.pk)
    data_file.refresh_from_db()
    assert data_file.status == DataFileStatus.FAILED
    assert "can no longer see families' records" in data_file.error
    assert data_file.content is None


def test_the_list_costs_the_same_queries_for_one_file_or_many(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = two_tenants
    crowd(t)
    made(t, client, "sav")
    client.get(url(t, "list"))  # the site menu's cache
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(t, "list")).status_code == 200
    for fmt in ("dta", "xpt", "sav"):
        made(t, client, fmt)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url(t, "list")).status_code == 200
    assert len(four.captured_queries) == len(one.captured_queries) <= 15
