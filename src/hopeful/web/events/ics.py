"""An event as a calendar file (iCalendar, RFC 5545): one VEVENT whose UID is the same in
every download and email (calendar programs update the event instead of adding it again),
times in the event's time zone (with its VTIMEZONE). The public file never carries the
meeting link; the one attached to a registered person's email does."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from hopeful.web.events.models import Event

PRODID = "-//HOPEful//Events//EN"


def event_uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "hopeful.invalid"
    return f"event-{event.public_id}@{host}"


def _where(event: Event, *, with_link: bool) -> str:
    parts = [event.location] if event.in_person and event.location else []
    if event.online:
        if with_link and event.meeting_url:
            parts.append(event.meeting_url)
        else:
            parts.append(_("Online (the link is sent to registered people)"))
    return " · ".join(parts)


def event_calendar(
    event: Event, *, with_link: bool, language: str = "en", now: dt.datetime | None = None
) -> bytes:
    """The event as an ``.ics`` file. ``with_link``: include the meeting link (only for the
    email to a person holding a place)."""
    now = now or timezone.now()
    with translation.override(language):
        page = settings.SITE_URL + reverse("events:detail", args=[event.slug])
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", event.title)
        item = VEvent()
        item.add("uid", event_uid(event))
        item.add("dtstamp", now.astimezone(dt.UTC))
        item.add("dtstart", event.starts_at.astimezone(event.zone))
        item.add("dtend", event.ends_at.astimezone(event.zone))
        item.add("summary", event.title)
        where = _where(event, with_link=with_link)
        if where:
            item.add("location", where)
        description = [event.summary]
        if with_link and event.online and event.meeting_url:
            description.append(_("Meeting link: %(url)s") % {"url": event.meeting_url})
        description.append(_("Event page: %(url)s") % {"url": page})
        item.add("description", "\n\n".join(description))
        item.add("url", page)
        item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
        cal.add_component(item)
        cal.add_missing_timezones()
    ical: bytes = cal.to_ical()
    return ical
