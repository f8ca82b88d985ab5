"""The demo's community strengths: about sixty, every block and area, some members-only and
archived, Sunrise Pediatrics' own in Madison; loading twice adds nothing."""

from __future__ import annotations

import pytest

from hopeful.framework.blocks import BLOCK_IDS
from hopeful.web.assets.demo import assets_demo_load
from hopeful.web.assets.models import CommunityAsset
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once() -> None:
    staff = f.make_user("network@example.org", is_network_staff=True)
    sunrise = f.make_org("Sunrise Pediatrics")
    admin = f.make_member(sunrise, "org_admin")
    lines: list[str] = []
    first = assets_demo_load(progress=lines.append)
    assert first["created"] == 60
    assert first["members_only"] > 0
    assert first["archived"] > 0
    assert lines
    assets = list(CommunityAsset.objects.all())
    assert len(assets) == 60
    assert {a.zip_code[:3] for a in assets} == {"021", "871", "537", "981"}
    assert {b for a in assets for b in a.blocks} == set(BLOCK_IDS)
    assert all(a.point is not None and a.city for a in assets)
    own = [a for a in assets if a.organization == sunrise]
    assert own
    assert {a.zip_code[:3] for a in own} == {"537"}
    assert {a.recorded_by for a in own} == {admin}
    assert {a.recorded_by for a in assets if a.organization is None} == {staff}

    again = assets_demo_load()
    assert again["created"] == 0
    assert again["existing"] == 60
    assert CommunityAsset.objects.count() == 60


def test_the_demo_needs_no_organization() -> None:
    counts = assets_demo_load()
    assert counts["created"] == 60
    assert not CommunityAsset.objects.filter(organization__isnull=False).exists()
