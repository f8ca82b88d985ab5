"""The certification services: the lifecycle through the database, requirements, reasons,
the audit trail, the daily job by date, awards from trainings, organizations and reviews."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import time_machine
from django.db import IntegrityError, transaction

from hopeful.framework.certification import TRANSITIONS, Action, State, Tier
from hopeful.web.audit.models import AuditEvent
from hopeful.web.certification import issuing, services
from hopeful.web.certification.models import (
    Certification,
    Credential,
    ReviewStatus,
    StatusIndex,
)
from hopeful.web.certification.services import CertificationError, RequirementsNotMet
from tests.web import factories as f
from tests.web.certification.helpers import act, add_hours, certify, make_learner, make_staff

pytestmark = pytest.mark.django_db

UTC = dt.UTC
START = dt.datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _snapshot(certification: Certification) -> tuple[object, ...]:
    certification.refresh_from_db()
    return (
        certification.state,
        certification.valid_until,
        certification.reason,
        certification.period_started_at,
        certification.events.count(),
        certification.credentials.count(),
        AuditEvent.objects.count(),
    )


def test_apply_start_certify_issues_a_credential() -> None:
    staff, rosa = make_staff(), make_learner()
    with time_machine.travel(START, tick=False):
        cert = services.certification_apply(tier=Tier.FACILITATOR, actor=staff, user=rosa)
        assert cert.state == State.APPLIED
        assert cert.credentials.count() == 0
        act(cert, Action.START, staff)
        act(cert, Action.CERTIFY, staff)
    assert cert.state == State.CERTIFIED
    assert cert.certified_at == START
    assert cert.valid_until == dt.date(2028, 3, 1)  # 2 years, last valid day inclusive
    credential = cert.credentials.get()
    assert credential.subject_name == "Rosa Díaz"
    assert len(credential.code) == 16
    assert credential.valid_until == dt.datetime(2028, 3, 1, 23, 59, 59, tzinfo=UTC)
    assert credential.jwt.count(".") == 2
    assert credential.kid == issuing.keystore().signing_kid()
    assert [e.action for e in cert.events.all()] == ["apply", "start", "certify"]
    assert list(
        AuditEvent.objects.filter(object_id=str(cert.public_id))
        .order_by("id")
        .values_list("verb", flat=True)
    ) == ["certification.apply", "certification.start", "certification.certify"]


def test_applying_twice_returns_the_open_certification() -> None:
    rosa = make_learner()
    first = services.certification_apply(tier=Tier.FACILITATOR, actor=rosa, user=rosa)
    second = services.certification_apply(tier=Tier.FACILITATOR, actor=rosa, user=rosa)
    assert first.pk == second.pk
    assert Certification.objects.count() == 1


def test_the_database_keeps_one_open_certification_per_person_and_tier() -> None:
    rosa = make_learner()
    Certification.objects.create(tier=Tier.FACILITATOR, user=rosa)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certification.objects.create(tier=Tier.FACILITATOR, user=rosa)
    with pytest.raises(IntegrityError), transaction.atomic():  # a person is no organization
        Certification.objects.create(tier=Tier.ORGANIZATION, user=rosa)


def test_wrong_holder_kind_is_refused() -> None:
    rosa, org = make_learner(), f.make_org()
    with pytest.raises(CertificationError):
        services.certification_apply(tier=Tier.ORGANIZATION, actor=rosa, user=rosa)
    with pytest.raises(CertificationError):
        services.certification_apply(tier=Tier.FACILITATOR, actor=rosa, organization=org)
    assert Certification.objects.count() == 0


def _in_state(state: State, tier: Tier, staff: object) -> Certification:
    """A certification brought to ``state`` through the services."""
    if tier is Tier.ORGANIZATION:
        org = f.make_org(f"Org {state}")
        champion = make_learner(f"champ-{state}@example.org", "Cam Pion")
        certify(champion, Tier.FACILITATOR)
        certify(champion, Tier.CHAMPION)
        cert = services.organization_certification_apply(
            organization=org, actor=staff, assessment_ref=f"assessment-{state}"
        )
        if state is State.APPLIED:
            return cert
        services.organization_review_record(
            certification=cert, reviewer=champion, approved=True, notes=""
        )
    else:
        person = make_learner(f"{tier}-{state}@example.org")
        if tier is Tier.CHAMPION:
            certify(person, Tier.FACILITATOR)
        cert = services.certification_apply(tier=tier, actor=staff, user=person)
        if state is State.APPLIED:
            return cert
        act(cert, Action.START, staff)
    path = {
        State.IN_PROGRESS: [],
        State.CERTIFIED: [Action.CERTIFY],
        State.EXPIRING: [Action.CERTIFY, Action.MARK_EXPIRING],
        State.EXPIRED: [Action.CERTIFY, Action.EXPIRE],
        State.SUSPENDED: [Action.CERTIFY, Action.SUSPEND],
        State.REVOKED: [Action.REVOKE],
    }[state]
    for action in path:
        act(cert, action, staff, reason="Test reason")
    assert cert.state == state
    return cert


@pytest.mark.parametrize(
    ("tier", "state"),
    [(t, s) for t, s in itertools.product(Tier, State)],
)
def test_every_illegal_action_through_the_service_changes_nothing(tier: Tier, state: State) -> None:
    staff = make_staff()
    cert = _in_state(state, tier, staff)
    for action in Action:
        if (state, action) in TRANSITIONS:
            continue
        before = _snapshot(cert)
        with pytest.raises(CertificationError) as info:
            act(cert, action, staff, reason="Because")
        assert str(info.value)
        assert _snapshot(cert) == before, action


def test_suspend_and_revoke_need_a_reason_and_record_it() -> None:
    staff, rosa = make_staff(), make_learner()
    cert = certify(rosa)
    before = _snapshot(cert)
    for action in (Action.SUSPEND, Action.REVOKE):
        with pytest.raises(CertificationError, match="reason"):
            act(cert, action, staff, reason="   ")
        assert _snapshot(cert) == before
    act(cert, Action.SUSPEND, staff, reason="Complaint under review")
    assert (cert.state, cert.reason) == (State.SUSPENDED, "Complaint under review")
    act(cert, Action.REINSTATE, staff)
    assert (cert.state, cert.reason) == (State.CERTIFIED, "")
    act(cert, Action.REVOKE, staff, reason="Misrepresented the training")
    assert (cert.state, cert.reason) == (State.REVOKED, "Misrepresented the training")
    trail = list(cert.events.values_list("action", "from_state", "to_state", "reason", "actor"))
    assert trail[-3:] == [
        ("suspend", "certified", "suspended", "Complaint under review", staff.pk),
        ("reinstate", "suspended", "certified", "", staff.pk),
        ("revoke", "certified", "revoked", "Misrepresented the training", staff.pk),
    ]
    revoke = AuditEvent.objects.get(verb="certification.revoke")
    assert revoke.actor == staff
    assert revoke.extra["reason"] == "Misrepresented the training"
    assert revoke.object_id == str(cert.public_id)
    # reinstating issues no new credential: the old one is valid again
    assert cert.credentials.count() == 1


def test_a_revoked_person_may_apply_again() -> None:
    staff, rosa = make_staff(), make_learner()
    cert = certify(rosa)
    act(cert, Action.REVOKE, staff, reason="Error")
    again = services.certification_apply(tier=Tier.FACILITATOR, actor=staff, user=rosa)
    assert again.pk != cert.pk
    assert again.state == State.APPLIED


def test_completing_the_training_again_does_not_undo_a_revocation() -> None:
    staff, rosa = make_staff(), make_learner()
    cert = certify(rosa)
    act(cert, Action.REVOKE, staff, reason="Attendance signed by someone else")
    with pytest.raises(CertificationError, match="revoked"):
        services.certification_award_from_training(
            user=rosa, tier=Tier.FACILITATOR, evidence={"training": "again"}, actor=staff
        )
    assert Certification.objects.filter(user=rosa).count() == 1
    # staff open a new application: then the training certifies again
    services.certification_apply(tier=Tier.FACILITATOR, actor=staff, user=rosa)
    again = services.certification_award_from_training(
        user=rosa, tier=Tier.FACILITATOR, evidence={"training": "again"}, actor=staff
    )
    assert again.state == State.CERTIFIED
    assert again.pk != cert.pk


def test_unknown_action_is_refused() -> None:
    staff, rosa = make_staff(), make_learner()
    cert = certify(rosa)
    with pytest.raises(CertificationError):
        services.certification_act(certification=cert, action="forgive", actor=staff)  # type: ignore[arg-type]


# -- expiry and renewal by date ------------------------------------------------------------


def test_expiring_window_expiry_and_renewal_by_ce_hours() -> None:
    rosa = make_learner()
    with time_machine.travel(START, tick=False):
        cert = certify(rosa)
    assert cert.valid_until == dt.date(2028, 3, 1)

    # 61 days before the last valid day: nothing to do
    with time_machine.travel(dt.datetime(2027, 12, 31, 3, tzinfo=UTC), tick=False):
        assert services.certifications_expire_by_date() == {"expire": 0, "mark_expiring": 0}
    cert.refresh_from_db()
    assert cert.state == State.CERTIFIED

    # 60 days before: expiring
    with time_machine.travel(dt.datetime(2028, 1, 1, 3, tzinfo=UTC), tick=False):
        assert services.certifications_expire_by_date() == {"expire": 0, "mark_expiring": 1}
        assert services.certifications_expire_by_date() == {"expire": 0, "mark_expiring": 0}
    cert.refresh_from_db()
    assert cert.state == State.EXPIRING

    # hours earned before the period do not count; too few hours: refused, nothing changes
    add_hours(rosa, "20", at=dt.datetime(2026, 1, 1, tzinfo=UTC))
    add_hours(rosa, "5", at=dt.datetime(2027, 6, 1, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2028, 1, 10, tzinfo=UTC), tick=False):
        before = _snapshot(cert)
        with pytest.raises(RequirementsNotMet, match="6"):
            act(cert, Action.RENEW, rosa)
        assert _snapshot(cert) == before

    # the last valid day is still valid; the day after, the job expires it
    with time_machine.travel(dt.datetime(2028, 3, 1, 23, tzinfo=UTC), tick=False):
        assert services.certifications_expire_by_date()["expire"] == 0
    with time_machine.travel(dt.datetime(2028, 3, 2, 2, tzinfo=UTC), tick=False):
        assert services.certifications_expire_by_date() == {"expire": 1, "mark_expiring": 0}
    cert.refresh_from_db()
    assert cert.state == State.EXPIRED
    assert cert.events.last().actor is None  # the job

    # one more hour: 6 in the period, renewal works and starts a new period from today
    add_hours(rosa, "1", at=dt.datetime(2028, 3, 3, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2028, 3, 5, 12, tzinfo=UTC), tick=False):
        act(cert, Action.RENEW, rosa)
    assert cert.state == State.CERTIFIED
    assert cert.valid_until == dt.date(2030, 3, 4)
    assert cert.period_started_at == dt.datetime(2028, 3, 5, 12, tzinfo=UTC)
    assert cert.credentials.count() == 2
    assert cert.events.last().action == "renew"
    # the next renewal needs new hours
    with (
        time_machine.travel(dt.datetime(2030, 2, 1, tzinfo=UTC), tick=False),
        pytest.raises(RequirementsNotMet),
    ):
        act(cert, Action.RENEW, rosa)


def test_early_renewal_keeps_the_remaining_time() -> None:
    rosa = make_learner()
    with time_machine.travel(START, tick=False):
        cert = certify(rosa)
    add_hours(rosa, "6", at=dt.datetime(2027, 1, 1, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2028, 1, 15, tzinfo=UTC), tick=False):
        services.certifications_expire_by_date()
        cert.refresh_from_db()
        assert cert.state == State.EXPIRING
        act(cert, Action.RENEW, rosa)
    assert cert.valid_until == dt.date(2030, 3, 1)


def test_champion_renewal_needs_ten_hours_and_a_valid_facilitator() -> None:
    rosa = make_learner()
    with time_machine.travel(START, tick=False):
        facilitator = certify(rosa, Tier.FACILITATOR)
        champion = certify(rosa, Tier.CHAMPION)
    add_hours(rosa, "9", at=dt.datetime(2027, 1, 1, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2028, 2, 1, tzinfo=UTC), tick=False):
        services.certifications_expire_by_date()
        champion.refresh_from_db()
        with pytest.raises(RequirementsNotMet, match="10"):
            act(champion, Action.RENEW, rosa)
        add_hours(rosa, "1", at=dt.datetime(2027, 1, 2, tzinfo=UTC))
        staff = make_staff()
        act(facilitator, Action.SUSPEND, staff, reason="Review")
        with pytest.raises(RequirementsNotMet, match="Facilitator"):
            act(champion, Action.RENEW, rosa)
        act(facilitator, Action.REINSTATE, staff)
        act(champion, Action.RENEW, rosa)
    assert champion.state == State.CERTIFIED


def test_the_daily_job_queues_itself() -> None:
    from django_tasks_db.models import DBTaskResult

    from hopeful.web.certification import tasks

    now = dt.datetime(2026, 3, 2, 15, tzinfo=UTC)
    assert tasks.schedule(now) is True
    assert tasks.schedule(now) is False  # one waiting run is enough
    waiting = DBTaskResult.objects.get(task_path=tasks.expire_by_date.module_path)
    assert waiting.run_after == dt.datetime(2026, 3, 3, tasks.HOUR, tzinfo=UTC)


def test_the_daily_task_runs_the_job() -> None:
    from hopeful.web.certification import tasks

    rosa = make_learner()
    with time_machine.travel(START, tick=False):
        cert = certify(rosa)
    with time_machine.travel(dt.datetime(2028, 3, 2, 2, tzinfo=UTC), tick=False):
        assert tasks.expire_by_date.call() == {"expire": 1, "mark_expiring": 0}
    cert.refresh_from_db()
    assert cert.state == State.EXPIRED


# -- awards from trainings -----------------------------------------------------------------


def test_award_from_training_is_idempotent() -> None:
    trainer, rosa = make_staff(), make_learner()
    evidence = {"training": "5a3c", "title": "Facilitator training"}
    first = services.certification_award_from_training(
        user=rosa, tier=Tier.FACILITATOR, evidence=evidence, actor=trainer
    )
    again = services.certification_award_from_training(
        user=rosa, tier=Tier.FACILITATOR, evidence=evidence, actor=trainer
    )
    assert first.pk == again.pk
    assert again.state == State.CERTIFIED
    assert Credential.objects.count() == 1
    assert again.evidence["awards"] == [evidence]
    assert [e.action for e in again.events.all()] == ["apply", "start", "certify"]


def test_award_advances_an_existing_application() -> None:
    staff, rosa = make_staff(), make_learner()
    cert = services.certification_apply(tier=Tier.FACILITATOR, actor=staff, user=rosa)
    act(cert, Action.START, staff)
    awarded = services.certification_award_from_training(
        user=rosa, tier=Tier.FACILITATOR, evidence={"training": "x"}, actor=staff
    )
    assert awarded.pk == cert.pk
    assert awarded.state == State.CERTIFIED


def test_champion_award_needs_a_valid_facilitator() -> None:
    rosa = make_learner()
    with pytest.raises(RequirementsNotMet):
        certify(rosa, Tier.CHAMPION)
    assert Certification.objects.count() == 0
    facilitator = certify(rosa, Tier.FACILITATOR)
    act(facilitator, Action.SUSPEND, make_staff(), reason="Review")
    with pytest.raises(RequirementsNotMet):
        certify(rosa, Tier.CHAMPION)
    assert not Certification.objects.filter(tier=Tier.CHAMPION).exists()


def test_award_renews_an_expired_certification_and_refuses_a_suspended_one() -> None:
    rosa, staff = make_learner(), make_staff()
    with time_machine.travel(START, tick=False):
        cert = certify(rosa)
    with time_machine.travel(dt.datetime(2028, 6, 1, tzinfo=UTC), tick=False):
        services.certifications_expire_by_date()
        again = certify(rosa)
    assert again.pk == cert.pk
    assert again.state == State.CERTIFIED
    assert again.valid_until == dt.date(2030, 5, 31)
    act(again, Action.SUSPEND, staff, reason="Review")
    before = _snapshot(again)
    with pytest.raises(CertificationError, match="suspended"):
        certify(rosa)
    assert _snapshot(again) == before


def test_organization_tier_is_not_awarded_by_trainings() -> None:
    with pytest.raises(CertificationError):
        certify(make_learner(), Tier.ORGANIZATION)


# -- organizations -------------------------------------------------------------------------


def _champion(email: str = "champ@example.org") -> object:
    champion = make_learner(email, "Cam Pion")
    certify(champion, Tier.FACILITATOR)
    certify(champion, Tier.CHAMPION)
    return champion


def test_organization_application_review_and_certification() -> None:
    org = f.make_org("Sunrise Clinic")
    admin = f.make_member(org, "org_admin")
    staff, champion = make_staff(), _champion()
    cert = services.organization_certification_apply(
        organization=org, actor=admin, assessment_ref="sa-1"
    )
    assert (cert.state, cert.review_status) == (State.APPLIED, ReviewStatus.PENDING)
    # submitting the same assessment again changes nothing
    same = services.organization_certification_apply(
        organization=org, actor=admin, assessment_ref="sa-1"
    )
    assert same.pk == cert.pk
    assert cert.events.count() == 1

    # staff cannot certify before a Champion approved
    act(cert, Action.START, staff)
    with pytest.raises(RequirementsNotMet, match="Champion"):
        act(cert, Action.CERTIFY, staff)

    # changes requested: back in progress with notes; notes are required
    with pytest.raises(CertificationError):
        services.organization_review_record(
            certification=cert, reviewer=champion, approved=False, notes=""
        )
    services.organization_review_record(
        certification=cert, reviewer=champion, approved=False, notes="Add strengths prompts"
    )
    assert (cert.state, cert.review_status) == (State.IN_PROGRESS, ReviewStatus.CHANGES)
    assert cert.review_notes == "Add strengths prompts"
    with pytest.raises(CertificationError, match="not waiting"):
        services.organization_review_record(
            certification=cert, reviewer=champion, approved=True, notes=""
        )

    # a revised assessment asks for a review again; approved; staff certify
    services.organization_certification_apply(organization=org, actor=admin, assessment_ref="sa-2")
    cert.refresh_from_db()
    assert cert.review_status == ReviewStatus.PENDING
    services.organization_review_record(
        certification=cert, reviewer=champion, approved=True, notes="Good plan"
    )
    act(cert, Action.CERTIFY, staff)
    assert cert.state == State.CERTIFIED
    assert cert.valid_until is not None
    credential = cert.credentials.get()
    assert credential.subject_name == "Sunrise Clinic"
    events = list(cert.events.values_list("action", flat=True))
    assert events == [
        "apply",
        "start",
        "review_changes",
        "assessment",
        "review_approved",
        "certify",
    ]
    assert AuditEvent.objects.filter(
        verb="certification.review_approved", organization=org
    ).exists()


def test_reviewers_must_be_valid_champions_outside_the_organization() -> None:
    org = f.make_org()
    admin = f.make_member(org, "org_admin")
    cert = services.organization_certification_apply(
        organization=org, actor=admin, assessment_ref="sa-1"
    )
    facilitator_only = make_learner("fac@example.org")
    certify(facilitator_only)
    insider = _champion("insider@example.org")
    f.Membership.objects.create(user=insider, organization=org, role="viewer")
    before = _snapshot(cert)
    with pytest.raises(CertificationError, match="Champion"):
        services.organization_review_record(
            certification=cert, reviewer=facilitator_only, approved=True, notes=""
        )
    with pytest.raises(CertificationError, match="belong"):
        services.organization_review_record(
            certification=cert, reviewer=insider, approved=True, notes=""
        )
    assert _snapshot(cert) == before


def test_organization_renewal_needs_a_new_assessment() -> None:
    org = f.make_org()
    admin = f.make_member(org, "org_admin")
    staff, champion = make_staff(), _champion()
    with time_machine.travel(START, tick=False):
        cert = services.organization_certification_apply(
            organization=org, actor=admin, assessment_ref="sa-1"
        )
        services.organization_review_record(
            certification=cert, reviewer=champion, approved=True, notes=""
        )
        act(cert, Action.CERTIFY, staff)
    assert cert.valid_until == dt.date(2029, 3, 1)  # 3 years
    with time_machine.travel(dt.datetime(2029, 1, 15, tzinfo=UTC), tick=False):
        services.certifications_expire_by_date()
        cert.refresh_from_db()
        assert cert.state == State.EXPIRING
        with pytest.raises(RequirementsNotMet, match="self-assessment"):
            act(cert, Action.RENEW, staff)
        services.organization_certification_apply(
            organization=org, actor=admin, assessment_ref="sa-2029"
        )
        cert.refresh_from_db()
        act(cert, Action.RENEW, staff)
    assert cert.valid_until == dt.date(2032, 3, 1)


def test_a_suspended_organization_cannot_reapply() -> None:
    cert = _in_state(State.SUSPENDED, Tier.ORGANIZATION, make_staff())
    admin = f.make_member(cert.organization, "org_admin")
    before = _snapshot(cert)
    with pytest.raises(CertificationError, match="suspended"):
        services.organization_certification_apply(
            organization=cert.organization, actor=admin, assessment_ref="x"
        )
    assert _snapshot(cert) == before


# -- status list positions ----------------------------------------------------------------


def test_status_positions_are_unique_and_retried_on_collision(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    StatusIndex.objects.create(purpose="revocation", index=7)
    picks = iter([7, 7, 9])
    monkeypatch.setattr(issuing.secrets, "randbelow", lambda n: next(picks))
    assert issuing.allocate_index("revocation") == 9
    assert sorted(StatusIndex.objects.values_list("index", flat=True)) == [7, 9]


def test_a_full_list_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    StatusIndex.objects.create(purpose="suspension", index=1)
    monkeypatch.setattr(issuing.secrets, "randbelow", lambda n: 1)
    with pytest.raises(issuing.StatusListFullError):
        issuing.allocate_index("suspension")


def test_credentials_get_distinct_positions() -> None:
    for n in range(5):
        certify(make_learner(f"p{n}@example.org"))
    credentials = list(Credential.objects.all())
    assert len({c.revocation_index for c in credentials}) == 5
    assert len({c.suspension_index for c in credentials}) == 5
    assert StatusIndex.objects.count() == 10
