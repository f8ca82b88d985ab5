"""The trainings' emails (sent by the background worker, in the person's language, plain
text with an HTML alternative): the registration confirmation (a place, with the calendar
file attached, or a place on the waitlist), the promotion from the waitlist (with the
calendar), and the reminder the day before a session. Links are absolute (``SITE_URL``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from hopeful.web.core.mail import paragraphs_email
from hopeful.web.learning.selectors import learner_name
from hopeful.web.trainings.ics import training_calendar
from hopeful.web.trainings.models import (
    HOLDS_PLACE,
    Mode,
    Registration,
    RegistrationStatus,
    SessionReminder,
    Training,
    TrainingSession,
)


def session_when(session: TrainingSession, training: Training) -> str:
    """ "Tuesday 5 January 2027, 09:00–12:00 CST (America/Chicago)" in the active language."""
    start = session.starts_at.astimezone(training.zone)
    end = session.ends_at.astimezone(training.zone)
    return "%s, %s–%s %s (%s)" % (  # noqa: UP031 - a formatted, not a translated, string
        formats.date_format(start, "DATE_FORMAT"),
        formats.time_format(start, "TIME_FORMAT"),
        formats.time_format(end, "TIME_FORMAT"),
        start.tzname(),
        training.time_zone,
    )


def _where(training: Training) -> str:
    if training.mode == Mode.VIRTUAL:
        return _("Online: %(url)s") % {"url": training.meeting_url or _("link to follow")}
    return _("Place: %(place)s") % {"place": training.location or _("to be announced")}


def _message(
    registration: Registration, subject: str, paragraphs: list[str], *, calendar: bool
) -> EmailMultiAlternatives:
    message = paragraphs_email(to=[registration.user.email], subject=subject, paragraphs=paragraphs)
    if calendar:
        message.attach(
            "training.ics",
            training_calendar(
                registration.training,
                with_link=True,
                language=translation.get_language() or "en",
            ),
            "text/calendar; method=PUBLISH; charset=utf-8",
        )
    return message


def _page(training: Training) -> str:
    return settings.SITE_URL + reverse("trainings:detail", args=[training.public_id])


def _sessions(training: Training) -> str:
    return "\n".join(
        f"- {session_when(s, training)}" for s in training.sessions.order_by("starts_at")
    )


def _language(registration: Registration) -> str:
    return getattr(registration.user, "preferred_language", "") or "en"


def confirmation_message(registration: Registration) -> EmailMultiAlternatives:
    training = registration.training
    with translation.override(_language(registration)):
        hello = _("Hello %(name)s,") % {"name": learner_name(user=registration.user)}
        if registration.status == RegistrationStatus.WAITLISTED:
            return _message(
                registration,
                _("You are on the waitlist: %(title)s") % {"title": training.title},
                [
                    hello,
                    _(
                        "The training “%(title)s” is full, so you are on its waitlist. When "
                        "a place frees up, it goes to the first person on the list and we "
                        "email you at once."
                    )
                    % {"title": training.title},
                    _("Sessions:") + "\n" + _sessions(training),
                    _("Your place on the waitlist, or to leave it: %(url)s")
                    % {"url": _page(training)},
                ],
                calendar=False,
            )
        return _message(
            registration,
            _("You are registered: %(title)s") % {"title": training.title},
            [
                hello,
                _("You have a place in the training “%(title)s”.") % {"title": training.title},
                _("Sessions:") + "\n" + _sessions(training),
                _where(training),
                _("The attached calendar file adds every session to your calendar."),
                _("To complete the training, attend every session and pass the course's quiz.")
                if training.course_id
                else _("To complete the training, attend every session."),
                _("The training's page, to see your attendance or cancel: %(url)s")
                % {"url": _page(training)},
            ],
            calendar=True,
        )


def promotion_message(registration: Registration) -> EmailMultiAlternatives:
    training = registration.training
    with translation.override(_language(registration)):
        return _message(
            registration,
            _("A place is yours: %(title)s") % {"title": training.title},
            [
                _("Hello %(name)s,") % {"name": learner_name(user=registration.user)},
                _(
                    "A place freed up in the training “%(title)s” and it is yours: you were "
                    "first on the waitlist, and you are now registered."
                )
                % {"title": training.title},
                _("Sessions:") + "\n" + _sessions(training),
                _where(training),
                _(
                    "If you cannot come after all, please cancel so the next person gets the "
                    "place: %(url)s"
                )
                % {"url": _page(training)},
            ],
            calendar=True,
        )


def reminder_message(reminder: SessionReminder) -> EmailMultiAlternatives:
    registration = reminder.registration
    training = registration.training
    with translation.override(_language(registration)):
        return _message(
            registration,
            _("Reminder: %(title)s starts soon") % {"title": training.title},
            [
                _("Hello %(name)s,") % {"name": learner_name(user=registration.user)},
                _("A session of the training “%(title)s” starts within a day:")
                % {"title": training.title}
                + "\n"
                + session_when(reminder.session, training),
                _where(training),
                _(
                    "If you cannot come, please cancel so someone on the waitlist gets the "
                    "place: %(url)s"
                )
                % {"url": _page(training)},
            ],
            calendar=False,
        )


def _registration(registration_id: int) -> Registration | None:
    return (
        Registration.objects.select_related("training", "user").filter(pk=registration_id).first()
    )


def send_confirmation(registration_id: int) -> bool:
    """Send the confirmation, unless the registration was cancelled meanwhile."""
    registration = _registration(registration_id)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return False
    confirmation_message(registration).send()
    return True


def send_promotion(registration_id: int) -> bool:
    """Send "a place is yours", unless the place was given up meanwhile."""
    registration = _registration(registration_id)
    if registration is None or registration.status not in HOLDS_PLACE:
        return False
    promotion_message(registration).send()
    return True


def send_reminder(reminder_id: int) -> bool:
    """Send a session's reminder, unless the place was given up or the training cancelled."""
    reminder = (
        SessionReminder.objects.select_related(
            "session", "registration__training", "registration__user"
        )
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.registration.status != RegistrationStatus.REGISTERED:
        return False
    if reminder.registration.training.is_cancelled:
        return False
    reminder_message(reminder).send()
    return True
