from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from hopeful.web.accounts.models import User
from hopeful.web.core.demo import DEMO_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_it_shows_an_accessible_sign_in_form(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<label for="id_username">Email address</label>' in content
    assert 'type="email"' in content
    assert 'autocomplete="email"' in content
    assert '<label for="id_password">Password</label>' in content
    assert 'autocomplete="current-password"' in content


def test_it_shows_the_sign_in_form_in_spanish(client: Client) -> None:
    content = client.get("/es/accounts/login/").content.decode()
    assert '<html lang="es">' in content
    assert "Iniciar sesión" in content
    assert "Correo electrónico" in content


def test_it_signs_a_user_in_and_out(client: Client, alice: User, password: str) -> None:
    response = client.post(
        "/accounts/login/", {"username": "alice@example.org", "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/orgs/"  # staff land on their organizations
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert "Sign out" in client.get("/").content.decode()

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_does_not_sign_out_on_a_get(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_it_explains_a_wrong_password_without_saying_which_part_was_wrong(
    client: Client, alice: User
) -> None:
    response = client.post(
        "/accounts/login/", {"username": "alice@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "Please enter a correct email address and password" in content
    assert "_auth_user_id" not in client.session


@override_settings(DEBUG=True)
def test_it_lets_the_demo_user_sign_in(client: Client) -> None:
    # the demo's accounts only: the families and the public site do not change signing in
    call_command("load_demo", "--no-site", "--no-families", stdout=StringIO())
    response = client.post(
        "/accounts/login/", {"username": DEMO_EMAIL, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].email == DEMO_EMAIL
    assert response.context["user"].is_staff


def test_it_redirects_to_next_after_sign_in(client: Client, alice: User, password: str) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": "alice@example.org", "password": password, "next": "/instruments/"},
    )
    assert response["Location"] == "/instruments/"
