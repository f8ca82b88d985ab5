"""Plain factory functions for the web tests (synthetic data only)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hopeful.web.accounts.models import User
from hopeful.web.families.models import Child, ConsentPurpose, ConsentRecord, Family
from hopeful.web.organizations.models import Membership, Organization, Program, Role
from hopeful.web.surveys.models import Campaign, CampaignLink, CampaignStatus, LinkKind

PASSWORD = "correct horse battery staple"  # noqa: S105


def make_org(name: str = "Sunrise Clinic", **kw: Any) -> Organization:
    kw.setdefault("kind", "clinic")
    kw.setdefault("state", "WI")
    return Organization.objects.create(name=name, **kw)


def make_program(org: Organization, name: str = "Home visits") -> Program:
    return Program.objects.create(organization=org, name=name)


def make_user(email: str, **kw: Any) -> User:
    return User.objects.create_user(email, PASSWORD, **kw)


def make_member(
    org: Organization,
    role: str,
    email: str | None = None,
    programs: list[Program] | None = None,
    **kw: Any,
) -> User:
    user = make_user(email or f"{role}.{org.public_id.hex[:6]}@example.org")
    membership = Membership.objects.create(user=user, organization=org, role=role, **kw)
    if programs:
        membership.programs.set(programs)
    return user


def make_family(org: Organization, program: Program, name: str = "Rivera", **kw: Any) -> Family:
    return Family.objects.create(organization=org, program=program, display_name=name, **kw)


def make_child(family: Family, birth_month: dt.date = dt.date(2022, 3, 1)) -> Child:
    return Child.objects.create(
        organization=family.organization, family=family, birth_month=birth_month
    )


def grant_consent(family: Family, *purposes: str, language: str = "en") -> None:
    for purpose in purposes or [p.value for p in ConsentPurpose]:
        ConsentRecord.objects.create(
            organization=family.organization,
            family=family,
            purpose=purpose,
            granted=True,
            text_version="2026-1",
            language=language,
        )


def make_campaign(
    org: Organization,
    program: Program,
    creator: User,
    instruments: list[dict[str, str]] | None = None,
    status: str = CampaignStatus.OPEN,
) -> Campaign:
    return Campaign.objects.create(
        organization=org,
        program=program,
        name="Family strengths 2026",
        instruments=instruments or [{"id": "pce7", "version": "1.0"}],
        languages=["en", "es"],
        status=status,
        created_by=creator,
        opened_at=timezone.now() if status == CampaignStatus.OPEN else None,
    )


def make_link(
    campaign: Campaign, creator: User, kind: str = LinkKind.PUBLIC, **kw: Any
) -> tuple[CampaignLink, str]:
    """A link and its plaintext token (only its SHA-256 hash is stored)."""
    token = secrets.token_urlsafe(32)
    link = CampaignLink.objects.create(
        organization=campaign.organization,
        campaign=campaign,
        kind=kind,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        created_by=creator,
        **kw,
    )
    return link, token


def login_verified(client: Client, user: User) -> TOTPDevice:
    """Sign ``user`` in with a confirmed TOTP device, as after a successful second factor."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device


ROLES = [role.value for role in Role]


#: Queries the public site's menu (header and footer of every page) costs when it is not in
#: the cache: in a running site once a minute per process, here at each test's first request
#: (tests start with an empty cache). Query bounds of pages add it.
SITE_MENU_QUERIES = 4
