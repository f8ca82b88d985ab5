"""Every page a role may open is reachable by clicking from where sign-in lands.

For each kind of person (each organization role, network staff with and without a support
grant, a signed-in person with no organization) the test signs in through the real sign-in
pages (with the two-factor code where the role needs one), in English and in Spanish, then
follows links (``<a href>`` and the actions of GET forms) from the page sign-in lands on,
with the Django test client and within the site only. It fails listing every page the
person may open that no click reached, and every link that leads to a refusal, an error or
out of the page's language. A page about one object (a campaign, a family, a report) counts
as reached when a link to any one of them was followed.

Which pages a person may open comes from the URL inventory: the organization pages and
their roles are ``ROLE_MATRIX`` of ``tests/web/test_role_matrix.py`` (its GET rows; POST
rows are actions behind buttons, not pages; support staff get the org admin's pages except
:data:`SUPPORT_REFUSED`); the few pages outside organizations are :data:`OTHER_PAGES`. Every
other named URL must be in :data:`NOT_LINKED` with the reason no link leads there, so a new
URL forces a decision here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from hopeful.web.accounts.models import User
from hopeful.web.learning.services import learner_profile_ensure
from hopeful.web.organizations.models import Role, SupportGrant
from hopeful.web.reports.models import Report, ReportStatus
from hopeful.web.trainings.services import registration_create
from tests.web import factories as f
from tests.web.accounts.helpers import code_for
from tests.web.practice.factories import make_submission
from tests.web.test_role_matrix import OK, ROLE_MATRIX
from tests.web.test_url_inventory import (
    asset_a,
    data_file_a,
    deidentified_export_a,
    goal_a,
    import_batch_a,
    iter_urls,
    research_analysis_a,
    review_a,
    standards_action_a,
    standards_assessment_a,
    visit_a,
    webhook_a,
)
from tests.web.trainings.helpers import make_training

NETWORK_STAFF, SUPPORT_STAFF = "network_staff", "support_staff"
NO_ORGANIZATION = "no_organization"
PEOPLE = [*f.ROLES, NETWORK_STAFF, SUPPORT_STAFF, NO_ORGANIZATION]

#: Organization pages whose views refuse access through a support grant: support staff look
#: and help; they do not hand out access or change what the dashboard publishes.
SUPPORT_REFUSED = frozenset(
    {
        "organizations:member_invite",
        "organizations:member_edit",
        "organizations:member_remove",
        # a member's second factor is theirs and their admin's; support staff cannot reset it
        "organizations:member_second_factor_reset",
        "organizations:support_grant",
        "insights:program_sizes",
        # who has a family on their caseload, and its contact details: the care team decides
        "casework:assign",
        "casework:contact",
        # a family's goals, celebrations and case reviews are written by its care team
        "casework:goal_new",
        "casework:celebration_new",
        "casework:review_new",
        # the self-assessment's plan is the organization's own: support staff read it
        "standards:action_new",
        "standards:action_edit",
        # what the organization publishes is its own decision: its directory listing, and the
        # community strengths its care team records
        "directory_org:edit",
        "assets_org:new",
        "assets_org:edit",
        "assets_org:archive",
        # support staff see the research pages; they neither add, analyze nor take data away
        "deidentified:download",
        "deidentified:dictionary",
        "workspace:upload",
        "workspace:analysis_choose",
        "workspace:analysis_new",
        "workspace:analysis_download",
        "workspace:file_delete",
        # identifiable files leave only with the organization's own people
        "labelled:download",
        "labelled:formats",
        # where the organization's webhooks send is its own decision
        "webhooks:delete",
    }
)

#: Pages outside any organization: URL name -> who may open them (by the person's kind).
OTHER_PAGES: dict[str, Callable[[str], bool]] = {
    "core:home": lambda person: True,
    "instruments:list": lambda person: True,
    "instruments:detail": lambda person: True,
    "instruments:version": lambda person: True,
    # the questionnaire as files for other tools, linked from its page (under its version)
    "instruments:version_xlsform": lambda person: True,
    "instruments:version_redcap_dictionary": lambda person: True,
    # where sign-in lands: the person's organizations
    "practice:organizations": lambda person: True,
    "network:dashboard": lambda person: person in (NETWORK_STAFF, SUPPORT_STAFF),
    # which member organizations do better than expected ("Bright spots across the network")
    "brightspots_network:network": lambda person: person in (NETWORK_STAFF, SUPPORT_STAFF),
    # the CMS admin's start page ("Edit the public site" in network staff's header)
    "wagtailadmin_home": lambda person: person in (NETWORK_STAFF, SUPPORT_STAFF),
    # the newsletter's counts (linked from the network view) and its CSV download
    "newsletter:subscribers": lambda person: person in (NETWORK_STAFF, SUPPORT_STAFF),
    "newsletter:export": lambda person: person in (NETWORK_STAFF, SUPPORT_STAFF),
    # learning: the catalogue ("Learn" in the header), the trainings (linked from it) and
    # everyone's own learning, trainings and certificates (linked where sign-in lands)
    "learning:catalogue": lambda person: True,
    "learning:home": lambda person: True,
    "learning:profile": lambda person: True,
    "trainings:list": lambda person: True,
    "trainings:detail": lambda person: True,
    "trainings:calendar": lambda person: True,
    "trainings:mine": lambda person: True,
    "certification:mine": lambda person: True,
    # everyone's own account security (passkeys, recovery codes, sessions), in the header
    "accounts:security": lambda person: True,
    # the learning and certification staff area ("Learning and certification" for network
    # staff); never any organization's families
    **{
        name: lambda person: person in (NETWORK_STAFF, SUPPORT_STAFF)
        for name in [
            "learning:staff_home",
            "learning:staff_learners",
            "learning:staff_learner",
            "trainings:staff_list",
            "trainings:staff_new",
            "trainings:staff_detail",
            "trainings:staff_edit",
            "trainings:roster_csv",
            "trainings:attendance",
            "certification:staff_list",
            "certification:staff_reviews",
            "presentations:queue",
            "events:staff_list",
            "events:staff_new",
            "assets:staff_list",
            "assets:staff_new",
            "operations:job_list",
            "operations:job_detail",
        ]
    },
    # the public network, in every page's footer ("Find a trainer" and "Events" also in the
    # header); a certified person's own listing is linked from My certificates
    "directory:search": lambda person: True,
    "directory:members": lambda person: True,
    "figures:figures": lambda person: True,
    "presentations:request": lambda person: True,
    "events:list": lambda person: True,
    "assets:map": lambda person: True,
}

#: Named URLs no click is expected to reach once signed in, and why.
NOT_LINKED: dict[str, str] = {
    "instruments:xlsform": "the latest version's XLSForm, for scripts and documentation (the "
    "questionnaire page links the file of the version it shows)",
    "instruments:redcap_dictionary": "the latest version's REDCap dictionary, for scripts and "
    "documentation (the questionnaire page links the file of the version it shows)",
    "health": "a machine endpoint for load balancers and monitoring",
    "accounts:login": "the sign-in page itself (the test starts there)",
    "accounts:logout": "POST only (the Sign out button); the crawl must not sign out",
    "accounts:two_factor": "a sign-in step, reached by the sign-in redirect itself",
    "accounts:two_factor_setup": "a sign-in step, reached by the sign-in redirect itself",
    "accounts:password_reset": "for signed-out people (linked from the sign-in page)",
    "accounts:password_reset_done": "the answer to the reset form (a POST)",
    "accounts:password_reset_confirm": "opened from the emailed reset link (a token)",
    "accounts:password_reset_complete": "the answer to the new-password form (a POST)",
    "accounts:invitation_accept": "opened from the emailed invitation link (a token)",
    "survey:api_submit": "the JSON API for queueing clients (POST only)",
    "newsletter:signup": "the public site's newsletter sign-up, for anyone (signed out too)",
    "newsletter:confirm": "opened from the emailed confirmation link (a token)",
    "newsletter:unsubscribe": "opened from the unsubscribe link of a newsletter email (a token)",
    "wagtail_serve": "the public site's pages: this crawl's data has none but the home page "
    "(tests/e2e/test_public_site.py clicks through the demo site)",
    "cms:news_rss": "the news feed, linked from every page's head and footer (a feed, not a page)",
    "cms:news_atom": "the news feed in Atom, linked from every page's head",
    "cms_image": "the public site's images, shown in its pages (files, not pages)",
    "wagtaildocs_serve": "the resource library's files, linked from its pages (files, not pages)",
    "learning:join": "the learner sign-up, for signed-out people (linked from the catalogue)",
    "learning:join_confirm": "opened from the emailed activation link (a token)",
    "learning:quiz_submit": "POST only (a lesson's quiz, on the public site's lesson pages)",
    "learning:lesson_complete": "POST only (a lesson's button, on the public site's pages)",
    "trainings:register": "POST only (the training page's Register button)",
    "trainings:cancel": "POST only (the training page's Cancel button)",
    "certification:verify": "a credential's public page, opened from its QR code or link; "
    "linked from My certificates when the person holds one (this cast holds none)",
    "certification:pdf": "a holder's certificate, linked from My certificates (this cast holds "
    "none; tests/web/certification and tests/e2e/test_certification_journey.py)",
    "certification:download": "a holder's credential file, linked from My certificates",
    "certification:renew": "POST only (My certificates' Renew button)",
    "certification:staff_detail": "a certification's staff page, linked from the staff list "
    "when one exists (this cast holds none; tests/web/certification)",
    "certification:staff_review": "an organization's review, linked from the reviews list when "
    "one waits (tests/web/certification)",
    "standards_review:assessment": "a submitted self-assessment as a Champion reads it, "
    "linked from an organization's certification review (tests/web/standards/test_review.py)",
    "directory:detail": "a listed trainer's page, linked from search results (this cast lists "
    "no one; tests/web/directory, tests/e2e/test_network_journey.py)",
    "directory:contact": "POST only (a listed trainer's contact form)",
    "directory:mine": "a certified person's listing, linked from My certificates when they "
    "hold a certification (this cast holds none; tests/web/directory/test_listing.py)",
    "directory:member": "a network member's page, linked from the members list (this cast's "
    "organizations are not network members; tests/web/directory/test_members.py)",
    "open_data:hsds_json": "the directory as open data (HSDS), linked from the figures page "
    "(a file, not a page)",
    "open_data:hsds_zip": "the directory as an HSDS CSV datapackage (a file, not a page)",
    "presentations:thanks": "the answer to the presentation request form (a POST)",
    "presentations:detail": "a request's staff page, linked from the queue when one exists "
    "(tests/web/presentations)",
    "events:detail": "an event's page, linked from the events list when one is published "
    "(this cast has none; tests/web/events, tests/e2e/test_event_pages.py)",
    "events:calendar": "an event's calendar file, linked from its page",
    "events:rss": "the events feed, linked from the events list (a feed, not a page)",
    "events:atom": "the events feed in Atom, linked from the events list's head",
    "events:manage": "a registration's page, opened from the emailed link (a token)",
    "events:staff_detail": "an event's roster, linked from the staff list when one exists",
    "events:staff_edit": "an event's edit page, linked from its roster",
    "events:roster_csv": "an event's roster download, linked from its roster page",
    "events:staff_cancel": "POST only (the roster page's Cancel the event button)",
    "events:staff_registration_cancel": "POST only (a roster row's Cancel button)",
    "assets:detail": "a community strength's page, linked from map results (this cast's "
    "organization records none; tests/web/assets)",
    "assets:staff_edit": "a network-recorded strength's edit page, linked from the staff list",
    "assets:staff_archive": "POST only (the staff list's Archive button)",
    "credentials:jwks": "the issuer's public keys, for verifiers (a machine endpoint)",
    "credentials:status_list": "the credentials' status lists, for verifiers (machine endpoint)",
    "metrics": "a machine endpoint for Prometheus, behind a bearer token",
    "security_txt": "the security contact for researchers (/.well-known/security.txt)",
    "accounts:recovery_codes": "POST only (the security page's New recovery codes button)",
    "accounts:passkey_rename": "POST only (a passkey's Rename button on the security page)",
    "accounts:passkey_remove": "POST only (a passkey's Remove button on the security page)",
    "accounts:session_end": "POST only (a session's End button on the security page)",
    "accounts:sessions_end_others": "POST only (the security page's End all other sessions)",
    "operations:job_run_now": "POST only (a scheduled job's Run now button)",
    "family_data:home": "a family's own data, opened from its personal link's plan page",
    "family_data:json": "a family's data as JSON, linked from its data page (a file)",
    "family_data:pdf": "a family's data as PDF, linked from its data page (a file)",
    "family_data:delete": "a family's deletion request, linked from its data page",
}
#: Whole namespaces not linked, and why.
NOT_LINKED_NAMESPACES: dict[str, str] = {
    "admin:": "Django's admin, the operators' tool with its own sign-in, for no role here",
    "survey:": "the family's survey, opened from a family's personal or public link token",
    "otp_webauthn:": "the passkey ceremonies' JSON endpoints, called by the security and "
    "two-factor pages' scripts",
    # Wagtail's admin at /cms/, for network staff (linked from their header: "Edit the public
    # site"); its own pages link each other, tested in tests/web/cms/test_admin_access.py.
    "wagtailadmin": "the CMS admin (Wagtail)",
    "wagtail_bulk_action": "the CMS admin (Wagtail)",
    "wagtaildocs:": "the CMS admin (Wagtail): documents",
    "wagtaildocs_chooser:": "the CMS admin (Wagtail): documents",
    "wagtailimages": "the CMS admin (Wagtail): images",
    "wagtaillocales:": "the CMS admin (Wagtail): locales",
    "wagtailsites:": "the CMS admin (Wagtail): sites",
    "wagtailsnippet": "the CMS admin (Wagtail): contact messages",
    "wagtailusers_": "the CMS admin (Wagtail): users and groups",
    "wagtail_localize:": "the CMS admin (wagtail-localize): translations",
    "api:": "the REST API for other systems (JSON with a bearer API token; tests/web/api); "
    "its documentation is linked from the API tokens page",
    "fhir:": "the FHIR R4 endpoint for other systems (JSON; responses need a bearer API "
    "token; tests/web/fhir)",
}

#: Bounds of one crawl: pages fetched in all, and instances of one URL name (one campaign
#: page shows what every campaign page shows). The two downloads that are pages of their own
#: (the CSV export, a finished report) are small here and fetched like pages; the dashboard's
#: and the network view's file downloads are query strings of those pages and not fetched.
MAX_PAGES = 160
MAX_PER_NAME = 2


# -- the cast --------------------------------------------------------------------------------


@pytest.fixture
def cast(two_tenants: dict[str, Any]) -> dict[str, User]:
    """Organization A (one object of each kind: a program, a family with a submission, an
    open campaign with a link, a finished report, a member in every role), network staff
    without and with a support grant to A, and a person with no organization."""
    t = two_tenants
    make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    Report.objects.create(
        organization=t["org_a"],
        requested_by=t["members_a"][Role.ORG_ADMIN],
        status=ReportStatus.DONE,
        progress=100,
        content=b"%PDF-1.7 organization A",
        size=23,
    )
    import_batch_a(t)  # a file of answers waiting for confirmation, linked from the imports
    goal_a(t)  # a family's goal and case review, linked from the family's goals page
    review_a(t)
    visit_a(t)  # a visit, linked from the family page's timeline
    standards_assessment_a(t)  # a submitted self-assessment and a step of the plan
    standards_action_a(t)
    asset_a(t)  # a community strength, linked from the organization's strengths page
    research_analysis_a(t)  # a research file with an analysis, linked from the workspace
    deidentified_export_a(t)  # a de-identified export, linked from the exports list
    data_file_a(t)  # a labelled SPSS/Stata/SAS file, linked from the data files list
    webhook_a(t)  # a webhook, linked from the webhooks list
    training = make_training(capacity=5)  # an upcoming training, with a session to take
    learner = f.make_user("learner@example.org")
    learner_profile_ensure(user=learner)  # a learner for the staff's learner pages
    registration_create(training=training, user=learner)
    people: dict[str, User] = dict(t["members_a"])
    people[NETWORK_STAFF] = f.make_user("staff@hope.example.org", is_network_staff=True)
    people[SUPPORT_STAFF] = f.make_user("support@hope.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        staff=people[SUPPORT_STAFF],
        organization=t["org_a"],
        granted_by=t["members_a"][Role.ORG_ADMIN],
        reason="Help with the spring campaign",
        expires_at=timezone.now() + dt.timedelta(hours=4),
    )
    people[NO_ORGANIZATION] = f.make_user("newcomer@example.org")
    for user in people.values():
        # an authenticator app for whoever is asked for a code
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return people


def sign_in(client: Client, user: User) -> str:
    """Sign in through the sign-in page of the active language (and the two-factor step when
    it is asked for); returns the page sign-in lands on."""
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": f.PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    if urlsplit(location).path == reverse("accounts:two_factor"):
        device = TOTPDevice.objects.get(user=user)
        assert client.get(location).status_code == 200  # the page asking for the code
        next_url = parse_qs(urlsplit(location).query)["next"][0]
        response = client.post(
            reverse("accounts:two_factor"), {"code": code_for(device), "next": next_url}
        )
        assert response.status_code == 302, response.status_code
        location = response["Location"]
    return location


# -- the crawl -------------------------------------------------------------------------------


class LinkTargets(HTMLParser):
    """``<a href>`` targets and the actions of GET forms (a form without a method is GET).
    The language switch (links with ``hreflang``) leads to the same page in another language
    and is left out."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href") and "hreflang" not in values:
            self.targets.append(values["href"] or "")
        elif tag == "form" and (values.get("method") or "get").lower() == "get":
            self.targets.append(values.get("action") or "")


def _language_of(path: str) -> str:
    """The language of a page's address (``/es/...`` is Spanish; no prefix the default)."""
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            return code
    return settings.LANGUAGE_CODE


def _url_name(path: str) -> str | None:
    with translation.override(_language_of(path)):
        try:
            return resolve(path).view_name
        except Resolver404:
            return None


@dataclass
class Crawl:
    reached: set[str] = field(default_factory=set)
    """URL names some link led to."""
    broken: list[str] = field(default_factory=list)
    """Links that answered with a refusal or an error: ``page -> link: status``."""
    fetched: int = 0


def crawl(client: Client, start: str) -> Crawl:
    """Follow links within the site from ``start``, never signing out. Every link must stay
    in the language of the page it starts from."""
    language = _language_of(start)
    result = Crawl()
    queue: deque[tuple[str, str]] = deque([("(sign-in)", start)])
    seen = {start}
    per_name: Counter[str] = Counter()
    while queue and result.fetched < MAX_PAGES:
        source, path = queue.popleft()
        name = _url_name(path)
        if name is None:
            result.broken.append(f"{source} -> {path}: no such page")
            continue
        result.reached.add(name)
        if per_name[name] >= MAX_PER_NAME:
            continue
        per_name[name] += 1
        response = client.get(path)
        result.fetched += 1
        if response.status_code in (301, 302):
            targets = [response["Location"]]
        elif response.status_code == 200:
            targets = []
            if response.get("Content-Type", "").startswith("text/html"):
                parser = LinkTargets()
                parser.feed(response.content.decode())
                targets = parser.targets
        else:
            result.broken.append(f"{source} -> {path}: {response.status_code}")
            targets = []
        for target in targets:
            url = urlsplit(urljoin(path, target))
            if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
                continue  # another site
            if url.path.startswith(settings.STATIC_URL):
                continue  # a file, not a page
            if url.path.startswith("/cms/"):
                result.reached.add(_url_name(url.path) or url.path)
                continue  # the CMS admin: Wagtail's own pages (tests/web/cms)
            if url.path.startswith("/open-data/"):
                result.reached.add(_url_name(url.path) or url.path)
                continue  # open data files: the same in every language (tests/web/directory)
            if url.path.startswith(("/api/v1/", "/fhir/")):
                result.reached.add(_url_name(url.path) or url.path)
                continue  # the API's and FHIR's machine pages, in English (tests/web/api, fhir)
            if _language_of(url.path) != language:
                result.broken.append(f"{path} -> {url.path}: leaves the language {language}")
                continue
            if _url_name(url.path) == "accounts:logout":
                continue
            # query strings pick a view of a page (filters, a download of it, a page number)
            if url.path not in seen:
                seen.add(url.path)
                queue.append((path, url.path))
    return result


# -- what each person may open ---------------------------------------------------------------


def may_open(person: str) -> set[str]:
    pages = {name for name, allowed in OTHER_PAGES.items() if allowed(person)}
    role = Role.ORG_ADMIN.value if person == SUPPORT_STAFF else person
    if role in f.ROLES:
        pages |= {
            name
            for name, (method, expected) in ROLE_MATRIX.items()
            if method == "get" and expected[role] == OK
        }
    if person == SUPPORT_STAFF:
        pages -= SUPPORT_REFUSED
    return pages


def _not_linked(name: str) -> bool:
    return name in NOT_LINKED or name.startswith(tuple(NOT_LINKED_NAMESPACES))


def test_every_named_url_is_a_page_someone_reaches_or_says_why_not() -> None:
    names = {entry.name for entry in iter_urls() if entry.name}
    undecided = sorted(
        name
        for name in names
        if name not in ROLE_MATRIX and name not in OTHER_PAGES and not _not_linked(name)
    )
    assert not undecided, (
        f"URLs with no decision in tests/web/test_role_crawl.py: {undecided}. Add each to "
        "OTHER_PAGES (who may open it) or to NOT_LINKED (why no link leads there)."
    )
    stale = sorted((set(OTHER_PAGES) | set(NOT_LINKED)) - names)
    assert not stale, f"tests/web/test_role_crawl.py names URLs that are gone: {stale}"


# Which links a page offers does not depend on the database; every page's queries run on
# PostgreSQL too, through the URL inventory and the role matrix. So CI crawls once (SQLite).
@pytest.mark.one_database
@pytest.mark.third_process
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("person", PEOPLE)
def test_every_page_a_person_may_open_is_reachable_by_clicking_from_where_sign_in_lands(
    client: Client, cast: dict[str, User], person: str, language: str
) -> None:
    with translation.override(language):
        landing = sign_in(client, cast[person])
        assert landing == reverse("practice:organizations")

    result = crawl(client, landing)

    assert result.fetched < MAX_PAGES, "the crawl hit its bound: raise MAX_PAGES"
    assert not result.broken, f"{person} is offered links that do not work: {result.broken}"
    only_by_address = sorted(may_open(person) - result.reached)
    assert not only_by_address, (
        f"{person} may open these pages but reaches them only by typing the address: "
        f"{only_by_address}"
    )
