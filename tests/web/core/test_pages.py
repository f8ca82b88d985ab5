from __future__ import annotations

import html
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from hopeful.framework import BUILDING_BLOCKS
from hopeful.web.config import urls as root_urls
from tests.web import factories as f


def private_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("private")


# Used by @pytest.mark.urls(__name__): the real URLs plus a view nobody marked public.
urlpatterns = [path("private/", private_view), *root_urls.urlpatterns]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("prefix", "language"), [("", "en"), ("/es", "es")])
def test_it_shows_the_four_building_blocks_on_the_home_page_in_the_language(
    client: Client, prefix: str, language: str
) -> None:
    response = client.get(f"{prefix}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    for block in BUILDING_BLOCKS:
        assert html.escape(block.name.get_text(language)) in content
        assert html.escape(block.description.get_text(language)) in content


def test_it_translates_the_interface_on_the_spanish_home_page(client: Client) -> None:
    content = client.get("/es/").content.decode()
    assert "Los cuatro bloques fundamentales de HOPE" in content
    assert "Saltar al contenido principal" in content
    assert "Cuestionarios" in content


def test_it_lays_out_every_page_with_landmarks_a_skip_link_and_a_viewport(
    client: Client,
) -> None:
    content = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in content
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in content
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in content
    assert "/static/hopeful/css/hopeful.css" in content
    assert 'media="print"' in content


def test_it_links_to_the_same_page_in_the_other_language_without_javascript(
    client: Client,
) -> None:
    english = client.get("/instruments/").content.decode()
    assert '<a href="/es/instruments/" lang="es" hreflang="es">Español</a>' in english
    spanish = client.get("/es/instruments/").content.decode()
    assert '<a href="/instruments/" lang="en" hreflang="en">English</a>' in spanish


def test_it_sends_security_headers_and_a_content_security_policy(client: Client) -> None:
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("autorefresh", [False, True], ids=["production", "tests"])
def test_it_serves_the_vendored_static_files_without_collectstatic(
    settings: Any, autorefresh: bool
) -> None:
    # Production reads the files once when the middleware starts; the test settings look them
    # up per request (settings_test.py). A new client starts the middleware with either.
    settings.WHITENOISE_AUTOREFRESH = autorefresh
    client = Client()
    for name in ("hopeful/css/hopeful.css", "hopeful/css/print.css", "hopeful/js/print.js"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content)


def test_it_shows_a_translated_404_page(client: Client) -> None:
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


@pytest.mark.urls(__name__)
def test_it_asks_for_sign_in_on_every_page_not_marked_public(client: Client) -> None:
    response = client.get("/private/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/private/"


def test_the_header_links_signed_in_people_to_their_organizations_and_staff_to_the_network(
    client: Client,
) -> None:
    assert 'href="/orgs/"' not in client.get("/").content.decode()
    client.force_login(f.make_user("someone@example.org"))
    header = client.get("/").content.decode().split("</header>")[0]
    assert '<a href="/orgs/">My organizations</a>' in header
    assert 'href="/network/"' not in header
    client.force_login(f.make_user("staff@hope.example.org", is_network_staff=True))
    header = client.get("/es/").content.decode().split("</header>")[0]
    assert '<a href="/es/orgs/">Mis organizaciones</a>' in header
    assert '<a href="/es/network/">Vista de la red</a>' in header
    page = client.get("/network/").content.decode().split("</header>")[0]
    assert '<a href="/network/" aria-current="page">Network view</a>' in page
