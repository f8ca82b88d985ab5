from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Model
from django.test import override_settings

from hopeful.framework import get_instrument, score_response
from hopeful.web.accounts.models import User
from hopeful.web.core.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_load, history_start
from hopeful.web.families.models import Child, ConsentRecord, Family
from hopeful.web.organizations.models import Organization
from hopeful.web.surveys.demographics import demographics_check
from hopeful.web.surveys.models import CampaignLink, LinkKind, Submission

pytestmark = pytest.mark.django_db

# pytest-django runs tests with DEBUG off; the demo is a development (DEBUG) feature.
debug_on = override_settings(DEBUG=True)


@debug_on
def test_it_creates_a_demo_staff_account_and_prints_its_password() -> None:
    out = StringIO()
    call_command("load_demo", "--no-site", "--no-families", stdout=out)
    user = User.objects.get(email=DEMO_EMAIL)
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password(DEMO_PASSWORD)
    assert DEMO_EMAIL in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    assert "demo only" in out.getvalue()


@debug_on
def test_it_can_run_again_and_resets_the_demo_account() -> None:
    call_command("load_demo", "--no-site", "--no-families", stdout=StringIO())
    user = User.objects.get(email=DEMO_EMAIL)
    user.set_password("changed-by-someone")
    user.is_staff = False
    user.save()
    out = StringIO()
    call_command("load_demo", "--no-site", "--no-families", stdout=out)
    assert User.objects.filter(email=DEMO_EMAIL).count() == 1
    user.refresh_from_db()
    assert user.is_staff
    assert authenticate(username=DEMO_EMAIL, password=DEMO_PASSWORD) == user
    assert out.getvalue().startswith("Reset")


@override_settings(DEBUG=False)
def test_it_refuses_to_load_the_demo_when_debug_is_off_unless_forced() -> None:
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", "--no-site", "--no-families", stdout=StringIO())
    assert not User.objects.filter(email=DEMO_EMAIL).exists()
    call_command("load_demo", "--no-site", "--force", "--no-families", stdout=StringIO())
    assert User.objects.filter(email=DEMO_EMAIL).exists()


# The demo's content does not depend on the database (its writes are checked on both by the
# bulk-loading tests below); this check of all of it runs in the SQLite pass only.
@pytest.mark.one_database
@pytest.mark.third_process
@debug_on
def test_it_loads_two_organizations_with_staff_in_every_role_and_synthetic_families() -> None:
    from django_otp.oath import totp

    from hopeful.web.core import demo_learning
    from hopeful.web.core.demo import ORGANIZATIONS, totp_key
    from hopeful.web.core.demo_peers import PEER_FAMILIES, peer_specs
    from hopeful.web.organizations.models import Membership
    from hopeful.web.surveys.models import InstrumentScore

    out = StringIO()
    call_command("load_demo", stdout=out)
    main = Organization.objects.filter(name__in=[o["name"] for o in ORGANIZATIONS])
    peers = Organization.objects.filter(name__in=[o["name"] for o in peer_specs()])
    assert main.count() == 2
    assert peers.count() == 8
    # and the HOPE-informed organizations of the learning demo (certified, no members)
    assert Organization.objects.count() == 10 + demo_learning.ORGANIZATIONS
    for org in main:
        roles = set(Membership.objects.filter(organization=org).values_list("role", flat=True))
        assert roles == {"org_admin", "practitioner", "analyst", "researcher", "viewer"}
        assert org.programs.count() == 2
        assert Family.objects.filter(organization=org).count() == 400
    for org in peers:  # network members for the network view: an org admin only
        assert org.network_member
        roles = set(Membership.objects.filter(organization=org).values_list("role", flat=True))
        assert roles == {"org_admin"}
        assert Family.objects.filter(organization=org).count() == PEER_FAMILIES
    submissions = Submission.objects.filter(organization__in=main)
    assert 800 < submissions.count() < 1000  # some families answered twice
    assert set(submissions.values_list("language", flat=True)) == {"en", "es"}
    scores = InstrumentScore.objects.filter(organization__in=main)
    assert scores.count() == 2 * submissions.count()  # two instruments each
    text = out.getvalue()
    assert "org-admin@sunrise.example" in text
    assert "two-factor secret" in text
    assert "lakeview" not in text  # the peers' admins are not listed
    # the printed secret is the device's key, so authenticator apps produce valid codes
    assert totp(bytes.fromhex(totp_key("practitioner@riverbend.example"))) >= 0
    loaded = Submission.objects.count()
    families = Family.objects.count()
    assert families == 800 + 8 * PEER_FAMILIES
    # the public site: published in both languages, edited by the network staff account
    from hopeful.web.accounts.models import User
    from hopeful.web.cms.models import ResourcePage

    assert ResourcePage.objects.live().filter(locale__language_code="en").count() == 40
    assert ResourcePage.objects.live().filter(locale__language_code="es").count() == 38
    network = User.objects.get(email="network@hopeful.example")
    assert set(network.groups.values_list("name", flat=True)) == {"Editors", "Moderators"}
    assert "edits the public site at /cms/" in text
    # learning and certification: hundreds certified through the services, across states
    from hopeful.web.certification.models import Certification
    from hopeful.web.standards.models import Assessment
    from hopeful.web.trainings.models import Registration, Training

    facilitators = Certification.objects.filter(tier="facilitator")
    assert facilitators.count() >= demo_learning.FACILITATORS
    assert facilitators.filter(state="certified").count() > 200
    assert {"expiring", "expired", "suspended", "revoked"} <= set(
        facilitators.values_list("state", flat=True)
    )
    assert Certification.objects.filter(tier="champion", state="certified").count() > 40
    assert Certification.objects.filter(tier="organization", state="certified").count() == 40
    assert len(set(facilitators.values_list("user__learner_profile__state", flat=True))) > 30
    assert Training.objects.count() == 12
    learner = User.objects.get(email=demo_learning.LEARNER_EMAIL)
    assert Registration.objects.filter(user=learner, status="registered").exists()
    assert Assessment.objects.filter(organization__name="Sunrise Pediatrics").count() == 2
    sunrise = Certification.objects.get(organization__name="Sunrise Pediatrics")
    assert sunrise.state == "applied"
    assert "learner@hopeful.example" in text
    assert "trainer@hopeful.example" in text
    call_command("load_demo", "--no-site", stdout=StringIO())  # again: nothing duplicated
    assert Family.objects.count() == families
    assert Submission.objects.count() == loaded


# -- the synthetic families ---------------------------------------------------------------------

#: A fixed "today": the demo dates everything back from the day it is loaded.
TODAY = dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.UTC)

#: Fields drawn at random when a row is stored (and password salts): compared as "set".
RANDOM_FIELDS = {"id", "public_id", "record_key", "token_hash", "password"}


#: Not data about families: the abuse limits' counters (the submission service counts each
#: link's submissions an hour, to flag unusual volume; the bulk loader has no requests).
THROTTLING_STATE = {"core.RateLimitCounter"}


class RollbackError(Exception):
    """Raised to undo a load after looking at it."""


def _snapshot() -> dict[str, list[str]]:
    """Every row of every table, by content: a foreign key is the content of the row it points
    to (ids depend on the order of writing, and on PostgreSQL on earlier rolled-back loads),
    public ids in the audit trail likewise (the audit trail is described last, when every
    public id is known), and random fields only whether they are set."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label not in THROTTLING_STATE
    ]
    rows = {model: {obj.pk: obj for obj in model._base_manager.all()} for model in models}
    content: dict[tuple[type[Model], Any], str] = {}
    public: dict[str, str] = {}

    def named(value: Any) -> Any:
        if isinstance(value, str):
            return public.get(value, value)
        if isinstance(value, dict):
            return {k: named(v) for k, v in value.items()}
        if isinstance(value, list):
            return [named(v) for v in value]
        return value

    def describe(model: type[Model], pk: Any) -> str:
        if (model, pk) in content:
            return content[(model, pk)]
        content[(model, pk)] = f"{model._meta.label} (a cycle)"
        obj = rows[model][pk]
        row: dict[str, Any] = {}
        for f in model._meta.concrete_fields:
            value = getattr(obj, f.attname)
            if f.name in RANDOM_FIELDS:
                row[f.name] = "set" if value not in (None, "") else value
            elif f.is_relation and value is not None:
                row[f.name] = describe(f.related_model, value)
            else:
                row[f.name] = named(value)
        content[(model, pk)] = f"{model._meta.label}{sorted(row.items())}"
        return content[(model, pk)]

    for model in models:
        if any(f.name == "public_id" for f in model._meta.concrete_fields):
            for pk, obj in rows[model].items():
                public[str(obj.public_id)] = describe(model, pk)
    return {
        model._meta.label: sorted(describe(model, pk) for pk in rows[model]) for model in models
    }


def _load_and_look(*, bulk: bool, families: int) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Load the demo, snapshot every table and count the kinds of families, then roll back
    (so that one test can load twice)."""
    seen: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            demo_load(families_per_organization=families, bulk=bulk, peers=False, site=False)
            seen = _snapshot()
            counts = {
                "families": Family.objects.count(),
                "invited": CampaignLink.objects.filter(kind=LinkKind.PERSONAL).count(),
                "answered again": Submission.objects.filter(link__kind=LinkKind.PERSONAL).count(),
                "withdrew": _withdrawals(),
                # past the three of each family's first answers: changes and withdrawals
                "later consent records": ConsentRecord.objects.count() - 3 * Family.objects.count(),
            }
            raise RollbackError
    except RollbackError:
        pass
    return seen, counts


def _withdrawals() -> int:
    """Families whose latest record for some purpose revokes an earlier grant."""
    count = 0
    for family in Family.objects.prefetch_related("consents"):
        state: dict[str, list[bool]] = {}
        for record in sorted(family.consents.all(), key=lambda r: (r.recorded_at, r.id)):
            state.setdefault(record.purpose, []).append(record.granted)
        count += any(True in given and not given[-1] for given in state.values())
    return count


def test_bulk_loading_writes_the_rows_the_submission_service_writes() -> None:
    with time_machine.travel(TODAY, tick=False):
        through_service, counts = _load_and_look(bulk=False, families=30)
        in_bulk, bulk_counts = _load_and_look(bulk=True, families=30)
    assert set(in_bulk) == set(through_service)
    for table, rows in through_service.items():
        assert in_bulk[table] == rows, table
    assert bulk_counts == counts
    # 30 families per organization have every kind of family (seeded: always the same ones)
    assert counts["families"] == 60
    assert 0 < counts["answered again"] < counts["invited"]  # some have not answered (yet)
    assert counts["withdrew"] > 0
    assert counts["later consent records"] > counts["withdrew"]  # some said yes to research
    assert len(through_service["surveys.Submission"]) == 60 + counts["answered again"]
    events = through_service["audit.AuditEvent"]
    verbs = ("consent.change", "child.create", "link.create", "submission.create")
    count = {verb: sum(f"('verb', '{verb}')" in row for row in events) for verb in verbs}
    assert count["child.create"] == 60
    assert count["link.create"] == counts["invited"] + 4  # and the campaigns' public links
    assert count["submission.create"] == 60 + counts["answered again"]
    assert count["consent.change"] == 60 + counts["later consent records"]  # one purpose each


def test_the_rows_have_what_the_service_writes_and_scores_from_the_framework() -> None:
    with time_machine.travel(TODAY, tick=False):
        demo_load(families_per_organization=30, peers=False, site=False)
    submissions = Submission.objects.select_related("link", "family", "campaign")
    for submission in submissions:
        assert submission.payload_hash
        assert submission.client_uuid
        assert submission.answers
        assert submission.demographics == demographics_check(submission.demographics)
        assert submission.program_id == submission.campaign.program_id
        assert submission.family.program_id == submission.program_id
        if submission.link.kind == LinkKind.PERSONAL:
            assert submission.link.family_id == submission.family_id
        scores = {s.instrument_id: s for s in submission.scores.all()}
        assert set(scores) == {entry["id"] for entry in submission.campaign.instruments}
        for instrument_id, stored in scores.items():
            inst = get_instrument(instrument_id, stored.instrument_version)
            expected = score_response(inst, submission.answers[instrument_id])
            assert stored.values == json.loads(json.dumps(dict(expected.values)))
            assert stored.reason == expected.reason
    for family in Family.objects.all():
        first = family.consents.order_by("recorded_at", "id")[:3]
        assert {c.purpose for c in first} == {"care", "program_improvement", "research"}
        assert family.children.count() == 1
    # record keys come from the models' defaults, as for the service's rows
    assert not Submission.objects.filter(record_key__isnull=True).exists()
    assert not CampaignLink.objects.filter(record_key__isnull=True).exists()


def test_the_history_starts_on_1_january_of_the_previous_year() -> None:
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert history_start(TODAY) == start
    assert history_start(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)) == start
    assert history_start(dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC)) == start


def test_submissions_span_whole_years_busier_lately_in_both_languages_by_program() -> None:
    with time_machine.travel(TODAY, tick=False):
        demo_load(peers=False, site=False)
    families = Family.objects.count()
    dates = list(Submission.objects.values_list("submitted_at", flat=True))
    assert max(dates) <= TODAY
    # from 1 January of last year: every quarter of last year has answers
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert start <= min(dates) < start + dt.timedelta(days=14)
    quarters = {(d.year, (d.month - 1) // 3 + 1) for d in dates}
    assert {(2025, q) for q in range(1, 5)} | {(2026, q) for q in range(1, 5)} <= quarters
    last_year = sum(d > TODAY - dt.timedelta(days=365) for d in dates)
    assert last_year > 1.3 * (len(dates) - last_year)  # recent quarters are busier
    # families answering again do so in a later quarter, through a personal invitation
    again = Family.objects.annotate(n=Count("submissions")).filter(n=2)
    for family in again:
        first, second = family.submissions.order_by("submitted_at")
        assert second.submitted_at - first.submitted_at > dt.timedelta(days=99)
        assert (first.link.kind, second.link.kind) == (LinkKind.PUBLIC, LinkKind.PERSONAL)
        assert second.link.created_at <= second.submitted_at
    assert 0.08 * families < again.count() < 0.25 * families
    assert not Family.objects.annotate(n=Count("submissions")).filter(n__gt=2).exists()
    assert 0 < _withdrawals() < 0.1 * families
    # Spanish answers: a different share in each program
    for org in Organization.objects.all():
        shares = []
        for program in org.programs.all():
            langs = list(
                Submission.objects.filter(program=program).values_list("language", flat=True)
            )
            shares.append(langs.count("es") / len(langs))
        assert min(shares) > 0.1, shares
        assert max(shares) - min(shares) > 0.15, shares
    # children are born before their family first answers
    for child in Child.objects.select_related("family"):
        first = child.family.submissions.order_by("submitted_at").first()
        assert first is not None
        assert child.birth_month <= first.submitted_at.date()
    answers = list(Submission.objects.values_list("demographics", flat=True))
    assert any(len(d.get("race_ethnicity", [])) == 2 for d in answers)  # several can be chosen
    assert {"000", "prefer_not_to_say", None} <= {d.get("zip3") for d in answers}


def test_the_same_families_come_back_whatever_the_number_loaded() -> None:
    def loaded(n: int) -> set[tuple[Any, ...]]:
        rows: set[tuple[Any, ...]] = set()
        try:
            with transaction.atomic(), time_machine.travel(TODAY, tick=False):
                demo_load(families_per_organization=n, peers=False, site=False)
                for row in Submission.objects.values_list(
                    "client_uuid", "submitted_at", "language", "answers", "demographics"
                ):
                    rows.add(tuple(json.dumps(v, sort_keys=True, default=str) for v in row))
                raise RollbackError
        except RollbackError:
            pass
        return rows

    assert loaded(5) < loaded(12)


@debug_on
def test_families_takes_a_number_per_organization() -> None:
    out = StringIO()
    call_command("load_demo", "--no-site", "--families", "7", stdout=out)
    for org in Organization.objects.all():
        assert Family.objects.filter(organization=org).count() == 7
    assert "Loading 7 synthetic families per organization" in out.getvalue()
    assert "Loaded: 10 organizations, 70 families" in out.getvalue()  # 8 network peers too


@debug_on
@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("0", "at least 1"),
        ("-5", "at least 1"),
        ("abc", "whole number"),
        ("2.5", "whole number"),
        ("", "whole number"),
        ("100001", "at most 100,000 families per organization"),
    ],
)
def test_a_bad_number_of_families_is_refused_and_changes_nothing(given: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("load_demo", "--no-site", "--families", given, stdout=StringIO())
    assert not User.objects.exists()
    assert not Organization.objects.exists()


@debug_on
@pytest.mark.parametrize("given", [0, -5, 100_001, "400", 2.5, True])
def test_a_bad_number_of_families_given_in_code_is_refused_too(given: object) -> None:
    with pytest.raises(CommandError, match="families"):
        call_command("load_demo", "--no-site", families=given, stdout=StringIO())
    assert not User.objects.exists()


@debug_on
def test_no_families_and_a_number_of_families_do_not_go_together() -> None:
    with pytest.raises(CommandError, match="not allowed with"):
        call_command(
            "load_demo", "--no-site", "--no-families", "--families", "5", stdout=StringIO()
        )
    assert not User.objects.exists()


@debug_on
def test_loading_again_with_another_number_keeps_the_families_and_says_so() -> None:
    call_command("load_demo", "--no-site", "--families", "3", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", "--no-site", "--families", "5", stdout=out)
    assert Family.objects.count() == 30  # 3 in each of the 10 organizations
    assert "its families stay as they are (Sunrise Pediatrics 3, Riverbend" in out.getvalue()
    assert "--families 5 applies only to a new demo database" in out.getvalue()
    out = StringIO()
    call_command(
        "load_demo", "--no-site", "--families", "3", stdout=out
    )  # the same number: nothing to say
    assert "stay as they are" not in out.getvalue()


def test_each_demo_practitioner_gets_a_caseload_with_a_history() -> None:
    from hopeful.web.casework.models import (
        Assignment,
        CaseReview,
        Goal,
        StrengthsMap,
        Visit,
    )
    from hopeful.web.core.demo_casework import CASELOAD

    with time_machine.travel(TODAY, tick=False):
        demo_load(families_per_organization=60, peers=False, site=False)
        demo_load(
            families_per_organization=60, peers=False, site=False
        )  # again: the history is kept
    for org in Organization.objects.all():
        assigned = Assignment.objects.filter(
            organization=org, membership__role="practitioner"
        ).values_list("family", flat=True)
        assert len(assigned) == CASELOAD
        families = Family.objects.filter(pk__in=assigned)
        assert Visit.objects.filter(family__in=families).count() >= CASELOAD
        assert StrengthsMap.objects.filter(family__in=families, version=2).count() == CASELOAD
        assert Goal.objects.filter(family__in=families).count() == CASELOAD
        assert CaseReview.objects.filter(family__in=families).exists()
        assert CaseReview.objects.filter(family__in=families, signed_off_at__isnull=False).exists()
        assert Visit.objects.filter(family__in=families, restricted=True).exists()
        # every family on a caseload is one the practitioner sees
        practitioner = org.memberships.get(role="practitioner")
        assert set(families.values_list("program", flat=True)) <= set(
            practitioner.programs.values_list("pk", flat=True)
        )
