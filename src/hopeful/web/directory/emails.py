"""The directory's email: a message sent through a listing's contact form, to the person (or
to the admins of the organization), in the recipient's language, plain text with an HTML
alternative, the sender's address as the Reply-To. The recipients' addresses are looked up
only here, when sending: the sender never learns them."""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hopeful.web.core.mail import paragraphs_email
from hopeful.web.directory import rules, selectors
from hopeful.web.directory.models import ContactMessage, Listing


def contact_message(
    listing: Listing,
    *,
    to: list[str],
    language: str,
    name: str,
    email: str,
    organization: str,
    message: str,
) -> EmailMultiAlternatives:
    with translation.override(language):
        page = settings.SITE_URL + reverse("directory:detail", args=[listing.public_id])
        sender = f"{name} ({organization})" if organization else name
        paragraphs = [
            _("Hello %(name)s,") % {"name": listing.display_name},
            _(
                "%(sender)s wrote to you through your listing in the HOPE trainer directory. "
                "To answer, reply to this email: it goes to %(email)s."
            )
            % {"sender": sender, "email": email},
            "\u2014\n" + message + "\n\u2014",
            _(
                "We did not share your email address. Your listing, or to leave the "
                "directory: %(url)s"
            )
            % {"url": page},
        ]
        subject = _("A message through the HOPE trainer directory from %(name)s") % {"name": name}
        # the sender's words are not turned into links
        return paragraphs_email(
            to=to, subject=subject, paragraphs=paragraphs, reply_to=[email], links=False
        )


def send_contact(message_id: int) -> int:
    """Send a kept contact message to the holder of its listing if it is still listed (one
    email per language of the recipients), then delete the message. Returns how many emails
    were sent. A failed send raises and keeps the message, for the task to be retried."""
    kept = ContactMessage.objects.filter(pk=message_id).first()
    if kept is None:
        return 0
    listing = rules.listed().filter(pk=kept.listing_id).select_related("user").first()
    if listing is None:
        kept.delete()
        return 0
    name, email, organization = kept.name, kept.email, kept.organization
    message, language = kept.message, kept.language
    sent = 0
    recipients = selectors.contact_recipients(listing=listing)
    for language_code, group in groupby(sorted(recipients, key=lambda r: r[1]), key=lambda r: r[1]):
        contact_message(
            listing,
            to=[address for address, _language in group],
            language=language_code or language or "en",
            name=name,
            email=email,
            organization=organization,
            message=message,
        ).send()
        sent += 1
    kept.delete()
    return sent
