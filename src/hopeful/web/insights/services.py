"""Writes of the insights app: the families each program serves (the dashboard's weights)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hopeful.web.audit.services import audit_record
from hopeful.web.organizations.models import Organization, Program


def program_sizes_set(
    *, organization: Organization, actor: Any, sizes: dict[Program, int | None]
) -> int:
    """Set each program's ``families_served`` (None clears it); one audit event per change.
    All or nothing. Returns how many programs changed."""
    changed = 0
    with transaction.atomic():
        for program, size in sizes.items():
            if program.organization_id != organization.pk:
                raise ValueError("a program of another organization")
            if program.families_served == size:
                continue
            before = program.families_served
            program.families_served = size
            program.save(update_fields=["families_served"])
            audit_record(
                verb="program.families_served",
                actor=actor,
                organization=organization,
                obj=program,
                extra={"before": before, "after": size},
            )
            changed += 1
    return changed
