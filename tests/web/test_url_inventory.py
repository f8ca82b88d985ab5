"""URL inventory (TI-01) and cross-tenant isolation (TI-02) for every URL the project has.

Every URL pattern is one of:

- **tenant**: its route carries ``org_id``. The view must be wrapped in
  :func:`hopeful.web.organizations.decorators.org_view` (which sets ``org_view_roles``), and
  the URL name must have an entry in :data:`OUTSIDER_CASES` so that the isolation test below
  runs against it.
- **public**: the view is marked ``@login_not_required`` (Django sets ``login_required =
  False``). Public routes may only live under :data:`PUBLIC_ROUTES`.
- **platform**: everything else (the admin, ``/orgs/``, signed-in account pages); the login
  middleware guards them.

Adding a tenant URL? Add ``"<namespace>:<name>": <kwargs builder>`` to :data:`OUTSIDER_CASES`
(and a row to ``ROLE_MATRIX`` in ``test_role_matrix.py``). The builder gets the
``two_tenants`` fixture and returns the URL kwargs naming **organization A's** objects; the
test then signs in as each member of organization B (and as a superuser and network staff
without a grant) and checks that GET and POST answer 404 and change nothing in A.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import re
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from hopeful.framework import standards as standards_rubric
from hopeful.web.accounts.models import User
from hopeful.web.api.tokens import token_create
from hopeful.web.audit.models import AuditEvent
from hopeful.web.casework import services as casework_services
from hopeful.web.deidentified.models import DeidentifiedExport, ExportFormat
from hopeful.web.imports.models import ImportBatch, ImportFormat
from hopeful.web.labelled.models import DataFile, DataFileStatus
from hopeful.web.organizations.models import (
    Invitation,
    Membership,
    Organization,
    Role,
    SupportGrant,
)
from hopeful.web.reports.models import Report, ReportStatus
from hopeful.web.standards import services as standards_services
from hopeful.web.webhooks import signing
from hopeful.web.webhooks.models import Delivery, Webhook
from hopeful.web.workspace.models import Analysis, ResearchFile
from hopeful.web.workspace.models import Status as ResearchStatus
from tests.web import factories as f

# -- the inventory ---------------------------------------------------------------------------

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<regex_name>\w+)>")


@dataclass(frozen=True)
class UrlEntry:
    route: str
    name: str | None
    """``namespace:name`` (None for unnamed patterns)."""
    callback: Callable[..., Any]
    params: frozenset[str]

    @property
    def kind(self) -> str:
        if "org_id" in self.params:
            return "tenant"
        if getattr(self.callback, "login_required", True) is False:
            return "public"
        return "platform"


def iter_urls(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[UrlEntry]:
    """Every URL pattern of the project, with its full route and namespaced name."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from iter_urls(pattern.url_patterns, route, inner)
        else:
            params = frozenset(
                m.group("name") or m.group("regex_name") for m in _PARAM.finditer(route)
            )
            yield UrlEntry(
                route=route,
                name=f"{namespace}{pattern.name}" if pattern.name else None,
                callback=pattern.callback,
                params=params,
            )


def tenant_urls() -> list[UrlEntry]:
    return [entry for entry in iter_urls() if entry.kind == "tenant"]


#: Where public (no sign-in) pages may live: the home page, health, sign-in and account
#: recovery, the instrument library, the families' survey links, the newsletter's sign-up
#: and emailed links, and the public site: its pages (Wagtail's catch-all, last), the
#: library's files and images, the news feeds; the learning hub's catalogue and sign-up, the
#: trainings, the credentials' verification page and the issuer's keys and status lists. ``cms/`` is the CMS admin: its API views
#: (Django REST framework) mark themselves public and check access themselves, and
#: CmsAdminAccessMiddleware sends every signed-out request under it to sign-in first
#: (test_the_cms_admin_is_never_public below).
PUBLIC_ROUTES = (
    "",
    "health/",
    "accounts/",
    "instruments/",
    "s/",
    "admin/login/",
    "newsletter/",
    "feeds/",
    "media/images/",
    "^documents/",
    "^((?:[\\w\\-]+/)*)$",
    "cms/",
    # the learning hub's catalogue and learner sign-up, the trainings calendar, the
    # credentials' verification page and their machine endpoints (keys, status lists)
    "learn/",
    "trainings/",
    "verify/",
    ".well-known/",
    "credentials/status/",
    # the public network: the trainer directory, the Innovation Network's members and the
    # network's figures, the presentation request form, the events, the community
    # strengths map, and the directory as open data (HSDS)
    "trainers/",
    "network/members/",
    "network/figures/",
    "request-a-presentation/",
    "events/",
    "strengths/",
    "open-data/",
    # machine endpoints: Prometheus metrics (behind a bearer token)
    "metrics",
    # the REST API and FHIR R4 for other systems: instruments, the OpenAPI description and the
    # CapabilityStatement are public; everything else checks a bearer API token itself
    # (tests/web/api, tests/web/fhir)
    "api/v1/",
    "fhir/",
)


# -- URL kwargs naming organization A's objects ---------------------------------------------

Cases = dict[str, Any]


def org_a(t: Cases) -> dict[str, Any]:
    return {"org_id": t["org_a"].public_id}


def family_a(t: Cases) -> dict[str, Any]:
    return {**org_a(t), "family_id": t["family_a"].public_id}


def visit_a(t: Cases) -> dict[str, Any]:
    from hopeful.web.casework.models import Visit

    visit = Visit.objects.create(
        organization=t["org_a"],
        family=t["family_a"],
        author=t["members_a"]["org_admin"],
        visited_on=dt.date(2026, 1, 5),
        mode="home",
        note="Reading together at bedtime.",
    )
    return {**org_a(t), "visit_id": visit.public_id}


def campaign_a(t: Cases) -> dict[str, Any]:
    return {**org_a(t), "campaign_id": t["campaign_a"].public_id}


def link_a(t: Cases) -> dict[str, Any]:
    return {**campaign_a(t), "link_id": t["link_a"].public_id}


def member_a(t: Cases) -> dict[str, Any]:
    """A's practitioner's membership (the member admins edit or remove)."""
    membership = Membership.objects.get(
        organization=t["org_a"], user=t["members_a"][Role.PRACTITIONER]
    )
    return {**org_a(t), "member_id": membership.public_id}


def invitation_a(t: Cases) -> dict[str, Any]:
    invitation = Invitation.objects.create(
        organization=t["org_a"],
        email="invited@a.example.org",
        role=Role.VIEWER,
        token_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
        invited_by=t["members_a"][Role.ORG_ADMIN],
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return {**org_a(t), "invitation_id": invitation.public_id}


def support_grant_a(t: Cases) -> dict[str, Any]:
    staff = f.make_user(f"staff.{uuid.uuid4().hex[:8]}@hope.example.org", is_network_staff=True)
    grant = SupportGrant.objects.create(
        staff=staff,
        organization=t["org_a"],
        granted_by=t["members_a"][Role.ORG_ADMIN],
        reason="Help with the spring campaign",
        expires_at=timezone.now() + dt.timedelta(hours=4),
    )
    return {**org_a(t), "grant_id": grant.public_id}


def report_a(t: Cases) -> dict[str, Any]:
    """A finished report of A (its file is what an outsider must never download)."""
    report = Report.objects.create(
        organization=t["org_a"],
        requested_by=t["members_a"][Role.ORG_ADMIN],
        status=ReportStatus.DONE,
        progress=100,
        content=b"%PDF-1.7 organization A",
        size=23,
    )
    return {**org_a(t), "report_id": report.public_id}


def research_file_a(t: Cases) -> dict[str, Any]:
    """An imported survey file of A in the research workspace (what an outsider must never
    see, analyze or delete)."""
    file = ResearchFile.objects.create(
        organization=t["org_a"],
        uploaded_by=t["members_a"][Role.RESEARCHER],
        name="a.sav",
        format="sav",
        suffix=".sav",
        sha256="0" * 64,
        status=ResearchStatus.DONE,
        rows=1,
        columns=[
            {
                "name": "W",
                "label": "",
                "numeric": True,
                "missing": 0,
                "value_labels": 0,
                "examples": [],
            }
        ],
    )
    return {**org_a(t), "file_id": file.public_id}


def research_analysis_a(t: Cases) -> dict[str, Any]:
    """A finished analysis of A's research file (its results are what an outsider must never
    download)."""
    file = ResearchFile.objects.get(public_id=research_file_a(t)["file_id"])
    analysis = Analysis.objects.create(
        organization=t["org_a"],
        file=file,
        created_by=t["members_a"][Role.RESEARCHER],
        spec_text='[data]\npath = "a.sav"\n',
        spec_sha256="1" * 64,
        status=ResearchStatus.DONE,
        progress=100,
        results={
            "provenance": {},
            "variable_labels": {},
            "estimates": [],
            "models": [],
            "tests": [],
        },
    )
    return {**org_a(t), "analysis_id": analysis.public_id}


def research_download_a(t: Cases) -> dict[str, Any]:
    return {**research_analysis_a(t), "kind": "csv"}


def deidentified_export_a(t: Cases) -> dict[str, Any]:
    """A de-identified export of A (its file is what an outsider must never download)."""
    export = DeidentifiedExport.objects.create(
        organization=t["org_a"],
        requested_by=t["members_a"][Role.RESEARCHER],
        purpose="A study of organization A, IRB-2026-0001",
        data_use_confirmed=True,
        format=ExportFormat.CSV,
        k=11,
        content=b"family_id\r\nF00000000\r\n",
        size=22,
    )
    return {**org_a(t), "export_id": export.public_id}


def api_token_a(t: Cases) -> dict[str, Any]:
    """An API token of A (revoking it is what an outsider must never do)."""
    token, _ = token_create(
        organization=t["org_a"],
        actor=t["members_a"][Role.ORG_ADMIN],
        name="A's integration",
        scopes=["aggregates:read"],
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return {**org_a(t), "token_id": token.public_id}


def data_file_a(t: Cases) -> dict[str, Any]:
    """A finished SAS transport file of A (asked for by its practitioner, main site)."""
    data_file = DataFile.objects.create(
        organization=t["org_a"],
        requested_by=t["members_a"][Role.PRACTITIONER],
        instrument_id="pce7",
        file_format="xpt",
        programs=[str(t["program_a"].public_id)],
        status=DataFileStatus.DONE,
        progress=100,
        content=b"organization A",
        sas_formats="proc format; run;\n",
        size=14,
        finished_at=timezone.now(),
    )
    return {**org_a(t), "file_id": data_file.public_id}


def webhook_a(t: Cases) -> dict[str, Any]:
    """A webhook of A (its log and secret are A's own)."""
    webhook = Webhook.objects.create(
        organization=t["org_a"],
        url="https://records.example.org/hook",
        secret=signing.new_secret(),
        created_by=t["members_a"][Role.ORG_ADMIN],
    )
    return {**org_a(t), "webhook_id": webhook.public_id}


def webhook_delivery_a(t: Cases) -> dict[str, Any]:
    """A failed delivery of A's webhook (redelivering it is A's decision)."""
    kw = webhook_a(t)
    delivery = Delivery.objects.create(
        organization=t["org_a"],
        webhook=Webhook.objects.get(public_id=kw["webhook_id"]),
        event_type="webhook.test",
        payload={},
        status="failed",
        attempts=1,
    )
    return {**kw, "delivery_id": delivery.public_id}


def goal_a(t: Cases) -> dict[str, Any]:
    """A goal of A's family (its page takes progress by POST)."""
    goal = casework_services.goal_add(
        family=t["family_a"],
        actor=t["members_a"][Role.PRACTITIONER],
        block="relationships",
        text="Read together at bedtime",
        next_step="Pick a book at the library",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return {**org_a(t), "goal_id": goal.public_id}


def review_a(t: Cases) -> dict[str, Any]:
    """A case review of A's family waiting for sign-off (its page signs off by POST)."""
    review = casework_services.case_review_create(
        family=t["family_a"],
        actor=t["members_a"][Role.PRACTITIONER],
        reviewed_on=timezone.localdate(),
        strengths={"relationships": "A grandmother who helps every week"},
        family_wants="More time outside together",
        plan="Find a playgroup near home",
        follow_up_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return {**org_a(t), "review_id": review.public_id}


def standards_assessment_a(t: Cases) -> dict[str, Any]:
    """A submitted six-standards self-assessment of A, with suggested changes (its page takes
    answers by POST while a draft; its results page offers the suggestions to the plan)."""
    admin = t["members_a"][Role.ORG_ADMIN]
    assessment, _created = standards_services.assessment_start(organization=t["org_a"], actor=admin)
    if assessment.is_draft:
        answers = {q.id: q.options[1].id for q in standards_rubric.QUESTIONS}
        standards_services.assessment_submit(assessment=assessment, actor=admin, answers=answers)
    return {**org_a(t), "assessment_id": assessment.public_id}


def standards_action_a(t: Cases) -> dict[str, Any]:
    """A step of A's improvement plan (its edit page takes changes by POST)."""
    admin = t["members_a"][Role.ORG_ADMIN]
    action, _created = standards_services.action_add(
        organization=t["org_a"],
        actor=admin,
        standard_id="bridge_to_hope",
        text="Name a HOPE lead",
        owner=admin,
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )
    return {**org_a(t), "action_id": action.public_id}


def asset_a(t: Cases) -> dict[str, Any]:
    """A community strength A recorded."""
    from hopeful.web.assets.services import asset_create

    asset = asset_create(
        organization=t["org_a"],
        actor=t["members_a"][Role.ORG_ADMIN],
        fields={
            "name": "Park A",
            "kind": "park",
            "blocks": ["environment"],
            "zip_code": "02111",
            "visibility": "public",
        },
    )
    return {**org_a(t), "public_id": asset.public_id}


def import_batch_a(t: Cases) -> dict[str, Any]:
    """A file of answers A uploaded, waiting for confirmation (its rows hold answers: what an
    outsider must never see, import or cancel)."""
    batch = ImportBatch.objects.create(
        organization=t["org_a"],
        program=t["program_a"],
        campaign=t["campaign_a"],
        instrument_id="pce7",
        instrument_version="1.0",
        format=ImportFormat.REDCAP,
        uploaded_by=t["members_a"][Role.ORG_ADMIN],
        file_name="answers-a.csv",
        rows=[
            {
                "row": 2,
                "external_id": "A-1",
                "state": "new",
                "errors": [],
                "language": "en",
                "consent": {"care": True},
                "name": "",
                "answers": {"pce1": 1},
                "child_birth_month": None,
            }
        ],
        total_count=1,
        new_count=1,
    )
    return {**org_a(t), "batch_id": batch.public_id}


#: Tenant URL name -> builder of kwargs naming organization A's objects (see module docstring).
OUTSIDER_CASES: dict[str, Callable[[Cases], dict[str, Any]]] = {
    # practice (org home, records, export)
    "practice:home": org_a,
    "practice:submissions": org_a,
    "practice:family_detail": family_a,
    # casework: the caseload, assigning a family, a family's contact details
    "casework:caseload": org_a,
    "casework:assign": family_a,
    "casework:contact": family_a,
    # casework: a family's strengths map
    "casework:map": family_a,
    "casework:visit_new": family_a,
    "casework:visit": visit_a,
    "casework:reminders": org_a,
    # casework: a family's take-home summary, on screen and as a PDF
    "casework:summary": family_a,
    "casework:summary_pdf": family_a,
    # casework: a family's goals, celebrations and case reviews, and the reviews due
    "casework:family_goals": family_a,
    "casework:goal_new": family_a,
    "casework:goal": goal_a,
    "casework:celebration_new": family_a,
    "casework:review_new": family_a,
    "casework:review": review_a,
    "casework:reviews": org_a,
    "practice:export_csv": org_a,
    # audit log
    "audit:events": org_a,
    # members, invitations, support access
    "organizations:members": org_a,
    "organizations:member_invite": org_a,
    "organizations:invitation_revoke": invitation_a,
    "organizations:support_grant": org_a,
    "organizations:support_revoke": support_grant_a,
    "organizations:member_edit": member_a,
    "organizations:member_remove": member_a,
    "organizations:member_second_factor_reset": member_a,
    # survey campaigns and links
    "campaigns:list": org_a,
    "campaigns:create": org_a,
    "campaigns:detail": campaign_a,
    "campaigns:edit": campaign_a,
    "campaigns:open": campaign_a,
    "campaigns:close": campaign_a,
    "campaigns:link_create": campaign_a,
    "campaigns:link_revoke": link_a,
    # the outreach kit (POST only: the token is in the body, never in the address)
    "campaigns:link_kit": campaign_a,
    # the organization dashboard (aggregates)
    "insights:dashboard": org_a,
    "insights:program_sizes": org_a,
    # which programs do better than expected (aggregates, a model of published rows)
    "brightspots:org": org_a,
    # program reports and long exports (aggregates, made in the background)
    "reports:list": org_a,
    "reports:detail": report_a,
    "reports:download": report_a,
    # de-identified exports for research (record level, de-identified; researchers, admins)
    "deidentified:list": org_a,
    "deidentified:detail": deidentified_export_a,
    "deidentified:download": deidentified_export_a,
    "deidentified:dictionary": deidentified_export_a,
    # labelled SPSS/Stata/SAS files (identifiable rows, made in the background)
    "labelled:list": org_a,
    "labelled:detail": data_file_a,
    "labelled:download": data_file_a,
    "labelled:formats": data_file_a,
    # webhooks: signed messages to another system when answers arrive (org admins)
    "webhooks:list": org_a,
    "webhooks:detail": webhook_a,
    "webhooks:test": webhook_a,
    "webhooks:rotate": webhook_a,
    "webhooks:disable": webhook_a,
    "webhooks:enable": webhook_a,
    "webhooks:delete": webhook_a,
    "webhooks:redeliver": webhook_delivery_a,
    # API tokens for other systems (org admins)
    "api_tokens:list": org_a,
    "api_tokens:revoke": api_token_a,
    # imports of ODK/KoboToolbox and REDCap files (org admins, practitioners)
    "imports:list": org_a,
    "imports:new": org_a,
    "imports:detail": import_batch_a,
    "imports:confirm": import_batch_a,
    "imports:cancel": import_batch_a,
    # the research workspace: the organization's uploaded survey files and analyses
    "workspace:home": org_a,
    "workspace:upload": org_a,
    "workspace:example": org_a,
    "workspace:file_detail": research_file_a,
    "workspace:file_delete": research_file_a,
    "workspace:analysis_new": research_file_a,
    "workspace:analysis_choose": org_a,
    "workspace:analysis_detail": research_analysis_a,
    "workspace:analysis_download": research_download_a,
    # the six-standards self-assessment, its results, the improvement plan, certification
    "standards:overview": org_a,
    "standards:assessment_new": org_a,
    "standards:assessment": standards_assessment_a,
    "standards:results": standards_assessment_a,
    "standards:plan": org_a,
    "standards:action_new": org_a,
    "standards:action_edit": standards_action_a,
    "standards:certification_apply": org_a,
    # the public network: the organization's directory listing and its community strengths
    "directory_org:edit": org_a,
    "assets_org:list": org_a,
    "assets_org:new": org_a,
    "assets_org:edit": asset_a,
    "assets_org:archive": asset_a,
}

#: What an outsider POSTs: every field a tenant form might take, pointing at A where it can.
HOSTILE_POST = {
    "role": Role.ORG_ADMIN,
    "email": "intruder@b.example.org",
    "name": "Taken over",
    "reason": "cross-tenant attempt",
    "hours": "8",
    "all_programs": "on",
    "kind": "public",
    "languages": "en",
    "instruments": "pce7",
    # goals, progress, celebrations, case reviews
    "block": "relationships",
    "text": "An outsider's goal",
    "next_step": "cross-tenant attempt",
    "due_on": "2099-01-01",
    "status": "reached",
    "words": "cross-tenant attempt",
    "celebrated_on": "2020-01-01",
    "reviewed_on": "2020-01-01",
    "strengths-relationships": "cross-tenant attempt",
    "family_wants": "cross-tenant attempt",
    "plan": "cross-tenant attempt",
    "follow_up_on": "2099-01-01",
}


# -- organization A's state -------------------------------------------------------------------


def tenant_models() -> list[type[models.Model]]:
    """Every model with an ``organization`` foreign key, except the (append-only) audit trail:
    an outsider's denied attempt may well be recorded there."""
    found = []
    for model in apps.get_models():
        if model is AuditEvent:
            continue
        try:
            field = model._meta.get_field("organization")
        except FieldDoesNotExist:
            continue
        if getattr(field, "related_model", None) is Organization:
            found.append(model)
    return found


@functools.cache
def snapshot_queries() -> tuple[tuple[str, str], ...]:
    """One SELECT per table that :func:`snapshot` reads, as plain SQL taking the organization's
    id: made once, since a thousand tests take two snapshots each."""
    quote = connection.ops.quote_name

    def select(table: str, where: str, order: str) -> str:
        return f"SELECT * FROM {quote(table)} WHERE {where} ORDER BY {quote(order)}"  # noqa: S608

    org_pk = Organization._meta.pk.column
    users = User._meta.db_table
    memberships = Membership._meta.db_table
    through = Membership.programs.through._meta.db_table
    queries = [
        ("organization", select(Organization._meta.db_table, f"{quote(org_pk)} = %s", org_pk)),
        (
            "users",
            f"SELECT u.id, u.email, u.is_active, u.is_staff, u.is_superuser, u.password "  # noqa: S608
            f"FROM {quote(users)} u WHERE u.id IN (SELECT m.user_id FROM {quote(memberships)} m "
            f"WHERE m.organization_id = %s) ORDER BY u.id",
        ),
        (
            "membership_programs",
            f"SELECT t.* FROM {quote(through)} t WHERE t.membership_id IN "  # noqa: S608
            f"(SELECT m.id FROM {quote(memberships)} m WHERE m.organization_id = %s) "
            f"ORDER BY t.id",
        ),
    ]
    for model in tenant_models():
        column = model._meta.get_field("organization").column  # type: ignore[union-attr]
        where = f"{quote(column)} = %s"
        queries.append(
            (model._meta.label, select(model._meta.db_table, where, model._meta.pk.column))
        )
    return tuple(queries)


def snapshot(org: Organization) -> dict[str, Any]:
    """Every row of ``org`` in every tenant table, its members' accounts and program lists."""
    state: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for label, sql in snapshot_queries():
            cursor.execute(sql, [org.pk])
            state[label] = cursor.fetchall()
    return state


def outsiders(t: Cases) -> dict[str, User]:
    """Everyone who must get 404 on A's pages: each member of B, a superuser without a
    membership, and network staff without a support grant."""
    people: dict[str, User] = {f"b_{role}": user for role, user in t["members_b"].items()}
    people["superuser"] = User.objects.create_superuser("root@example.org", f.PASSWORD)
    people["network_staff"] = f.make_user("staff@hope.example.org", is_network_staff=True)
    return people


OUTSIDER_KINDS = [*(f"b_{role}" for role in f.ROLES), "superuser", "network_staff"]


@pytest.fixture
def two_tenants(shared_two_tenants: dict[str, Any], db: None) -> dict[str, Any]:
    """This module's many tests share one pair of organizations (tests/web/conftest.py), each
    test with its own copy of the objects, as Django's ``setUpTestData`` gives."""
    return copy.deepcopy(shared_two_tenants)


# -- the inventory tests ---------------------------------------------------------------------


def test_every_tenant_url_is_named() -> None:
    unnamed = [entry.route for entry in tenant_urls() if entry.name is None]
    assert not unnamed, f"tenant URLs need a name to be registered: {unnamed}"


def test_every_tenant_view_uses_org_view() -> None:
    missing = [
        f"{entry.name} ({entry.route})"
        for entry in tenant_urls()
        if not hasattr(entry.callback, "org_view_roles")
    ]
    assert not missing, (
        "tenant view without org_view: wrap these views in "
        f"hopeful.web.organizations.decorators.org_view: {missing}"
    )


def test_every_tenant_url_has_an_outsider_case() -> None:
    missing = sorted({entry.name for entry in tenant_urls()} - set(OUTSIDER_CASES) - {None})
    assert not missing, (
        f"tenant URLs without an outsider test: {missing}. Add each to OUTSIDER_CASES in "
        "tests/web/test_url_inventory.py with a function that returns the URL kwargs of "
        "organization A's objects (and a row to ROLE_MATRIX in tests/web/test_role_matrix.py)."
    )


def test_the_outsider_registry_names_only_tenant_urls_that_exist() -> None:
    stale = sorted(set(OUTSIDER_CASES) - {entry.name for entry in tenant_urls()})
    assert not stale, f"OUTSIDER_CASES names URLs that are gone or not tenant URLs: {stale}"


def test_public_views_live_only_where_public_pages_belong() -> None:
    misplaced = [
        f"{entry.name} ({entry.route})"
        for entry in iter_urls()
        if entry.kind == "public"
        and not (entry.route == "" or entry.route.startswith(PUBLIC_ROUTES[1:]))
    ]
    assert not misplaced, (
        f"@login_not_required views outside {PUBLIC_ROUTES}: {misplaced}. Public pages "
        "are a decision: add the prefix to PUBLIC_ROUTES only if anyone may read them."
    )


@pytest.mark.django_db
def test_the_cms_admin_is_never_public(client: Any) -> None:
    """Every GET route under ``cms/`` (the admin's API views included, which Django REST
    framework marks public) sends a signed-out visitor to HOPEful's sign-in."""
    routes = [e for e in iter_urls() if e.route.startswith("cms/") and "<" not in e.route]
    assert len(routes) > 20
    for entry in routes:
        path = "/" + entry.route.replace("^", "").replace("$", "")
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path


def test_the_survey_links_sign_in_pages_instruments_and_health_are_public() -> None:
    kinds = {entry.name: entry.kind for entry in iter_urls() if entry.name}
    for name in ("health", "core:home", "accounts:login", "instruments:list"):
        assert kinds.get(name) == "public", name
    survey = [name for name in kinds if name.startswith("survey:")]
    assert all(kinds[name] == "public" for name in survey), survey
    assert kinds["practice:organizations"] == "platform"


def _anonymous_cases() -> list[pytest.param]:
    """Tenant URLs (with registry kwargs) and platform URLs without parameters; the admin has
    its own sign-in page and is left to Django's tests."""

    def checked(entry: UrlEntry) -> bool:
        if entry.name is None:
            return False
        if entry.kind == "tenant":
            return entry.name in OUTSIDER_CASES
        return entry.kind == "platform" and not entry.params and not entry.name.startswith("admin:")

    return [pytest.param(e.name, id=e.name) for e in iter_urls() if checked(e)]


@pytest.mark.one_database  # the sign-in redirect comes before any query of the page
@pytest.mark.parametrize("name", _anonymous_cases())
def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, two_tenants: Cases, name: str
) -> None:
    builder = OUTSIDER_CASES.get(name)
    url = reverse(name, kwargs=builder(two_tenants) if builder else None)
    response = client.get(url)
    assert response.status_code == 302, (name, response.status_code)
    assert response["Location"].startswith(reverse("accounts:login")), response["Location"]


# -- the isolation test ----------------------------------------------------------------------


def _outsider_cases() -> list[pytest.param]:
    names = sorted(e.name for e in tenant_urls() if e.name in OUTSIDER_CASES)
    return [
        pytest.param(name, kind, method, id=f"{name}-{kind}-{method}")
        for name in names
        for kind in OUTSIDER_KINDS
        for method in ("get", "post")
    ]


@pytest.mark.parametrize(("name", "outsider", "method"), _outsider_cases())
def test_an_outsider_gets_404_on_organization_a_and_changes_nothing(
    client: Client, two_tenants: Cases, name: str, outsider: str, method: str
) -> None:
    url = reverse(name, kwargs=OUTSIDER_CASES[name](two_tenants))
    user = outsiders(two_tenants)[outsider]
    f.login_verified(client, user)
    before = snapshot(two_tenants["org_a"])

    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, {**HOSTILE_POST, "org_id": str(two_tenants["org_a"].pk)})

    assert response.status_code == 404, (name, outsider, method, response.status_code)
    assert snapshot(two_tenants["org_a"]) == before
    # the same answer as for an organization that does not exist (no existence oracle)
    missing = reverse(name, kwargs={**OUTSIDER_CASES[name](two_tenants), "org_id": uuid.uuid4()})
    assert getattr(client, method)(missing).status_code == 404
