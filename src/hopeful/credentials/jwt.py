"""Signing and verifying credentials as VC-JWTs (compact JWS, EdDSA over Ed25519).

The JWT payload is the credential itself (W3C "Securing Verifiable Credentials using JOSE
and COSE", the ``vc+jwt`` media type) plus the registered claims older JWT-based verifiers
look for: ``iss`` (the issuer's id), ``jti`` (the credential's id), ``sub`` (the subject's id,
when it has one), ``nbf``/``exp`` (``validFrom``/``validUntil`` in seconds) and ``iat``.

Verification accepts exactly one algorithm, EdDSA: a token that says ``none`` or ``HS256``
(the "algorithm confusion" attack, which would use the public key as an HMAC secret) is
refused before any key is touched.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError

from hopeful.credentials.errors import CredentialError
from hopeful.credentials.keys import ALGORITHM, KeyStore, load_key, thumbprint
from hopeful.credentials.ob3 import parse_datetime

__all__ = [
    "MEDIA_TYPE",
    "Verified",
    "claims",
    "sign",
    "unverified_payload",
    "verify",
    "verify_token",
]

MEDIA_TYPE = "vc+jwt"

# joserfc warns on every use of "EdDSA" since RFC 9864 (2025) prefers the fully specified
# name "Ed25519". Deployed VC and Open Badges verifiers expect "EdDSA", so we keep it, and
# use a registry of our own whose only algorithm is a quiet copy of joserfc's EdDSA: the same
# code, no warning, and nothing else accepted.
_EDDSA = copy.copy(jws.JWSRegistry.algorithms[ALGORITHM])
_EDDSA.security_warning = None


class _Registry(jws.JWSRegistry):
    algorithms = {ALGORITHM: _EDDSA}  # noqa: RUF012 - joserfc's class-level table
    recommended = [ALGORITHM]  # noqa: RUF012


_REGISTRY = _Registry(algorithms=[ALGORITHM])


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def claims(payload: Mapping[str, Any], *, issued_at: datetime | None = None) -> dict[str, Any]:
    """The credential plus its JWT claims (``iss``, ``jti``, ``sub``, ``nbf``, ``exp``, ``iat``)."""
    body = dict(payload)
    issuer = body.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if not isinstance(issuer_id, str) or not issuer_id:
        raise CredentialError("the credential has no issuer id to sign as")
    body["iss"] = issuer_id
    if isinstance(body.get("id"), str):
        body["jti"] = body["id"]
    subject = body.get("credentialSubject")
    if isinstance(subject, Mapping) and isinstance(subject.get("id"), str):
        body["sub"] = subject["id"]
    if "validFrom" in body:
        body["nbf"] = _seconds(parse_datetime(body["validFrom"], "validFrom"))
    if "validUntil" in body:
        body["exp"] = _seconds(parse_datetime(body["validUntil"], "validUntil"))
    body["iat"] = int(time.time()) if issued_at is None else _seconds(issued_at)
    return body


def sign(
    payload: Mapping[str, Any], keystore: KeyStore, *, issued_at: datetime | None = None
) -> str:
    """Sign a credential with the keystore's signing key; return the compact VC-JWT."""
    key = keystore.signing_key()
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": MEDIA_TYPE, "cty": "vc"}
    body = json.dumps(claims(payload, issued_at=issued_at), ensure_ascii=False)
    return jws.serialize_compact(header, body.encode("utf-8"), key, registry=_REGISTRY)


@dataclass(frozen=True)
class Verified:
    """A token whose signature checked out: its header, payload and the key that signed it."""

    header: dict[str, Any]
    payload: dict[str, Any]
    key_thumbprint: str  #: RFC 7638 thumbprint of the public key that verified it


def _b64_json(segment: str, what: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        return json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError):
        raise CredentialError(f"not a JWT: its {what} is not base64url-encoded JSON") from None


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _segments(token: str) -> list[str]:
    if not isinstance(token, str):
        raise CredentialError("not a JWT: expected text")
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts) or any(set(part) - _B64URL for part in parts):
        raise CredentialError("not a JWT: expected three dot-separated base64url parts")
    return parts


def _find_key(jwks: Mapping[str, Any], kid: str) -> dict[str, Any]:
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(keys, list):
        raise CredentialError('the issuer key set is malformed (expected {"keys": [...]})')
    for candidate in keys:
        if not isinstance(candidate, dict):
            continue
        if candidate.get("kid") == kid:
            return candidate
        # A key published without a kid is still found by its thumbprint.
        if "kid" not in candidate and candidate.get("kty") == "OKP":
            try:
                if thumbprint(candidate) == kid:
                    return candidate
            except CredentialError:
                continue
    raise CredentialError(f"signed with an unknown key {kid}")


def verify_token(token: str, jwks: Mapping[str, Any]) -> Verified:
    """Check a VC-JWT's signature against the issuer's public key set (``{"keys": [...]}``).

    Raises :class:`CredentialError` with one sentence: "not a JWT: …", "unsupported signature
    algorithm …", "signed with an unknown key …", "the signature does not match", ….
    """
    header_segment, payload_segment, _ = _segments(token)
    header = _b64_json(header_segment, "header")
    if not isinstance(header, dict):
        raise CredentialError("not a JWT: its header is not a JSON object")
    alg = header.get("alg")
    if alg != ALGORITHM:
        raise CredentialError(
            f"unsupported signature algorithm {alg!r}: only {ALGORITHM} (Ed25519) is accepted"
        )
    if "crit" in header:
        raise CredentialError("the token requires extensions (crit) this checker does not know")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise CredentialError("the token does not say which key signed it (no kid)")
    jwk_dict = _find_key(jwks, kid)
    public: dict[str, Any] = {
        name: jwk_dict[name] for name in ("kty", "crv", "x") if name in jwk_dict
    }
    key = load_key(public)
    try:
        jws.deserialize_compact(token.strip(), key, registry=_REGISTRY)
    except BadSignatureError:
        raise CredentialError("the signature does not match") from None
    except JoseError as exc:
        raise CredentialError(f"not a valid JWT ({exc.description or exc.error})") from None
    payload = _b64_json(payload_segment, "payload")
    if not isinstance(payload, dict):
        raise CredentialError("the token's payload is not a JSON object")
    return Verified(header=header, payload=payload, key_thumbprint=key.thumbprint())


def verify(token: str, jwks: Mapping[str, Any]) -> dict[str, Any]:
    """The payload of a VC-JWT whose signature verifies with ``jwks``; else CredentialError."""
    return verify_token(token, jwks).payload


def unverified_payload(token: str) -> dict[str, Any]:
    """The payload WITHOUT checking the signature: only to find which list a file holds."""
    payload = _b64_json(_segments(token)[1], "payload")
    if not isinstance(payload, dict):
        raise CredentialError("the token's payload is not a JSON object")
    return payload
