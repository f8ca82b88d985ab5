"""Signing (Standard Webhooks) and the SSRF guard, without the database."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import socket
from typing import Any

import pytest

from hopeful.web.webhooks import guard, signing

#: The published test vector of the Standard Webhooks reference libraries (and Svix's).
VECTOR = {
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "timestamp": 1614265330,
    "body": b'{"test": 2432232314}',
    "signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


def independent_signature(secret: str, message_id: str, timestamp: str, body: bytes) -> str:
    """The specification's recipe, written out here rather than imported."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, message_id.encode() + b"." + timestamp.encode() + b"." + body, "sha256")
    return "v1," + base64.b64encode(mac.digest()).decode()


def test_the_signature_matches_the_standard_webhooks_reference_vector() -> None:
    assert (
        signing.signature(VECTOR["secret"], VECTOR["id"], VECTOR["timestamp"], VECTOR["body"])
        == VECTOR["signature"]
    )


def test_headers_carry_one_signature_per_secret_each_verifiable_independently() -> None:
    new, old = signing.new_secret(), signing.new_secret()
    body = signing.body_bytes({"type": "webhook.test", "data": {"b": 1, "a": "ñ"}})
    headers = signing.headers([new, old], "3f1c", 1700000000, body)
    assert headers["webhook-id"] == "3f1c"
    assert headers["webhook-timestamp"] == "1700000000"
    first, second = headers["webhook-signature"].split(" ")
    assert first == independent_signature(new, "3f1c", "1700000000", body)
    assert second == independent_signature(old, "3f1c", "1700000000", body)


def test_a_new_secret_is_whsec_and_32_random_bytes_and_shown_only_by_its_start() -> None:
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret[6:])) == 32
    assert signing.new_secret() != secret
    hint = signing.secret_hint(secret)
    assert hint == secret[:12] + "…"
    assert secret[12:] not in hint


def test_the_body_is_the_same_bytes_on_every_attempt() -> None:
    payload = {"type": "submission.created", "data": {"z": "1", "a": "2"}}
    assert signing.body_bytes(payload) == signing.body_bytes(dict(reversed(payload.items())))
    assert hashlib.sha256(signing.body_bytes(payload)).hexdigest()  # plain bytes


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
        "224.0.0.1",
        "::1",
        "fc00::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe",
        "2002:a00:1::",
    ],
)
def test_private_local_and_reserved_addresses_are_not_public(address: str) -> None:
    assert not guard.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_public(address: str) -> None:
    assert guard.is_public(ipaddress.ip_address(address))


def resolving_to(*addresses: str) -> Any:
    def fake(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    return fake


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "https://127.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "ftp://records.example.org/",
        "https://user:secret@records.example.org/",
        "https:///nohost",
        "https://records.example.org:99999/",
        "records.example.org/hook",
    ],
)
def test_the_guard_refuses_urls_that_are_not_public_https(url: str, settings: Any) -> None:
    settings.HOPEFUL_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(guard.AddressRefused):
        guard.check(url)


def test_a_host_name_resolving_to_a_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.HOPEFUL_WEBHOOK_ALLOW_PRIVATE = False
    monkeypatch.setattr(guard.socket, "getaddrinfo", resolving_to("10.20.30.40"))
    with pytest.raises(guard.AddressRefused, match="private"):
        guard.check("https://intranet.example.org/hook")
    # one private answer among public ones is enough to refuse
    monkeypatch.setattr(guard.socket, "getaddrinfo", resolving_to("93.184.215.14", "10.0.0.1"))
    with pytest.raises(guard.AddressRefused):
        guard.check("https://mixed.example.org/hook")


def test_a_public_https_url_is_accepted_with_its_addresses(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.HOPEFUL_WEBHOOK_ALLOW_PRIVATE = False
    monkeypatch.setattr(guard.socket, "getaddrinfo", resolving_to("93.184.215.14"))
    target, addresses = guard.check("https://Records.Example.org/in/hook?x=1")
    assert (target.scheme, target.host, target.port, target.path) == (
        "https",
        "records.example.org",
        443,
        "/in/hook?x=1",
    )
    assert addresses == ["93.184.215.14"]


def test_an_unknown_host_is_refused(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.HOPEFUL_WEBHOOK_ALLOW_PRIVATE = False

    def fail(*args: Any, **kwargs: Any) -> list[Any]:
        raise socket.gaierror("no such host")

    monkeypatch.setattr(guard.socket, "getaddrinfo", fail)
    with pytest.raises(guard.AddressRefused, match="could not be found"):
        guard.check("https://nowhere.example.org/")


def test_the_setting_allows_http_and_private_hosts_for_tests_and_the_demo(settings: Any) -> None:
    settings.HOPEFUL_WEBHOOK_ALLOW_PRIVATE = True
    target, addresses = guard.check("http://127.0.0.1:8123/hook")
    assert (target.scheme, target.port, addresses) == ("http", 8123, ["127.0.0.1"])
