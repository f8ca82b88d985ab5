"""Where each person can go: the one place that decides which pages are offered as links.

An organization page is offered when its own ``org_view`` would let the role in (read from
the view, see :func:`hopeful.web.organizations.decorators.org_view_roles_for`), so a link
never leads to a 403 and a new page cannot be offered to a role its view refuses. Pages
outside any organization (the network view) follow the checks in
:mod:`hopeful.web.organizations.access`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hopeful.web.organizations.access import Access, active_support_grants, is_network_staff
from hopeful.web.organizations.decorators import org_view_roles_for
from hopeful.web.organizations.models import Membership, Role


@dataclass(frozen=True, slots=True)
class PageLink:
    label: str
    url: str
    hint: str


@dataclass(frozen=True, slots=True)
class PageGroup:
    title: str
    links: list[PageLink]


#: The organization's pages as its home page lists them: (group, [(URL name, label, hint)]).
#: Pages that need an object (a campaign, a family) are linked from these pages instead.
ORGANIZATION_PAGES: tuple[tuple[Promise, tuple[tuple[str, Promise, Promise], ...]], ...] = (
    (
        _("Numbers and reports"),
        (
            (
                "insights:dashboard",
                _("Program dashboard"),
                _("Who answered, and the strengths families shared, by program and group."),
            ),
            (
                "brightspots:org",
                _("Bright spots"),
                _("Which programs do better than expected for the families they serve."),
            ),
            (
                "reports:list",
                _("Reports"),
                _("PDF reports and long exports of the dashboard's numbers."),
            ),
            (
                "insights:program_sizes",
                _("Families each program serves"),
                _("Used to weight the all-programs numbers on the dashboard."),
            ),
        ),
    ),
    (
        _("Research"),
        (
            (
                "workspace:home",
                _("Research workspace"),
                _(
                    "Upload survey files (BRFSS, NSCH, your own) and run design-based analyses: "
                    "estimates with confidence intervals, NCHS flags and models."
                ),
            ),
            (
                "deidentified:list",
                _("De-identified exports for research"),
                _(
                    "The answers of families who agreed to research, without names or exact "
                    "dates, for a study with an approved purpose."
                ),
            ),
        ),
    ),
    (
        _("Families and surveys"),
        (
            (
                "casework:caseload",
                _("Caseload"),
                _("Your families, the next thing due first; find any family by name or code."),
            ),
            (
                "casework:reminders",
                _("Reminders"),
                _("Goals and reviews due for your families, and reviews to sign off."),
            ),
            (
                "practice:submissions",
                _("Recent submissions"),
                _("The latest answers, and each family's page."),
            ),
            (
                "casework:reviews",
                _("Case reviews due"),
                _("Reviews waiting for a supervisor's sign-off, and follow-ups due soon."),
            ),
            (
                "campaigns:list",
                _("Survey campaigns"),
                _("Questionnaires for families, and their links."),
            ),
            (
                "assets_org:list",
                _("Community strengths"),
                _(
                    "Places and programs near your families that give children positive "
                    "experiences, on the community strengths map."
                ),
            ),
            (
                "practice:export_csv",
                _("Download submissions (CSV)"),
                _("The answers of families who agreed to share them with the care team."),
            ),
        ),
    ),
    (
        _("Connect other systems"),
        (
            (
                "imports:list",
                _("Import answers from files"),
                _(
                    "Answers collected in ODK, KoboToolbox or REDCap, checked before they are stored."
                ),
            ),
            (
                "labelled:list",
                _("Files for SPSS, Stata and SAS"),
                _("Answers and scores with their labels, for your statistics package."),
            ),
            (
                "api_tokens:list",
                _("API tokens"),
                _("Let another system read or send data through the REST API or FHIR."),
            ),
            (
                "webhooks:list",
                _("Webhooks"),
                _("Tell another system at once when new answers arrive."),
            ),
        ),
    ),
    (
        _("Your organization"),
        (
            (
                "organizations:members",
                _("Members and invitations"),
                _("Who works here, their roles and programs, and support access."),
            ),
            (
                "organizations:member_invite",
                _("Invite someone"),
                _("Send an invitation by email."),
            ),
            (
                "standards:overview",
                _("Six standards self-assessment"),
                _(
                    "Your self-assessment on the six standards of HOPE-informed organizations, "
                    "the improvement plan and certification."
                ),
            ),
            (
                "directory_org:edit",
                _("Public directory listing"),
                _(
                    "How your organization appears in the HOPE trainer directory and the "
                    "Innovation Network, once certified."
                ),
            ),
            (
                "audit:events",
                _("Audit log"),
                _("Who looked at or changed what, and when."),
            ),
        ),
    ),
)

#: Pages whose view refuses access through a support grant: support staff may look and help,
#: not hand out access or change what the dashboard publishes.
NOT_THROUGH_SUPPORT = frozenset(
    {
        "organizations:member_invite",
        "insights:program_sizes",
        # who has a family on their caseload, and its contact details: the care team decides
        "casework:assign",
        "casework:contact",
        # a family's goals, celebrations and case reviews are written by its care team
        "casework:goal_new",
        "casework:celebration_new",
        "casework:review_new",
        # what the organization publishes about itself is its own decision
        "directory_org:edit",
    }
)


def may_open(access: Access, url: str) -> bool:
    """Whether ``access`` gets past the role check of the organization page at ``url``."""
    roles = org_view_roles_for(url)
    return roles is not None and access.allows(*roles)


def page_url(access: Access, name: str, **kwargs: Any) -> str:
    """The URL of the organization page ``name`` (``kwargs``: its other URL arguments) when
    this access may open it, else "": for the next step an empty list offers, so a link is
    offered only to a person its page lets in."""
    if access.via_support and name in NOT_THROUGH_SUPPORT:
        return ""
    url = reverse(name, kwargs={"org_id": access.organization.public_id, **kwargs})
    return url if may_open(access, url) else ""


def organization_pages(*, access: Access) -> list[PageGroup]:
    """The organization's pages this access may open, grouped as the home page shows them
    (groups with nothing to offer are left out)."""
    groups = []
    for title, pages in ORGANIZATION_PAGES:
        links = []
        for name, label, hint in pages:
            url = page_url(access, name)
            if url:
                links.append(PageLink(label=str(label), url=url, hint=str(hint)))
        if links:
            groups.append(PageGroup(title=str(title), links=links))
    return groups


def platform_pages(*, user: Any) -> list[PageLink]:
    """Pages outside any one organization that the user may open: the network view, the
    public site's CMS and the learning and certification staff area for network staff."""
    if not is_network_staff(user):
        return []
    return [
        PageLink(
            label=str(_("Network view")),
            url=reverse("network:dashboard"),
            hint=str(_("Protected totals across the organizations of the network.")),
        ),
        PageLink(
            label=str(_("Bright spots across the network")),
            url=reverse("brightspots_network:network"),
            hint=str(
                _("Which member organizations do better than expected for the families they serve.")
            ),
        ),
        PageLink(
            label=str(_("Edit the public site")),
            url=reverse("wagtailadmin_home"),
            hint=str(_("Pages, resources and news of the public site (the CMS).")),
        ),
        PageLink(
            label=str(_("Learning and certification")),
            url=reverse("learning:staff_home"),
            hint=str(
                _(
                    "Courses, trainings, learners, certifications and reviews; presentation "
                    "requests, events and community strengths."
                )
            ),
        ),
    ]


@dataclass(frozen=True, slots=True)
class SupportRow:
    name: str
    url: str
    """The organization's home page."""
    expires_at: dt.datetime


def support_organizations(*, user: Any) -> list[SupportRow]:
    """The organizations whose admins gave this network staff member support access, while
    it lasts (one row per organization, with the latest end)."""
    if not is_network_staff(user):
        return []
    rows: dict[int, SupportRow] = {}
    grants = (
        active_support_grants(user)
        .select_related("organization")
        .order_by("organization__name", "-expires_at")
    )
    for grant in grants:
        rows.setdefault(
            grant.organization_id,
            SupportRow(
                name=grant.organization.name,
                url=reverse("practice:home", args=[grant.organization.public_id]),
                expires_at=grant.expires_at,
            ),
        )
    return list(rows.values())


@dataclass(frozen=True, slots=True)
class AdminContact:
    """An org admin as the 403 page names them to a member: who can change a role."""

    name: str


def admin_contacts(*, organization: Any) -> list[AdminContact]:
    """The organization's admins by name (their display name, else their email address), for
    its members' 403 page. Never call it for someone outside the organization."""
    admins = (
        Membership.objects.filter(organization=organization, role=Role.ORG_ADMIN)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    return [AdminContact(name=m.user.display_name or m.user.email) for m in admins]
