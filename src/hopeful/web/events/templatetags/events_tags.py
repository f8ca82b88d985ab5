"""Event dates in the event's own time zone, with the zone named."""

from __future__ import annotations

from django import template

from hopeful.web.events.display import event_when as _event_when
from hopeful.web.events.models import Event

register = template.Library()


@register.simple_tag
def event_when(event: Event) -> str:
    return _event_when(event)
