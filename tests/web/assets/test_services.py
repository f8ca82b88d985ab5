"""Recording, changing and archiving an asset: the ZIP code places it, bad input stores
nothing and says which field is wrong, every write is audited with its organization."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from hopeful.web.assets import services
from hopeful.web.assets.models import CommunityAsset
from hopeful.web.audit.models import AuditEvent
from tests.web import factories as f
from tests.web.assets.helpers import fields, make_asset

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 15, 0, tzinfo=dt.UTC)


def test_create_places_the_asset_by_its_zip_code_and_audits() -> None:
    org = f.make_org("Sunrise Pediatrics")
    admin = f.make_member(org, "org_admin")
    asset = make_asset(org, admin, zip_code="02139-4307", blocks=["engagement", "relationships"])
    assert (asset.zip_code, asset.city, asset.state) == ("02139", "Cambridge", "MA")
    assert asset.point == pytest.approx((42.3647, -71.1042))
    assert asset.blocks == ["relationships", "engagement"]  # the framework's order
    assert asset.recorded_by == admin
    event = AuditEvent.objects.get(verb="assets.create")
    assert event.organization == org
    assert event.actor == admin
    assert event.object_id == str(asset.public_id)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"zip_code": "2111"}, "zip_code", "Enter a 5-digit ZIP code, for example 02111."),
        (
            {"zip_code": "00000"},
            "zip_code",
            "We don't know the ZIP code 00000. Check it and try again.",
        ),
        ({"blocks": []}, "blocks", "Choose at least one building block."),
        ({"blocks": ["relationships", "joy"]}, "blocks", "Choose building blocks from the list."),
        ({"languages": ["xx"]}, "languages", "Choose languages from the list."),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"name": "   "}, "name", "cannot be blank"),
        ({"kind": "casino"}, "kind", "is not a valid choice"),
        ({"visibility": "secret"}, "visibility", "is not a valid choice"),
        ({"website": "not a url"}, "website", "Enter a valid URL"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.asset_create(organization=None, actor=None, fields=fields(**changes))
    assert field in caught.value.message_dict
    assert any(words in message for message in caught.value.message_dict[field])
    assert not CommunityAsset.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="assets.").exists()


def test_update_replaces_the_fields_and_moves_the_point() -> None:
    staff = f.make_user("staff@hope.example.org", is_network_staff=True)
    asset = make_asset(None, staff)
    changed = services.asset_update(
        asset=asset, actor=staff, fields=fields(zip_code="87102", name="Mesa Youth Center")
    )
    assert (changed.city, changed.state, changed.name) == ("Albuquerque", "NM", "Mesa Youth Center")
    event = AuditEvent.objects.get(verb="assets.update")
    assert event.organization is None
    assert event.extra["changed"] == ["name", "zip_code"]


def test_a_refused_update_changes_nothing() -> None:
    asset = make_asset()
    with pytest.raises(ValidationError):
        services.asset_update(asset=asset, actor=None, fields=fields(name="New", zip_code="9"))
    asset.refresh_from_db()
    assert (asset.name, asset.zip_code) == ("Riverside Community Library", "02111")
    assert not AuditEvent.objects.filter(verb="assets.update").exists()


def test_archive_once_is_audited_and_an_archived_asset_cannot_change() -> None:
    org = f.make_org()
    user = f.make_member(org, "practitioner")
    asset = make_asset(org, user)
    services.asset_archive(asset=asset, actor=user, now=NOW)
    services.asset_archive(asset=asset, actor=user)
    asset.refresh_from_db()
    assert asset.archived_at == NOW
    assert AuditEvent.objects.filter(verb="assets.archive", organization=org).count() == 1
    with pytest.raises(ValidationError):
        services.asset_update(asset=asset, actor=user, fields=fields(name="Again"))
