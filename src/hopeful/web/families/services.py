"""Writing families and consent. Every write is audited in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hopeful.web.audit.services import audit_record
from hopeful.web.families.models import ConsentPurpose, ConsentRecord, Family
from hopeful.web.families.selectors import consent_current

#: The version of the consent texts families see; stored with every record.
CONSENT_TEXT_VERSION = "2026-1"


@transaction.atomic
def consent_set(
    *,
    family: Family,
    choices: dict[str, bool],
    language: str,
    actor: Any | None = None,
    text_version: str = CONSENT_TEXT_VERSION,
) -> list[ConsentRecord]:
    """Record the family's choice for each purpose that changed (grants and revocations)."""
    unknown = set(choices) - {p.value for p in ConsentPurpose}
    if unknown:
        raise ValueError(f"unknown consent purpose(s): {', '.join(sorted(unknown))}")
    current = consent_current(family)
    records = []
    for purpose, granted in choices.items():
        if current[purpose] == granted and family.consents.filter(purpose=purpose).exists():
            continue
        records.append(
            ConsentRecord.objects.create(
                organization=family.organization,
                family=family,
                purpose=purpose,
                granted=granted,
                text_version=text_version,
                language=language,
            )
        )
    if records:
        audit_record(
            verb="consent.change",
            actor=actor,
            organization=family.organization,
            obj=family,
            extra={r.purpose: r.granted for r in records},
        )
    return records
