"""The one signal this app listens to: a new submission (stored by any path: a family's
survey, the JSON API, an integration). Connected in :meth:`WebhooksConfig.ready`.

Webhooks are a side effect of a submission, not part of its domain flow, so the surveys app
does not know about them. The messages are recorded in the submission's transaction (a
savepoint: a failure here is logged and never costs the family its answers) and queued on
commit (:func:`hopeful.web.webhooks.delivery.submission_event`).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from hopeful.web.webhooks.delivery import submission_event

logger = logging.getLogger(__name__)


def submission_saved(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if not created or raw:
        return
    try:
        with transaction.atomic():
            submission_event(submission=instance)
    except Exception:  # a webhook's trouble must never lose a family's answers
        logger.exception("webhooks: could not record the messages of submission %s", instance.pk)
