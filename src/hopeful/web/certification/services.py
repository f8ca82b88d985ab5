"""Writes of certifications: applying, every move of the state machine, awards from
trainings, organizations' applications and Champions' reviews.

Each function runs in one transaction, locks the certification row it changes (so two staff
members, or staff and the daily job, cannot both move it), writes a
:class:`~hopeful.web.certification.models.CertificationEvent` and an audit event, and either
does everything or nothing: a refused action raises :class:`CertificationError` with a
message meant for people, and leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.framework.certification import (
    Action,
    IllegalTransition,
    State,
    Tier,
    allowed_actions,
    renewed_valid_until,
    rules,
    transition,
    valid_until_from,
)
from hopeful.web.audit.services import audit_record
from hopeful.web.certification import issuing, selectors
from hopeful.web.certification.models import (
    Certification,
    CertificationEvent,
    EventKind,
    ReviewStatus,
    StateChoices,
)
from hopeful.web.organizations.models import Membership


class CertificationError(Exception):
    """An action on a certification that was refused; the message says why, for people."""


class RequirementsNotMet(CertificationError):  # noqa: N818 - named by what it says
    """Certify or renew refused: the holder does not meet the tier's requirements yet."""


ACTION_LABELS = {
    Action.START: EventKind.START.label,
    Action.CERTIFY: EventKind.CERTIFY.label,
    Action.MARK_EXPIRING: EventKind.MARK_EXPIRING.label,
    Action.EXPIRE: EventKind.EXPIRE.label,
    Action.RENEW: EventKind.RENEW.label,
    Action.SUSPEND: EventKind.SUSPEND.label,
    Action.REINSTATE: EventKind.REINSTATE.label,
    Action.REVOKE: EventKind.REVOKE.label,
}

#: Longest reason or review note kept (a paragraph, not a file).
MAX_TEXT = 2000


def action_verb(action: Action) -> str:
    """A translated verb for buttons and errors ("suspend", "renew", ...)."""
    verbs = {
        Action.START: _("start"),
        Action.CERTIFY: _("certify"),
        Action.MARK_EXPIRING: _("mark as expiring"),
        Action.EXPIRE: _("expire"),
        Action.RENEW: _("renew"),
        Action.SUSPEND: _("suspend"),
        Action.REINSTATE: _("reinstate"),
        Action.REVOKE: _("revoke"),
    }
    return str(verbs[action])


def _state_label(state: str) -> str:
    return str(StateChoices(state).label)


def _illegal(exc: IllegalTransition) -> CertificationError:
    allowed = ", ".join(action_verb(a) for a in exc.allowed)
    message = _("This certification is %(state)s, so it cannot %(action)s.") % {
        "state": _state_label(exc.state).lower(),
        "action": action_verb(exc.action),
    }
    if allowed:
        message += " " + _("Possible now: %(allowed)s.") % {"allowed": allowed}
    else:
        message += " " + _("Nothing more can happen to it.")
    return CertificationError(message)


def _record(
    certification: Certification,
    *,
    kind: str,
    from_state: str,
    actor: Any,
    reason: str = "",
    now: dt.datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    CertificationEvent.objects.create(
        certification=certification,
        action=kind,
        from_state=from_state,
        to_state=certification.state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        at=now,
    )
    audit_record(
        verb=f"certification.{kind}",
        actor=actor,
        organization=certification.organization,
        obj=certification,
        extra={
            "tier": certification.tier,
            "from": from_state,
            "to": certification.state,
            **({"reason": reason} if reason else {}),
            **(extra or {}),
        },
    )


def _check_requirements(certification: Certification, action: Action, now: dt.datetime) -> None:
    """Refuse certify or renew when the tier's requirements are not met."""
    tier_rules = rules(certification.tier)
    if action is Action.CERTIFY:
        if tier_rules.requires is not None and not selectors.holds_valid(
            user=certification.user, tier=tier_rules.requires, now=now
        ):
            raise RequirementsNotMet(
                _("A HOPE Champion must hold a valid HOPE Facilitator certification first.")
            )
        if (
            certification.tier == Tier.ORGANIZATION
            and certification.review_status != ReviewStatus.APPROVED
        ):
            raise RequirementsNotMet(
                _("An organization is certified only after a HOPE Champion approved its review.")
            )
    if action is Action.RENEW:
        progress = selectors.renewal_progress(certification, now=now)
        if "ce_hours" in progress.missing:
            raise RequirementsNotMet(
                _(
                    "Renewal needs %(needed)s continuing-education hours earned since the "
                    "current period started; %(earned)s are recorded."
                )
                % {"needed": progress.needed_hours, "earned": progress.earned_hours}
            )
        if "assessment" in progress.missing:
            raise RequirementsNotMet(
                _("Renewal needs a new self-assessment submitted during the current period.")
            )
        if "required_tier" in progress.missing:
            raise RequirementsNotMet(
                _("Renewing a HOPE Champion needs a valid HOPE Facilitator certification.")
            )


def _lock(certification: Certification) -> Certification:
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the outer joins
    return (
        Certification.objects.select_for_update(of=("self",))
        .select_related("user", "organization")
        .get(pk=certification.pk)
    )


def _act_locked(
    certification: Certification,
    action: Action,
    *,
    actor: Any,
    reason: str,
    now: dt.datetime,
    check: bool = True,
) -> Certification:
    """One move of the state machine on a row locked by the caller."""
    old = certification.state
    try:
        new = transition(certification.tier, old, action)
    except IllegalTransition as exc:
        raise _illegal(exc) from exc
    reason = reason.strip()
    if action in (Action.SUSPEND, Action.REVOKE) and not reason:
        raise CertificationError(_("Give a reason to suspend or revoke a certification."))
    if len(reason) > MAX_TEXT:
        raise CertificationError(
            _("The reason is too long (at most %(max)d characters).") % {"max": MAX_TEXT}
        )
    if check:
        _check_requirements(certification, action, now)
    today = timezone.localdate(now)
    if action is Action.CERTIFY:
        certification.certified_at = certification.certified_at or now
        certification.period_started_at = now
        certification.valid_until = valid_until_from(certification.tier, today)
    elif action is Action.RENEW:
        certification.period_started_at = now
        certification.valid_until = renewed_valid_until(
            certification.tier, certification.valid_until, today
        )
    if action in (Action.SUSPEND, Action.REVOKE):
        certification.reason = reason
    elif action is Action.REINSTATE:
        certification.reason = ""
    certification.state = new.value
    certification.save()
    extra: dict[str, Any] = {}
    if action in (Action.CERTIFY, Action.RENEW):
        credential = issuing.issue(
            certification=certification,
            subject_name=selectors.holder_name(certification),
            now=now,
        )
        extra = {
            "credential": str(credential.public_id),
            "valid_until": str(credential.valid_until),
        }
    _record(
        certification,
        kind=action.value,
        from_state=old,
        actor=actor,
        reason=reason,
        now=now,
        extra=extra,
    )
    return certification


def certification_act(
    *,
    certification: Certification,
    action: Action,
    actor: Any,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Certification:
    """Run ``action`` on ``certification`` (see :mod:`hopeful.framework.certification`).

    SUSPEND and REVOKE need a reason; CERTIFY and RENEW check the tier's requirements and
    issue a new credential. Refusals raise :class:`CertificationError` and change nothing.
    """
    try:
        action = Action(action)
    except ValueError:
        raise CertificationError(_("Unknown action.")) from None
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(certification)
        _act_locked(locked, action, actor=actor, reason=reason, now=now)
    certification.refresh_from_db()
    return certification


def _open_certification(**holder: Any) -> Certification | None:
    return (
        Certification.objects.select_for_update()
        .filter(**holder)
        .exclude(state=State.REVOKED.value)
        .first()
    )


def _holder_checks(tier: Tier, user: Any, organization: Any) -> None:
    if rules(tier).for_organizations:
        if organization is None or user is not None:
            raise CertificationError(_("An organization certification belongs to an organization."))
    elif user is None or organization is not None:
        raise CertificationError(_("This certification belongs to a person."))


def certification_apply(
    *,
    tier: Tier,
    actor: Any,
    user: Any = None,
    organization: Any = None,
    evidence: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Certification:
    """Open a certification in ``tier`` for a person (or, for the organization tier, an
    organization), in state "applied". If the holder already has one in this tier that is not
    revoked, that one is returned unchanged (applying twice is harmless)."""
    tier = Tier(tier)
    _holder_checks(tier, user, organization)
    now = now or timezone.now()
    holder = {"user": user} if user is not None else {"organization": organization}
    required = rules(tier).requires
    with transaction.atomic():
        existing = _open_certification(tier=tier.value, **holder)
        if existing is not None:
            return existing
        if required is not None and not selectors.holds_valid(user=user, tier=required, now=now):
            raise RequirementsNotMet(
                _("A HOPE Champion must hold a valid HOPE Facilitator certification first.")
            )
        try:
            with transaction.atomic():
                certification = Certification.objects.create(
                    tier=tier.value,
                    applied_at=now,
                    evidence=dict(evidence or {}),
                    review_status=(
                        ReviewStatus.PENDING if rules(tier).for_organizations else ReviewStatus.NONE
                    ),
                    **holder,
                )
        except IntegrityError:  # a concurrent application won: return it
            existing = _open_certification(tier=tier.value, **holder)
            if existing is None:
                raise
            return existing
        _record(certification, kind=EventKind.APPLY, from_state="", actor=actor, now=now)
    return certification


def certification_award_from_training(
    *, user: Any, tier: Tier, evidence: dict[str, Any], actor: Any, now: dt.datetime | None = None
) -> Certification:
    """Certify a person who completed the Facilitator or Champion training (idempotent).

    Creates the certification if needed and moves it to certified, issuing the credential;
    an expired one is renewed (completing the training again re-qualifies). A certification
    already valid is returned unchanged. Refused: a Champion award without a valid
    Facilitator certification, a suspended certification, and a person whose certification of
    the tier was revoked (staff decide those).
    """
    tier = Tier(tier)
    if tier not in (Tier.FACILITATOR, Tier.CHAMPION):
        raise CertificationError(_("Trainings award only the Facilitator and Champion tiers."))
    now = now or timezone.now()
    with transaction.atomic():
        if (
            _open_certification(tier=tier.value, user=user) is None
            and Certification.objects.filter(
                tier=tier.value, user=user, state=State.REVOKED.value
            ).exists()
        ):
            # a revocation is the staff's decision: completing the training again does not
            # undo it on its own
            raise CertificationError(
                _(
                    "This person's certification was revoked: the resource center's staff "
                    "decide on a new one."
                )
            )
        certification = certification_apply(
            tier=tier, actor=actor, user=user, evidence=evidence, now=now
        )
        certification = _lock(certification)
        awards = list(certification.evidence.get("awards", []))
        if evidence not in awards:
            awards.append(evidence)
            certification.evidence = {**certification.evidence, "awards": awards}
            certification.save(update_fields=["evidence", "updated_at"])
        state = certification.state_enum
        if state is State.SUSPENDED:
            raise CertificationError(
                _("This certification is suspended: the resource center's staff decide on it.")
            )
        if state is State.APPLIED:
            _act_locked(certification, Action.START, actor=actor, reason="", now=now)
            state = certification.state_enum
        if state is State.IN_PROGRESS:
            _act_locked(certification, Action.CERTIFY, actor=actor, reason="", now=now)
        elif state is State.EXPIRED or (
            state in (State.CERTIFIED, State.EXPIRING)
            and certification.valid_until is not None
            and certification.valid_until < timezone.localdate(now)
        ):
            _act_locked(certification, Action.RENEW, actor=actor, reason="", now=now, check=False)
    return certification


def organization_certification_apply(
    *, organization: Any, actor: Any, assessment_ref: str, now: dt.datetime | None = None
) -> Certification:
    """An organization's admin applies (or re-applies) with a submitted self-assessment.

    New or still in progress: the assessment is recorded and a Champion's review is
    requested. Already certified (or expiring, or expired): the assessment is recorded as the
    renewal assessment, which staff then renew on. The same assessment twice changes nothing.
    """
    assessment_ref = str(assessment_ref).strip()
    if not assessment_ref:
        raise CertificationError(_("Submit the self-assessment before applying."))
    now = now or timezone.now()
    stamp = {"at": now.isoformat()}
    with transaction.atomic():
        certification = _open_certification(tier=Tier.ORGANIZATION.value, organization=organization)
        if certification is None:
            return certification_apply(
                tier=Tier.ORGANIZATION,
                actor=actor,
                organization=organization,
                evidence={"assessment_ref": assessment_ref, "assessment_at": stamp["at"]},
                now=now,
            )
        state = certification.state_enum
        evidence = dict(certification.evidence)
        if state in (State.APPLIED, State.IN_PROGRESS):
            if (
                evidence.get("assessment_ref") == assessment_ref
                and certification.review_status == ReviewStatus.PENDING
            ):
                return certification
            evidence.update(assessment_ref=assessment_ref, assessment_at=stamp["at"])
            certification.review_status = ReviewStatus.PENDING
        elif state in (State.CERTIFIED, State.EXPIRING, State.EXPIRED):
            if evidence.get("renewal_assessment_ref") == assessment_ref:
                return certification
            evidence.update(
                renewal_assessment_ref=assessment_ref, renewal_assessment_at=stamp["at"]
            )
        else:
            raise CertificationError(
                _("This organization's certification is suspended: contact the resource center.")
            )
        certification.evidence = evidence
        certification.save()
        _record(
            certification,
            kind=EventKind.ASSESSMENT,
            from_state=certification.state,
            actor=actor,
            now=now,
            extra={"assessment_ref": assessment_ref},
        )
    return certification


def reviewer_problem(
    *, certification: Certification, reviewer: Any, now: dt.datetime | None = None
) -> str:
    """Why ``reviewer`` may not review ``certification`` ("" when they may)."""
    if not selectors.holds_valid(user=reviewer, tier=Tier.CHAMPION, now=now):
        return _("Only a person with a valid HOPE Champion certification may review.")
    if (
        certification.organization_id is not None
        and Membership.objects.filter(
            user=reviewer, organization_id=certification.organization_id
        ).exists()
    ):
        return _("You belong to this organization, so someone else must review it.")
    return ""


def organization_review_record(
    *,
    certification: Certification,
    reviewer: Any,
    approved: bool,
    notes: str,
    now: dt.datetime | None = None,
) -> Certification:
    """A Champion's review of an organization's application: approved (staff may then
    certify) or changes requested (back to in progress, with notes for the organization).
    The reviewer must hold a valid Champion certification and not belong to the
    organization. An application that has started is moved to "in progress" either way."""
    notes = notes.strip()
    now = now or timezone.now()
    if not approved and not notes:
        raise CertificationError(_("Say what needs to change when you do not approve."))
    if len(notes) > MAX_TEXT:
        raise CertificationError(
            _("The notes are too long (at most %(max)d characters).") % {"max": MAX_TEXT}
        )
    with transaction.atomic():
        locked = _lock(certification)
        if locked.tier != Tier.ORGANIZATION:
            raise CertificationError(_("Only organization certifications are reviewed."))
        if locked.review_status != ReviewStatus.PENDING or locked.state not in (
            State.APPLIED.value,
            State.IN_PROGRESS.value,
        ):
            raise CertificationError(_("This application is not waiting for a review."))
        problem = reviewer_problem(certification=locked, reviewer=reviewer, now=now)
        if problem:
            raise CertificationError(problem)
        if locked.state == State.APPLIED and Action.START in allowed_actions(
            locked.tier, locked.state
        ):
            _act_locked(locked, Action.START, actor=reviewer, reason="", now=now)
        from_state = locked.state
        locked.review_status = ReviewStatus.APPROVED if approved else ReviewStatus.CHANGES
        locked.reviewer = reviewer
        locked.reviewed_at = now
        locked.review_notes = notes
        locked.save()
        _record(
            locked,
            kind=EventKind.REVIEW_APPROVED if approved else EventKind.REVIEW_CHANGES,
            from_state=from_state,
            actor=reviewer,
            reason=notes,
            now=now,
        )
    certification.refresh_from_db()
    return certification


def certifications_expire_by_date(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The daily job: mark certifications inside the expiring window as expiring, and expire
    those whose last valid day has passed. Each certification moves in its own transaction,
    re-checked under its lock (a renewal in between wins). Returns the counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = selectors.due_for_expiry_marks(today=today)
    done = {"expire": 0, "mark_expiring": 0}
    for key, action in (("expire", Action.EXPIRE), ("mark_expiring", Action.MARK_EXPIRING)):
        for pk in due[key]:
            with transaction.atomic():
                locked = _lock(Certification(pk=pk))
                if not _still_due(locked, action, today):
                    continue
                _act_locked(locked, action, actor=None, reason="", now=now)
                done[key] += 1
    return done


def _still_due(certification: Certification, action: Action, today: dt.date) -> bool:
    if action not in allowed_actions(certification.tier, certification.state):
        return False
    valid_until = certification.valid_until
    if valid_until is None:
        return False
    if action is Action.EXPIRE:
        return valid_until < today
    window = rules(certification.tier).expiring_window_days
    return valid_until >= today and (valid_until - today).days <= window
