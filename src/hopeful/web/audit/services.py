"""Writing audit events. Call inside the transaction of the action being audited."""

from __future__ import annotations

from typing import Any

from django.db import models

from hopeful.web.audit.middleware import current_request_id
from hopeful.web.audit.models import AuditEvent


def audit_record(
    *,
    verb: str,
    actor: Any | None,
    organization: Any | None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event (actor, organization, verb, object, time, request id)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organization=organization,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        request_id=current_request_id(),
        extra=extra or {},
    )
