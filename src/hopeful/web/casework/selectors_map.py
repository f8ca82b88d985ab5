"""Reads for the strengths map page: a family's versions, and two of them side by side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import get_language

from hopeful.framework import BUILDING_BLOCKS
from hopeful.web.audit.services import audit_record
from hopeful.web.casework.forms_map import LABELS
from hopeful.web.casework.models import MAP_FIELDS, Barrier, StrengthsMap
from hopeful.web.families.models import Family
from hopeful.web.organizations.access import Access, get_object_in_scope


@dataclass(frozen=True, slots=True)
class VersionLink:
    version: int
    saved_on: str
    saved_by: str


@dataclass(frozen=True, slots=True)
class CompareRow:
    block: str
    part: str
    values: list[str]
    changed: bool


@dataclass(frozen=True, slots=True)
class MapPage:
    family: Family
    latest: StrengthsMap | None
    versions: list[VersionLink]
    compared: list[int]
    """The versions side by side, newest first (at most two)."""
    rows: list[CompareRow]


def family_in_scope(access: Access, family_id: Any) -> Family:
    """A family of a program the access sees, else 404."""
    family: Family = get_object_in_scope(
        Family.objects.select_related("program", "organization"), access, family_id
    )
    return family


def _text(square: dict[str, Any], part: str) -> str:
    if part == "barriers":
        labels = dict(Barrier.choices)
        return ", ".join(str(labels.get(b, b)) for b in square.get("barriers") or [])
    return str(square.get(part) or "")


def _language() -> str:
    return "es" if (get_language() or "en").startswith("es") else "en"


def map_page(*, access: Access, actor: Any, family: Family, compare: int | None) -> MapPage:
    """Every version of the family's map (newest first), and the latest side by side with the
    one before it (or with ``compare``). Audited as a read of the family's records."""
    with transaction.atomic():
        maps = list(family.strengths_maps.select_related("created_by").order_by("-version"))
        audit_record(
            verb="strengths_map.view", actor=actor, organization=access.organization, obj=family
        )
    by_version = {m.version: m for m in maps}
    latest = maps[0] if maps else None
    shown = maps[:1]
    other = by_version.get(compare) if compare else (maps[1] if len(maps) > 1 else None)
    if other is not None and latest is not None and other.version != latest.version:
        shown.append(other)
    rows = []
    for block in BUILDING_BLOCKS:
        for part in MAP_FIELDS:
            values = [_text(m.content.get(block.id) or {}, part) for m in shown]
            if any(values):
                rows.append(
                    CompareRow(
                        block=block.name.get_text(_language()),
                        part=str(LABELS[part]),
                        values=values,
                        changed=len(set(values)) > 1,
                    )
                )
    versions = [
        VersionLink(
            version=m.version,
            saved_on=f"{m.created_at:%Y-%m-%d}",
            saved_by=m.created_by.display_name or m.created_by.email,
        )
        for m in maps
    ]
    return MapPage(
        family=family,
        latest=latest,
        versions=versions,
        compared=[m.version for m in shown],
        rows=rows,
    )
