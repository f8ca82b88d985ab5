"""The directory's demo data: real ZIP codes in each person's state, the demo trainer found
near 02111, some people not shown, organizations listed and joined to the network; the same
on a second run (nothing added)."""

from __future__ import annotations

import pytest

from hopeful import geo
from hopeful.framework.certification import State
from hopeful.web.directory import rules, selectors
from hopeful.web.directory.demo import PEOPLE_DOMAIN, TRAINER_EMAIL, directory_demo_load
from hopeful.web.directory.models import Listing, ListingKind
from hopeful.web.learning.models import LearnerProfile
from hopeful.web.organizations.models import Organization
from tests.web import factories as f
from tests.web.directory.helpers import (
    certify,
    fixed_time,  # noqa: F401 - autouse: the tests run at NOW
)

pytestmark = pytest.mark.django_db

STATES = [("MA", "021"), ("WI", "537"), ("NM", "871"), ("TX", "782")]


def _people(count: int) -> None:
    for n in range(count):
        state, zip3 = STATES[n % len(STATES)]
        user = f.make_user(f"person-{n:04d}@{PEOPLE_DOMAIN}", display_name=f"Person {n}")
        LearnerProfile.objects.create(
            user=user, full_name=f"Person {n}", state=state, zip_code=f"{zip3}{n:02d}",
            sector="education", languages=["en"],
        )  # fmt: skip
        certify(user=user, state=State.SUSPENDED if n % 10 == 9 else State.CERTIFIED)
    trainer = f.make_user(TRAINER_EMAIL, display_name="Tess Okafor")
    LearnerProfile.objects.create(
        user=trainer, full_name="Tess Okafor", state="WI", zip_code="53701"
    )
    certify(user=trainer)
    for n in range(9):
        org = f.make_org(f"Lakeside Pediatrics {n}", state=STATES[n % 4][0], kind="community")
        certify(organization=org)
    f.make_org("Uncertified Family Center", state="MA", kind="community")


def test_the_demo_lists_people_at_real_zip_codes_and_is_idempotent() -> None:
    _people(60)
    counts = directory_demo_load()
    people = Listing.objects.filter(kind=ListingKind.PERSON)
    assert counts["person_listings"] == people.count()
    assert 25 <= counts["person_listings"] <= 45  # about 60% of 54 valid + the trainer
    assert counts["person_listings_not_shown"] == people.filter(opted_in=False).count()
    for listing in people:
        place = geo.zip_place(listing.zip_code)
        assert (place.latitude, place.longitude, place.state) == (
            listing.latitude, listing.longitude, listing.state,
        )  # fmt: skip
        assert (
            listing.state == listing.user.learner_profile.state
            or listing.user.email == TRAINER_EMAIL
        )
        assert "en" in listing.languages
    assert (
        not people.filter(user__certifications__state=State.SUSPENDED.value, opted_in=True)
        .filter(pk__in=rules.listed())
        .exists()
    )
    hits = selectors.trainers_search(selectors.Search(place=geo.zip_place("02111")))
    assert TRAINER_EMAIL in [h.listing.user.email for h in hits if h.listing.user]
    assert counts["organization_listings"] == 9
    assert (
        counts["network_members_added"] == Organization.objects.filter(network_member=True).count()
    )
    assert 3 <= counts["network_members_added"] <= 9
    assert (
        Organization.objects.filter(network_member=True, kind="clinic").count()
        == counts["network_members_added"]
    )
    assert len(selectors.network_members()) == counts["network_members_added"]
    before = list(Listing.objects.order_by("pk").values_list("zip_code", "opted_in"))
    again = directory_demo_load()
    assert again == {
        "person_listings": 0,
        "person_listings_not_shown": 0,
        "organization_listings": 0,
        "network_members_added": 0,
    }
    assert list(Listing.objects.order_by("pk").values_list("zip_code", "opted_in")) == before
