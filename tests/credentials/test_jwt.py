"""VC-JWT signing and signature checks, including the attacks a verifier must refuse."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from hopeful.credentials import CredentialError, KeyStore, jwt
from tests.credentials.helpers import (
    CREDENTIAL_ID,
    ISSUER,
    VALID_FROM,
    VALID_UNTIL,
    b64,
    credential,
    issue,
    tamper_payload,
    unb64,
)


def _header(token: str) -> dict[str, object]:
    return json.loads(unb64(token.split(".")[0]))


def test_a_signed_credential_verifies_and_carries_the_jwt_claims(keystore: KeyStore) -> None:
    token = issue(keystore)
    assert _header(token) == {
        "alg": "EdDSA",
        "kid": keystore.signing_kid(),
        "typ": "vc+jwt",
        "cty": "vc",
    }
    payload = jwt.verify(token, keystore.public_jwks())
    assert payload["iss"] == ISSUER.id
    assert payload["jti"] == CREDENTIAL_ID
    assert payload["nbf"] == int(VALID_FROM.timestamp())
    assert payload["exp"] == int(VALID_UNTIL.timestamp())
    assert payload["iat"] == int(VALID_FROM.timestamp())
    assert "sub" not in payload  # the holder has no id of their own
    assert payload["credentialSubject"]["name"] == "Ana Pérez"
    # The rest of the payload is the credential as built.
    claims = {"iss", "jti", "nbf", "exp", "iat"}
    assert {k: v for k, v in payload.items() if k not in claims} == credential()


def test_a_tampered_payload_fails(keystore: KeyStore) -> None:
    token = tamper_payload(issue(keystore), "Ana Pérez", "Ana Perez")
    with pytest.raises(CredentialError, match=r"^the signature does not match$"):
        jwt.verify(token, keystore.public_jwks())


def test_a_tampered_signature_fails(keystore: KeyStore) -> None:
    header, payload, signature = issue(keystore).split(".")
    raw = bytearray(unb64(signature))
    raw[10] ^= 0x01
    with pytest.raises(CredentialError, match=r"^the signature does not match$"):
        jwt.verify(".".join([header, payload, b64(bytes(raw))]), keystore.public_jwks())


def test_a_token_from_another_key_is_refused(keystore: KeyStore, other_keystore: KeyStore) -> None:
    forged = issue(other_keystore)
    with pytest.raises(CredentialError, match="signed with an unknown key"):
        jwt.verify(forged, keystore.public_jwks())


def test_a_forger_reusing_the_issuers_kid_is_refused(
    keystore: KeyStore, other_keystore: KeyStore
) -> None:
    _, payload, signature = issue(other_keystore).split(".")
    fake_header = b64(
        json.dumps({"alg": "EdDSA", "kid": keystore.signing_kid(), "typ": "vc+jwt"}).encode()
    )
    with pytest.raises(CredentialError, match=r"^the signature does not match$"):
        jwt.verify(".".join([fake_header, payload, signature]), keystore.public_jwks())


def test_the_none_algorithm_is_refused(keystore: KeyStore) -> None:
    payload = issue(keystore).split(".")[1]
    header = b64(json.dumps({"alg": "none", "kid": keystore.signing_kid()}).encode())
    for signature in ("", "AAAA"):
        with pytest.raises(CredentialError, match=r"not a JWT|unsupported signature algorithm"):
            jwt.verify(f"{header}.{payload}.{signature}", keystore.public_jwks())
    with pytest.raises(CredentialError, match="unsupported signature algorithm 'none'"):
        jwt.verify(f"{header}.{payload}.AAAA", keystore.public_jwks())


def test_hs256_with_the_public_key_as_secret_is_refused(keystore: KeyStore) -> None:
    """Algorithm confusion: an HMAC "signed" with the published key must not pass."""
    public_x = keystore.public_jwks()["keys"][0]["x"]
    header = b64(json.dumps({"alg": "HS256", "kid": keystore.signing_kid()}).encode())
    payload = b64(json.dumps(credential(name="Mallory")).encode())
    for secret in (public_x.encode(), unb64(public_x)):
        mac = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        with pytest.raises(CredentialError, match="unsupported signature algorithm 'HS256'"):
            jwt.verify(f"{header}.{payload}.{b64(mac)}", keystore.public_jwks())


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("hello", "not a JWT: expected three"),
        ("a.b", "not a JWT: expected three"),
        ("a..c", "not a JWT: expected three"),
        ("a b.c.d", "not a JWT: expected three"),
        ("bm90IGpzb24.e30.AAAA", "not a JWT: its header"),
        (b64(b"[1]") + ".e30.AAAA", "header is not a JSON object"),
    ],
)
def test_something_that_is_not_a_jwt_is_refused_clearly(
    keystore: KeyStore, token: str, message: str
) -> None:
    with pytest.raises(CredentialError, match=message):
        jwt.verify(token, keystore.public_jwks())


def test_a_token_without_kid_or_with_crit_is_refused(keystore: KeyStore) -> None:
    _, payload, signature = issue(keystore).split(".")
    for header, message in [
        ({"alg": "EdDSA"}, "no kid"),
        ({"alg": "EdDSA", "kid": keystore.signing_kid(), "crit": ["b64"], "b64": True}, "crit"),
    ]:
        token = f"{b64(json.dumps(header).encode())}.{payload}.{signature}"
        with pytest.raises(CredentialError, match=message):
            jwt.verify(token, keystore.public_jwks())


def test_a_malformed_key_set_is_refused(keystore: KeyStore) -> None:
    with pytest.raises(CredentialError, match="key set is malformed"):
        jwt.verify(issue(keystore), {"not": "a key set"})


def test_a_key_published_without_kid_is_found_by_its_thumbprint(keystore: KeyStore) -> None:
    key = {k: v for k, v in keystore.public_jwks()["keys"][0].items() if k != "kid"}
    assert jwt.verify(issue(keystore), {"keys": [key]})["jti"] == CREDENTIAL_ID
