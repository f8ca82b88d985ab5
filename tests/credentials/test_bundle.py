"""The downloadable credential file: made, read back, and refused clearly when broken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hopeful.credentials import CredentialError, KeyStore, bundle
from tests.credentials.helpers import NOW, issue, status_lists, write_bundle


def test_a_bundle_round_trips(keystore: KeyStore, tmp_path: Path) -> None:
    token = issue(keystore)
    lists = status_lists(keystore)
    data = bundle.make(token, keystore.public_jwks(), lists, NOW)
    assert data["format"] == "hopeful-credential-bundle/1"
    assert data["retrievedAt"] == "2026-12-06T10:00:00Z"
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = bundle.load(path)
    assert loaded.token == token
    assert loaded.jwks == keystore.public_jwks()
    assert loaded.status_lists == lists
    assert loaded.retrieved_at == NOW


def test_a_bare_jwt_file_loads_without_keys(keystore: KeyStore, tmp_path: Path) -> None:
    token = issue(keystore)
    path = tmp_path / "credential.jwt"
    path.write_text(token + "\n", encoding="utf-8")
    loaded = bundle.load(path)
    assert loaded.token == token
    assert loaded.jwks is None
    assert loaded.status_lists == {}


def _bundle_with(keystore: KeyStore, tmp_path: Path, **changes: object) -> str:
    data = json.loads(write_bundle(tmp_path / "b.json", keystore).read_text(encoding="utf-8"))
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other/2"}, "unsupported format 'other/2'"),
        ({"credential": "not a token"}, "holds no credential"),
        ({"issuerKeys": []}, "holds no issuer keys"),
        ({"statusLists": {"https://x.example/": 5}}, "malformed status lists"),
        ({"retrievedAt": "yesterday"}, "retrievedAt"),
    ],
)
def test_a_broken_bundle_is_refused_clearly(
    keystore: KeyStore, tmp_path: Path, change: dict[str, object], message: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(_bundle_with(keystore, tmp_path, **change), encoding="utf-8")
    with pytest.raises(CredentialError, match=message):
        bundle.load(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "neither a credential bundle"),
        (b"hello world", "neither a credential bundle"),
        (b"{not json", "not valid JSON"),
        (b'{"keys": []}', "not a credential bundle"),
        (b"\xff\xfe\x00garbage", "not a text file"),
    ],
)
def test_a_file_that_is_neither_is_refused_clearly(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "file"
    path.write_bytes(content)
    with pytest.raises(CredentialError, match=message):
        bundle.load(path)


def test_a_missing_or_huge_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CredentialError, match="cannot read"):
        bundle.load(tmp_path / "nowhere.json")
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (bundle.MAX_BYTES + 1))
    with pytest.raises(CredentialError, match="too large"):
        bundle.load(huge)
