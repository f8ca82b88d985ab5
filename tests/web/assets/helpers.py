"""Helpers of the community strengths tests: assets recorded through the service."""

from __future__ import annotations

from typing import Any

from hopeful.web.assets import services
from hopeful.web.assets.models import CommunityAsset


def fields(**changes: Any) -> dict[str, Any]:
    """A complete, valid set of an asset's fields (a library in Boston's 02111)."""
    data: dict[str, Any] = {
        "name": "Riverside Community Library",
        "kind": "library",
        "blocks": ["relationships", "engagement"],
        "description": "Story time for toddlers and a teen study room.",
        "address": "12 Elm Street",
        "zip_code": "02111",
        "website": "https://library.example.org/",
        "schedule": "Saturdays 10–12",
        "free": True,
        "languages": ["en", "es"],
        "visibility": "public",
    }
    data.update(changes)
    return data


def make_asset(organization: Any = None, actor: Any = None, **changes: Any) -> CommunityAsset:
    return services.asset_create(organization=organization, actor=actor, fields=fields(**changes))


def form_data(**changes: Any) -> dict[str, Any]:
    """The asset form as a browser posts it."""
    data = fields(**changes)
    posted: dict[str, Any] = {k: v for k, v in data.items() if k != "free"}
    if data.get("free"):
        posted["free"] = "on"
    return posted
