"""The email that tells an organization's admins a survey link took unusually many answers
(:mod:`hopeful.web.surveys.flags`), sent by the background worker, in each admin's language.
It names the campaign, the link's kind, the hour and the count, and says what to do; it holds
no answers and nothing about a family."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hopeful.web.core.mail import paragraphs_email
from hopeful.web.organizations.models import Membership, Role
from hopeful.web.surveys.models import LinkFlag


def flag_recipients(flag: LinkFlag) -> list[tuple[str, str]]:
    """(email, language) of the active admins of the flagged link's organization."""
    admins = Membership.objects.filter(
        organization_id=flag.organization_id, role=Role.ORG_ADMIN, user__is_active=True
    ).select_related("user")
    return [(m.user.email, m.user.preferred_language or "en") for m in admins]


def flag_message(flag: LinkFlag, email: str, language: str) -> EmailMultiAlternatives:
    link = flag.link
    campaign = link.campaign
    with translation.override(language):
        page = settings.SITE_URL + reverse(
            "campaigns:detail", args=[campaign.organization.public_id, campaign.public_id]
        )
        hour = flag.hour_start.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
        paragraphs = [
            _("Hello,"),
            ngettext(
                "A link of the campaign “%(campaign)s” (%(kind)s) received %(n)d answer in the "
                "hour from %(hour)s (UTC). This is far more than a family survey usually gets, "
                "and may be automated or a link shared where it should not be.",
                "A link of the campaign “%(campaign)s” (%(kind)s) received %(n)d answers in the "
                "hour from %(hour)s (UTC). This is far more than a family survey usually gets, "
                "and may be automated or a link shared where it should not be.",
                flag.submissions,
            )
            % {
                "kind": link.get_kind_display(),
                "campaign": campaign.name,
                "n": flag.submissions,
                "hour": hour,
            },
            _(
                "Look at the answers on the campaign's page. If they are not from your "
                "families, revoke the link there (it stops taking answers at once) and share "
                "a new one; or close the campaign to pause every link: %(url)s"
            )
            % {"url": page},
            _("You receive this email as an admin of %(organization)s in HOPEful.")
            % {"organization": campaign.organization.name},
        ]
        subject = _("Unusually many answers through a survey link of %(organization)s") % {
            "organization": campaign.organization.name
        }
        return paragraphs_email(to=[email], subject=subject, paragraphs=paragraphs)


def send_flag(flag_id: int) -> int:
    """Email the admins of the flagged link's organization. Returns how many were sent."""
    flag = (
        LinkFlag.objects.filter(pk=flag_id).select_related("link__campaign__organization").first()
    )
    if flag is None:
        return 0
    sent = 0
    for email, language in flag_recipients(flag):
        flag_message(flag, email, language).send()
        sent += 1
    return sent
