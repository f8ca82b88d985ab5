"""The network staff's triage: who may open the queue and a request, the queue's counts and
filter, and every step (assign, schedule, deliver, decline, note): audited, emailed to the
requester (never a staff note), refused with nothing changed when it does not follow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from hopeful.web.accounts.models import User
from hopeful.web.audit.models import AuditEvent
from hopeful.web.presentations import services
from hopeful.web.presentations.models import PresentationRequest, Status
from tests.web import factories as f
from tests.web.certification.helpers import make_learner, make_staff
from tests.web.newsletter.helpers import run_queued
from tests.web.presentations.helpers import make_org_listing, make_request, make_trainer

pytestmark = pytest.mark.django_db

STAFF_NOTE = "Internal: the school board is slow to pay."


def _login(client: Client, user: User) -> Client:
    f.login_verified(client, user)
    return client


def _urls(item: PresentationRequest) -> list[str]:
    return [
        reverse("presentations:queue"),
        reverse("presentations:detail", args=[item.public_id]),
    ]


def test_the_urls() -> None:
    assert reverse("presentations:queue") == "/staff/presentations/"
    item = make_request()
    assert (
        reverse("presentations:detail", args=[item.public_id])
        == f"/staff/presentations/{item.public_id}/"
    )


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    for url in _urls(make_request()):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"]


@pytest.mark.parametrize("who", ["learner", "org_admin", "superuser"])
def test_staff_pages_are_403_for_everyone_else(client: Client, who: str) -> None:
    item = make_request()
    if who == "learner":
        user = make_learner("someone@example.org")
    elif who == "org_admin":
        user = f.make_member(f.make_org(), "org_admin")
    else:
        user = User.objects.create_superuser("root@example.org", f.PASSWORD)
    _login(client, user)
    for url in _urls(item):
        assert client.get(url).status_code == 403, url
    response = client.post(_urls(item)[1], {"action": "decline", "decline-reason": "x"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == Status.NEW


def test_the_queue_counts_filters_and_shows_newest_first(
    client: Client, django_assert_max_num_queries: object
) -> None:
    staff = make_staff()
    old = make_request(organization_name="Old Org", zip_code="53703")
    PresentationRequest.objects.filter(pk=old.pk).update(
        created_at=old.created_at - dt.timedelta(days=3)
    )
    new = make_request(organization_name="New Org", modality="virtual", zip_code="")
    services.request_step(request=new, kind="decline", actor=staff, reason="No trainer")
    _login(client, staff)
    url = reverse("presentations:queue")
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("New Org") < html.index("Old Org")
    assert "Madison, WI" in html
    assert "3\xa0days ago" in html or "3 days ago" in html
    assert "2 requests, newest first" in html
    declined = client.get(url, {"status": "declined"}).content.decode()
    assert "New Org" in declined
    assert "Old Org" not in declined
    assert "1 request, newest first" in declined
    bad = client.get(url, {"status": "wizard"})
    assert bad.status_code == 200
    assert "There is a problem" in bad.content.decode()


def test_a_request_goes_through_every_step_audited_and_emailed(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    staff = make_staff()
    trainer = make_trainer("Ana Ortiz", "02139", email="ana@example.org", language="es")
    item = make_request(requester_language="en")
    run_queued()
    mail.outbox.clear()
    _login(client, staff)
    url = reverse("presentations:detail", args=[item.public_id])
    html = client.get(url).content.decode()
    assert "Ana Ortiz" in html
    assert 'value="assign"' in html
    assert 'value="deliver"' not in html

    def post(data: dict[str, str]) -> object:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        run_queued()
        return response

    # a staff note: recorded in the history, emailed to nobody
    assert post({"action": "note", "note-note": STAFF_NOTE}).status_code == 302  # type: ignore[attr-defined]
    assert mail.outbox == []

    response = post({"action": "assign", "assign-listing": str(trainer.public_id)})
    assert response.status_code == 302  # type: ignore[attr-defined]
    item.refresh_from_db()
    assert (item.status, item.assigned_listing, item.assigned_by) == ("assigned", trainer, staff)
    to_requester = [m for m in mail.outbox if m.to == ["marta@example.org"]]
    to_trainer = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert len(to_requester) == 1
    assert len(to_trainer) == 1
    assert "Ana Ortiz" in to_requester[0].body
    assert "ana@example.org" not in to_requester[0].body  # the trainer's name only
    assert "marta@example.org" in to_trainer[0].body  # shared with the assigned trainer
    assert 'lang="es"' in to_trainer[0].alternatives[0][0]  # in the trainer's language
    mail.outbox.clear()

    response = post(
        {
            "action": "schedule",
            "schedule-date": "2027-03-09",
            "schedule-time": "18:30",
            "schedule-time_zone": "America/New_York",
        }
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    item.refresh_from_db()
    assert item.status == Status.SCHEDULED
    assert item.scheduled_for == dt.datetime(2027, 3, 9, 23, 30, tzinfo=dt.UTC)
    assert len(mail.outbox) == 1
    assert "March 9, 2027, 6:30" in mail.outbox[0].body
    assert "EST (America/New_York)" in mail.outbox[0].body
    mail.outbox.clear()

    assert post({"action": "deliver"}).status_code == 302  # type: ignore[attr-defined]
    item.refresh_from_db()
    assert item.status == Status.DELIVERED
    assert len(mail.outbox) == 1
    assert "Thank you for hosting" in mail.outbox[0].body
    # the same POST again (a double click): refused, nothing changed, nobody emailed again
    assert post({"action": "deliver"}).status_code == 400  # type: ignore[attr-defined]
    assert len(mail.outbox) == 1

    verbs = list(
        AuditEvent.objects.filter(object_id=str(item.public_id))
        .order_by("pk")
        .values_list("verb", "extra")
    )
    assert [v for v, _e in verbs] == [
        "presentations.request",
        "presentations.note",
        "presentations.assign",
        "presentations.schedule",
        "presentations.deliver",
    ]
    assert verbs[2][1]["from"] == "new"
    assert verbs[2][1]["to"] == "assigned"
    assert verbs[4][1] == {"from": "scheduled", "to": "delivered"}
    html = client.get(url).content.decode()
    for text in (STAFF_NOTE, "Assigned", "Scheduled", "Delivered", "Request sent"):
        assert text in html
    # nothing more but a note: no step buttons
    assert 'value="assign"' not in html
    assert 'value="decline"' not in html


def test_no_email_to_the_requester_ever_holds_a_staff_note(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    staff = make_staff()
    trainer = make_trainer("Ana Ortiz", "02139")
    item = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_step(request=item, kind="note", actor=staff, note=STAFF_NOTE)
        services.request_step(request=item, kind="assign", actor=staff, listing=trainer)
        services.request_step(request=item, kind="decline", actor=staff, reason="Too far away")
    run_queued()
    requester = [m for m in mail.outbox if m.to == ["marta@example.org"]]
    assert len(requester) == 2  # assigned, declined
    for message in mail.outbox:
        assert STAFF_NOTE not in message.body
        assert STAFF_NOTE not in message.alternatives[0][0]
    assert "Too far away" in requester[-1].body


def test_declining_needs_a_reason_and_tells_it(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    staff = make_staff()
    item = make_request()
    _login(client, staff)
    url = reverse("presentations:detail", args=[item.public_id])
    response = client.post(url, {"action": "decline", "decline-reason": "  "})
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.NEW
    assert not AuditEvent.objects.filter(verb="presentations.decline").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "decline", "decline-reason": "No trainer speaks Tagalog nearby."}
        )
    assert response.status_code == 302
    run_queued()
    item.refresh_from_db()
    assert (item.status, item.decline_reason) == ("declined", "No trainer speaks Tagalog nearby.")
    assert "No trainer speaks Tagalog nearby." in mail.outbox[-1].body
    audit = AuditEvent.objects.get(verb="presentations.decline")
    assert audit.extra == {"from": "new", "to": "declined"}


def test_illegal_steps_are_refused_with_nothing_changed(client: Client) -> None:
    staff = make_staff()
    item = make_request()
    _login(client, staff)
    url = reverse("presentations:detail", args=[item.public_id])
    for data, message in (
        ({"action": "deliver"}, "Only a scheduled request can be marked as delivered."),
        (
            {
                "action": "schedule",
                "schedule-date": "2027-03-09",
                "schedule-time": "18:30",
                "schedule-time_zone": "America/New_York",
            },
            "Only a request assigned to a trainer can be scheduled.",
        ),
        ({"action": "explode"}, "Choose one of the buttons."),
        ({"action": "assign", "assign-listing": ""}, "Choose a trainer."),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        html = response.content.decode()
        assert message in html, data
        assert "Nothing was changed." in html
    item.refresh_from_db()
    assert item.status == Status.NEW
    assert item.events.count() == 1
    assert AuditEvent.objects.filter(verb__startswith="presentations.").count() == 1


def test_only_listed_trainers_can_be_assigned(client: Client) -> None:
    staff = make_staff()
    hidden = make_trainer("Opted Out", "02115", opted_in=False)
    item = make_request()
    with pytest.raises(services.PresentationError):
        services.request_step(request=item, kind="assign", actor=staff, listing=hidden)
    _login(client, staff)
    url = reverse("presentations:detail", args=[item.public_id])
    response = client.post(url, {"action": "assign", "assign-listing": str(hidden.public_id)})
    assert response.status_code == 400
    assert "Choose a trainer who is listed" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.NEW


def test_assigning_an_organization_emails_its_admins(django_capture_on_commit_callbacks) -> None:
    staff = make_staff()
    organization = make_org_listing("Harbor Family Center", "02127", "admin@harbor.example.org")
    item = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_step(request=item, kind="assign", actor=staff, listing=organization)
    run_queued()
    assert ["admin@harbor.example.org"] in [m.to for m in mail.outbox]


def test_a_reassignment_emails_the_new_trainer_only(django_capture_on_commit_callbacks) -> None:
    staff = make_staff()
    first = make_trainer("First Trainer", "02139", email="first@example.org")
    second = make_trainer("Second Trainer", "01608", email="second@example.org")
    item = make_request()
    run_queued()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_step(request=item, kind="assign", actor=staff, listing=first)
        services.request_step(request=item, kind="assign", actor=staff, listing=second)
    run_queued()
    recipients = [m.to[0] for m in mail.outbox]
    assert "second@example.org" in recipients
    assert "first@example.org" not in recipients
