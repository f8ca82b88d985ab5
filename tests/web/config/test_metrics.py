"""/metrics (hopeful.web.core.metrics): Prometheus text behind a bearer token, labelled by
view name, never by path."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

TOKEN = "metrics-token-for-tests-0123456789abcdef"  # noqa: S105


@pytest.fixture
def token(settings: Any) -> str:
    settings.HOPEFUL_METRICS_TOKEN = TOKEN
    return TOKEN


def test_the_endpoint_is_machine_only_and_timed_first_to_last() -> None:
    assert reverse("metrics") == "/metrics"  # not language-prefixed, the scrapers' default
    assert settings.MIDDLEWARE[0] == "django_prometheus.middleware.PrometheusBeforeMiddleware"
    assert settings.MIDDLEWARE[-1] == "django_prometheus.middleware.PrometheusAfterMiddleware"
    # the database wrappers are not swapped: dj_database_url's engines stay
    assert not settings.DATABASES["default"]["ENGINE"].startswith("django_prometheus")


@pytest.mark.django_db
def test_without_a_configured_token_metrics_do_not_exist(client: Client, settings: Any) -> None:
    settings.HOPEFUL_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    ["", f"Basic {TOKEN}", "Bearer wrong-token", f"Bearer {TOKEN}x", f"bearer{TOKEN}"],
)
def test_a_missing_or_wrong_token_is_401(client: Client, token: str, authorization: str) -> None:
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/metrics", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert response["Cache-Control"] == "no-store"
    assert b"django_http" not in response.content


@pytest.mark.django_db
def test_the_scraper_gets_prometheus_text_labelled_by_view_name_never_by_path(
    client: Client, token: str, two_tenants: dict[str, Any]
) -> None:
    link_token = two_tenants["token_a"]
    family_id = two_tenants["family_a"].public_id
    assert client.get(f"/s/{link_token}/?ref=x").status_code == 200
    client.get(f"/orgs/{two_tenants['org_a'].public_id}/families/{family_id}/")

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert 'view="survey:start"' in body
    assert "django_http_requests_latency_seconds_by_view_method" in body
    assert link_token not in body
    assert str(family_id) not in body
    assert str(two_tenants["org_a"].public_id) not in body
    # and a POST is not a scrape
    assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405
