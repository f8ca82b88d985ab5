"""The public calendar file (parsed with icalendar: the event's zone, a stable UID, never the
meeting link) and the feeds (parsed with feedparser as RSS 2.0 and Atom 1.0)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import feedparser
import pytest
from django.test import Client
from icalendar import Calendar

from hopeful.web.events.models import Mode
from tests.web.events.helpers import make_event

pytestmark = pytest.mark.django_db

BOSTON = zoneinfo.ZoneInfo("America/New_York")


def _vevent(content: bytes):  # type: ignore[no-untyped-def]
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return event


def test_the_calendar_file(client: Client) -> None:
    event = make_event(
        slug="hope-summit",
        title="HOPE Summit",
        mode=Mode.HYBRID,
        location="Convention Center, Boston",
        time_zone="America/New_York",
        starts_at=dt.datetime(2030, 5, 6, 9, 0, tzinfo=BOSTON),
        ends_at=dt.datetime(2030, 5, 7, 17, 0, tzinfo=BOSTON),
    )
    response = client.get("/events/hope-summit/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"meet.example.org" not in response.content
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    vevent = _vevent(response.content)
    assert vevent.decoded("DTSTART") == event.starts_at
    assert str(vevent.decoded("DTSTART").tzinfo) == "America/New_York"
    assert vevent.decoded("DTSTART").hour == 9
    assert vevent.decoded("DTEND") == event.ends_at
    assert "Convention Center, Boston" in str(vevent["LOCATION"])
    assert str(vevent["SUMMARY"]) == "HOPE Summit"
    assert str(event.public_id) in str(vevent["UID"])
    assert next(iter(calendar.walk("VTIMEZONE")))["TZID"] == "America/New_York"
    again = _vevent(client.get("/events/hope-summit/calendar.ics").content)
    assert str(again["UID"]) == str(vevent["UID"])
    # a cancelled event says so in calendars
    event.status = "cancelled"
    event.save()
    assert str(_vevent(client.get("/events/hope-summit/calendar.ics").content)["STATUS"]) == (
        "CANCELLED"
    )


def test_the_feeds_carry_upcoming_published_events(client: Client) -> None:
    make_event(slug="soon", title="Soon webinar")
    make_event(slug="hidden", title="Hidden webinar", published=False)
    make_event(slug="off", title="Cancelled webinar", status="cancelled")
    make_event(
        slug="gone",
        title="Past webinar",
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )
    rss = client.get("/events/feed.rss")
    assert rss.status_code == 200
    parsed = feedparser.parse(rss.content)
    assert parsed.version == "rss20"
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["Soon webinar"]
    assert parsed.entries[0].link.endswith("/events/soon/")
    assert "hope-secret-room" not in rss.content.decode()

    atom = client.get("/events/feed.atom")
    parsed = feedparser.parse(atom.content)
    assert parsed.version == "atom10"
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["Soon webinar"]
    spanish = feedparser.parse(client.get("/es/events/feed.atom").content)
    assert spanish.entries[0].link.endswith("/es/events/soon/")


def test_the_list_shows_upcoming_then_past_and_links_the_feeds(client: Client) -> None:
    make_event(
        slug="later", title="Later webinar", starts_at=dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    )
    make_event(slug="sooner", title="Sooner webinar", capacity=1)
    make_event(slug="gone", title="Past webinar", starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    make_event(
        slug="summit", title="The summit", kind="summit", mode="in_person", location="Boston"
    )
    from hopeful.web.events.models import Event
    from hopeful.web.events.services import registration_create

    registration_create(event=Event.objects.get(slug="sooner"), name="A", email="a@example.org")
    html = client.get("/events/").content.decode()
    assert html.index("Sooner webinar") < html.index("Later webinar") < html.index("Past webinar")
    assert "Full: you can join the waitlist" in html
    assert "2 places left" in html
    assert "This event has taken place" in html
    assert 'type="application/rss+xml"' in html
    assert 'href="/events/feed.rss"' in html
    assert 'type="application/atom+xml"' in html
    only = client.get("/events/?kind=summit").content.decode()
    assert "The summit" in only
    assert "Sooner webinar" not in only
    assert client.get("/events/?kind=nonsense").status_code == 200
    spanish = client.get("/es/events/")
    assert spanish.status_code == 200
    assert 'lang="es"' in spanish.content.decode()


def test_the_list_makes_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.get("/events/")  # warm up (sessions, locale)
    for i in range(15):
        make_event(slug=f"webinar-{i}", title=f"Webinar {i}", capacity=3)
    with django_assert_max_num_queries(8):
        assert client.get("/events/").status_code == 200
