"""The demo's other HOPE Innovation Network members: small synthetic organizations beside
Sunrise Pediatrics, so the network view has states and kinds of organization with at least
three members each to show (a cell of one or two organizations is never shown).

Each has one program, one campaign asking pce7 and an org admin (who made the campaign); they
have no other staff and are not listed among the demo's accounts.

Two differ on purpose, so the network's bright spots page has something to find: Maple
Street School's families report clearly more positive experiences than families like them
elsewhere, and Iron Range Health's fewer (their "strength shift")."""

from __future__ import annotations

from typing import Any

#: Families per peer organization (whatever ``--families`` asks of the main two).
PEER_FAMILIES = 120

_PEERS = [
    # (slug, name, kind, state, Spanish share, strength shift, zip3)
    ("lakeview", "Lakeview Family Clinic", "clinic", "WI", 0.15, 0.02, ["537", "539"]),
    ("northwoods", "Northwoods Pediatrics", "clinic", "WI", 0.05, -0.02, ["545", "544"]),
    ("prairie-school", "Prairie Elementary", "school", "WI", 0.25, 0.0, ["535", "537"]),
    ("riverside-school", "Riverside Early Learning", "school", "WI", 0.3, -0.05, ["532"]),
    ("maple-school", "Maple Street School", "school", "WI", 0.1, 0.45, ["549", "541"]),
    ("twin-lakes", "Twin Lakes Clinic", "clinic", "MN", 0.1, 0.03, ["554", "553"]),
    ("iron-range", "Iron Range Health", "clinic", "MN", 0.02, -0.2, ["557"]),
    ("st-croix", "St. Croix Family Medicine", "clinic", "MN", 0.08, 0.0, ["550", "551"]),
]


def peer_specs() -> list[dict[str, Any]]:
    """The peers in the shape of :data:`hopeful.web.core.demo.ORGANIZATIONS`, marked
    ``peer``."""
    return [
        {
            "slug": slug,
            "name": name,
            "kind": kind,
            "state": state,
            "network_member": True,
            "peer": True,
            "programs": [
                {
                    "name": "Main site",
                    "share": 1.0,
                    "spanish": spanish,
                    "strength": strength,
                    "zip3": zip3,
                }
            ],
            "campaign": "Family strengths 2026",
            "instruments": ["pce7"],
            "child_months": (0, 190),
        }
        for slug, name, kind, state, spanish, strength, zip3 in _PEERS
    ]
