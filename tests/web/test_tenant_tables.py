"""Every tenant table has ``organization_id``, and tenant pages filter by it.

This is what makes distribution by organization (Citus, docs/deployment.md) a configuration
change rather than a rewrite: every row of an organization's data says whose it is, and the
organization's pages ask for the organization's rows.

**(a) Tables.** Every model of HOPEful's apps (their many-to-many tables included) is one of:

- a **tenant table**: it has ``organization_id``, a foreign key to ``organizations.Organization``;
- in :data:`GLOBAL_TABLES`: no chain of foreign keys leads from it to an organization (the
  network's own data, accounts, the public site); or
- in :data:`CHILD_TABLES`: a chain of foreign keys leads to an organization, but the table
  has no column of its own, for the reason given.

The classification is mechanical (foreign-key paths are followed); a new model fails
:func:`test_every_model_is_classified` until it has ``organization_id`` or a line below with a
reason. A nullable ``organization_id`` (rows of the network itself) is listed in
:data:`NULLABLE_ORGANIZATION` with its reason: Citus cannot distribute a NULL.

**(b) Queries.** Each organization page that answers GET (the URL inventory's tenant URLs,
:data:`tests.web.test_url_inventory.OUTSIDER_CASES`) is opened by organization A's admin while
organization B has the same data; every SELECT the page runs that reads a tenant table must
have a condition on ``organization_id`` (its own table's, or that of a table it joins or a
subquery it filters by), or filter by ids of tenant rows (``"casework_goal"."family_id" = 3``:
the page's family, loaded for the organization first), and then every such id must be a row
of organization A. No query may ask for organization B's ``organization_id``. A query is
judged by its text as a whole (one condition scopes all the tables it reads), on SQLite and on
PostgreSQL alike; docs/deployment.md says what this does and does not promise for Citus.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hopeful.web.organizations.models import Organization, Role
from tests.web import factories as f
from tests.web.test_url_inventory import OUTSIDER_CASES, Cases, tenant_urls

# -- (a) the tables ---------------------------------------------------------------------------

#: No foreign-key path leads from these to an organization: they are the network's, a
#: person's, or the public site's. (In a Citus cluster: reference tables or coordinator tables.)
GLOBAL_TABLES: dict[str, str] = {
    # accounts: a person signs in once and may belong to several organizations (memberships
    # say which); their second factors, sessions and sign-in throttling are theirs.
    "accounts.User": "a person may belong to several organizations (Membership says which)",
    "accounts.User_groups": "Django's permission groups of a person",
    "accounts.User_user_permissions": "Django's permissions of a person",
    "accounts.SignInAttempt": "sign-in throttling, counted before any organization is known",
    "accounts.RecoveryCodeDevice": "a person's second factor",
    "accounts.RecoveryCode": "a person's second factor",
    "accounts.UserSession": "a person's signed-in sessions",
    # the network view's bookkeeping (the counts themselves carry organization_id)
    "network.NetworkCountState": "one row: how far the network's counts are brought up to date",
    # the public site (Wagtail): the network's pages, files and forms
    "cms.ContactMessage": "the public site's contact form (to the network)",
    "cms.ContactPage": "a page of the public site",
    "cms.ResourceDocument": "a file of the public resource library",
    "cms.Facet": "the resource library's facets",
    "cms.ResourcePage": "a page of the public site",
    "cms.ResourcePage_blocks": "a page of the public site's facets",
    "cms.ResourcePage_audiences": "a page of the public site's facets",
    "cms.ResourcePage_languages": "a page of the public site's facets",
    "cms.ResourcePage_age_bands": "a page of the public site's facets",
    "cms.ResourceFile": "a file of a resource page",
    "cms.NewsIndexPage": "a page of the public site",
    "cms.NewsPage": "a page of the public site",
    "cms.NewsPageTag": "a news page's tags",
    "cms.ResourceIndexPage": "a page of the public site",
    "cms.ToolkitPage": "a page of the public site",
    "cms.HomePage": "a page of the public site",
    "cms.StandardPage": "a page of the public site",
    "cms.BuildingBlockPage": "a page of the public site",
    "cms.SupportPage": "a page of the public site",
    "newsletter.Subscription": "the network's newsletter",
    # the learning hub and trainings: people's learning with the network
    "learning.CourseIndexPage": "the network's courses (public site pages)",
    "learning.CoursePage": "the network's courses (public site pages)",
    "learning.LessonPage": "the network's courses (public site pages)",
    "learning.LearnerProfile": "a person's learning with the network",
    "learning.ContinuingEducationRecord": "a person's learning with the network",
    "learning.LessonProgress": "a person's learning with the network",
    "learning.QuizAttempt": "a person's learning with the network",
    "learning.CourseCompletion": "a person's learning with the network",
    "trainings.Training": "the network's trainings",
    "trainings.TrainingSession": "the network's trainings",
    "trainings.Registration": "a person's registration for a network training",
    "trainings.Attendance": "a person's attendance at a network training",
    "trainings.SessionReminder": "a network training's reminders",
    # certification: the credentials' status lists are the issuer's
    "certification.StatusIndex": "the issuer's credential status lists",
    # operations: the worker's own bookkeeping and the abuse limits' counters
    "core.WorkerHeartbeat": "the background workers' liveness",
    "core.RateLimitCounter": "rate-limit counters of hashed client keys, short-lived",
    "operations.JobRun": "the scheduled jobs' last runs (network-wide jobs)",
    # the network's events
    "events.Event": "the network's events",
    "events.EventRegistration": "a person's registration for a network event",
}

#: A foreign-key path leads from these to an organization, yet they have no organization_id.
CHILD_TABLES: dict[str, str] = {
    "organizations.Membership_programs": (
        "many-to-many table of Membership and Program, both tenant tables; before Citus "
        "distribution it needs an explicit through model with organization_id"
    ),
    "organizations.Invitation_programs": (
        "many-to-many table of Invitation and Program, both tenant tables; as above"
    ),
    "surveys.CodeAttempt": (
        "throttling of family-code guesses per link (short-lived counters, read by link id); "
        "a known gap: add organization_id before distributing"
    ),
    # the network's certification of people and organizations: a certification belongs to a
    # person (no organization) or to an organization, so its history follows it
    "certification.CertificationEvent": "a certification's history (people's too)",
    "certification.Credential": "a certification's issued credentials (people's too)",
    # the public directory and the presentation requests are the network's, naming listings
    # of people or organizations
    "directory.ContactMessage": "a message to a directory listing (people's too), the network's",
    "presentations.PresentationRequest": "the network's request queue, naming listings",
    "presentations.PresentationRequestEvent": "the network's request queue's history",
}

#: Tenant tables whose organization_id may be empty, and why. Citus cannot distribute rows
#: with a NULL distribution column: these stay on the coordinator (or their network rows move
#: to a table of their own) when the tenant tables are distributed.
NULLABLE_ORGANIZATION: dict[str, str] = {
    "audit.AuditEvent": "events of the network itself (staff, public site) have no organization",
    "certification.Certification": "a person's certification has no organization",
    "directory.Listing": "a person's listing has no organization",
    "assets.CommunityAsset": "strengths recorded by network staff have no organization",
}


def hopeful_models() -> list[type[models.Model]]:
    """Every model with a table of its own in HOPEful's apps, many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config is not None
        and model._meta.app_config.name.startswith("hopeful.web.")
        and model._meta.managed
        and not model._meta.proxy
    ]


def organization_column(model: type[models.Model]) -> models.ForeignKey[Any, Any] | None:
    """The model's ``organization_id`` foreign key to Organization, if it has one."""
    for field in model._meta.concrete_fields:
        if field.column == "organization_id" and field.related_model is Organization:
            return field  # type: ignore[return-value]
    return None


def path_to_organization(model: type[models.Model]) -> list[str] | None:
    """A chain of foreign keys from ``model`` to Organization (``["Family.program", ...]``)."""
    queue: deque[tuple[type[models.Model], list[str]]] = deque([(model, [])])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        for field in current._meta.concrete_fields:
            target = field.related_model
            if not field.is_relation or target is None or target in seen:
                continue
            step = [*path, f"{current.__name__}.{field.name}"]
            if target is Organization:
                return step
            seen.add(target)
            queue.append((target, step))
    return None


def test_every_model_is_classified() -> None:
    unclassified = []
    for model in hopeful_models():
        label = model._meta.label
        if model is Organization or organization_column(model) is not None:
            continue
        if label in GLOBAL_TABLES or label in CHILD_TABLES:
            continue
        path = path_to_organization(model)
        how = f"reaches Organization by {' -> '.join(path)}" if path else "global?"
        unclassified.append(f"{label} ({how})")
    assert not unclassified, (
        "models without organization_id: give each a foreign key `organization` to "
        "organizations.Organization (a tenant's data), or add it with a reason to "
        f"GLOBAL_TABLES or CHILD_TABLES in tests/web/test_tenant_tables.py: {unclassified}"
    )


def test_the_lists_are_true_and_current() -> None:
    by_label = {model._meta.label: model for model in hopeful_models()}
    stale = sorted((set(GLOBAL_TABLES) | set(CHILD_TABLES)) - set(by_label))
    assert not stale, f"listed models that no longer exist: {stale}"
    assert not set(GLOBAL_TABLES) & set(CHILD_TABLES)
    has_column = sorted(
        label
        for label in (*GLOBAL_TABLES, *CHILD_TABLES)
        if organization_column(by_label[label]) is not None
    )
    assert not has_column, (
        f"these have organization_id now: remove them from the lists: {has_column}"
    )
    # "global" is checked, not claimed: no foreign-key path may lead to an organization
    reaching = {
        label: path_to_organization(by_label[label])
        for label in GLOBAL_TABLES
        if path_to_organization(by_label[label])
    }
    assert not reaching, (
        f"GLOBAL_TABLES entries that reach an organization (CHILD_TABLES?): {reaching}"
    )
    not_reaching = sorted(
        label for label in CHILD_TABLES if path_to_organization(by_label[label]) is None
    )
    assert not not_reaching, f"CHILD_TABLES entries that reach no organization: {not_reaching}"


def test_an_empty_organization_is_a_listed_exception() -> None:
    nullable = sorted(
        model._meta.label
        for model in hopeful_models()
        if (field := organization_column(model)) is not None and field.null
    )
    assert nullable == sorted(NULLABLE_ORGANIZATION), (
        "a tenant table's organization_id may be NULL only for a listed reason "
        f"(NULLABLE_ORGANIZATION): {nullable}"
    )


# -- (b) the queries --------------------------------------------------------------------------

#: Pages that read a tenant table with neither kind of condition, and why that is safe.
#: (view name, table) -> reason.
UNSCOPED_READS: dict[tuple[str, str], str] = {}

_TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')
#: organization_id compared in a condition: ``"t"."organization_id" = 1``, ``... IN (1, 2)``,
#: ``... = "organizations_organization"."id"``, ``= U0."organization_id"``.
_ORGANIZATION = re.compile(
    r'"organization_id"\s*(?:=|IN\s*\()|=\s*\(?\s*(?:"\w+"|\w+)\."organization_id"'
)
#: A column compared with numbers: ``"casework_goal"."family_id" = 3``, ``U0."id" IN (1, 2)``.
_BY_ID = re.compile(
    r'(?P<table>"\w+"|\b\w+)\."(?P<column>\w+)"\s*'
    r"(?:=\s*(?P<one>\d+)\b(?!\s*\.)|IN\s*\((?P<many>\d+(?:\s*,\s*\d+)*)\))"
)

Ids = dict[type[models.Model], set[int]]


def id_columns() -> tuple[
    dict[tuple[str, str], type[models.Model]], dict[str, set[type[models.Model]]]
]:
    """(table, column) -> the tenant model whose ids the column holds (its own ``id``, or a
    foreign key to a tenant model), and column -> those models for aliased tables (``U0``)."""
    by_table: dict[tuple[str, str], type[models.Model]] = {}
    by_column: dict[str, set[type[models.Model]]] = {}
    for model in hopeful_models():
        for field in model._meta.concrete_fields:
            target = model if field.primary_key else field.related_model
            if target is None or target is Organization or organization_column(target) is None:
                continue
            by_table[(model._meta.db_table, field.column)] = target
            by_column.setdefault(field.column, set()).add(target)
    return by_table, by_column


def scope(
    sql: str, tenant_tables: set[str], columns: tuple[dict[tuple[str, str], Any], dict[str, Any]]
) -> tuple[set[str], Ids]:
    """How a SELECT finds its tenant rows: ``(unscoped tables, ids it filters by)``.

    A query is scoped when a condition names ``organization_id``, or when it filters by ids
    of tenant rows (the page's family, its goals: a foreign key or primary key compared with
    numbers), which the caller then checks are all organization A's. Otherwise the tenant
    tables it reads are returned as unscoped.
    """
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return set(), {}
    read = {table for table in _TABLE.findall(sql) if table in tenant_tables}
    if not read or _ORGANIZATION.search(sql):
        return set(), {}
    by_table, by_column = columns
    ids: Ids = {}
    for match in _BY_ID.finditer(sql):
        table, column = match.group("table").strip('"'), match.group("column")
        if (table, column) in by_table:
            models_ = {by_table[(table, column)]}
        elif re.fullmatch(r"[A-Z]\d+", table) and column != "id":  # Django's aliases: U0, T3
            models_ = by_column.get(column, set())
        else:
            models_ = set()
        values = {int(v) for v in re.findall(r"\d+", match.group("one") or match.group("many"))}
        for model in models_:
            ids.setdefault(model, set()).update(values)
    return (set() if ids else read), ids


def tenant_table_names() -> set[str]:
    return {m._meta.db_table for m in hopeful_models() if organization_column(m) is not None}


def get_pages() -> list[str]:
    return sorted(entry.name for entry in tenant_urls() if entry.name in OUTSIDER_CASES)


def test_the_check_tells_scoped_from_unscoped_queries() -> None:
    from hopeful.web.casework.models import Goal
    from hopeful.web.families.models import Family

    tables = tenant_table_names()
    columns = id_columns()
    scoped = (
        'SELECT "families_family"."id" FROM "families_family" '
        'WHERE "families_family"."organization_id" = 1'
    )
    joined = (
        'SELECT U0."id" FROM "casework_goal" U0 INNER JOIN "families_family" ON '
        '(U0."family_id" = "families_family"."id") WHERE U0."organization_id" IN (1)'
    )
    only_selected = 'SELECT "families_family"."organization_id" FROM "families_family"'
    by_family = (
        'SELECT "casework_goal"."id" FROM "casework_goal" WHERE "casework_goal"."family_id" = 3'
    )
    by_alias = 'SELECT U0."id" FROM "casework_goal" U0 WHERE U0."family_id" IN (4, 5)'
    assert scope(scoped, tables, columns) == (set(), {})
    assert scope(joined, tables, columns) == (set(), {})
    assert scope(only_selected, tables, columns) == ({"families_family"}, {})
    assert scope(by_family, tables, columns) == (set(), {Family: {3}})
    assert scope(by_alias, tables, columns)[1][Family] == {4, 5}
    by_own_id = 'SELECT "casework_goal"."id" FROM "casework_goal" WHERE "casework_goal"."id" = 7'
    assert scope(by_own_id, tables, columns) == (set(), {Goal: {7}})
    assert scope('SELECT "x"."id" FROM "accounts_user" "x"', tables, columns) == (set(), {})


def test_organization_pages_read_tenant_tables_by_organization(
    client: Client, two_tenants: Cases
) -> None:
    """Every GET page of organization A, opened by A's admin while B has the same data."""
    tenant_tables = tenant_table_names()
    columns = id_columns()
    org_a, org_b = two_tenants["org_a"], two_tenants["org_b"]
    f.login_verified(client, two_tenants["members_a"][Role.ORG_ADMIN])
    other_org = re.compile(rf'"organization_id"\s*(?:=\s*|IN\s*\([^)]*\b){org_b.pk}\b')
    problems: list[str] = []
    used: set[tuple[str, str]] = set()
    ids: dict[tuple[str, type[models.Model]], set[int]] = {}
    for name in get_pages():
        url = reverse(name, kwargs=OUTSIDER_CASES[name](two_tenants))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code == 405:  # a POST-only address: nothing read on GET
            continue
        assert response.status_code == 200, (name, response.status_code)
        for query in queries.captured_queries:
            sql = query["sql"]
            if other_org.search(sql):
                problems.append(f"{name} asks for organization B's rows: {sql[:300]}")
            unscoped, by_ids = scope(sql, tenant_tables, columns)
            for model, values in by_ids.items():
                ids.setdefault((name, model), set()).update(values)
            for table in unscoped:
                if (name, table) in UNSCOPED_READS:
                    used.add((name, table))
                else:
                    problems.append(f"{name} reads {table} with no organization: {sql[:400]}")
    # the ids a page filtered by are all organization A's rows
    for (name, model), values in sorted(
        ids.items(), key=lambda item: (item[0][0], item[0][1].__name__)
    ):
        found = set(
            model._default_manager.filter(pk__in=values, organization=org_a).values_list(
                "pk", flat=True
            )
        )
        if values - found:
            problems.append(
                f"{name} filters {model.__name__} by ids not of A: {sorted(values - found)}"
            )
    assert not problems, "\n".join(problems)
    # not vacuous: the pages were read, and rows were found by id as well as by organization
    assert len({name for name, _model in ids}) > 20
    assert used == set(UNSCOPED_READS), f"stale UNSCOPED_READS: {set(UNSCOPED_READS) - used}"
