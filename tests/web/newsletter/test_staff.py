"""The staff's side: the counts page, the CSV export of the confirmed list (network staff
only, audited, safe to open in a spreadsheet), and the daily purge of expired sign-ups."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hopeful.web.accounts.models import User
from hopeful.web.audit.models import AuditEvent
from hopeful.web.newsletter import emails, tasks
from hopeful.web.newsletter.models import Subscription
from hopeful.web.newsletter.services import subscriptions_purge_expired
from tests.web import factories as f

pytestmark = pytest.mark.django_db

EXPORT = "/newsletter/export.csv"
SUBSCRIBERS = "/newsletter/subscribers/"


def _row(email: str, *, confirmed: bool, days_ago: float = 0, **kw: Any) -> Subscription:
    when = timezone.now() - dt.timedelta(days=days_ago)
    fields: dict[str, Any] = {
        "language": "en",
        "building_blocks": ["relationships", "environment"],
        "audiences": ["families"],
        "consent_text": "I want the newsletter.",
        "consent_language": "en",
        "consent_at": when,
        "created_at": when,
        "confirmed_at": when if confirmed else None,
    }
    fields.update(kw)
    return Subscription.objects.create(email=email, **fields)


@pytest.fixture
def staff(client: Client) -> User:
    user = f.make_user("staff@hope.example.org", is_network_staff=True)
    f.login_verified(client, user)
    return user


def test_the_export_lists_only_confirmed_sign_ups_and_is_audited(
    client: Client, staff: User
) -> None:
    confirmed = _row("ana@example.org", confirmed=True, language="es", consent_language="es")
    _row("pending@example.org", confirmed=False)
    assert reverse("newsletter:export") == EXPORT

    response = client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "email",
        "language",
        "building_blocks",
        "audiences",
        "confirmed_at",
        "consent_at",
        "consent_text",
        "unsubscribe_url",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["email"] == "ana@example.org"
    assert row["language"] == "es"
    assert row["building_blocks"] == "relationships;environment"
    assert row["audiences"] == "families"
    assert row["consent_text"] == "I want the newsletter."
    assert row["confirmed_at"].endswith("+00:00")
    assert row["unsubscribe_url"] == emails.unsubscribe_url(confirmed)
    assert "/es/newsletter/unsubscribe/" in row["unsubscribe_url"]
    event = AuditEvent.objects.get(verb="newsletter.export")
    assert event.actor == staff
    assert event.organization is None
    assert event.extra == {"rows": 1}


def test_the_export_cannot_run_formulas_in_a_spreadsheet(client: Client, staff: User) -> None:
    _row("=cmd@example.org", confirmed=True, consent_text="+SUM(A1)")
    _row("-x@example.org", confirmed=True, consent_text="@IMPORT")
    rows = list(csv.reader(io.StringIO(client.get(EXPORT).content.decode())))[1:]
    cells = [cell for row in rows for cell in row]
    assert "'=cmd@example.org" in cells
    assert "'-x@example.org" in cells
    assert "'+SUM(A1)" in cells
    assert "'@IMPORT" in cells
    assert not any(cell[:1] in "=+-@" and cell for cell in cells)


def test_an_org_admin_is_refused_and_anonymous_visitors_sign_in(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    _row("ana@example.org", confirmed=True)
    for url in (EXPORT, SUBSCRIBERS):
        anonymous = Client().get(url)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(reverse("accounts:login"))
    f.login_verified(client, two_tenants["members_a"]["org_admin"])
    assert client.get(EXPORT).status_code == 403
    assert client.get(SUBSCRIBERS).status_code == 403
    superuser = User.objects.create_superuser("root@example.org", f.PASSWORD)
    other = Client()
    f.login_verified(other, superuser)
    assert other.get(EXPORT).status_code == 403  # no superuser bypass
    assert not AuditEvent.objects.filter(verb="newsletter.export").exists()


def test_the_subscribers_page_shows_counts_and_links_the_download(
    client: Client, staff: User
) -> None:
    _row("ana@example.org", confirmed=True, language="es")
    _row("bo@example.org", confirmed=True, building_blocks=[], audiences=[])
    _row("pending@example.org", confirmed=False)
    response = client.get(SUBSCRIBERS)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert reverse("newsletter:export") in html
    assert "@example.org" not in html  # counts only
    counts = response.context["counts"]
    assert (counts.confirmed, counts.pending, counts.no_interest) == (2, 1, 1)
    assert counts.by_language == {"es": 1, "en": 1}
    assert counts.by_block == {"relationships": 1, "environment": 1}
    # the network view links here, so staff reach it by clicking
    assert SUBSCRIBERS in client.get(reverse("network:dashboard")).content.decode()


def test_the_purge_deletes_only_expired_unconfirmed_sign_ups() -> None:
    _row("old-pending@example.org", confirmed=False, days_ago=8)
    _row("new-pending@example.org", confirmed=False, days_ago=6)
    _row("old-confirmed@example.org", confirmed=True, days_ago=400)
    assert subscriptions_purge_expired() == 1
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "new-pending@example.org",
        "old-confirmed@example.org",
    ]


def test_the_daily_purge_runs_in_the_worker_and_queues_its_next_run() -> None:
    _row("old-pending@example.org", confirmed=False, days_ago=8)
    now = dt.datetime(2026, 6, 15, 9, 30, tzinfo=dt.UTC)
    assert tasks.next_run(now) > now
    assert tasks.next_run(now).hour == tasks.HOUR
    assert tasks.schedule(now) is True
    assert tasks.schedule(now) is False  # one waiting run is enough
    assert tasks.purge_expired.call() == 1
    assert not Subscription.objects.exists()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.count() == 1
    assert waiting.get().task_path == tasks.purge_expired.module_path
