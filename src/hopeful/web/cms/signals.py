"""The CMS's actions in HOPEful's audit trail: every entry Wagtail logs about a page (created,
edited, submitted for review, approved, rejected, published, scheduled, unpublished,
reverted, translated, deleted) is recorded as an audit event with who did it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from wagtail.models import PageLogEntry

from hopeful.web.audit.services import audit_record


def page_log_entry_audit(sender: Any, instance: PageLogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    audit_record(
        verb=f"cms.{instance.action.removeprefix('wagtail.')}",
        actor=instance.user,
        organization=None,
        object_type="wagtailcore.page",
        object_id=str(instance.page_id),
        extra={
            "title": instance.label,
            "revision": instance.revision_id,
            "content_changed": instance.content_changed,
        },
    )


def connect() -> None:
    post_save.connect(
        page_log_entry_audit, sender=PageLogEntry, dispatch_uid="hopeful.cms.page_log_audit"
    )
