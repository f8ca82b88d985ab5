"""Links that take unusually many submissions: flagged to their organization.

Every stored submission is counted per link and clock hour (UTC) with the rate-limit engine's
counter (:func:`hopeful.web.core.ratelimit.tally`). When a link reaches
``HOPEFUL_LINK_FLAG_PER_HOUR`` submissions in an hour, one :class:`LinkFlag` and one audit
event (``link.flagged``) are recorded for that link and hour; the campaign's page shows it with
what to do (pause or replace the link), and the organization's admins get an email saying so
(queued when the submission commits, sent by the worker:
:func:`hopeful.web.surveys.emails.send_flag`). A threshold of 0 turns flagging off.

Called inside the submission's transaction with the link row locked, so the count is exact,
a rolled-back submission is not counted, and the flag is made once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from hopeful.web.audit.services import audit_record
from hopeful.web.core import ratelimit
from hopeful.web.surveys import tasks
from hopeful.web.surveys.models import Campaign, CampaignLink, LinkFlag, LinkKind

HOUR = 60 * 60
#: How long a flag stays on the campaign's page.
SHOWN_FOR = dt.timedelta(days=7)


def link_submission_count(*, link: CampaignLink, now: dt.datetime | None = None) -> None:
    """Count one stored submission through ``link``; flag the link at the threshold.

    An integration link is not counted: a file import stores thousands of rows an hour by
    design, and what reaches it is limited by its API token or checked by a person first."""
    threshold = settings.HOPEFUL_LINK_FLAG_PER_HOUR
    if not threshold or link.kind == LinkKind.INTEGRATION:
        return
    now = now or timezone.now()
    count = ratelimit.tally("link-hour", str(link.pk), HOUR, now=now)
    if count < threshold:
        return
    hour_start = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    flag, created = LinkFlag.objects.get_or_create(
        link=link,
        hour_start=hour_start,
        defaults={"organization_id": link.organization_id, "submissions": count},
    )
    if not created:
        return
    audit_record(
        verb="link.flagged",
        actor=None,
        organization=link.organization,
        obj=link,
        extra={"submissions": count, "hour_start": hour_start.isoformat()},
    )
    flag_id = flag.pk
    transaction.on_commit(lambda: tasks.send_link_flag.enqueue(flag_id))


def campaign_flags(campaign: Campaign, *, now: dt.datetime | None = None) -> QuerySet[LinkFlag]:
    """The campaign's links flagged in the last :data:`SHOWN_FOR`, newest first."""
    since = (now or timezone.now()) - SHOWN_FOR
    return (
        LinkFlag.objects.filter(
            organization_id=campaign.organization_id,
            link__campaign=campaign,
            created_at__gte=since,
        )
        .select_related("link")
        .order_by("-hour_start")
    )
