"""``hopeful verify FILE``: offline checks, what it prints and its exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hopeful.cli import main
from hopeful.credentials import KeyStore
from tests.credentials.helpers import (
    INDEX,
    REVOCATION_URL,
    issue,
    status_list_token,
    tamper_payload,
    write_bundle,
)

AT = ["--at", "2026-12-06T10:00:00Z"]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["verify", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_a_valid_bundle(
    keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_bundle(tmp_path / "credential.json", keystore)
    code, out, err = _run(capsys, str(path), *AT)
    assert code == 0
    assert err == ""
    assert out[0] == (
        "VALID: HOPE Facilitator — held by Ana Pérez, valid until 2028-03-01 "
        "(status as of 2026-12-06 10:00 UTC)"
    )
    assert out[1] == "Issued by HOPE National Resource Center (https://hope.example/)."
    # The file's own keys prove nothing: the checker is told what to compare.
    assert keystore.signing_kid() in out[2]
    assert "https://hope.example/.well-known/jwks.json" in out[2]


def test_a_tampered_bundle_is_invalid(
    keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = tamper_payload(issue(keystore), "Ana Pérez", "Ana Pereira")
    path = write_bundle(tmp_path / "credential.json", keystore, token)
    code, out, _ = _run(capsys, str(path), *AT)
    assert code == 1
    assert out == ["INVALID: the signature does not match"]


def test_a_tampered_bare_jwt_is_invalid(
    keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(keystore.public_jwks()), encoding="utf-8")
    token = tamper_payload(issue(keystore), "2028-03-01T00:00:00Z", "2038-03-01T00:00:00Z")
    path = tmp_path / "credential.jwt"
    path.write_text(token, encoding="utf-8")
    code, out, _ = _run(capsys, str(path), "--keys", str(keys), "--skip-status", *AT)
    assert code == 1
    assert out[0] == "INVALID: the signature does not match"


@pytest.mark.parametrize(
    ("lists", "headline"),
    [
        ({"revoked": [INDEX]}, "REVOKED: HOPE Facilitator — held by Ana Pérez (status as of"),
        ({"suspended": [INDEX]}, "SUSPENDED: HOPE Facilitator — held by Ana Pérez (status as of"),
    ],
)
def test_revoked_and_suspended(
    keystore: KeyStore,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lists: dict[str, list[int]],
    headline: str,
) -> None:
    path = write_bundle(tmp_path / "credential.json", keystore, **lists)  # type: ignore[arg-type]
    code, out, _ = _run(capsys, str(path), *AT)
    assert code == 1
    assert out[0].startswith(headline)


def test_expired_as_of_a_later_date(
    keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_bundle(tmp_path / "credential.json", keystore)
    code, out, _ = _run(capsys, str(path), "--at", "2028-03-02")
    assert code == 1
    assert out[0] == "EXPIRED: HOPE Facilitator — held by Ana Pérez, expired on 2028-03-01"


def test_with_keys_the_bundles_own_keys_are_not_trusted(
    keystore: KeyStore,
    other_keystore: KeyStore,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A forger's bundle carries the forger's keys: checked against the issuer's, it fails."""
    forged = write_bundle(tmp_path / "forged.json", other_keystore)
    assert _run(capsys, str(forged), *AT)[0] == 0  # self-consistent on its own ...
    issuer_keys = tmp_path / "jwks.json"
    issuer_keys.write_text(json.dumps(keystore.public_jwks()), encoding="utf-8")
    code, out, _ = _run(capsys, str(forged), "--keys", str(issuer_keys), *AT)
    assert code == 1  # ... but not with the issuer's published keys.
    assert out[0].startswith("INVALID: signed with an unknown key")
    genuine = write_bundle(tmp_path / "genuine.json", keystore)
    code, out, _ = _run(capsys, str(genuine), "--keys", str(issuer_keys), *AT)
    assert code == 0
    assert out[-1] == f"Signed with key {keystore.signing_kid()}, found in {issuer_keys}."


def test_a_bare_jwt_with_keys_and_status_list_files(
    keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(keystore.public_jwks()), encoding="utf-8")
    path = tmp_path / "credential.jwt"
    path.write_text(issue(keystore), encoding="utf-8")
    revocation = tmp_path / "revocation.jwt"
    revocation.write_text(status_list_token(keystore, "revocation"), encoding="utf-8")
    suspension = tmp_path / "suspension.jwt"
    suspension.write_text(status_list_token(keystore, "suspension"), encoding="utf-8")

    code, out, _ = _run(capsys, str(path), "--keys", str(keys), *AT)
    assert code == 1
    assert out[0] == "INVALID: HOPE Facilitator — held by Ana Pérez"
    assert out[1] == f"  - status not checked: list {REVOCATION_URL} unavailable"

    code, out, _ = _run(capsys, str(path), "--keys", str(keys), "--skip-status", *AT)
    assert code == 0
    assert out[0].endswith("valid until 2028-03-01 (status not checked)")

    args = ["--status-list", str(revocation), "--status-list", str(suspension)]
    code, out, _ = _run(capsys, str(path), "--keys", str(keys), *args, *AT)
    assert code == 0
    assert out[0].startswith("VALID: HOPE Facilitator — held by Ana Pérez")


def test_a_newer_status_list_replaces_the_bundles(
    keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_bundle(tmp_path / "credential.json", keystore)
    revoked_since = tmp_path / "revocation.jwt"
    revoked_since.write_text(status_list_token(keystore, "revocation", [INDEX]), encoding="utf-8")
    code, out, _ = _run(capsys, str(path), "--status-list", str(revoked_since), *AT)
    assert code == 1
    assert out[0].startswith("REVOKED:")


def test_json_output(
    keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_bundle(tmp_path / "credential.json", keystore, revoked=[INDEX])
    code = main(["verify", str(path), "--json", *AT])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["status"] == "revoked"
    assert data["subject_name"] == "Ana Pérez"
    assert data["valid_until"] == "2028-03-01T00:00:00Z"
    assert data["status_checked_at"] == "2026-12-06T10:00:00Z"


def test_usage_errors_exit_2_with_a_message_and_no_traceback(
    keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = tmp_path / "credential.jwt"
    bare.write_text(issue(keystore), encoding="utf-8")
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("hello", encoding="utf-8")
    not_keys = tmp_path / "not-keys.json"
    not_keys.write_text("[]", encoding="utf-8")
    not_a_list = tmp_path / "not-a-list.jwt"
    not_a_list.write_text("nonsense", encoding="utf-8")
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(keystore.public_jwks()), encoding="utf-8")
    cases = [
        ([str(bare)], "pass the issuer's public keys with --keys"),
        ([str(tmp_path / "missing.json")], "cannot read"),
        ([str(garbage)], "neither a credential bundle"),
        ([str(bare), "--keys", str(not_keys)], "is not a JWK set"),
        ([str(bare), "--keys", str(tmp_path / "nokeys.json")], "cannot read the key file"),
        ([str(bare), "--keys", str(keys), "--status-list", str(not_a_list)], "is unreadable"),
    ]
    for args, message in cases:
        code, out, err = _run(capsys, *args)
        assert code == 2, args
        assert out == []
        assert err.startswith("hopeful: error: ")
        assert message in err
        assert "Traceback" not in err


def test_a_bad_date_is_a_usage_error(
    keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_bundle(tmp_path / "credential.json", keystore)
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(path), "--at", "next tuesday"])
    assert exc.value.code == 2
    assert "ISO 8601" in capsys.readouterr().err


def test_the_help_says_no_network_is_used(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["verify", "--help"])
    assert "Nothing is fetched" in capsys.readouterr().out


def test_verify_runs_without_django(keystore: KeyStore, tmp_path: Path) -> None:
    path = write_bundle(tmp_path / "credential.json", keystore)
    code = (
        "import sys\n"
        "from hopeful.cli import main\n"
        f"status = main(['verify', {str(path)!r}, '--at', '2026-12-06T10:00:00Z'])\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith(('django.', "
        "'hopeful.web'))]\n"
        "print(status, loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "0 []"
