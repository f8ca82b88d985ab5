"""Reading community strengths: who may see which asset, and the search by ZIP and radius.

The one rule of visibility lives here (:func:`visible_assets`): archived assets are never
shown; public assets are shown to everyone; members-only assets to signed-in members of any
organization and to network staff (:func:`sees_members_only`). Every page, the HSDS export
(:func:`public_assets`) and the visit guide (:func:`nearby_assets`) go through it.

Distances are great-circle miles between ZIP centroids (:mod:`hopeful.geo`): the database
keeps what lies in the radius' bounding box, :func:`hopeful.geo.nearest` keeps what lies in
the circle (its edge included) and sorts nearest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from hopeful import geo
from hopeful.web.assets.models import CommunityAsset, Visibility
from hopeful.web.organizations.access import is_network_staff, organizations_for_user


def sees_members_only(user: Any) -> bool:
    """Whether ``user`` may see members-only assets: a member of at least one organization
    (any role), or network staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_network_staff(user) or organizations_for_user(user).exists()


def visible_assets(*, include_members: bool = False) -> QuerySet[CommunityAsset]:
    """Assets that are not archived and that the viewer may see: public ones, and the
    members-only ones too when ``include_members``."""
    assets = CommunityAsset.objects.filter(archived_at__isnull=True)
    if not include_members:
        assets = assets.filter(visibility=Visibility.PUBLIC)
    return assets


def public_assets() -> QuerySet[CommunityAsset]:
    """The assets anyone may see, with a point (for the HSDS export): public, not archived,
    with a latitude and longitude; ordered by name."""
    return visible_assets(include_members=False).filter(
        latitude__isnull=False, longitude__isnull=False
    )


def search(
    centre: geo.Place,
    *,
    radius: float,
    blocks: Iterable[str] | None = None,
    kind: str = "",
    include_members: bool = False,
) -> list[tuple[float, CommunityAsset]]:
    """``(miles, asset)`` for the visible assets within ``radius`` miles of ``centre`` (the
    edge included), nearest first (ties by name). ``blocks``: keep assets tagged with any of
    them; ``kind``: keep assets of that kind."""
    box = geo.bounding_box(centre.latitude, centre.longitude, radius)
    assets = visible_assets(include_members=include_members).filter(
        latitude__range=(box.south, box.north), longitude__range=(box.west, box.east)
    )
    if kind:
        assets = assets.filter(kind=kind)
    wanted = set(blocks or ())
    candidates: Iterable[CommunityAsset] = assets.order_by("name", "pk")
    if wanted:
        # JSON containment differs between SQLite and PostgreSQL: filter the few candidates.
        candidates = [a for a in candidates if wanted.intersection(a.blocks)]
    return geo.nearest(centre, candidates, lambda a: a.point, radius)


def nearby_assets(
    zip_code: str,
    *,
    radius: float = 10,
    blocks: Iterable[str] | None = None,
    include_members: bool = False,
    limit: int = 5,
) -> list[tuple[float, CommunityAsset]]:
    """The visit guide's suggestions: at most ``limit`` ``(miles, asset)`` pairs for the
    assets within ``radius`` miles of the centre of ``zip_code`` (edge included), nearest
    first, tagged with any of ``blocks`` (all assets when None or empty). Members-only
    assets only when ``include_members`` (pass :func:`sees_members_only` of the
    practitioner). Raises :class:`hopeful.geo.ZipError` for a malformed or unknown ZIP."""
    centre = geo.zip_place(zip_code)
    found = search(centre, radius=radius, blocks=blocks, include_members=include_members)
    return found[: max(0, limit)]


def asset_for_viewer(public_id: Any, user: Any) -> CommunityAsset:
    """An asset's public page: 404 when archived, missing, or members-only for someone who
    may not see it."""
    asset = (
        visible_assets(include_members=sees_members_only(user)).filter(public_id=public_id).first()
    )
    if asset is None:
        raise Http404
    return asset


def organization_assets(organization: Any) -> QuerySet[CommunityAsset]:
    """The assets an organization recorded and has not archived (``None``: the network
    staff's own)."""
    assets = CommunityAsset.objects.filter(archived_at__isnull=True)
    if organization is None:
        return assets.filter(organization__isnull=True)
    return assets.filter(organization=organization)


def organization_asset(organization: Any, public_id: Any) -> CommunityAsset:
    """One not-archived asset of ``organization`` (``None``: the network staff's); anything
    else, another organization's included, is 404."""
    asset = organization_assets(organization).filter(public_id=public_id).first()
    if asset is None:
        raise Http404
    return asset
