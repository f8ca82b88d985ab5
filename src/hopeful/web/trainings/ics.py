"""Calendar invitations (iCalendar, RFC 5545) of a training: one event per session, with a
UID that stays the same for the session (so calendar programs update the event when it is
downloaded again), times in the training's time zone (with its VTIMEZONE), and the place or
the meeting link. Made with the ``icalendar`` package."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from hopeful.web.trainings.models import Mode, Training, TrainingStatus

PRODID = "-//HOPEful//Trainings//EN"


def session_uid(public_id: object) -> str:
    """The session's event UID: the same in every download and email."""
    host = urlsplit(settings.SITE_URL).hostname or "hopeful.invalid"
    return f"training-session-{public_id}@{host}"


def _where(training: Training, *, with_link: bool) -> str:
    if training.mode == Mode.VIRTUAL:
        if with_link and training.meeting_url:
            return training.meeting_url
        return _("Online (the link is shown to registered participants)")
    return training.location


def training_calendar(
    training: Training,
    *,
    with_link: bool,
    language: str = "en",
    now: dt.datetime | None = None,
) -> bytes:
    """The training's sessions as an ``.ics`` file. ``with_link``: include the meeting link
    (for people holding a place only)."""
    now = now or timezone.now()
    zone = training.zone
    with translation.override(language):
        page = settings.SITE_URL + reverse("trainings:detail", args=[training.public_id])
        where = _where(training, with_link=with_link)
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", training.title)
        sessions = list(training.sessions.order_by("starts_at"))
        for number, session in enumerate(sessions, start=1):
            event = Event()
            event.add("uid", session_uid(session.public_id))
            event.add("dtstamp", now.astimezone(dt.UTC))
            event.add("dtstart", session.starts_at.astimezone(zone))
            event.add("dtend", session.ends_at.astimezone(zone))
            summary = training.title
            if len(sessions) > 1:
                summary = _("%(title)s (session %(n)d of %(total)d)") % {
                    "title": training.title,
                    "n": number,
                    "total": len(sessions),
                }
            event.add("summary", summary)
            if where:
                event.add("location", where)
            description = [training.description] if training.description else []
            if with_link and training.mode == Mode.VIRTUAL and training.meeting_url:
                description.append(_("Meeting link: %(url)s") % {"url": training.meeting_url})
            description.append(_("Training page: %(url)s") % {"url": page})
            event.add("description", "\n\n".join(description))
            event.add("url", page)
            cancelled = training.status == TrainingStatus.CANCELLED
            event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
            cal.add_component(event)
        cal.add_missing_timezones()
    ical: bytes = cal.to_ical()
    return ical
