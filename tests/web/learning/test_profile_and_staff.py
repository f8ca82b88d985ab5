"""The learner profile (validation, made on first visit), and the network staff's pages:
403 for everyone else (organization admins included), 404 for an unknown learner."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from hopeful.web.audit.models import AuditEvent
from hopeful.web.learning import services
from hopeful.web.learning.models import LearnerProfile
from tests.web import factories as f
from tests.web.factories import SITE_MENU_QUERIES

pytestmark = pytest.mark.django_db

PROFILE = "/learn/profile/"


def _profile_data(**changes: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "full_name": "Jordan Lee",
        "organization_name": "",
        "sector": "education",
        "state": "NM",
        "zip_code": "87501",
        "languages": ["en"],
    }
    data.update(changes)
    return data


def test_profile_is_made_on_first_visit_and_saved(client: Client) -> None:
    user = f.make_user("jordan@example.org", display_name="Jordan")
    client.force_login(user)
    response = client.get(PROFILE)
    assert response.status_code == 200
    assert LearnerProfile.objects.get(user=user).full_name == "Jordan"
    response = client.post(PROFILE, _profile_data())
    assert response.status_code == 302
    profile = LearnerProfile.objects.get(user=user)
    assert (profile.full_name, profile.sector, profile.state, profile.zip_code) == (
        "Jordan Lee",
        "education",
        "NM",
        "87501",
    )
    assert AuditEvent.objects.filter(verb="learning.profile_updated").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"zip_code": "8750"}, "5-digit ZIP code"),
        ({"zip_code": "8750A"}, "5-digit ZIP code"),
        ({"state": "XX"}, "Select a valid choice"),
        ({"state": ""}, "This field is required"),
        ({"full_name": "   "}, "This field is required"),
        ({"languages": ["klingon"]}, "Select a valid choice"),
    ],
)
def test_profile_refuses_bad_values(client: Client, changes: dict[str, str], message: str) -> None:
    user = f.make_user("jordan@example.org")
    client.force_login(user)
    response = client.post(PROFILE, _profile_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert LearnerProfile.objects.get(user=user).state == ""


def test_profile_service_refuses_bad_zip() -> None:
    user = f.make_user("jordan@example.org")
    profile = services.learner_profile_ensure(user=user)
    with pytest.raises(Exception, match="ZIP"):
        services.learner_profile_update(profile=profile, actor=user, zip_code="123")
    profile.refresh_from_db()
    assert profile.zip_code == ""


@pytest.fixture
def staff(client: Client) -> object:
    user = f.make_user("staff@hope.example.org", is_network_staff=True)
    f.login_verified(client, user)
    return user


def _learner(email: str, name: str, state: str, sector: str, hours: str = "0") -> LearnerProfile:
    user = f.make_user(email)
    profile = services.learner_profile_ensure(user=user)
    LearnerProfile.objects.filter(pk=profile.pk).update(full_name=name, state=state, sector=sector)
    if Decimal(hours):
        for ref in ("a", "b"):
            services.ce_record_add(
                user=user,
                title=f"Course {ref}",
                hours=Decimal(hours),
                source="course",
                source_ref=ref,
                earned_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            )
    profile.refresh_from_db()
    return profile


def test_staff_pages_refuse_others(client: Client) -> None:
    org = f.make_org()
    admin = f.make_member(org, "org_admin", "admin@clinic.example.org")
    learner = _learner("l@example.org", "Lee", "TX", "education")
    urls = [
        reverse("learning:staff_home"),
        reverse("learning:staff_learners"),
        reverse("learning:staff_learner", args=[learner.public_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # signed out: to the sign-in page
    f.login_verified(client, admin)
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(f.make_user("plain@example.org"))
    for url in urls:
        assert client.get(url).status_code == 403


def test_staff_search_and_detail(
    client: Client, staff: object, django_assert_max_num_queries
) -> None:
    ana = _learner("ana@example.org", "Ana Gómez", "GA", "health_care", hours="1.5")
    _learner("bo@example.org", "Bo Chen", "TX", "education")
    for i in range(8):
        _learner(f"x{i}@example.org", f"Extra {i}", "CA", "faith", hours="1")
    assert client.get(reverse("learning:staff_home")).status_code == 200
    url = reverse("learning:staff_learners")
    with django_assert_max_num_queries(8 + SITE_MENU_QUERIES):
        html = client.get(url).content.decode()
    assert "Ana Gómez" in html
    assert "Bo Chen" in html
    assert "10 learners" in html
    html = client.get(url, {"state": "GA"}).content.decode()
    assert "Ana Gómez" in html
    assert "Bo Chen" not in html
    html = client.get(url, {"sector": "education"}).content.decode()
    assert "Bo Chen" in html
    assert "Ana Gómez" not in html
    html = client.get(url, {"q": "gómez"}).content.decode()
    assert "Ana Gómez" in html
    assert "Bo Chen" not in html
    # hours summed once per record (not multiplied by joins)
    assert ">3<" in html
    detail = client.get(reverse("learning:staff_learner", args=[ana.public_id]))
    assert detail.status_code == 200
    assert "ana@example.org" in detail.content.decode()
    assert "Course a" in detail.content.decode()


def test_staff_learner_unknown_is_404(client: Client, staff: object) -> None:
    assert client.get(reverse("learning:staff_learner", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/staff/learners/not-a-uuid/").status_code == 404
