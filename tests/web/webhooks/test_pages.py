"""The webhooks' pages: org admins only (other roles 403, outsiders 404 on every URL),
support access looks but changes nothing, a secret is shown once and never audited, bad
input is a 400 that changes nothing, every change is audited."""

from __future__ import annotations

import datetime as dt
import socket
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.web.audit.models import AuditEvent
from hopeful.web.organizations.models import Role, SupportGrant
from hopeful.web.webhooks import guard
from hopeful.web.webhooks.models import Delivery, DeliveryStatus, EventType, Webhook
from tests.web import factories as f
from tests.web.webhooks.helpers import add_webhook

pytestmark = pytest.mark.django_db

URL = "https://records.example.org/hopeful/hook"


@pytest.fixture(autouse=True)
def _public_dns(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """records.example.org is public; intranet.example.org is a private 10.x host."""
    settings.HOPEFUL_WEBHOOK_ALLOW_PRIVATE = False
    real = socket.getaddrinfo

    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        answers = {"records.example.org": "93.184.215.14", "intranet.example.org": "10.1.2.3"}
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(guard.socket, "getaddrinfo", fake)


def webhook_a(t: dict[str, Any]) -> Webhook:
    return add_webhook(t, URL)[0]


def failed_delivery(webhook: Webhook) -> Delivery:
    return Delivery.objects.create(
        organization=webhook.organization,
        webhook=webhook,
        event_type=EventType.TEST,
        payload={"type": "webhook.test", "data": {}},
        status=DeliveryStatus.FAILED,
        attempts=1,
        last_status_code=500,
        last_error="HTTP 500 Internal Server Error",
    )


def urls(t: dict[str, Any], webhook: Webhook, sent: Delivery) -> dict[str, tuple[str, str]]:
    """URL name -> (method, URL) for every webhooks page, naming organization A's objects."""
    org = t["org_a"].public_id
    one = {"org_id": org, "webhook_id": webhook.public_id}
    return {
        "list": ("get", reverse("webhooks:list", kwargs={"org_id": org})),
        "detail": ("get", reverse("webhooks:detail", kwargs=one)),
        "test": ("post", reverse("webhooks:test", kwargs=one)),
        "rotate": ("post", reverse("webhooks:rotate", kwargs=one)),
        "disable": ("post", reverse("webhooks:disable", kwargs=one)),
        "enable": ("post", reverse("webhooks:enable", kwargs=one)),
        "delete": ("get", reverse("webhooks:delete", kwargs=one)),
        "redeliver": (
            "post",
            reverse("webhooks:redeliver", kwargs={**one, "delivery_id": sent.public_id}),
        ),
    }


def as_member(t: dict[str, Any], role: str, org: str = "a") -> Client:
    client = Client()
    f.login_verified(client, t[f"members_{org}"][role])
    return client


@pytest.mark.parametrize("role", [r for r in f.ROLES if r != Role.ORG_ADMIN])
def test_other_roles_get_403_on_every_page(two_tenants: dict[str, Any], role: str) -> None:
    t = two_tenants
    webhook = webhook_a(t)
    sent = failed_delivery(webhook)
    client = as_member(t, role)
    for name, (method, url) in urls(t, webhook, sent).items():
        assert getattr(client, method)(url).status_code == 403, name
    webhook.refresh_from_db()
    assert webhook.active


@pytest.mark.parametrize("role", f.ROLES)
def test_outsiders_get_404_on_every_page_and_change_nothing(
    two_tenants: dict[str, Any], role: str
) -> None:
    t = two_tenants
    webhook = webhook_a(t)
    sent = failed_delivery(webhook)
    before = (Webhook.objects.get().secret, AuditEvent.objects.count(), Delivery.objects.count())
    client = as_member(t, role, org="b")
    for name, (method, url) in urls(t, webhook, sent).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url).status_code == 404, (name, method)
    assert (Webhook.objects.get().secret, AuditEvent.objects.count(), Delivery.objects.count()) == (
        before
    )


def test_org_bs_admin_cannot_reach_as_webhook_through_bs_own_organization(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    webhook = webhook_a(t)
    sent = failed_delivery(webhook)
    client = as_member(t, Role.ORG_ADMIN, org="b")
    org_b = t["org_b"].public_id
    one = {"org_id": org_b, "webhook_id": webhook.public_id}
    assert client.get(reverse("webhooks:detail", kwargs=one)).status_code == 404
    assert client.post(reverse("webhooks:disable", kwargs=one)).status_code == 404
    redeliver = reverse("webhooks:redeliver", kwargs={**one, "delivery_id": sent.public_id})
    assert client.post(redeliver).status_code == 404
    # a delivery of another webhook of A, asked for under this one: 404 too
    other = add_webhook(t, URL + "/2")[0]
    admin = as_member(t, Role.ORG_ADMIN)
    mixed = reverse(
        "webhooks:redeliver",
        kwargs={
            "org_id": t["org_a"].public_id,
            "webhook_id": other.public_id,
            "delivery_id": sent.public_id,
        },
    )
    assert admin.post(mixed).status_code == 404
    unknown = reverse("webhooks:detail", kwargs={**one, "webhook_id": uuid.uuid4()})
    assert client.get(unknown).status_code == 404


def test_an_admin_adds_a_webhook_and_sees_its_secret_once(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    client = as_member(t, Role.ORG_ADMIN)
    list_url = reverse("webhooks:list", args=[t["org_a"].public_id])
    page = client.get(list_url)
    assert page.status_code == 200
    assert "No webhooks yet." in page.content.decode()
    created = client.post(list_url, {"url": URL, "description": "Clinic records"})
    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    webhook = Webhook.objects.get()
    body = created.content.decode()
    assert webhook.secret in body
    assert webhook.secret.startswith("whsec_")
    assert (webhook.url, webhook.description, webhook.active) == (URL, "Clinic records", True)
    assert webhook.created_by == t["members_a"][Role.ORG_ADMIN]
    event = AuditEvent.objects.get(verb="webhook.create")
    assert event.object_id == str(webhook.public_id)
    assert event.extra == {"host": "records.example.org"}
    # afterwards: only its first characters
    for url in (
        list_url,
        reverse("webhooks:detail", args=[t["org_a"].public_id, webhook.public_id]),
    ):
        later = client.get(url).content.decode()
        assert webhook.secret not in later
        assert webhook.secret[12:] not in later
    detail = client.get(reverse("webhooks:detail", args=[t["org_a"].public_id, webhook.public_id]))
    assert webhook.secret_hint in detail.content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1/hook", "https://"),
        ("https://127.0.0.1/hook", "private"),
        ("https://169.254.169.254/latest/meta-data/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "https://"),
        ("https://intranet.example.org/hook", "private"),
        ("https://admin:pw@records.example.org/hook", "user name"),
        ("not a url", "https://"),
        ("", "required"),
    ],
)
def test_a_refused_address_is_a_400_that_adds_nothing(
    two_tenants: dict[str, Any], url: str, message: str
) -> None:
    t = two_tenants
    client = as_member(t, Role.ORG_ADMIN)
    response = client.post(reverse("webhooks:list", args=[t["org_a"].public_id]), {"url": url})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert message in body
    assert not Webhook.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="webhook.").exists()


def test_an_organization_has_at_most_ten_webhooks(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    for n in range(10):
        add_webhook(t, f"{URL}/{n}")
    client = as_member(t, Role.ORG_ADMIN)
    response = client.post(reverse("webhooks:list", args=[t["org_a"].public_id]), {"url": URL})
    assert response.status_code == 400
    assert "at most 10 webhooks" in response.content.decode()
    assert Webhook.objects.count() == 10


def test_the_actions_are_audited_and_never_with_the_secret(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    webhook, first_secret = add_webhook(t, URL)
    sent = failed_delivery(webhook)
    client = as_member(t, Role.ORG_ADMIN)
    u = urls(t, webhook, sent)

    rotated = client.post(u["rotate"][1])
    assert rotated.status_code == 200
    assert rotated["Cache-Control"] == "no-store"
    webhook.refresh_from_db()
    assert webhook.secret != first_secret
    assert webhook.secret in rotated.content.decode()
    assert webhook.previous_secret == first_secret
    assert client.post(u["test"][1]).status_code == 302
    assert Delivery.objects.filter(event_type=EventType.TEST, status="pending").count() == 1
    assert client.post(u["redeliver"][1]).status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == ("pending", 0)
    assert client.post(u["disable"][1]).status_code == 302
    webhook.refresh_from_db()
    assert not webhook.active
    assert webhook.disabled_at is not None
    off = client.post(u["test"][1])  # no test message to a webhook that is off
    assert off.status_code == 400
    assert "turned off" in off.content.decode()
    assert client.post(u["enable"][1]).status_code == 302
    webhook.refresh_from_db()
    assert webhook.active
    assert webhook.disabled_at is None
    assert client.get(u["delete"][1]).status_code == 200
    deleted = client.post(u["delete"][1])
    assert deleted.status_code == 302
    assert not Webhook.objects.exists()
    assert not Delivery.objects.exists()

    verbs = list(
        AuditEvent.objects.filter(verb__startswith="webhook.")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "webhook.create",
        "webhook.rotate_secret",
        "webhook.test",
        "webhook.redeliver",
        "webhook.disable",
        "webhook.enable",
        "webhook.delete",
    ]
    for event in AuditEvent.objects.all():
        text = f"{event.extra} {event.object_id}"
        assert first_secret not in text
        assert webhook.secret not in text
        assert "whsec_" not in text


def test_only_a_failed_message_can_be_sent_again(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    webhook = webhook_a(t)
    sent = failed_delivery(webhook)
    Delivery.objects.filter(pk=sent.pk).update(status=DeliveryStatus.DELIVERED)
    client = as_member(t, Role.ORG_ADMIN)
    response = client.post(urls(t, webhook, sent)["redeliver"][1])
    assert response.status_code == 400
    assert "Only a failed message" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == "delivered"
    assert not AuditEvent.objects.filter(verb="webhook.redeliver").exists()


def test_support_access_looks_but_changes_nothing(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    webhook = webhook_a(t)
    sent = failed_delivery(webhook)
    staff = f.make_user("staff@hope.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=t["org_a"],
        granted_by=t["members_a"][Role.ORG_ADMIN],
        reason="Help with the records system",
        expires_at=timezone.now() + dt.timedelta(hours=4),
    )
    client = Client()
    f.login_verified(client, staff)
    u = urls(t, webhook, sent)
    listing = client.get(u["list"][1])
    assert listing.status_code == 200
    assert 'name="url"' not in listing.content.decode()  # no form to add one
    detail = client.get(u["detail"][1])
    assert detail.status_code == 200
    assert webhook.secret not in detail.content.decode()
    assert "Send again" not in detail.content.decode()
    for name in ("test", "rotate", "disable", "enable", "redeliver"):
        assert client.post(u[name][1]).status_code == 403, name
    assert client.get(u["delete"][1]).status_code == 403
    assert client.post(u["list"][1], {"url": URL}).status_code == 403
    assert Webhook.objects.get().secret == webhook.secret
    assert Webhook.objects.count() == 1


def test_the_log_is_newest_first_and_paginated_with_bounded_queries(
    two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    t = two_tenants
    webhook = webhook_a(t)
    for n in range(30):
        Delivery.objects.create(
            organization=t["org_a"],
            webhook=webhook,
            event_type=EventType.SUBMISSION_CREATED,
            payload={"n": n},
            status=DeliveryStatus.DELIVERED,
            attempts=1,
            last_status_code=200,
        )
    client = as_member(t, Role.ORG_ADMIN)
    url = reverse("webhooks:detail", args=[t["org_a"].public_id, webhook.public_id])
    with django_assert_max_num_queries(20 + f.SITE_MENU_QUERIES):
        first = client.get(url)
    body = first.content.decode()
    assert body.count("<code>submission.created</code>") == 25
    assert "Page 1 of 2" in body
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("<code>submission.created</code>") == 5
    with django_assert_max_num_queries(20 + f.SITE_MENU_QUERIES):
        assert client.get(reverse("webhooks:list", args=[t["org_a"].public_id])).status_code == 200
