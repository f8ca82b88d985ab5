"""The learner sign-up's emails (sent by the background worker, in the person's language):
the activation link, and "you already have an account" when the address is taken."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hopeful.web.accounts.models import User
from hopeful.web.learning import tokens
from hopeful.web.learning.models import LearnerProfile


def _absolute(language: str, name: str, *args: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, args=args)


def activation_message(user: User) -> EmailMessage:
    language = user.preferred_language
    days = tokens.MAX_AGE.days
    with translation.override(language):
        body = [
            _("Hello,"),
            _(
                "Someone, probably you, created a learner account on HOPEful with this email "
                "address. To activate it, open this link and press “Activate my account”:"
            ),
            _absolute(language, "learning:join_confirm", tokens.join_token(user)),
            ngettext(
                "The link works for %(days)d day. If you did not create this account, do "
                "nothing: it stays closed and nobody can sign in to it.",
                "The link works for %(days)d days. If you did not create this account, do "
                "nothing: it stays closed and nobody can sign in to it.",
                days,
            )
            % {"days": days},
        ]
        subject = _("Activate your HOPEful learner account")
    return EmailMessage(
        subject=subject,
        body="\n\n".join(body) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def existing_account_message(user: User) -> EmailMessage:
    language = user.preferred_language
    with translation.override(language):
        body = [
            _("Hello,"),
            _(
                "Someone, probably you, tried to create a learner account on HOPEful with "
                "this email address. You already have an account, so nothing has changed."
            ),
            _("Sign in: %(url)s") % {"url": _absolute(language, "accounts:login")},
            _("Forgot your password? Choose a new one: %(url)s")
            % {"url": _absolute(language, "accounts:password_reset")},
        ]
        subject = _("You already have a HOPEful account")
    return EmailMessage(
        subject=subject,
        body="\n\n".join(body) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def send_activation(user_id: int) -> bool:
    """Email the activation link, unless the account is gone or no longer waiting."""
    profile = LearnerProfile.objects.select_related("user").filter(user_id=user_id).first()
    if profile is None or profile.join_confirmed_at is not None or profile.user.is_active:
        return False
    activation_message(profile.user).send()
    return True


def send_existing_account(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    existing_account_message(user).send()
    return True
