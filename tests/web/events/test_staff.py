"""The staff's event pages: network staff only (403 for a signed-in organization admin, sign
in first for anonymous visitors), the event form with times in the event's zone, capacity
never below the places taken, cancelling (everyone told), the roster and its CSV (formulas
neutralized), and every change audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
import zoneinfo

import pytest
from django.core import mail
from django.test import Client

from hopeful.web.audit.models import AuditEvent
from hopeful.web.events.models import Event, EventRegistration
from hopeful.web.events.services import registration_create
from hopeful.web.organizations.models import Role
from tests.web import factories as f
from tests.web.events.helpers import make_event, run_queued

pytestmark = pytest.mark.django_db

STAFF_URLS = [
    "/staff/events/",
    "/staff/events/new/",
    "/staff/events/{id}/",
    "/staff/events/{id}/edit/",
    "/staff/events/{id}/roster.csv",
]
POST_URLS = ["/staff/events/{id}/cancel/", "/staff/events/{id}/registrations/{reg}/cancel/"]


@pytest.fixture
def staff(client: Client) -> object:
    user = f.make_user("staff@hope.example.org", is_network_staff=True)
    f.login_verified(client, user)
    return user


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "slug": "hope-summit-2030",
        "title": "HOPE Summit 2030",
        "kind": "summit",
        "summary": "Two days with the network.",
        "description": "",
        "language": "en",
        "mode": "in_person",
        "time_zone": "America/Denver",
        "starts": "2030-04-02T09:00",
        "ends": "2030-04-03T17:00",
        "location": "Convention Center, Denver",
        "meeting_url": "",
        "capacity": "400",
        "registration_open": "on",
        "published": "on",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("url", STAFF_URLS + POST_URLS)
def test_staff_pages_are_403_for_an_org_admin_and_sign_in_for_anonymous(url: str) -> None:
    event = make_event()
    registration, _ = registration_create(event=event, name="A", email="a@example.org")
    assert registration is not None
    path = url.format(id=event.public_id, reg=registration.public_id)
    anonymous = Client()
    response = anonymous.get(path) if url in STAFF_URLS else anonymous.post(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    admin = Client()
    org = f.make_org("Sunrise Clinic")
    f.login_verified(admin, f.make_member(org, Role.ORG_ADMIN, "admin@sunrise.example.org"))
    response = admin.get(path) if url in STAFF_URLS else admin.post(path, {"confirm": "yes"})
    assert response.status_code == 403
    assert Event.objects.get().status == "scheduled"
    assert EventRegistration.objects.get().status == "registered"


@pytest.mark.parametrize("url", STAFF_URLS[2:])
def test_unknown_events_are_404_for_staff(client: Client, staff: object, url: str) -> None:
    assert client.get(url.format(id=uuid.uuid4())).status_code == 404


def test_create_an_event_with_times_in_its_zone(client: Client, staff: object) -> None:
    assert client.get("/staff/events/new/").status_code == 200
    response = client.post("/staff/events/new/", _form())
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    denver = zoneinfo.ZoneInfo("America/Denver")
    assert event.starts_at == dt.datetime(2030, 4, 2, 9, 0, tzinfo=denver)
    assert event.ends_at == dt.datetime(2030, 4, 3, 17, 0, tzinfo=denver)
    assert AuditEvent.objects.get(verb="events.create").actor == staff
    # the edit form shows the times in the event's zone again
    html = client.get(f"/staff/events/{event.public_id}/edit/").content.decode()
    assert 'value="2030-04-02T09:00"' in html
    response = client.post(f"/staff/events/{event.public_id}/edit/", _form(title="Summit!"))
    assert response.status_code == 302
    assert Event.objects.get().title == "Summit!"
    update = AuditEvent.objects.get(verb="events.update")
    assert update.extra["fields"] == ["title"]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"ends": "2030-04-02T08:00"}, "The event must end after it starts."),
        ({"time_zone": "Mars/Olympus"}, "is not a time zone name"),
        ({"mode": "virtual", "meeting_url": ""}, "An online event needs a meeting link."),
        ({"location": ""}, "An in-person event needs a place."),
        ({"slug": "registrations"}, "is reserved"),
        ({"summary": "x" * 301}, "at most 300 characters"),
        ({"capacity": "0"}, "greater than or equal to 1"),
    ],
)
def test_bad_event_forms_store_nothing(
    client: Client, staff: object, changes: dict[str, str], error: str
) -> None:
    response = client.post("/staff/events/new/", _form(**changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Event.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="events.").exists()


def test_capacity_cannot_go_below_the_places_taken(client: Client, staff: object) -> None:
    event = make_event(capacity=5, slug="hope-summit-2030")
    for i in range(3):
        registration_create(event=event, name=f"P{i}", email=f"p{i}@example.org")
    form = _form(capacity="2", mode="virtual", meeting_url="https://meet.example.org/x")
    response = client.post(f"/staff/events/{event.public_id}/edit/", form)
    assert response.status_code == 400
    assert "3 people hold a place" in response.content.decode()
    assert Event.objects.get().capacity == 5


def test_a_larger_capacity_promotes_the_waitlist(
    client: Client, staff: object, django_capture_on_commit_callbacks
) -> None:
    event = make_event(capacity=1, slug="hope-summit-2030")
    for i in range(3):
        registration_create(event=event, name=f"P{i}", email=f"p{i}@example.org")
    form = _form(capacity="2", mode="virtual", meeting_url="https://meet.example.org/x")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/staff/events/{event.public_id}/edit/", form).status_code == 302
    statuses = dict(EventRegistration.objects.values_list("email", "status"))
    assert statuses == {
        "p0@example.org": "registered",
        "p1@example.org": "registered",
        "p2@example.org": "waitlisted",
    }


def test_cancel_the_event_tells_everyone(
    client: Client, staff: object, django_capture_on_commit_callbacks
) -> None:
    event = make_event(capacity=1)
    for i in range(3):
        registration_create(event=event, name=f"P{i}", email=f"p{i}@example.org")
    gone, _ = registration_create(event=event, name="Gone", email="gone@example.org")
    from hopeful.web.events.services import registration_cancel

    assert gone is not None
    registration_cancel(registration=gone)
    url = f"/staff/events/{event.public_id}/cancel/"
    assert client.post(url).status_code == 302  # not confirmed: nothing happens
    assert Event.objects.get().status == "scheduled"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"confirm": "yes"}).status_code == 302
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert not event.registration_open
    assert AuditEvent.objects.get(verb="events.cancel").extra == {"told": 3}
    mail.outbox.clear()
    run_queued()
    cancelled = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Cancelled"))
    assert cancelled == ["p0@example.org", "p1@example.org", "p2@example.org"]
    # the public page says so and refuses registrations
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "This event was cancelled." in page


def test_staff_cancel_a_registration_is_audited_and_promotes(client: Client, staff: object) -> None:
    event = make_event(capacity=1)
    first, _ = registration_create(event=event, name="First", email="first@example.org")
    registration_create(event=event, name="Next", email="next@example.org")
    assert first is not None
    url = f"/staff/events/{event.public_id}/registrations/{first.public_id}/cancel/"
    assert client.post(url).status_code == 302
    audit = AuditEvent.objects.get(verb="events.registration_cancel")
    assert audit.actor == staff
    assert audit.extra["by"] == "staff"
    assert EventRegistration.objects.get(email="next@example.org").status == "registered"
    other = make_event(slug="other")
    wrong = f"/staff/events/{other.public_id}/registrations/{first.public_id}/cancel/"
    assert client.post(wrong).status_code == 404


def test_the_list_and_roster_show_counts_and_statuses(client: Client, staff: object) -> None:
    event = make_event(capacity=1, title="Counted webinar")
    registration_create(event=event, name="First", email="first@example.org")
    registration_create(event=event, name="Next", email="next@example.org")
    html = client.get("/staff/events/").content.decode()
    assert "Counted webinar" in html
    row = html[html.index("Counted webinar") :]
    row = row[: row.index("</tr>")]
    assert (
        '<td class="num">1</td>\n      <td class="num">1</td>\n      <td class="num">1</td>' in row
    )
    roster = client.get(f"/staff/events/{event.public_id}/").content.decode()
    assert "first@example.org" in roster
    assert "On the waitlist" in roster


def test_the_roster_csv_neutralizes_formulas_and_is_audited(client: Client, staff: object) -> None:
    event = make_event()
    registration_create(
        event=event, name='=HYPERLINK("http://evil")', email="a@example.org", organization="+1+1"
    )
    response = client.get(f"/staff/events/{event.public_id}/roster.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["name", "email", "organization", "status"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][2] == "'+1+1"
    assert AuditEvent.objects.get(verb="events.roster_export").extra == {"rows": 1}


def test_the_staff_list_makes_a_fixed_number_of_queries(
    client: Client, staff: object, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for i in range(15):
        make_event(slug=f"webinar-{i}", title=f"Webinar {i}", capacity=3)
    with django_assert_max_num_queries(12):
        assert client.get("/staff/events/").status_code == 200
