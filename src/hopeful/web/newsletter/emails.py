"""The newsletter's own emails (sent by the background worker, in the subscriber's
language): the confirmation of a sign-up, and "you are already subscribed".

Every message carries the unsubscribe link in its text and in the ``List-Unsubscribe``
header with ``List-Unsubscribe-Post`` (RFC 8058), so mail programs can offer one-click
unsubscribing. Links are absolute (``SITE_URL``) and in the subscriber's language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hopeful.web.newsletter import tokens
from hopeful.web.newsletter.models import Subscription, confirm_window


def _absolute(name: str, token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, args=[token])


def confirm_url(subscription: Subscription) -> str:
    """The confirmation link (its token is timestamped now)."""
    return _absolute(
        "newsletter:confirm", tokens.confirm_token(subscription.public_id), subscription.language
    )


def unsubscribe_url(subscription: Subscription) -> str:
    """The unsubscribe link (works without signing in, as long as the sign-up exists)."""
    return _absolute(
        "newsletter:unsubscribe",
        tokens.unsubscribe_token(subscription.public_id),
        subscription.language,
    )


def _message(subscription: Subscription, subject: str, paragraphs: list[str]) -> EmailMessage:
    unsubscribe = unsubscribe_url(subscription)
    return EmailMessage(
        subject=subject,
        body="\n\n".join(paragraphs) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def confirmation_message(subscription: Subscription) -> EmailMessage:
    """The double opt-in email: the confirm link, how long it works, the unsubscribe link."""
    days = confirm_window().days
    with translation.override(subscription.language):
        return _message(
            subscription,
            _("Please confirm your subscription to the HOPEful newsletter"),
            [
                _("Hello,"),
                _(
                    "Someone, probably you, asked to receive the HOPEful newsletter at this "
                    "email address. To start receiving it, open this link and press "
                    "“Confirm my subscription”:"
                ),
                confirm_url(subscription),
                ngettext(
                    "The link works for %(days)d day. If you did not ask for the newsletter, "
                    "do nothing: you will not hear from us again, and we will delete this "
                    "address.",
                    "The link works for %(days)d days. If you did not ask for the newsletter, "
                    "do nothing: you will not hear from us again, and we will delete this "
                    "address.",
                    days,
                )
                % {"days": days},
                _("To cancel now and delete this address: %(url)s")
                % {"url": unsubscribe_url(subscription)},
            ],
        )


def already_subscribed_message(subscription: Subscription) -> EmailMessage:
    """The answer to a sign-up of an address already subscribed (nothing was changed)."""
    with translation.override(subscription.language):
        return _message(
            subscription,
            _("You are already subscribed to the HOPEful newsletter"),
            [
                _("Hello,"),
                _(
                    "Someone, probably you, asked to subscribe this email address to the "
                    "HOPEful newsletter. It is already subscribed, so nothing has changed."
                ),
                _("To stop receiving the newsletter and delete this address: %(url)s")
                % {"url": unsubscribe_url(subscription)},
            ],
        )


def send_confirmation(subscription_id: int) -> bool:
    """Email the confirmation of a pending sign-up; note when. Returns whether it was sent
    (not when the sign-up is gone or confirmed meanwhile)."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.is_confirmed:
        return False
    confirmation_message(subscription).send()
    Subscription.objects.filter(pk=subscription.pk).update(confirm_sent_at=timezone.now())
    return True


def send_already_subscribed(subscription_id: int) -> bool:
    """Email "you are already subscribed" to a confirmed sign-up. Returns whether it was
    sent."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or not subscription.is_confirmed:
        return False
    already_subscribed_message(subscription).send()
    return True
