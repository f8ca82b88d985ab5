"""Concurrent duplicates against a real server (SI-03): the Django test client runs requests
one at a time inside a transaction, which would hide the race, so these go over HTTP."""

from __future__ import annotations

import http.client
import re
import threading
import urllib.parse
import uuid
from typing import Any

import pytest
from django.core import signing
from pytest_django.live_server_helper import LiveServer

from hopeful.web.surveys.models import Submission
from hopeful.web.surveys.views_public import SUMMARY_SALT
from tests.web.surveys.conftest import pce7_post

THREADS = 10


def csrf_cookie(live_server: LiveServer, token: str) -> str:
    host = urllib.parse.urlsplit(live_server.url).netloc
    conn = http.client.HTTPConnection(host, timeout=30)
    conn.request("GET", f"/s/{token}/agree/")
    response = conn.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie", "")
    conn.close()
    match = re.search(r"csrftoken=([^;]+)", cookie)
    assert match, cookie
    return match.group(1)


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_posts_of_one_client_uuid_store_exactly_one_submission(
    live_server: LiveServer, two_tenants: dict[str, Any]
) -> None:
    token = two_tenants["token_a"]
    csrf = csrf_cookie(live_server, token)
    data = pce7_post(str(uuid.uuid4()))
    data["csrfmiddlewaretoken"] = csrf
    body = urllib.parse.urlencode(data, doseq=True)
    host = urllib.parse.urlsplit(live_server.url).netloc
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def post() -> None:
        try:
            conn = http.client.HTTPConnection(host, timeout=60)
            barrier.wait()
            conn.request(
                "POST",
                f"/s/{token}/submit/",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf}",
                },
            )
            response = conn.getresponse()
            response.read()
            with lock:
                results.append((response.status, response.getheader("Location", "")))
            conn.close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=post) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert [status for status, _ in results] == [302] * THREADS
    assert Submission.objects.count() == 1
    stored = str(Submission.objects.get().public_id)
    for _, location in results:
        signed = location.rstrip("/").rsplit("/", 1)[1]
        assert signing.loads(signed, salt=SUMMARY_SALT)["s"] == stored
