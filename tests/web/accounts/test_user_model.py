from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from hopeful.web.accounts.models import User

pytestmark = pytest.mark.django_db


def test_it_is_the_configured_user_model_with_email_as_the_login() -> None:
    assert get_user_model() is User
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(User, "username") or User.username is None
    assert "username" not in {f.name for f in User._meta.get_fields()}


def test_it_creates_users_with_a_lowercased_email_and_a_random_public_uuid() -> None:
    ana = User.objects.create_user("Ana@Example.ORG", "a long password 1")
    ben = User.objects.create_user("ben@example.org", "a long password 2")
    assert ana.email == "ana@example.org"
    assert isinstance(ana.public_id, uuid.UUID)
    assert ana.public_id != ben.public_id
    assert ana.preferred_language == "en"
    assert not ana.is_staff
    assert not ana.is_superuser


def test_it_signs_in_by_email_whatever_its_case(alice: User, password: str) -> None:
    assert authenticate(username="alice@example.org", password=password) == alice
    assert authenticate(username="ALICE@example.org", password=password) == alice
    assert authenticate(username="alice@example.org", password="wrong") is None  # noqa: S106


def test_it_refuses_a_second_account_for_the_same_email_in_another_case(alice: User) -> None:
    with pytest.raises(ValidationError):
        User.objects.create_user("Alice@Example.org", "another password")


def test_it_refuses_a_user_without_an_email() -> None:
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user("", "a long password")


def test_it_creates_superusers_that_are_staff() -> None:
    admin = User.objects.create_superuser("root@example.org", "a long password")
    assert admin.is_staff
    assert admin.is_superuser
    with pytest.raises(ValueError, match="is_staff"):
        User.objects.create_superuser("x@example.org", "pw", is_staff=False)


def test_it_names_users_by_display_name_or_email(alice: User) -> None:
    assert str(alice) == "alice@example.org"
    assert alice.get_short_name() == "Alice"
    assert User(email="b@example.org").get_full_name() == "b@example.org"


def test_it_lets_staff_manage_users_in_the_admin(client: Client) -> None:
    admin = User.objects.create_superuser("root@example.org", "a long password")
    client.force_login(admin)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200
    assert client.get(f"/admin/accounts/user/{admin.pk}/change/").status_code == 200
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New@Example.org",
            "usable_password": "true",
            "password1": "a long password 9",
            "password2": "a long password 9",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(email="new@example.org").exists()
