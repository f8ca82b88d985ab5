"""The emails (sent by the worker) and the pages their links open: confirm (double opt-in)
and unsubscribe (no sign-in, RFC 8058 one-click), and links that are old, forged or cut."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from hopeful.web.audit.models import AuditEvent
from hopeful.web.newsletter import emails, tokens
from hopeful.web.newsletter.models import Subscription
from tests.web.newsletter.helpers import form_data, make_subscription, run_queued, run_worker

pytestmark = pytest.mark.django_db


def _links(body: str) -> dict[str, str]:
    """The confirm and unsubscribe links of an email, as paths on this site."""
    urls = re.findall(r"https?://\S+", body)
    found = {}
    for url in urls:
        path = url.removeprefix(settings.SITE_URL)
        kind = "confirm" if "/confirm/" in path else "unsubscribe"
        found[kind] = path
    return found


def _signed_up(client: Client, capture: Any, **changes: Any) -> Subscription:
    with capture(execute=True):
        assert client.post("/newsletter/", form_data(**changes)).status_code == 200
    return Subscription.objects.get()


def _state(subscription: Subscription) -> dict[str, Any]:
    return Subscription.objects.filter(pk=subscription.pk).values().get()


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_confirmation_with_both_links_and_list_headers(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    subscription = _signed_up(client, django_capture_on_commit_callbacks, language="es")
    assert mail.outbox == []  # not sent by the web request
    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maria.lopez@example.org"]
    links = _links(message.body)
    # in the subscriber's language: the links are under /es/
    assert links["confirm"].startswith("/es/newsletter/confirm/")
    assert links["unsubscribe"].startswith("/es/newsletter/unsubscribe/")
    headers = message.message()
    assert headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{links['unsubscribe']}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # the tokens name no address
    assert "maria" not in links["confirm"].lower()
    assert "maria" not in links["unsubscribe"].lower()
    subscription.refresh_from_db()
    assert subscription.confirm_sent_at is not None


def test_the_already_subscribed_email_has_the_unsubscribe_link(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    subscription = make_subscription("known@example.org", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletter/", form_data(email="known@example.org"))
    run_queued()
    (message,) = mail.outbox
    assert "already subscribed" in message.subject
    assert emails.unsubscribe_url(subscription) in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{emails.unsubscribe_url(subscription)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/confirm/" not in message.body


def test_get_confirm_changes_nothing_and_post_confirms(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    subscription = _signed_up(client, django_capture_on_commit_callbacks, language="en")
    run_queued()
    confirm = _links(mail.outbox[0].body)["confirm"]
    before = _state(subscription)

    page = client.get(confirm)
    assert page.status_code == 200
    assert "Confirm my subscription" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"
    assert page["Cache-Control"] == "no-store"
    assert "maria" not in page.content.decode().lower()
    assert _state(subscription) == before  # a mail scanner's GET confirms nothing

    done = client.post(confirm)
    assert done.status_code == 302
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    after = client.get(confirm)
    assert "You are subscribed" in after.content.decode()
    assert client.post(confirm).status_code == 200  # confirming twice is harmless


def test_an_expired_confirmation_link_is_refused_and_changes_nothing(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    subscription = _signed_up(client, django_capture_on_commit_callbacks, language="en")
    run_queued()
    confirm = _links(mail.outbox[0].body)["confirm"]
    before = _state(subscription)
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        for response in (client.get(confirm), client.post(confirm)):
            assert response.status_code == 410
            html = response.content.decode()
            assert "This link has expired" in html
            assert "Sign up again" in html
            assert response["X-Robots-Tag"] == "noindex"
    assert _state(subscription) == before


def test_a_fresh_link_of_an_expired_sign_up_is_refused(client: Client) -> None:
    subscription = make_subscription()
    Subscription.objects.filter(pk=subscription.pk).update(
        consent_at=timezone.now() - dt.timedelta(days=8)
    )
    token = tokens.confirm_token(subscription.public_id)
    response = client.post(f"/newsletter/confirm/{token}/")
    assert response.status_code == 410
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


@pytest.mark.parametrize("kind", ["confirm", "unsubscribe"])
def test_garbage_and_forged_tokens_are_refused_and_change_nothing(
    client: Client, kind: str
) -> None:
    subscription = make_subscription()
    before = _state(subscription)
    good = (
        tokens.confirm_token(subscription.public_id)
        if kind == "confirm"
        else tokens.unsubscribe_token(subscription.public_id)
    )
    other_kind = (
        tokens.unsubscribe_token(subscription.public_id)
        if kind == "confirm"
        else tokens.confirm_token(subscription.public_id)
    )
    bad = [
        "garbage",
        good[:-1] + ("A" if good[-1] != "A" else "B"),  # a changed signature
        good[:20],  # cut short
        other_kind,  # the other link's token
        "x" * 500,
    ]
    for token in bad:
        for method in ("get", "post"):
            response = getattr(client, method)(f"/newsletter/{kind}/{token}/")
            assert response.status_code == 400, (token, method)
            assert "This link does not work" in response.content.decode()
    assert _state(subscription) == before


def test_a_genuine_confirmation_link_of_a_sign_up_that_is_gone_says_it_expired(
    client: Client,
) -> None:
    subscription = make_subscription()
    token = tokens.confirm_token(subscription.public_id)
    subscription.delete()
    assert client.get(f"/newsletter/confirm/{token}/").status_code == 410


def test_unsubscribing_works_without_signing_in_and_keeps_no_address(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    subscription = _signed_up(client, django_capture_on_commit_callbacks)
    subscription.confirmed_at = timezone.now()
    subscription.save()
    url = f"/newsletter/unsubscribe/{tokens.unsubscribe_token(subscription.public_id)}/"
    anonymous = Client(enforce_csrf_checks=True)

    page = anonymous.get(url)
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex"
    assert page["Cache-Control"] == "no-store"
    assert Subscription.objects.filter(pk=subscription.pk).exists()  # GET changes nothing

    done = anonymous.post(url)  # the page's button, with no CSRF token
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert not Subscription.objects.exists()
    assert not Subscription.objects.filter(email="maria.lopez@example.org").exists()
    event = AuditEvent.objects.get(verb="newsletter.unsubscribe")
    assert "maria" not in str(event.extra).lower()
    # the link again: the same answer, nothing to do
    assert anonymous.post(url).status_code == 200
    assert anonymous.get(url).status_code == 200


def test_one_click_unsubscribe_rfc_8058(client: Client, django_capture_on_commit_callbacks) -> None:
    _signed_up(client, django_capture_on_commit_callbacks)
    run_queued()
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    path = header.strip("<>").removeprefix(settings.SITE_URL)
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_signing_up_again_after_unsubscribing_starts_a_fresh_pending_sign_up(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    first = _signed_up(client, django_capture_on_commit_callbacks)
    old_unsubscribe = tokens.unsubscribe_token(first.public_id)
    client.post(f"/newsletter/unsubscribe/{old_unsubscribe}/")
    again = _signed_up(client, django_capture_on_commit_callbacks)
    assert again.public_id != first.public_id
    assert again.confirmed_at is None
    # the old link no longer reaches the new sign-up
    client.post(f"/newsletter/unsubscribe/{old_unsubscribe}/")
    assert Subscription.objects.filter(pk=again.pk).exists()
