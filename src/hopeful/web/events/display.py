"""How an event's dates read, in its own time zone, in the active language."""

from __future__ import annotations

from django.utils import formats

from hopeful.web.events.models import Event


def event_when(event: Event) -> str:
    """ "5 January 2027, 09:00–12:00 EST (America/New_York)", or for an event over several
    days "5 January 2027, 09:00 – 9 January 2027, 17:00 EST (America/New_York)"."""
    start = event.starts_at.astimezone(event.zone)
    end = event.ends_at.astimezone(event.zone)
    if start.date() == end.date():
        span = "%s, %s–%s" % (  # noqa: UP031 - a formatted, not a translated, string
            formats.date_format(start, "DATE_FORMAT"),
            formats.time_format(start, "TIME_FORMAT"),
            formats.time_format(end, "TIME_FORMAT"),
        )
    else:
        span = "%s, %s – %s, %s" % (  # noqa: UP031
            formats.date_format(start, "DATE_FORMAT"),
            formats.time_format(start, "TIME_FORMAT"),
            formats.date_format(end, "DATE_FORMAT"),
            formats.time_format(end, "TIME_FORMAT"),
        )
    return f"{span} {end.tzname()} ({event.time_zone})"
