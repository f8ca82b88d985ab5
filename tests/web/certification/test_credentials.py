"""The credentials as verifiers see them: /verify/<code>/, the status lists and keys, the
downloaded credential file and `hopeful verify`."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hopeful import cli
from hopeful.credentials import bundle, jwt, status_list, verify
from hopeful.framework.certification import Action
from hopeful.web.certification import issuing
from hopeful.web.certification.models import Credential
from tests.web.certification.conftest import SITE
from tests.web.certification.helpers import act, certify, make_learner, make_staff

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _verify_page(client: Client, code: str, *, language: str = "en") -> str:
    url = reverse("certification:verify", args=[code])
    if language == "es":
        url = "/es" + url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"
    return response.content.decode()


def _word(html: str) -> str:
    start = html.index('class="verdict__word"')
    return html[html.index(">", start) + 1 : html.index("</p>", start)]


def test_verify_says_valid_then_revoked_at_once() -> None:
    staff, rosa = make_staff(), make_learner()
    rosa.email = "rosa.private@example.org"
    rosa.save()
    cert = certify(rosa)
    credential = cert.credentials.get()
    anonymous = Client()
    html = _verify_page(anonymous, credential.code)
    assert _word(html) == "Valid"
    assert "Rosa Díaz" in html
    assert "HOPE Facilitator" in html
    assert "HOPE National Resource Center" in html
    assert "rosa.private" not in html  # nothing else about the holder
    assert "NM" not in html

    act(cert, Action.REVOKE, staff, reason="Confidential reason XYZ")
    html = _verify_page(anonymous, credential.code)
    assert _word(html) == "Revoked"
    assert "Confidential reason XYZ" not in html
    # the Spanish page (its words come from the project's catalogue)
    assert _word(_verify_page(anonymous, credential.code, language="es")) in {"Revoked", "Revocada"}


def test_verify_says_suspended_and_valid_again_after_reinstating() -> None:
    staff, rosa = make_staff(), make_learner()
    cert = certify(rosa)
    code = cert.credentials.get().code
    act(cert, Action.SUSPEND, staff, reason="Complaint")
    assert _word(_verify_page(Client(), code)) == "Suspended"
    act(cert, Action.REINSTATE, staff)
    assert _word(_verify_page(Client(), code)) == "Valid"


def test_verify_says_expired_after_the_last_valid_day_even_before_the_job() -> None:
    rosa = make_learner()
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False):
        cert = certify(rosa)
    code = cert.credentials.get().code
    with time_machine.travel(dt.datetime(2028, 3, 1, 20, tzinfo=UTC), tick=False):
        assert _word(_verify_page(Client(), code)) == "Valid"
    with time_machine.travel(dt.datetime(2028, 3, 2, 1, tzinfo=UTC), tick=False):
        html = _verify_page(Client(), code)
        assert _word(html) == "Expired"


def test_verify_accepts_lower_case_and_dashes_and_says_when_a_code_is_unknown() -> None:
    code = certify(make_learner()).credentials.get().code
    spaced = f"{code[:4]}-{code[4:8]}-{code[8:]}".lower()
    assert _word(_verify_page(Client(), spaced)) == "Valid"
    response = Client().get(reverse("certification:verify", args=["AAAABBBBCCCCDDDD"]))
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"
    assert "No credential has this code" in response.content.decode()


def test_verify_takes_get_and_head_only() -> None:
    code = certify(make_learner()).credentials.get().code
    url = reverse("certification:verify", args=[code])
    assert Client().head(url).status_code == 200
    assert Client().post(url).status_code == 405


# -- machine endpoints ---------------------------------------------------------------------


def _status_list(client: Client, purpose: str) -> tuple[str, dict[str, object]]:
    response = client.get(reverse("credentials:status_list", args=[purpose]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Cache-Control"] == "no-store"
    token = response.content.decode()
    jwks = json.loads(Client().get(reverse("credentials:jwks")).content)
    return token, jwt.verify(token, jwks)


def test_status_lists_verify_with_the_published_keys_and_carry_the_bits() -> None:
    staff = make_staff()
    revoked = certify(make_learner("a@example.org"))
    suspended = certify(make_learner("b@example.org"))
    fine = certify(make_learner("c@example.org"))
    act(revoked, Action.REVOKE, staff, reason="Error")
    act(suspended, Action.SUSPEND, staff, reason="Review")
    client = Client()
    assert (
        reverse("credentials:status_list", args=["revocation"]) == "/credentials/status/revocation"
    )

    _token, payload = _status_list(client, "revocation")
    assert payload["id"] == f"{SITE}/credentials/status/revocation"
    assert payload["issuer"]["id"] == f"{SITE}/"
    encoded = payload["credentialSubject"]["encodedList"]
    r, s, ok = (c.credentials.get() for c in (revoked, suspended, fine))
    assert status_list.is_set(encoded, r.revocation_index)
    assert not status_list.is_set(encoded, s.revocation_index)
    assert not status_list.is_set(encoded, ok.revocation_index)

    _token, payload = _status_list(client, "suspension")
    encoded = payload["credentialSubject"]["encodedList"]
    assert status_list.is_set(encoded, s.suspension_index)
    assert not status_list.is_set(encoded, r.suspension_index)
    assert not status_list.is_set(encoded, ok.suspension_index)

    assert client.get("/credentials/status/other").status_code == 404


def test_machine_endpoints_are_public_and_not_translated() -> None:
    response = Client().get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    keys = json.loads(response.content)["keys"]
    assert [k["kid"] for k in keys] == [issuing.keystore().signing_kid()]
    assert all("d" not in k for k in keys)  # public keys only
    assert Client().get("/es/.well-known/jwks.json").status_code == 404


def test_key_rotation_keeps_old_credentials_verifiable() -> None:
    from django.core.management import call_command

    first = certify(make_learner("a@example.org")).credentials.get()
    printed = io.StringIO()
    call_command("credential_key", stdout=printed)
    assert printed.getvalue().strip() == first.kid
    call_command("credential_key", "--rotate", stdout=printed)
    assert printed.getvalue().split()[-1] == issuing.keystore().signing_kid() != first.kid
    second = certify(make_learner("b@example.org")).credentials.get()
    assert first.kid != second.kid
    jwks = json.loads(Client().get("/.well-known/jwks.json").content)
    now = dt.datetime.now(UTC)
    lists = issuing.status_lists()
    for credential in (first, second):
        assert (
            verify.check(credential.jwt, jwks=jwks, status_lists=lists, now=now).status == "valid"
        )


# -- the downloaded credential file ---------------------------------------------------------


def _download(client: Client, credential: Credential) -> dict[str, object]:
    response = client.get(reverse("certification:download", args=[credential.code]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def _tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["credentialSubject"]["name"] = "Someone Else"
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_the_downloaded_file_verifies_and_a_tampered_one_does_not(client: Client) -> None:
    rosa = make_learner()
    credential = certify(rosa).credentials.get()
    client.force_login(rosa)
    data = _download(client, credential)
    now = dt.datetime.now(UTC)
    verdict = verify.check(
        data["credential"], jwks=data["issuerKeys"], status_lists=data["statusLists"], now=now
    )
    assert verdict.status == "valid", verdict.reasons
    assert verdict.subject_name == "Rosa Díaz"
    assert verdict.achievement_name == "HOPE Facilitator"
    assert verdict.issuer == "HOPE National Resource Center"
    assert verdict.credential_id == f"{SITE}/verify/{credential.code}/"

    forged = verify.check(
        _tamper(data["credential"]),
        jwks=data["issuerKeys"],
        status_lists=data["statusLists"],
        now=now,
    )
    assert forged.status == "invalid"
    assert forged.subject_name is None


def test_hopeful_verify_on_a_downloaded_file(
    client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staff, rosa = make_staff(), make_learner()
    cert = certify(rosa)
    credential = cert.credentials.get()
    client.force_login(rosa)
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(_download(client, credential)), encoding="utf-8")
    assert cli.main(["verify", str(path)]) == 0
    assert "Rosa Díaz" in capsys.readouterr().out

    # tampered: refused
    data = bundle.load(path)
    forged = tmp_path / "forged.json"
    forged.write_text(
        json.dumps(
            bundle.make(
                _tamper(data.token), data.jwks or {}, data.status_lists, dt.datetime.now(UTC)
            )
        ),
        encoding="utf-8",
    )
    assert cli.main(["verify", str(forged)]) == 1
    capsys.readouterr()

    # revoked: the old file still shows its status as of download; a fresh list says revoked
    act(cert, Action.REVOKE, staff, reason="Error")
    assert cli.main(["verify", str(path)]) == 0
    capsys.readouterr()
    fresh = tmp_path / "revocation.jwt"
    fresh.write_text(
        Client().get("/credentials/status/revocation").content.decode(), encoding="utf-8"
    )
    assert cli.main(["verify", str(path), "--status-list", str(fresh)]) == 1
    assert "revoked" in capsys.readouterr().out.lower()
    # and a file downloaded after the revocation says so by itself
    path.write_text(json.dumps(_download(client, credential)), encoding="utf-8")
    assert cli.main(["verify", str(path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["status"] == "revoked"
