"""Writing a family's own record from the care team's pages: its contact details.

Like :mod:`hopeful.web.casework.services`: the input is checked first, and on bad input
:class:`~hopeful.web.casework.services.CaseworkError` is raised having stored nothing; a change
is stored with an audit event in one transaction. The audit event names the fields changed,
never their values (the audit log is read by more people than the family's record).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from hopeful.web.audit.services import audit_record
from hopeful.web.casework.services import CaseworkError
from hopeful.web.families.models import Family

#: A phone number as people write it: digits, spaces and + ( ) - . (at most 32 characters).
PHONE = re.compile(r"[0-9+()\-. ]*")
PHONE_MAX = 32
EMAIL_MAX = 254


def _email(value: str) -> str:
    email = (value or "").strip()
    if not email:
        return ""
    if len(email) > EMAIL_MAX:
        raise CaseworkError(
            _("Keep it under %(n)d characters.") % {"n": EMAIL_MAX}, "contact_email"
        )
    try:
        validate_email(email)
    except ValidationError:
        raise CaseworkError(
            _("Enter an email address like name@example.org."), "contact_email"
        ) from None
    # the domain is case-insensitive; the part before @ is kept as the family wrote it
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _phone(value: str) -> str:
    phone = " ".join((value or "").split())
    if len(phone) > PHONE_MAX:
        raise CaseworkError(
            _("Keep it under %(n)d characters.") % {"n": PHONE_MAX}, "contact_phone"
        )
    if not PHONE.fullmatch(phone) or (phone and not any(c.isdigit() for c in phone)):
        raise CaseworkError(_("Use digits, spaces and + ( ) - only."), "contact_phone")
    return phone


@transaction.atomic
def family_contact_update(*, family: Family, actor: Any, email: str, phone: str) -> list[str]:
    """Set the family's contact email and phone ("" clears one). Returns the fields that
    changed (none: nothing stored, nothing audited); audited ``family.contact_change`` with
    the names of the fields changed, not their values."""
    wanted = {"contact_email": _email(email), "contact_phone": _phone(phone)}
    locked = Family.objects.select_for_update().get(pk=family.pk)
    changed = [field for field, value in wanted.items() if getattr(locked, field) != value]
    if not changed:
        return []
    for field in changed:
        setattr(locked, field, wanted[field])
        setattr(family, field, wanted[field])
    locked.save(update_fields=changed)
    audit_record(
        verb="family.contact_change",
        actor=actor,
        organization=family.organization,
        obj=family,
        extra={"fields": changed},
    )
    return changed
