"""The signing key file: created once, private (0600), RFC 7638 kids, rotation."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest

from hopeful.credentials import CredentialError, KeyStore, check, jwt
from tests.credentials.helpers import NOW, b64, issue, status_lists


def _rfc7638(key: dict[str, str]) -> str:
    """The thumbprint computed independently: SHA-256 of the required members, sorted."""
    canonical = json.dumps(
        {"crv": key["crv"], "kty": key["kty"], "x": key["x"]}, separators=(",", ":")
    )
    return b64(hashlib.sha256(canonical.encode("utf-8")).digest())


def test_the_first_use_creates_a_private_file_with_one_ed25519_key(keystore: KeyStore) -> None:
    assert not keystore.path.exists()
    key = keystore.signing_key()
    assert stat.S_IMODE(keystore.path.stat().st_mode) == 0o600
    stored = json.loads(keystore.path.read_text(encoding="utf-8"))["keys"]
    assert len(stored) == 1
    assert stored[0]["kty"] == "OKP"
    assert stored[0]["crv"] == "Ed25519"
    assert "d" in stored[0]
    assert key.kid == stored[0]["kid"] == _rfc7638(stored[0]) == keystore.signing_kid()
    # Nothing is left behind from the atomic write.
    assert sorted(p.name for p in keystore.path.parent.iterdir()) == [keystore.path.name]


def test_the_same_file_gives_the_same_key(keystore: KeyStore) -> None:
    kid = keystore.signing_kid()
    assert KeyStore(keystore.path).signing_kid() == kid


def test_the_published_keys_have_no_private_part(keystore: KeyStore) -> None:
    jwks = keystore.public_jwks()
    assert [sorted(key) for key in jwks["keys"]] == [["alg", "crv", "kid", "kty", "use", "x"]]
    assert jwks["keys"][0]["alg"] == "EdDSA"
    private = json.loads(keystore.path.read_text(encoding="utf-8"))["keys"][0]["d"]
    assert private not in json.dumps(jwks)


def test_rotation_signs_with_the_new_key_and_keeps_old_credentials_verifiable(
    keystore: KeyStore,
) -> None:
    old_token = issue(keystore)
    old_kid = keystore.signing_kid()
    new_kid = keystore.rotate()
    assert new_kid != old_kid
    assert keystore.signing_kid() == new_kid
    assert [key["kid"] for key in keystore.public_jwks()["keys"]] == [new_kid, old_kid]
    assert stat.S_IMODE(keystore.path.stat().st_mode) == 0o600
    new_token = issue(keystore)
    assert jwt.verify_token(new_token, keystore.public_jwks()).header["kid"] == new_kid
    lists = status_lists(keystore)
    for token in (old_token, new_token):
        assert check(token, jwks=keystore.public_jwks(), status_lists=lists, now=NOW).is_valid


def test_a_key_file_others_can_read_is_refused(keystore: KeyStore) -> None:
    keystore.signing_key()
    keystore.path.chmod(0o644)
    with pytest.raises(CredentialError, match="chmod 600"):
        keystore.signing_key()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not JSON"),
        ('{"keys": []}', "holds no keys"),
        ('{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}', "not an Ed25519 key"),
    ],
)
def test_a_broken_key_file_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "keys.json"
    path.write_text(content, encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(CredentialError, match=message):
        KeyStore(path).signing_key()


def test_a_key_file_with_only_public_keys_cannot_sign(keystore: KeyStore, tmp_path: Path) -> None:
    path = tmp_path / "public-only.json"
    path.write_text(json.dumps(keystore.public_jwks()), encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(CredentialError, match="without its private part"):
        KeyStore(path).signing_key()
