"""The public and learner pages: the catalogue (filters, places, query bound), a training's
page, registering and cancelling through the pages, "my trainings", Spanish pages, and
outsiders getting 404 for objects they may not reach."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from hopeful.web.trainings.models import Mode, Registration, RegistrationStatus, Track
from hopeful.web.trainings.services import registration_create
from tests.web import factories as f
from tests.web.trainings.helpers import make_training

pytestmark = pytest.mark.django_db


def test_urls() -> None:
    some = uuid.uuid4()
    assert reverse("trainings:list") == "/trainings/"
    assert reverse("trainings:mine") == "/trainings/mine/"
    assert reverse("trainings:detail", args=[some]) == f"/trainings/{some}/"
    assert reverse("trainings:register", args=[some]) == f"/trainings/{some}/register/"
    assert reverse("trainings:calendar", args=[some]) == f"/trainings/{some}/calendar.ics"
    assert reverse("trainings:cancel", args=[some]) == f"/trainings/registrations/{some}/cancel/"


def test_the_catalogue_is_public_with_filters_and_places(
    client: Client, django_assert_max_num_queries
) -> None:
    trainer = f.make_user("trainer@example.org", display_name="Terry Trainer")
    full = make_training(title="Full in Wisconsin", capacity=1, trainer=trainer)
    registration_create(training=full, user=f.make_user("a@example.org"))
    make_training(
        title="Online in Spanish",
        language="es",
        mode=Mode.VIRTUAL,
        state="",
        location="",
        meeting_url="https://meet.example.org/x",
        track=Track.INTRODUCTION,
    )
    for i in range(5):
        make_training(title=f"More {i}", state="TX", trainer=trainer)
    with django_assert_max_num_queries(f.SITE_MENU_QUERIES + 6):
        response = client.get("/trainings/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Full in Wisconsin" in html
    assert "Online in Spanish" in html
    assert "waitlist" in html
    assert "Terry Trainer" in html
    assert "trainer@example.org" not in html
    assert "America/Chicago" in html
    assert "meet.example.org" not in html

    html = client.get("/trainings/?language=es&mode=virtual").content.decode()
    assert "Online in Spanish" in html
    assert "Full in Wisconsin" not in html
    html = client.get("/trainings/?state=WI").content.decode()
    assert "Full in Wisconsin" in html
    assert "Online in Spanish" not in html
    html = client.get("/trainings/?track=introduction").content.decode()
    assert "Online in Spanish" in html
    assert "More 1" not in html
    # a nonsense filter value is ignored, not an error
    assert client.get("/trainings/?state=ZZ&track=nope").status_code == 200


def test_past_and_cancelled_trainings_are_not_listed(client: Client) -> None:
    import datetime as dt

    from django.utils import timezone

    make_training(title="Old one", first=timezone.now() - dt.timedelta(days=30))
    make_training(title="Called off", status="cancelled")
    html = client.get("/trainings/").content.decode()
    assert "Old one" not in html
    assert "Called off" not in html


def test_the_spanish_catalogue_and_page(client: Client) -> None:
    training = make_training(title="Capacitación HOPE")
    response = client.get("/es/trainings/")
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()
    assert client.get(f"/es/trainings/{training.public_id}/").status_code == 200


def test_an_anonymous_visitor_is_asked_to_sign_in(client: Client) -> None:
    training = make_training()
    html = client.get(f"/trainings/{training.public_id}/").content.decode()
    assert reverse("accounts:login") in html
    assert reverse("learning:join") in html
    response = client.post(f"/trainings/{training.public_id}/register/")
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert Registration.objects.count() == 0


def test_register_and_cancel_through_the_pages(client: Client) -> None:
    training = make_training(capacity=1)
    first = f.make_user("first@example.org")
    second = f.make_user("second@example.org")
    registration_create(training=training, user=first)
    client.force_login(second)
    page = f"/trainings/{training.public_id}/"
    assert "Join the waitlist" in client.get(page).content.decode()
    response = client.post(f"{page}register/")
    assert response.status_code == 302
    client.post(f"{page}register/")  # a double post is harmless
    registration = Registration.objects.get(user=second)
    assert registration.status == RegistrationStatus.WAITLISTED
    html = client.get(page).content.decode()
    assert "position 1" in html
    assert "Leave the waitlist" in html
    response = client.post(f"/trainings/registrations/{registration.public_id}/cancel/")
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_a_refused_registration_says_why_and_changes_nothing(client: Client) -> None:
    training = make_training(registration_open=False)
    client.force_login(f.make_user("learner@example.org"))
    response = client.post(f"/trainings/{training.public_id}/register/", follow=True)
    assert "Registration for this training is closed." in response.content.decode()
    assert Registration.objects.count() == 0


def test_others_registrations_are_404(client: Client) -> None:
    training = make_training()
    owner = f.make_user("owner@example.org")
    registration = registration_create(training=training, user=owner)
    client.force_login(f.make_user("outsider@example.org"))
    url = f"/trainings/registrations/{registration.public_id}/cancel/"
    assert client.post(url).status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED
    assert client.post(f"/trainings/registrations/{uuid.uuid4()}/cancel/").status_code == 404


@pytest.mark.parametrize("suffix", ["", "calendar.ics"])
def test_unknown_trainings_are_404(client: Client, suffix: str) -> None:
    assert client.get(f"/trainings/{uuid.uuid4()}/{suffix}").status_code == 404


def test_unknown_training_register_is_404(client: Client) -> None:
    client.force_login(f.make_user("learner@example.org"))
    assert client.post(f"/trainings/{uuid.uuid4()}/register/").status_code == 404


def test_mine_lists_registrations_and_trainings_led(
    client: Client, django_assert_max_num_queries
) -> None:
    learner = f.make_user("learner@example.org")
    for i in range(4):
        registration_create(training=make_training(title=f"Training {i}"), user=learner)
    make_training(title="One I lead", trainer=learner)
    client.force_login(learner)
    with django_assert_max_num_queries(f.SITE_MENU_QUERIES + 14):
        response = client.get("/trainings/mine/")
    html = response.content.decode()
    assert response.status_code == 200
    assert all(f"Training {i}" in html for i in range(4))
    assert "One I lead" in html
    assert "0 of 3" in html


def test_mine_needs_sign_in(client: Client) -> None:
    response = client.get("/trainings/mine/")
    assert response.status_code == 302
