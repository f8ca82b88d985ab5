"""The deployment's side of the credentials: its keys, its issuer profile, the achievement of
each tier, status list positions, and the signed status lists built from the database.

The signing, the JSON shapes and the bit lists are :mod:`hopeful.credentials` (pure Python);
this module only feeds them what the database and the settings know. Called inside the
services' transactions (issuing) and by the machine endpoints (status lists, keys).
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hopeful.credentials import jwt, ob3, status_list
from hopeful.credentials.keys import KeyStore
from hopeful.framework.certification import State, Tier, rules
from hopeful.web.certification.models import (
    STATUS_LIST_SIZE,
    Certification,
    Credential,
    StatusIndex,
    StatusPurpose,
)

#: The name the credentials carry as their issuer.
ISSUER_NAME = "HOPE National Resource Center"

#: Tries to find a free random status list position before giving up (with 131,072 positions,
#: running out of tries means the list is nearly full and needs a second list).
ALLOCATION_TRIES = 64

PURPOSES = (StatusPurpose.REVOCATION.value, StatusPurpose.SUSPENSION.value)


class StatusListFullError(RuntimeError):
    """No free position was found in a status list."""


def keys_file() -> Path:
    return Path(
        getattr(
            settings,
            "HOPEFUL_CREDENTIAL_KEYS_FILE",
            Path(settings.DATA_DIR) / "keys" / "credentials.jwks",
        )
    )


def keystore() -> KeyStore:
    """The deployment's credential keys (the file is made, mode 0600, on first use)."""
    return KeyStore(keys_file())


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def issuer() -> ob3.Issuer:
    home = site_url() + "/"
    return ob3.Issuer(id=home, name=ISSUER_NAME, url=home)


def absolute(path: str) -> str:
    """``path`` on the deployment's public address (``SITE_URL``)."""
    return site_url() + path


def verify_url(code: str) -> str:
    """The public verification page of a credential; also the credential's id. Always the
    English address: the id must not depend on the language of the page that issued it."""
    from django.utils import translation

    with translation.override("en"):
        return absolute(reverse("certification:verify", args=[code]))


def status_list_url(purpose: str) -> str:
    return absolute(reverse("credentials:status_list", args=[purpose]))


def jwks_url() -> str:
    return absolute(reverse("credentials:jwks"))


def achievement(tier: Tier) -> ob3.Achievement:
    """What a tier's credential says was achieved (in English: the credential's language)."""
    tier_rules = rules(tier)
    return ob3.Achievement(
        # A stable URN per deployment and tier: the achievement has no page of its own.
        id=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{site_url()}/achievements/{tier.value}')}",
        name=tier_rules.name.get_text("en"),
        description=tier_rules.description.get_text("en"),
        criteria=tier_rules.description.get_text("en"),
    )


def allocate_index(purpose: str) -> int:
    """A random free position in the ``purpose`` status list, reserved for good.

    Random positions (rather than a counter) are what the W3C Bitstring Status List spec
    recommends for privacy; a unique constraint decides races, and each try runs in its own
    savepoint so a collision does not spoil the caller's transaction.
    """
    for _try in range(ALLOCATION_TRIES):
        index = secrets.randbelow(STATUS_LIST_SIZE)
        try:
            with transaction.atomic():
                StatusIndex.objects.create(purpose=purpose, index=index)
        except IntegrityError:
            continue
        return index
    raise StatusListFullError(f"no free position found in the {purpose} status list")


def end_of_day(day: dt.date) -> dt.datetime:
    """The last second of ``day`` in the site's time zone (a credential's validUntil)."""
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(23, 59, 59)), timezone.get_default_timezone()
    )


def issue(*, certification: Certification, subject_name: str, now: dt.datetime) -> Credential:
    """Sign and store a new credential for a certified certification (inside the caller's
    transaction: if anything later fails, the credential and its positions are rolled back)."""
    if certification.valid_until is None:
        raise ValueError("a certification needs a valid-until date before a credential is issued")
    revocation_index = allocate_index(StatusPurpose.REVOCATION)
    suspension_index = allocate_index(StatusPurpose.SUSPENSION)
    credential = Credential(
        certification=certification,
        subject_name=subject_name,
        issued_at=now,
        valid_until=end_of_day(certification.valid_until),
        revocation_index=revocation_index,
        suspension_index=suspension_index,
    )
    payload = ob3.credential(
        issuer=issuer(),
        achievement=achievement(certification.tier_enum),
        subject_name=subject_name,
        credential_id=verify_url(credential.code),
        valid_from=now,
        valid_until=credential.valid_until,
        status=[
            ob3.StatusEntry("revocation", revocation_index, status_list_url("revocation")),
            ob3.StatusEntry("suspension", suspension_index, status_list_url("suspension")),
        ],
    )
    store = keystore()
    credential.jwt = jwt.sign(payload, store, issued_at=now)
    credential.kid = store.signing_kid()
    credential.save()
    return credential


def _set_indices(purpose: str) -> list[int]:
    """The set positions of a list: the credentials of every revoked (or, for the suspension
    list, currently suspended) certification. Derived from the states on every request, so a
    revocation or a reinstatement shows at once."""
    if purpose == StatusPurpose.REVOCATION:
        field, state = "revocation_index", State.REVOKED
    else:
        field, state = "suspension_index", State.SUSPENDED
    return list(
        Credential.objects.filter(certification__state=state.value).values_list(field, flat=True)
    )


def status_list_jwt(purpose: str, *, now: dt.datetime | None = None) -> str:
    """The signed BitstringStatusListCredential for ``purpose``, as of now."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown status purpose {purpose!r}")
    now = now or timezone.now()
    url = status_list_url(purpose)
    payload = ob3.status_list_credential(
        issuer=issuer(),
        list_url=url,
        purpose=purpose,  # type: ignore[arg-type]  # checked against PURPOSES above
        encoded_list=status_list.encode(_set_indices(purpose), size=STATUS_LIST_SIZE),
        valid_from=now,
    )
    return jwt.sign(payload, keystore(), issued_at=now)


def status_lists(*, now: dt.datetime | None = None) -> dict[str, str]:
    """Both status lists, list URL -> signed list, as a credential bundle carries them."""
    return {status_list_url(p): status_list_jwt(p, now=now) for p in PURPOSES}


def public_jwks() -> dict[str, Any]:
    return keystore().public_jwks()
