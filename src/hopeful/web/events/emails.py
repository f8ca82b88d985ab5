"""The events' emails (sent by the background worker, in the registrant's language, plain
text with an HTML alternative): the confirmation (a place, with the calendar file and the
meeting link, or a place on the waitlist), the promotion from the waitlist (with the
calendar), and the cancellation of an event. The confirmation and the promotion carry the
private link to manage the registration, issued as the email is written."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hopeful.web.core.mail import paragraphs_email
from hopeful.web.events.display import event_when
from hopeful.web.events.ics import event_calendar
from hopeful.web.events.models import Event, EventRegistration, RegistrationStatus
from hopeful.web.events.tokens import manage_token_issue


def _where(event: Event, *, with_link: bool) -> list[str]:
    lines = []
    if event.in_person:
        lines.append(_("Place: %(place)s") % {"place": event.location or _("to be announced")})
    if event.online:
        if with_link:
            lines.append(_("Online: %(url)s") % {"url": event.meeting_url or _("link to follow")})
        else:
            lines.append(_("Online: the link comes with your place."))
    return lines


def _message(
    registration: EventRegistration, subject: str, paragraphs: list[str], *, calendar: bool
) -> EmailMultiAlternatives:
    message = paragraphs_email(to=[registration.email], subject=subject, paragraphs=paragraphs)
    if calendar:
        message.attach(
            "event.ics",
            event_calendar(
                registration.event, with_link=True, language=translation.get_language() or "en"
            ),
            "text/calendar; method=PUBLISH; charset=utf-8",
        )
    return message


def _manage_url(registration: EventRegistration) -> str:
    token = manage_token_issue(registration)
    return settings.SITE_URL + reverse("events:manage", args=[token])


def _hello(registration: EventRegistration) -> str:
    return _("Hello %(name)s,") % {"name": registration.name}


def confirmation_message(registration: EventRegistration) -> EmailMultiAlternatives:
    event = registration.event
    with translation.override(registration.language):
        when = _("When: %(when)s") % {"when": event_when(event)}
        if registration.status == RegistrationStatus.WAITLISTED:
            return _message(
                registration,
                _("You are on the waitlist: %(title)s") % {"title": event.title},
                [
                    _hello(registration),
                    _(
                        "“%(title)s” is full, so you are on its waitlist. When a place frees "
                        "up, it goes to the first person on the list and we email you at once."
                    )
                    % {"title": event.title},
                    when,
                    _("To see your place on the waitlist, or to leave it: %(url)s")
                    % {"url": _manage_url(registration)},
                ],
                calendar=False,
            )
        return _message(
            registration,
            _("You are registered: %(title)s") % {"title": event.title},
            [
                _hello(registration),
                _("You have a place at “%(title)s”.") % {"title": event.title},
                when,
                *_where(event, with_link=True),
                _("The attached calendar file adds the event to your calendar."),
                _(
                    "This link is yours alone: it shows your registration and lets you cancel "
                    "it. Please do not share it: %(url)s"
                )
                % {"url": _manage_url(registration)},
            ],
            calendar=True,
        )


def promotion_message(registration: EventRegistration) -> EmailMultiAlternatives:
    event = registration.event
    with translation.override(registration.language):
        return _message(
            registration,
            _("A place is yours: %(title)s") % {"title": event.title},
            [
                _hello(registration),
                _(
                    "A place freed up at “%(title)s” and it is yours: you were first on the "
                    "waitlist, and you are now registered."
                )
                % {"title": event.title},
                _("When: %(when)s") % {"when": event_when(event)},
                *_where(event, with_link=True),
                _(
                    "If you cannot come after all, please cancel so the next person gets the "
                    "place: %(url)s"
                )
                % {"url": _manage_url(registration)},
            ],
            calendar=True,
        )


def cancelled_message(registration: EventRegistration) -> EmailMultiAlternatives:
    event = registration.event
    with translation.override(registration.language):
        return _message(
            registration,
            _("Cancelled: %(title)s") % {"title": event.title},
            [
                _hello(registration),
                _(
                    "We are sorry: “%(title)s” (%(when)s) is cancelled. You do not need to do "
                    "anything; your registration ends with it."
                )
                % {"title": event.title, "when": event_when(event)},
                _("Other events of the HOPE network: %(url)s")
                % {"url": settings.SITE_URL + reverse("events:list")},
            ],
            calendar=False,
        )


def _registration(registration_id: int) -> EventRegistration | None:
    return EventRegistration.objects.select_related("event").filter(pk=registration_id).first()


def send_confirmation(registration_id: int) -> bool:
    """Send the confirmation, unless the registration or the event was cancelled meanwhile."""
    registration = _registration(registration_id)
    if registration is None or not registration.is_active or registration.event.is_cancelled:
        return False
    confirmation_message(registration).send()
    return True


def send_promotion(registration_id: int) -> bool:
    """Send "a place is yours", unless the place was given up meanwhile."""
    registration = _registration(registration_id)
    if registration is None or not registration.holds_place or registration.event.is_cancelled:
        return False
    promotion_message(registration).send()
    return True


def send_event_cancelled(registration_id: int) -> bool:
    registration = _registration(registration_id)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return False
    cancelled_message(registration).send()
    return True
