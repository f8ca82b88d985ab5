"""check(): the verdict, its order (invalid, revoked, suspended, expired, valid) and reasons."""

from __future__ import annotations

import json
from datetime import timedelta

from hopeful.credentials import Issuer, KeyStore, check
from tests.credentials.helpers import (
    INDEX,
    ISSUER,
    NOW,
    REVOCATION_URL,
    SUSPENSION_URL,
    VALID_FROM,
    VALID_UNTIL,
    issue,
    status_list_token,
    status_lists,
    tamper_payload,
)


def test_a_good_credential_is_valid_with_its_names_and_status_date(keystore: KeyStore) -> None:
    verdict = check(
        issue(keystore), jwks=keystore.public_jwks(), status_lists=status_lists(keystore), now=NOW
    )
    assert verdict.status == "valid"
    assert verdict.is_valid
    assert verdict.reasons == []
    assert verdict.subject_name == "Ana Pérez"
    assert verdict.achievement_name == "HOPE Facilitator"
    assert verdict.issuer == ISSUER.name
    assert verdict.issuer_id == ISSUER.id
    assert verdict.valid_from == VALID_FROM
    assert verdict.valid_until == VALID_UNTIL
    assert verdict.status_checked_at == NOW
    assert verdict.key_thumbprint == keystore.signing_kid()
    data = verdict.as_json()
    assert json.loads(json.dumps(data))["valid_until"] == "2028-03-01T00:00:00Z"


def test_a_revoked_bit_makes_it_revoked(keystore: KeyStore) -> None:
    lists = status_lists(keystore, revoked=[INDEX])
    verdict = check(issue(keystore), jwks=keystore.public_jwks(), status_lists=lists, now=NOW)
    assert verdict.status == "revoked"
    assert verdict.reasons == ["the issuer has revoked this credential"]


def test_another_credentials_bit_does_not_touch_this_one(keystore: KeyStore) -> None:
    lists = status_lists(keystore, revoked=[INDEX - 1, INDEX + 1], suspended=[0])
    verdict = check(issue(keystore), jwks=keystore.public_jwks(), status_lists=lists, now=NOW)
    assert verdict.status == "valid"


def test_a_suspension_bit_makes_it_suspended(keystore: KeyStore) -> None:
    lists = status_lists(keystore, suspended=[INDEX])
    verdict = check(issue(keystore), jwks=keystore.public_jwks(), status_lists=lists, now=NOW)
    assert verdict.status == "suspended"


def test_revocation_wins_over_suspension_and_expiry(keystore: KeyStore) -> None:
    lists = status_lists(keystore, revoked=[INDEX], suspended=[INDEX])
    later = VALID_UNTIL + timedelta(days=1)
    verdict = check(issue(keystore), jwks=keystore.public_jwks(), status_lists=lists, now=later)
    assert verdict.status == "revoked"


def test_it_expires_at_valid_until(keystore: KeyStore) -> None:
    jwks, lists, token = keystore.public_jwks(), status_lists(keystore), issue(keystore)
    before = check(token, jwks=jwks, status_lists=lists, now=VALID_UNTIL - timedelta(seconds=1))
    assert before.status == "valid"
    at = check(token, jwks=jwks, status_lists=lists, now=VALID_UNTIL)
    assert at.status == "expired"
    assert at.reasons == ["the credential expired on 2028-03-01T00:00:00Z"]


def test_it_is_invalid_before_valid_from(keystore: KeyStore) -> None:
    verdict = check(
        issue(keystore),
        jwks=keystore.public_jwks(),
        status_lists=status_lists(keystore),
        now=VALID_FROM - timedelta(seconds=1),
    )
    assert verdict.status == "invalid"
    assert verdict.reasons == ["the credential is not valid before 2026-03-01T00:00:00Z"]


def test_a_bad_signature_is_invalid_and_shows_no_names(keystore: KeyStore) -> None:
    token = tamper_payload(issue(keystore), "Ana Pérez", "Eve Forger")
    verdict = check(
        token, jwks=keystore.public_jwks(), status_lists=status_lists(keystore), now=NOW
    )
    assert verdict.status == "invalid"
    assert verdict.reasons == ["the signature does not match"]
    assert verdict.subject_name is None
    assert verdict.achievement_name is None


def test_a_missing_status_list_makes_it_invalid_unless_status_is_optional(
    keystore: KeyStore,
) -> None:
    lists = {REVOCATION_URL: status_list_token(keystore, "revocation")}
    token, jwks = issue(keystore), keystore.public_jwks()
    strict = check(token, jwks=jwks, status_lists=lists, now=NOW)
    assert strict.status == "invalid"
    assert strict.reasons == [f"status not checked: list {SUSPENSION_URL} unavailable"]
    lenient = check(token, jwks=jwks, status_lists=lists, now=NOW, require_status=False)
    assert lenient.status == "valid"
    assert lenient.reasons == strict.reasons
    # A revocation seen on the list that is there still counts.
    revoked = {REVOCATION_URL: status_list_token(keystore, "revocation", [INDEX])}
    assert check(token, jwks=jwks, status_lists=revoked, now=NOW).status == "revoked"


def test_a_status_list_signed_by_someone_else_is_not_used(
    keystore: KeyStore, other_keystore: KeyStore
) -> None:
    lists = status_lists(keystore)
    # A forger cannot "un-revoke" with a list of their own.
    lists[REVOCATION_URL] = status_list_token(other_keystore, "revocation")
    verdict = check(issue(keystore), jwks=keystore.public_jwks(), status_lists=lists, now=NOW)
    assert verdict.status == "invalid"
    assert "does not verify (signed with an unknown key" in verdict.reasons[0]


def test_a_status_list_from_another_issuer_or_for_another_purpose_is_not_used(
    keystore: KeyStore,
) -> None:
    token, jwks = issue(keystore), keystore.public_jwks()
    other_issuer = Issuer(id="https://elsewhere.example/", name="Else", url="https://e.example/")
    cases = {
        "another issuer": status_list_token(keystore, "revocation", issuer=other_issuer),
        "not a revocation list": status_list_token(keystore, "suspension", list_url=REVOCATION_URL),
        f"the list {SUSPENSION_URL}, not": status_list_token(keystore, "suspension"),
    }
    for problem, list_token in cases.items():
        lists = {**status_lists(keystore), REVOCATION_URL: list_token}
        verdict = check(token, jwks=jwks, status_lists=lists, now=NOW)
        assert verdict.status == "invalid", problem
        assert problem in verdict.reasons[0]


def test_the_status_date_is_the_oldest_lists(keystore: KeyStore) -> None:
    older = NOW - timedelta(days=3)
    lists = {
        REVOCATION_URL: status_list_token(keystore, "revocation", at=older),
        SUSPENSION_URL: status_list_token(keystore, "suspension"),
    }
    verdict = check(issue(keystore), jwks=keystore.public_jwks(), status_lists=lists, now=NOW)
    assert verdict.status_checked_at == older


def test_a_status_list_token_is_not_a_credential(keystore: KeyStore) -> None:
    list_token = status_list_token(keystore, "revocation")
    verdict = check(list_token, jwks=keystore.public_jwks(), status_lists={}, now=NOW)
    assert verdict.status == "invalid"
    assert verdict.reasons == ["this is not an Open Badges credential"]
