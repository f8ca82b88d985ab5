"""Network test data: several network organizations in a few states and kinds, each with
families, consent and scored pce7 submissions (synthetic data only)."""

from __future__ import annotations

import datetime as dt

from hopeful.web.families.models import ConsentPurpose
from hopeful.web.organizations.models import Organization, Role
from tests.web import factories as f
from tests.web.insights.factories import add_submissions

BOTH = (ConsentPurpose.CARE, ConsentPurpose.PROGRAM_IMPROVEMENT)


def network_org(
    name: str,
    state: str,
    kind: str,
    count: int,
    *,
    consent: tuple[str, ...] = BOTH,
    network: bool = True,
    when: dt.datetime | None = None,
    start: int = 0,
) -> Organization:
    org = f.make_org(name, state=state, kind=kind, network_member=network)
    program = f.make_program(org, "Main site")
    admin = f.make_member(org, Role.ORG_ADMIN)
    campaign = f.make_campaign(org, program, admin)
    link, _token = f.make_link(campaign, admin)
    add_submissions(program, campaign, link, count, consent=consent, when=when, start=start)
    return org


def add_to(
    org: Organization,
    count: int,
    *,
    consent: tuple[str, ...],
    start: int,
    when: dt.datetime | None = None,
) -> None:
    program = org.programs.get()
    campaign = org.campaigns.get()  # type: ignore[attr-defined]
    link = campaign.links.get()
    add_submissions(program, campaign, link, count, consent=consent, start=start, when=when)


def network(sizes: dict[tuple[str, str], list[int]]) -> list[Organization]:
    """Organizations named ``Org <state> <kind> <i>``, one per size."""
    out = []
    for (state, kind), counts in sizes.items():
        for i, count in enumerate(counts):
            out.append(network_org(f"Org {state} {kind} {i}", state, kind, count, start=i * 1000))
    return out
