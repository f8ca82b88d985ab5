"""Signed-in sessions: recorded at sign-in, listed to their owner in words, ended one by one
or all but this one (the ended browser's next request is signed out), audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from hopeful.web.accounts.models import User, UserSession
from hopeful.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def sign_in(user: User, password: str, agent: str, ip: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"username": user.email, "password": password})
    assert response.status_code == 302
    return client


def signed_out(client: Client) -> bool:
    response = client.get("/accounts/security/")
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_owner_sees_each_session_in_words_with_a_shortened_address(
    alice: User, password: str, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    laptop = sign_in(alice, password, FIREFOX, "203.0.113.57")
    sign_in(alice, password, SAFARI, "2001:db8:1234:5678::1")
    records = UserSession.objects.filter(user=alice)
    assert sorted(r.ip_network for r in records) == ["2001:db8:1234::/48", "203.0.113.0/24"]
    # The key the browser holds now (after sign-in rotated it) is the one recorded.
    assert laptop.session.session_key in {r.session_key for r in records}
    page = laptop.get("/accounts/security/").content.decode()
    assert "Firefox on Windows" in page
    assert "Safari on iPhone" in page
    assert "(this device)" in page
    assert "203.0.113.57" not in page
    assert page.count("(this device)") == 1


def test_ending_another_session_signs_that_browser_out(alice: User, password: str) -> None:
    laptop = sign_in(alice, password, FIREFOX, "203.0.113.57")
    phone = sign_in(alice, password, SAFARI, "198.51.100.4")
    phone_record = UserSession.objects.get(user=alice, user_agent=SAFARI)
    response = laptop.post(f"/accounts/security/sessions/{phone_record.public_id}/end/")
    assert response.status_code == 302
    assert signed_out(phone)
    assert not signed_out(laptop)
    assert not Session.objects.filter(session_key=phone_record.session_key).exists()
    event = AuditEvent.objects.get(verb="auth.session_ended")
    assert event.actor == alice
    assert event.extra["device"] == "Safari on iPhone"


def test_signing_out_everywhere_else_keeps_this_session(alice: User, password: str) -> None:
    clients = [sign_in(alice, password, FIREFOX, f"203.0.113.{n}") for n in range(3)]
    response = clients[0].post("/accounts/security/sessions/end-others/")
    assert response.status_code == 302
    assert not signed_out(clients[0])
    assert all(signed_out(c) for c in clients[1:])
    assert UserSession.objects.filter(user=alice).count() == 1
    assert AuditEvent.objects.get(verb="auth.other_sessions_ended").extra == {"count": 2}


def test_nobody_ends_someone_elses_session(alice: User, password: str) -> None:
    bob = User.objects.create_user("bob@example.org", password)
    mine = sign_in(alice, password, FIREFOX, "203.0.113.57")
    theirs = sign_in(bob, password, FIREFOX, "203.0.113.58")
    record = UserSession.objects.get(user=bob)
    assert mine.post(f"/accounts/security/sessions/{record.public_id}/end/").status_code == 404
    assert not signed_out(theirs)


def test_the_current_session_is_ended_by_signing_out(alice: User, password: str) -> None:
    laptop = sign_in(alice, password, FIREFOX, "203.0.113.57")
    record = UserSession.objects.get(user=alice)
    laptop.post(f"/accounts/security/sessions/{record.public_id}/end/")
    assert not signed_out(laptop)
    laptop.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=alice).exists()


def test_last_activity_is_written_at_most_once_a_minute(
    alice: User, password: str, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    laptop = sign_in(alice, password, FIREFOX, "203.0.113.57")
    laptop.get("/accounts/security/")
    time_machine.shift(dt.timedelta(seconds=30))
    laptop.get("/accounts/security/")
    assert UserSession.objects.get(user=alice).last_active_at == START
    time_machine.shift(dt.timedelta(seconds=31))
    laptop.get("/accounts/security/")
    assert UserSession.objects.get(user=alice).last_active_at == START + dt.timedelta(seconds=61)


def test_sessions_that_ended_by_themselves_leave_the_list(
    alice: User, password: str, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    sign_in(alice, password, SAFARI, "198.51.100.4")
    time_machine.shift(dt.timedelta(minutes=40))
    laptop = sign_in(alice, password, FIREFOX, "203.0.113.57")
    page = laptop.get("/accounts/security/").content.decode()
    assert "Safari on iPhone" not in page
    assert UserSession.objects.filter(user=alice).count() == 1
