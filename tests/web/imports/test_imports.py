"""Imports of ODK Central, KoboToolbox and REDCap files: the preview stores nothing, confirm
stores the valid rows once with the same scores as HOPEful's scorer, a re-import is all
replays, cancel stores nothing; roles, tenancy and the audit trail."""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from hopeful.framework import get_instrument, score_response
from hopeful.web.audit.models import AuditEvent
from hopeful.web.families.models import ConsentRecord, Family
from hopeful.web.imports.models import ImportBatch, ImportStatus
from hopeful.web.organizations.models import Role
from hopeful.web.surveys.models import CampaignStatus, InstrumentScore, Submission
from hopeful.web.surveys.services_integration import external_client_uuid
from tests.web import factories as f
from tests.web.imports.csvs import Record, central_csv, kobo_csv, redcap_csv, synthetic

pytestmark = pytest.mark.django_db

Writer = Callable[[Any, list[Record]], str]
SHAPES: list[tuple[str, Writer]] = [
    ("odk", central_csv),
    ("odk", kobo_csv),
    ("redcap", redcap_csv),
]


#: When the synthetic files say the families answered (tests/web/imports/csvs.py): Central's
#: SubmissionDate, the Kobo form's end (not Kobo's later _submission_time), REDCap's survey
#: timestamp (no zone: UTC).
ANSWERED = {
    ("odk", "central_csv"): dt.datetime(2026, 11, 2, 10, 15, tzinfo=dt.UTC),
    ("odk", "kobo_csv"): dt.datetime(2026, 11, 2, 15, 9, tzinfo=dt.UTC),
    ("redcap", "redcap_csv"): dt.datetime(2026, 11, 2, 10, 9, tzinfo=dt.UTC),
}


def run_worker() -> None:
    """The database queue's real worker: every task waiting now, then exit."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())


def urls(t: dict[str, Any], batch: ImportBatch | None = None) -> dict[str, str]:
    org = t["org_a"].public_id
    out = {
        "list": reverse("imports:list", args=[org]),
        "new": reverse("imports:new", args=[org]),
    }
    if batch is not None:
        for name in ("detail", "confirm", "cancel"):
            out[name] = reverse(f"imports:{name}", args=[org, batch.public_id])
    return out


def as_role(client: Client, t: dict[str, Any], role: str = Role.ORG_ADMIN) -> Client:
    f.login_verified(client, t["members_a"][role])
    return client


def upload(
    client: Client, t: dict[str, Any], text: str, fmt: str, *, campaign: Any = None, **extra: Any
) -> Any:
    data = {
        "campaign": str((campaign or t["campaign_a"]).public_id),
        "instrument": "pce7",
        "format": fmt,
        "file": SimpleUploadedFile("answers.csv", text.encode(), content_type="text/csv"),
        **extra,
    }
    return client.post(urls(t)["new"], data)


def stored() -> tuple[int, int, int]:
    return Submission.objects.count(), Family.objects.count(), ConsentRecord.objects.count()


def preview(client: Client, t: dict[str, Any], text: str, fmt: str) -> ImportBatch:
    before = stored()
    response = upload(client, t, text, fmt)
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.latest("created_at")
    assert response["Location"] == urls(t, batch)["detail"]
    assert stored() == before  # the preview stores no answers
    return batch


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("fmt", "write"), SHAPES, ids=["central", "kobo", "redcap"])
def test_a_file_imports_once_with_the_scorers_scores_and_a_reimport_is_all_replays(
    client: Client, two_tenants: dict[str, Any], fmt: str, write: Writer
) -> None:
    t = two_tenants
    pce7 = get_instrument("pce7")
    records = synthetic(pce7, 12)
    client = as_role(client, t)
    batch = preview(client, t, write(pce7, records), fmt)
    assert (batch.total_count, batch.new_count, batch.replay_count, batch.invalid_count) == (
        12,
        12,
        0,
        0,
    )
    page = client.get(urls(t, batch)["detail"]).content.decode()
    assert "Import 12 rows" in page
    assert "When the families answered" in page
    assert "On Nov. 2, 2026." in page  # every synthetic record was answered that day
    response = client.post(urls(t, batch)["confirm"])
    assert response.status_code == 302
    # confirming twice queues one import
    assert client.post(urls(t, batch)["confirm"]).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTING
    page = client.get(urls(t, batch)["detail"]).content.decode()
    assert 'http-equiv="refresh"' in page
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert batch.imported_count == 12
    assert "On Nov. 2, 2026." in client.get(urls(t, batch)["detail"]).content.decode()
    for record in records:
        client_uuid = external_client_uuid(
            organization=t["org_a"], source=fmt, external_id=record.external_id
        )
        submission = Submission.objects.get(client_uuid=client_uuid)
        assert submission.campaign == t["campaign_a"]
        assert submission.answers == {"pce7": record.answers}
        assert submission.language == record.language
        assert submission.submitted_at == ANSWERED[(fmt, write.__name__)]
        score = InstrumentScore.objects.get(submission=submission)
        expected = score_response(pce7, record.answers)
        assert score.values == dict(expected.values)
    # confirming again imports nothing twice
    assert client.post(urls(t, batch)["confirm"]).status_code == 302
    run_worker()
    assert Submission.objects.filter(campaign=t["campaign_a"]).count() == 12
    # the same file again: every row was already imported, nothing new is stored
    before = stored()
    again = preview(client, t, write(pce7, records), fmt)
    assert (again.new_count, again.replay_count, again.conflict_count) == (0, 12, 0)
    assert urls(t, again)["confirm"] not in client.get(urls(t, again)["detail"]).content.decode()
    client.post(urls(t, again)["confirm"])
    run_worker()
    again.refresh_from_db()
    assert (again.imported_count, again.replay_count) == (0, 12)
    assert stored() == before
    events = AuditEvent.objects.filter(verb__startswith="import.").order_by("id")
    verbs = list(events.values_list("verb", "extra"))
    assert [v for v, _ in verbs].count("import.preview") == 2
    assert [v for v, _ in verbs].count("import.confirm") == 2
    finished = next(e for v, e in verbs if v == "import.finish")
    assert finished["imported"] == 12
    assert "answers" not in str(verbs)


@pytest.mark.django_db(transaction=True)
def test_the_same_id_with_other_answers_is_a_conflict(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    pce7 = get_instrument("pce7")
    records = synthetic(pce7, 3)
    client = as_role(client, t)
    client.post(urls(t, preview(client, t, redcap_csv(pce7, records), "redcap"))["confirm"])
    run_worker()
    records[0].answers["pce1"] = 9 if records[0].answers["pce1"] != 9 else 1
    batch = preview(client, t, redcap_csv(pce7, records), "redcap")
    assert (batch.new_count, batch.replay_count, batch.conflict_count) == (0, 2, 1)
    page = client.get(urls(t, batch)["detail"]).content.decode()
    assert "already imported with other answers" in page


@pytest.mark.django_db(transaction=True)
def test_invalid_rows_are_listed_with_reasons_and_only_valid_rows_are_stored(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    pce7 = get_instrument("pce7")
    records = synthetic(pce7, 5)
    records[0].answers["pce2"] = 6
    records[1].consent = dict.fromkeys(records[1].consent, False)
    records[3].external_id = records[4].external_id
    client = as_role(client, t)
    batch = preview(client, t, central_csv(pce7, records), "odk")
    assert (batch.new_count, batch.invalid_count) == (2, 3)
    page = client.get(urls(t, batch)["detail"]).content.decode()
    assert "pce2: 6 is not one of its codes (1, 2, 3, 4, 5, 7, 9)." in page
    assert "No consent" in page
    assert "is also the id of row 5" in page
    assert "Import 2 rows" in page
    before = Submission.objects.count()
    client.post(urls(t, batch)["confirm"])
    run_worker()
    assert Submission.objects.count() == before + 2
    batch.refresh_from_db()
    assert all("answers" not in row for row in batch.rows)  # kept in the submissions only


def test_rows_that_do_not_say_when_they_were_answered_are_counted_and_dated_when_stored(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    pce7 = get_instrument("pce7")
    text = kobo_csv(pce7, synthetic(pce7, 3))
    undated = text.replace("2026-11-02T10:09:00.000-05:00", "").replace("2026-11-02T15:09:30", "")
    client = as_role(client, t)
    batch = preview(client, t, undated, "odk")
    page = client.get(urls(t, batch)["detail"]).content.decode()
    assert (
        "3 rows do not say when they were answered: they are dated the day they are stored." in page
    )
    assert "The dashboard counts each answer" not in page
    bad = text.replace("2026-11-02T10:09:00.000-05:00", "next Tuesday")
    batch = preview(client, t, bad, "odk")
    assert batch.invalid_count == 3
    assert "The time the family answered, &#x27;next Tuesday&#x27;, is not a date and time" in (
        client.get(urls(t, batch)["detail"]).content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_cancel_stores_nothing(client: Client, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    pce7 = get_instrument("pce7")
    client = as_role(client, t)
    before = stored()
    batch = preview(client, t, kobo_csv(pce7, synthetic(pce7, 4)), "odk")
    assert client.post(urls(t, batch)["cancel"]).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    client.post(urls(t, batch)["confirm"])  # confirming a cancelled import does nothing
    run_worker()
    assert stored() == before
    assert AuditEvent.objects.filter(verb="import.cancel").count() == 1
    assert (
        "nothing from this file was stored" in client.get(urls(t, batch)["detail"]).content.decode()
    )


def test_a_bad_file_is_400_with_the_reason_and_keeps_nothing(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    client = as_role(client, t)
    response = upload(client, t, "record_id,color\n1,blue\n", "redcap")
    assert response.status_code == 400
    assert "These columns are missing" in response.content.decode()
    assert "error-summary" in response.content.decode()
    f.make_campaign(
        t["org_a"],
        t["program_a"],
        t["members_a"][Role.ORG_ADMIN],
        [{"id": "bce10", "version": "1.0"}],
    )
    response = upload(client, t, "x", "odk", instrument="bce10")
    assert response.status_code == 400
    assert "This survey does not ask this questionnaire." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_only_open_campaigns_of_the_practitioners_programs_are_offered(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    pce7 = get_instrument("pce7")
    other = f.make_campaign(t["org_a"], t["other_program_a"], t["members_a"][Role.ORG_ADMIN])
    closed = f.make_campaign(
        t["org_a"], t["program_a"], t["members_a"][Role.ORG_ADMIN], status=CampaignStatus.CLOSED
    )
    client = as_role(client, t, Role.PRACTITIONER)
    page = client.get(urls(t)["new"]).content.decode()
    assert str(t["campaign_a"].public_id) in page
    assert str(other.public_id) not in page
    assert str(closed.public_id) not in page
    text = redcap_csv(pce7, synthetic(pce7, 2))
    assert upload(client, t, text, "redcap", campaign=other).status_code == 400
    batch = preview(client, t, text, "redcap")
    assert client.get(urls(t, batch)["detail"]).status_code == 200
    # the admin's import into the other program is not the practitioner's to see
    admin = Client()
    f.login_verified(admin, t["members_a"][Role.ORG_ADMIN])
    assert upload(admin, t, text, "redcap", campaign=other).status_code == 302
    hidden = ImportBatch.objects.get(campaign=other)
    assert client.get(urls(t, hidden)["detail"]).status_code == 404
    assert client.post(urls(t, hidden)["confirm"]).status_code == 404


@pytest.mark.parametrize("role", [Role.ANALYST, Role.RESEARCHER, Role.VIEWER])
def test_other_roles_get_403(client: Client, two_tenants: dict[str, Any], role: str) -> None:
    t = two_tenants
    pce7 = get_instrument("pce7")
    admin = as_role(Client(), t)
    batch = preview(admin, t, redcap_csv(pce7, synthetic(pce7, 1)), "redcap")
    client = as_role(client, t, role)
    for name, url in urls(t, batch).items():
        method = client.post if name in ("confirm", "cancel") else client.get
        assert method(url).status_code == 403, url
    assert upload(client, t, "x", "redcap").status_code == 403


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.PRACTITIONER])
def test_admins_and_practitioners_get_the_pages(
    client: Client, two_tenants: dict[str, Any], role: str
) -> None:
    t = two_tenants
    client = as_role(client, t, role)
    assert client.get(urls(t)["list"]).status_code == 200
    assert client.get(urls(t)["new"]).status_code == 200


def test_an_outsider_gets_404_on_every_page_and_batch(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    pce7 = get_instrument("pce7")
    batch = preview(as_role(Client(), t), t, redcap_csv(pce7, synthetic(pce7, 1)), "redcap")
    f.login_verified(client, t["members_b"][Role.ORG_ADMIN])
    for name, url in urls(t, batch).items():
        method = client.post if name in ("confirm", "cancel") else client.get
        assert method(url).status_code == 404, url
    # A's batch under B's organization id is not found either
    for name in ("detail", "confirm", "cancel"):
        b_url = reverse(f"imports:{name}", args=[t["org_b"].public_id, batch.public_id])
        method = client.get if name == "detail" else client.post
        assert method(b_url).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW


def test_support_access_looks_but_does_not_import(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    import datetime as dt

    from django.utils import timezone

    from hopeful.web.organizations.models import SupportGrant

    t = two_tenants
    pce7 = get_instrument("pce7")
    batch = preview(as_role(Client(), t), t, redcap_csv(pce7, synthetic(pce7, 1)), "redcap")
    staff = f.make_user("staff@network.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        organization=t["org_a"],
        staff=staff,
        granted_by=t["members_a"][Role.ORG_ADMIN],
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    f.login_verified(client, staff)
    assert client.get(urls(t, batch)["detail"]).status_code == 200
    assert client.post(urls(t, batch)["confirm"]).status_code == 403
    assert client.post(urls(t, batch)["cancel"]).status_code == 403
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW


def test_a_file_of_5000_rows_is_previewed_in_one_request(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    pce7 = get_instrument("pce7")
    client = as_role(client, t)
    started = time.perf_counter()
    batch = preview(client, t, redcap_csv(pce7, synthetic(pce7, 5000)), "redcap")
    assert (batch.total_count, batch.new_count) == (5000, 5000)
    print(f"5000 rows previewed in {time.perf_counter() - started:.1f} s")
    page = client.get(urls(t, batch)["detail"]).content.decode()
    assert "Import 5000 rows" in page


def test_the_list_query_count_does_not_grow_with_the_imports(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = two_tenants
    pce7 = get_instrument("pce7")
    client = as_role(client, t)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(urls(t)["list"]).status_code == 200
        return len(captured)

    preview(client, t, redcap_csv(pce7, synthetic(pce7, 2)), "redcap")
    queries()  # the site menu's queries, cached from then on
    one = queries()
    for seed in range(4):
        preview(client, t, redcap_csv(pce7, synthetic(pce7, 2, seed=seed)), "redcap")
    assert queries() == one


def test_an_import_whose_task_failed_says_so_and_stops_refreshing(
    client: Client, two_tenants: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hopeful.web.imports import selectors

    t = two_tenants
    pce7 = get_instrument("pce7")
    client = as_role(client, t)
    batch = preview(client, t, redcap_csv(pce7, synthetic(pce7, 2)), "redcap")
    client.post(urls(t, batch)["confirm"])
    page = client.get(urls(t, batch)["detail"]).content.decode()
    assert 'http-equiv="refresh"' in page
    monkeypatch.setattr(selectors, "task_failed", lambda task_id: True)
    page = client.get(urls(t, batch)["detail"]).content.decode()
    assert "The import stopped" in page
    assert 'http-equiv="refresh"' not in page
