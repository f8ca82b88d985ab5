"""Writing community strengths: record, change and archive an asset.

Every write checks the whole asset first (at least one building block, only known block and
language codes, a ZIP code we can place, the model's length limits) and stores nothing when
anything is wrong: the :class:`~django.core.exceptions.ValidationError` names the fields.
The city, state and point come from the ZIP code (:func:`hopeful.geo.zip_place`), never
from the person. Each write is audited in the same transaction (``assets.create``,
``assets.update``, ``assets.archive``) with the recording organization (none for the
network staff's own assets).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful import geo
from hopeful.framework.blocks import BLOCK_IDS
from hopeful.web.assets.models import AssetKind, CommunityAsset, Visibility
from hopeful.web.audit.services import audit_record
from hopeful.web.core.places import zip_error_message
from hopeful.web.learning.vocab import LANGUAGE_CHOICES, LANGUAGE_CODES

#: The fields a person sets (the rest is derived or bookkeeping).
ASSET_FIELDS = (
    "name",
    "kind",
    "blocks",
    "description",
    "address",
    "zip_code",
    "website",
    "schedule",
    "free",
    "languages",
    "visibility",
)
#: Language codes in the vocabulary's order.
LANGUAGE_ORDER = tuple(code for code, _label in LANGUAGE_CHOICES)


def _ordered(codes: Iterable[str], known: Iterable[str]) -> list[str]:
    """The codes, once each, in the vocabulary's order (unknown ones are checked before)."""
    wanted = set(codes)
    return [code for code in known if code in wanted]


def _apply(asset: CommunityAsset, fields: Mapping[str, Any]) -> None:
    """Set ``fields`` on ``asset`` and check everything; ValidationError (by field) when
    anything is wrong. The asset is not saved here."""
    errors: dict[str, list[str]] = {}
    unknown = set(fields) - set(ASSET_FIELDS)
    if unknown:
        raise ValueError(f"not asset fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(asset, name, value)
    asset.name = (asset.name or "").strip()
    blocks = [str(b) for b in (asset.blocks or [])]
    if not blocks:
        errors.setdefault("blocks", []).append(_("Choose at least one building block."))
    elif set(blocks) - set(BLOCK_IDS):
        errors.setdefault("blocks", []).append(_("Choose building blocks from the list."))
    else:
        asset.blocks = _ordered(blocks, BLOCK_IDS)
    languages = [str(code) for code in (asset.languages or [])]
    if set(languages) - LANGUAGE_CODES:
        errors.setdefault("languages", []).append(_("Choose languages from the list."))
    else:
        asset.languages = _ordered(languages, LANGUAGE_ORDER)
    try:
        place = geo.zip_place(str(asset.zip_code or ""))
    except geo.ZipError as error:
        errors.setdefault("zip_code", []).append(zip_error_message(error))
    else:
        asset.zip_code = place.zip_code
        asset.city = place.city[:100]
        asset.state = place.state
        asset.latitude = place.latitude
        asset.longitude = place.longitude
    try:
        # the model's own limits: lengths, choices, the URL
        asset.full_clean(exclude=["organization", "recorded_by", *errors])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _snapshot(asset: CommunityAsset) -> dict[str, Any]:
    return {
        "name": asset.name,
        "kind": asset.kind,
        "blocks": list(asset.blocks),
        "zip_code": asset.zip_code,
        "visibility": asset.visibility,
    }


@transaction.atomic
def asset_create(
    *, organization: Any | None, actor: Any | None, fields: Mapping[str, Any]
) -> CommunityAsset:
    """Record an asset for ``organization`` (None: a network-wide asset of the staff)."""
    asset = CommunityAsset(
        organization=organization,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        kind=AssetKind.OTHER,
        visibility=Visibility.PUBLIC,
    )
    _apply(asset, fields)
    asset.save()
    audit_record(
        verb="assets.create",
        actor=actor,
        organization=organization,
        obj=asset,
        extra=_snapshot(asset),
    )
    return asset


@transaction.atomic
def asset_update(
    *, asset: CommunityAsset, actor: Any | None, fields: Mapping[str, Any]
) -> CommunityAsset:
    """Change an asset that is not archived; its organization never changes."""
    locked = CommunityAsset.objects.select_for_update().get(pk=asset.pk)
    if locked.archived_at is not None:
        raise ValidationError(_("This place is archived and can no longer be changed."))
    before = _snapshot(locked)
    _apply(locked, fields)
    locked.save()
    after = _snapshot(locked)
    audit_record(
        verb="assets.update",
        actor=actor,
        organization=locked.organization,
        obj=locked,
        extra={"changed": sorted(k for k in after if after[k] != before[k])},
    )
    return locked


@transaction.atomic
def asset_archive(
    *, asset: CommunityAsset, actor: Any | None, now: dt.datetime | None = None
) -> CommunityAsset:
    """Take an asset off the map and the lists for good (archiving twice changes nothing)."""
    locked = CommunityAsset.objects.select_for_update().get(pk=asset.pk)
    if locked.archived_at is not None:
        return locked
    locked.archived_at = now or timezone.now()
    locked.save(update_fields=["archived_at", "updated_at"])
    audit_record(verb="assets.archive", actor=actor, organization=locked.organization, obj=locked)
    return locked
