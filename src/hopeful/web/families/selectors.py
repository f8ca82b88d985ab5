"""Reading consent: the latest record per purpose is what counts, so a revocation is honoured
by every later query that goes through here (dashboards, exports, practitioner lists)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import BooleanField, Model, OuterRef, QuerySet, Subquery

from hopeful.web.families.models import ConsentPurpose, ConsentRecord, Family

M = TypeVar("M", bound=Model)


def consent_current(family: Family) -> dict[str, bool]:
    """Purpose -> whether the family's latest record for it is a grant (False if none)."""
    state = {purpose.value: False for purpose in ConsentPurpose}
    for record in family.consents.order_by("recorded_at", "id"):
        state[record.purpose] = record.granted
    return state


def _latest_grant(purpose: str, family_ref: Any) -> Subquery:
    latest = (
        ConsentRecord.objects.filter(family=family_ref, purpose=purpose)
        .order_by("-recorded_at", "-id")
        .values("granted")[:1]
    )
    return Subquery(latest, output_field=BooleanField())


def with_consent(queryset: QuerySet[M], purpose: str, family_field: str = "family") -> QuerySet[M]:
    """Rows whose family's latest consent record for ``purpose`` is a grant.

    ``family_field`` is the lookup from the queryset's model to the family (``"pk"`` for a
    Family queryset, ``"family"`` for submissions).
    """
    flag = f"_consent_{purpose}"
    # The plugin cannot name the annotated type of a queryset of a type variable's model.
    annotated: QuerySet[M] = queryset.annotate(
        **{flag: _latest_grant(purpose, OuterRef(family_field))}
    )
    return annotated.filter(**{flag: True})


def families_with_consent(queryset: QuerySet[Family], purpose: str) -> QuerySet[Family]:
    """Families whose latest consent record for ``purpose`` is a grant."""
    return with_consent(queryset, purpose, family_field="pk")
