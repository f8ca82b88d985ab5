"""The Open Badges 3.0 credential and the status list credential, as documents."""

from __future__ import annotations

from datetime import datetime

import pytest

from hopeful.credentials import CredentialError, StatusEntry, ob3
from hopeful.credentials import status_list as sl
from tests.credentials.helpers import (
    ACHIEVEMENT,
    CREDENTIAL_ID,
    ISSUER,
    NOW,
    REVOCATION_URL,
    SUSPENSION_URL,
    credential,
)


def test_the_credential_is_an_open_badges_3_verifiable_credential() -> None:
    body = credential()
    assert body["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert body["id"] == CREDENTIAL_ID
    assert body["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert body["issuer"] == {
        "id": ISSUER.id,
        "type": ["Profile"],
        "name": ISSUER.name,
        "url": ISSUER.url,
    }
    assert body["validFrom"] == "2026-03-01T00:00:00Z"
    assert body["validUntil"] == "2028-03-01T00:00:00Z"
    assert body["name"] == "HOPE Facilitator"
    subject = body["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == "Ana Pérez"
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "Ana Pérez",
        }
    ]
    assert subject["achievement"] == {
        "id": ACHIEVEMENT.id,
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": ACHIEVEMENT.name,
        "description": ACHIEVEMENT.description,
        "criteria": {"narrative": ACHIEVEMENT.criteria},
    }
    assert body["credentialStatus"] == [
        {
            "id": f"{REVOCATION_URL}#42",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "42",
            "statusListCredential": REVOCATION_URL,
        },
        {
            "id": f"{SUSPENSION_URL}#42",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "suspension",
            "statusListIndex": "42",
            "statusListCredential": SUSPENSION_URL,
        },
    ]


def test_dates_are_utc_to_the_second_with_z() -> None:
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 12, 6, 5, 0, 0, 123456, tzinfo=ZoneInfo("America/New_York"))
    assert ob3.format_datetime(moment) == "2026-12-06T10:00:00Z"


def test_a_naive_date_or_an_empty_name_is_refused() -> None:
    with pytest.raises(CredentialError, match="time zone"):
        credential(valid_from=datetime(2026, 3, 1))  # noqa: DTZ001 - the point of the test
    with pytest.raises(CredentialError, match="holder's name"):
        credential(name="  ")
    with pytest.raises(CredentialError, match="after its validFrom"):
        credential(valid_until=datetime(2026, 3, 1, tzinfo=NOW.tzinfo))


def test_a_credential_without_expiry_or_status_omits_them() -> None:
    body = credential(valid_until=None, status=[])
    assert "validUntil" not in body
    assert "credentialStatus" not in body


def test_a_status_entry_needs_a_known_purpose_and_a_whole_index() -> None:
    with pytest.raises(CredentialError, match="unknown status purpose"):
        StatusEntry("message", 1, REVOCATION_URL)  # type: ignore[arg-type]
    with pytest.raises(CredentialError, match="0 or more"):
        StatusEntry("revocation", -1, REVOCATION_URL)


def test_the_status_list_credential() -> None:
    encoded = sl.encode([42])
    body = ob3.status_list_credential(
        issuer=ISSUER,
        list_url=REVOCATION_URL,
        purpose="revocation",
        encoded_list=encoded,
        valid_from=NOW,
    )
    assert body["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert body["id"] == REVOCATION_URL
    assert body["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert body["issuer"]["id"] == ISSUER.id
    assert body["validFrom"] == "2026-12-06T10:00:00Z"
    assert body["credentialSubject"] == {
        "id": f"{REVOCATION_URL}#list",
        "type": "BitstringStatusList",
        "statusPurpose": "revocation",
        "encodedList": encoded,
    }
