"""Reading an empty list's box from a page, for the empty-state tests of each app.

Every empty list says, in a ``<div class="empty-state" id="...">`` box, what it will show and
the next step the person may take; the tests read that box only, so a link elsewhere on the
page (the navigation, the page's own actions) neither passes nor fails them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.test import Client

from hopeful.web.accounts.models import User
from hopeful.web.organizations.models import Organization, Program, Role
from tests.web import factories as f


@dataclass(frozen=True)
class Box:
    markup: str

    @property
    def text(self) -> str:
        """The box's words, tags dropped and spaces collapsed."""
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", self.markup)).split())

    @property
    def hrefs(self) -> list[str]:
        return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', self.markup)]


def empty_state(body: bytes | str, box_id: str) -> Box | None:
    """The empty-state box ``box_id`` of a page, or None when the page has none."""
    text = body.decode() if isinstance(body, bytes) else body
    match = re.search(rf'<div class="empty-state" id="{box_id}">(.*?)</div>', text, re.S)
    return Box(match.group(1)) if match else None


def page_box(client: Client, url: str, box_id: str) -> Box:
    """GET ``url`` (200 expected) and its empty-state box ``box_id`` (which must be there)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    box = empty_state(response.content, box_id)
    assert box is not None, f"no empty state #{box_id} on {url}"
    return box


@dataclass(frozen=True)
class EmptyOrg:
    """An organization with one program, a member in every role and nothing else: no family,
    campaign, submission, report, invitation or audit event."""

    org: Organization
    program: Program
    members: dict[str, User]

    def client(self, client: Client, role: str) -> Client:
        f.login_verified(client, self.members[role])
        return client


def make_empty_org(name: str = "Quiet Clinic") -> EmptyOrg:
    org = f.make_org(name)
    program = f.make_program(org, "Main site")
    members = {role: f.make_member(org, role, f"{role}@quiet.example.org") for role in f.ROLES}
    # the practitioner sees the families of the main site, as practitioners usually do
    org.memberships.get(role=Role.PRACTITIONER).programs.set([program])
    return EmptyOrg(org=org, program=program, members=members)
