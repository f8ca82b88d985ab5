"""The presentation requests' emails (sent by the background worker, plain text with an HTML
alternative). The requester's are in the language the form was sent in: the confirmation,
then one per step (assigned: the trainer's name only; scheduled: the date; delivered: thanks;
declined: the reason). Staff notes are never in them. The assigned trainer (a person, or the
admins of an organization) gets the request's details, the requester's name and email
address included, in their own language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import formats, translation
from django.utils.translation import gettext as _

from hopeful.web.core.mail import paragraphs_email
from hopeful.web.organizations.models import Membership, Role
from hopeful.web.presentations.models import (
    EventKind,
    Modality,
    PresentationRequest,
    PresentationRequestEvent,
    Status,
)


def _message(to: list[str], subject: str, paragraphs: list[str]) -> EmailMultiAlternatives:
    reply_to = [settings.HOPEFUL_CONTACT_EMAIL] if settings.HOPEFUL_CONTACT_EMAIL else None
    return paragraphs_email(to=to, subject=subject, paragraphs=paragraphs, reply_to=reply_to)


def when(request: PresentationRequest) -> str:
    """ "Tuesday 9 March 2027, 10:00 CST (America/Chicago)" in the active language."""
    local = request.scheduled_local
    if local is None:
        return ""
    return "%s, %s %s (%s)" % (  # noqa: UP031 - a formatted, not a translated, string
        formats.date_format(local, "DATE_FORMAT"),
        formats.time_format(local, "TIME_FORMAT"),
        local.tzname(),
        request.time_zone or "UTC",
    )


def summary(request: PresentationRequest) -> str:
    """The request's facts, one a line (what the requester asked for; no staff notes)."""
    lines = [
        _("Organization: %(v)s") % {"v": request.organization_name},
        _("Audience: %(v)s (about %(n)d people)")
        % {"v": request.get_audience_display(), "n": request.audience_size},
        _("Topic: %(v)s") % {"v": request.get_topic_display()},
        _("In person or online: %(v)s") % {"v": request.get_modality_display()},
        _("Language: %(v)s") % {"v": request.get_language_display()},
        _("Preferred dates: %(v)s") % {"v": request.preferred_dates},
    ]
    if request.city:
        lines.append(
            _("Place: %(city)s, %(state)s") % {"city": request.city, "state": request.state}
        )
    return "\n".join(lines)


def confirmation_message(request: PresentationRequest) -> EmailMultiAlternatives:
    with translation.override(request.requester_language or "en"):
        return _message(
            [request.requester_email],
            _("We received your request for a HOPE presentation"),
            [
                _("Hello %(name)s,") % {"name": request.requester_name},
                _(
                    "Thank you for asking for a HOPE presentation. Our staff read every "
                    "request and look for a certified trainer near you who speaks your "
                    "language. We will email you at each step."
                ),
                _("What you asked for:") + "\n" + summary(request),
                _(
                    "Your name and email address are shared only with the trainer assigned "
                    "to your request."
                ),
            ],
        )


def update_message(event: PresentationRequestEvent) -> EmailMultiAlternatives | None:
    """The requester's email about ``event`` (None for a step they are not told about)."""
    request = event.request
    with translation.override(request.requester_language or "en"):
        hello = _("Hello %(name)s,") % {"name": request.requester_name}
        asked = _("Your request:") + "\n" + summary(request)
        if event.kind == EventKind.ASSIGN:
            trainer = request.assigned_listing.display_name if request.assigned_listing else ""
            return _message(
                [request.requester_email],
                _("A trainer was found for your HOPE presentation"),
                [
                    hello,
                    _(
                        "%(trainer)s, a certified HOPE trainer, will present to your "
                        "organization. They will contact you to agree on the date."
                    )
                    % {"trainer": trainer},
                    asked,
                ],
            )
        if event.kind == EventKind.SCHEDULE:
            return _message(
                [request.requester_email],
                _("Your HOPE presentation is scheduled"),
                [
                    hello,
                    _("Your HOPE presentation is scheduled for %(when)s.")
                    % {"when": when(request)},
                    asked,
                ],
            )
        if event.kind == EventKind.DELIVER:
            return _message(
                [request.requester_email],
                _("Thank you for hosting a HOPE presentation"),
                [
                    hello,
                    _(
                        "Thank you for hosting a HOPE presentation. We hope it helps the "
                        "children and families you serve."
                    ),
                    _("We would be glad to hear how it went: simply reply to this email."),
                ],
            )
        if event.kind == EventKind.DECLINE:
            return _message(
                [request.requester_email],
                _("About your request for a HOPE presentation"),
                [
                    hello,
                    _("We are sorry: we cannot arrange this presentation."),
                    _("The reason: %(reason)s") % {"reason": request.decline_reason},
                    asked,
                ],
            )
    return None


def trainer_recipients(request: PresentationRequest) -> list[tuple[str, str]]:
    """(email, language) of whoever is told of the assignment: the trainer, or the active
    admins of the assigned organization."""
    listing = request.assigned_listing
    if listing is None:
        return []
    if listing.user_id is not None:
        user: Any = listing.user
        if not user.is_active:
            return []
        return [(user.email, getattr(user, "preferred_language", "") or "en")]
    if listing.organization_id is None:
        return []
    admins = Membership.objects.filter(
        organization_id=listing.organization_id, role=Role.ORG_ADMIN, user__is_active=True
    ).select_related("user")
    return [(m.user.email, getattr(m.user, "preferred_language", "") or "en") for m in admins]


def trainer_message(
    request: PresentationRequest, email: str, language: str
) -> EmailMultiAlternatives:
    with translation.override(language):
        details = [
            _("Requester: %(name)s <%(email)s>")
            % {"name": request.requester_name, "email": request.requester_email},
        ]
        if request.role_title:
            details.append(_("Their role: %(v)s") % {"v": request.role_title})
        paragraphs = [
            _("Hello,"),
            _(
                "The HOPE resource center assigned you a request for a presentation. Please "
                "contact the requester to agree on the date, then tell us."
            ),
            "\n".join(details) + "\n" + summary(request),
        ]
        if request.modality != Modality.VIRTUAL and request.zip_code:
            paragraphs.append(_("ZIP code: %(zip)s") % {"zip": request.zip_code})
        if request.details:
            paragraphs.append(_("Details from the requester:") + "\n" + request.details)
        paragraphs.append(
            _(
                "The requester's name and email address are shared with you only to arrange "
                "this presentation: please do not pass them on."
            )
        )
        return _message([email], _("A HOPE presentation request for you"), paragraphs)


def _event(event_id: int) -> PresentationRequestEvent | None:
    return (
        PresentationRequestEvent.objects.select_related(
            "request__assigned_listing__user", "request__assigned_listing__organization"
        )
        .filter(pk=event_id)
        .first()
    )


def send_confirmation(request_id: int) -> bool:
    request = PresentationRequest.objects.filter(pk=request_id).first()
    if request is None:
        return False
    confirmation_message(request).send()
    return True


def send_requester_update(event_id: int) -> bool:
    event = _event(event_id)
    if event is None:
        return False
    message = update_message(event)
    if message is None:
        return False
    message.send()
    return True


def send_trainer_assignment(event_id: int) -> int:
    """Email the trainer assigned by ``event``, unless it was reassigned or declined
    meanwhile. Returns how many emails were sent."""
    event = _event(event_id)
    if event is None or event.kind != EventKind.ASSIGN:
        return 0
    request = event.request
    latest = request.events.filter(kind=EventKind.ASSIGN).order_by("-at", "-pk").first()
    if (
        request.status == Status.DECLINED
        or request.assigned_listing is None
        or latest is None
        or latest.pk != event.pk
    ):
        return 0
    sent = 0
    for email, language in trainer_recipients(request):
        trainer_message(request, email, language).send()
        sent += 1
    return sent
