"""Formatting of session times: in the training's own time zone, with the zone named."""

from __future__ import annotations

from django import template

from hopeful.web.trainings.emails import session_when as _session_when
from hopeful.web.trainings.models import Training, TrainingSession

register = template.Library()


@register.simple_tag
def session_when(session: TrainingSession, training: Training) -> str:
    """ "5 January 2027, 09:00–12:00 CST (America/Chicago)" in the page's language."""
    return _session_when(session, training)
