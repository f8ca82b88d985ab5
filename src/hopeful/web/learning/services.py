"""Writes of the learning hub: learner profiles and sign-up, quiz attempts, lesson and course
completion, continuing-education hours.

Completion rules: a lesson without a quiz is complete when the learner marks it so; a lesson
with a quiz when the learner passes it (score ≥ the course's pass mark) within the course's
attempts. A course is complete when every live lesson of it is complete; completing it
records its CE hours (source "course", the course page's id) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hopeful.web.accounts.models import User
from hopeful.web.audit.services import audit_record
from hopeful.web.learning import selectors, tasks, tokens
from hopeful.web.learning.models import (
    CESource,
    ContinuingEducationRecord,
    CourseCompletion,
    CoursePage,
    LearnerProfile,
    LessonPage,
    LessonProgress,
    QuizAttempt,
)
from hopeful.web.learning.vocab import LANGUAGE_CODES

#: At most one sign-up email to one address in this time, however often it is signed up.
EMAIL_INTERVAL = dt.timedelta(minutes=10)
TOKEN_MAX_LENGTH = 64


class LearningError(ValueError):
    """A refused request, with a message fit to show the person."""


class QuizRefusedError(LearningError):
    """No attempt left, or the quiz is passed already."""


# --- profiles --------------------------------------------------------------------------------


def learner_profile_ensure(*, user: Any) -> LearnerProfile:
    """The user's learner profile, created (named after their display name) if missing."""
    profile = LearnerProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    try:
        with transaction.atomic():
            return LearnerProfile.objects.create(user=user, full_name=user.display_name or "")
    except IntegrityError:
        # created at the same moment by another request
        return LearnerProfile.objects.get(user=user)


PROFILE_FIELDS = ("full_name", "organization_name", "sector", "languages", "state", "zip_code")


@transaction.atomic
def learner_profile_update(*, profile: LearnerProfile, actor: Any, **values: Any) -> LearnerProfile:
    """Change the profile's fields (those of :data:`PROFILE_FIELDS`). Raises ValidationError
    for a bad value; nothing is changed then."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    languages = values.get("languages", profile.languages)
    if not isinstance(languages, list) or any(code not in LANGUAGE_CODES for code in languages):
        raise ValidationError({"languages": _("Choose languages from the list.")})
    locked = LearnerProfile.objects.select_for_update().get(pk=profile.pk)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["user"])
    changed = [name for name in values if getattr(profile, name) != getattr(locked, name)]
    locked.save()
    if changed:
        audit_record(
            verb="learning.profile_updated",
            actor=actor,
            organization=None,
            obj=locked,
            extra={"fields": sorted(changed)},
        )
    return locked


# --- sign-up ---------------------------------------------------------------------------------


class JoinOutcome(enum.Enum):
    """What a sign-up did (never shown: every outcome answers the same)."""

    PENDING = "pending"
    EXISTING = "existing"
    THROTTLED = "throttled"
    IGNORED = "ignored"


@transaction.atomic
def learner_join(
    *,
    email: str,
    password: str,
    full_name: str,
    organization_name: str,
    sector: str,
    state: str,
    zip_code: str,
    languages: list[str],
    language: str,
    now: dt.datetime | None = None,
) -> JoinOutcome:
    """Create an inactive account and its learner profile, and queue the activation email.

    An address that already has an active account gets a "you already have an account"
    email instead and nothing changes. An address still waiting for its link gets the new
    password and details and a new link (older links stop working). A deactivated account
    is left alone. The password must have passed Django's validators already.
    """
    now = now or timezone.now()
    email = User.objects.normalize_email(email)
    profile_values = {
        "full_name": full_name.strip(),
        "organization_name": organization_name.strip(),
        "sector": sector,
        "state": state,
        "zip_code": zip_code,
        "languages": languages,
    }
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email,
                    password,
                    is_active=False,
                    display_name=full_name.strip()[:150],
                    preferred_language=language,
                )
        except IntegrityError:
            # the same address signed up at the same moment: treat it as existing
            return JoinOutcome.THROTTLED
        new_profile = LearnerProfile(user=user, join_requested_at=now, **profile_values)
        new_profile.full_clean(exclude=["user"])
        new_profile.save()
        audit_record(
            verb="learning.learner_join_requested", actor=None, organization=None, obj=new_profile
        )
        user_id = user.pk
        transaction.on_commit(lambda: tasks.send_activation.enqueue(user_id))
        return JoinOutcome.PENDING

    profile = LearnerProfile.objects.select_for_update().filter(user=user).first()
    pending = (
        not user.is_active
        and profile is not None
        and profile.join_requested_at is not None
        and profile.join_confirmed_at is None
    )
    if user.is_active or not pending:
        # Hash the password anyway, so the answer takes as long as for a new address (the
        # response time must not tell whether an account exists).
        make_password(password)
    if user.is_active:
        # Bounded by the public forms' rate limit per client address (cms.guard).
        user_id = user.pk
        transaction.on_commit(lambda: tasks.send_existing_account.enqueue(user_id))
        return JoinOutcome.EXISTING
    if not pending or profile is None:
        return JoinOutcome.IGNORED
    if profile.join_requested_at and now - profile.join_requested_at < EMAIL_INTERVAL:
        return JoinOutcome.THROTTLED
    user.set_password(password)
    user.display_name = full_name.strip()[:150]
    user.preferred_language = language
    user.save(update_fields=["password", "display_name", "preferred_language"])
    for name, value in profile_values.items():
        setattr(profile, name, value)
    profile.join_requested_at = now
    profile.full_clean(exclude=["user"])
    profile.save()
    user_id = user.pk
    transaction.on_commit(lambda: tasks.send_activation.enqueue(user_id))
    return JoinOutcome.PENDING


@transaction.atomic
def learner_join_confirm(*, token: str, now: dt.datetime | None = None) -> User:
    """Activate the account the emailed link names. Confirming twice is harmless (the
    account is returned as it is). Raises LearningError for a tampered, superseded or
    expired link."""
    now = now or timezone.now()
    try:
        public_id, fingerprint = tokens.join_token_read(token)
    except tokens.TokenExpiredError:
        raise LearningError(
            _("This link has expired. Please sign up again to get a new one.")
        ) from None
    except tokens.TokenInvalidError:
        raise LearningError(
            _("This link is not valid. Please check it was copied whole, or sign up again.")
        ) from None
    user = User.objects.select_for_update().filter(public_id=public_id).first()
    profile = LearnerProfile.objects.filter(user=user).first() if user else None
    if user is None or profile is None or profile.join_requested_at is None:
        raise LearningError(
            _("This link is not valid. Please check it was copied whole, or sign up again.")
        )
    if profile.join_confirmed_at is not None:
        return user  # already active: a second press of the button
    if user.is_active or not tokens.fingerprint_matches(user, fingerprint):
        raise LearningError(
            _("This link has been replaced by a newer one. Please use the latest email we sent.")
        )
    user.is_active = True
    user.save(update_fields=["is_active"])
    profile.join_confirmed_at = now
    profile.save(update_fields=["join_confirmed_at", "updated_at"])
    audit_record(verb="learning.learner_joined", actor=user, organization=None, obj=profile)
    return user


# --- continuing education --------------------------------------------------------------------


@transaction.atomic
def ce_record_add(
    *,
    user: Any,
    title: str,
    hours: Decimal,
    source: str,
    source_ref: str,
    earned_at: dt.datetime,
) -> ContinuingEducationRecord:
    """Record CE hours earned by one completion. Idempotent on (user, source, source_ref):
    recording it again returns the first record unchanged."""
    if source not in CESource.values:
        raise ValueError(f"unknown CE source {source!r}")
    hours = Decimal(hours)
    if hours < 0:
        raise ValueError("CE hours cannot be negative")
    existing = ContinuingEducationRecord.objects.filter(
        user=user, source=source, source_ref=source_ref
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            record = ContinuingEducationRecord.objects.create(
                user=user,
                title=title[:255],
                hours=hours,
                source=source,
                source_ref=source_ref,
                earned_at=earned_at,
            )
    except IntegrityError:
        return ContinuingEducationRecord.objects.get(
            user=user, source=source, source_ref=source_ref
        )
    audit_record(
        verb="learning.ce_recorded",
        actor=user,
        organization=None,
        obj=record,
        extra={"hours": str(record.hours), "source": source, "source_ref": source_ref},
    )
    return record


# --- lessons, quizzes, courses ---------------------------------------------------------------


def _lock_learner(user: Any) -> None:
    # One learner's writes run one at a time (two tabs submitting the last attempt).
    User.objects.select_for_update().filter(pk=user.pk).exists()


def _course_complete_if_done(*, user: Any, course: CoursePage, now: dt.datetime) -> None:
    if CourseCompletion.objects.filter(user=user, course=course).exists():
        return
    if not selectors.course_is_complete(user=user, course=course):
        return
    # The same course in another language earns its hours once: a learner who completes
    # both versions gets both completions, and the hours of the first.
    versions = [
        str(pk)
        for pk in CoursePage.objects.filter(translation_key=course.translation_key).values_list(
            "pk", flat=True
        )
    ]
    earned_before = ContinuingEducationRecord.objects.filter(
        user=user, source=CESource.COURSE, source_ref__in=versions
    ).exists()
    hours = Decimal(0) if earned_before else course.ce_hours
    completion = CourseCompletion.objects.create(
        user=user, course=course, completed_at=now, ce_hours=hours
    )
    if not earned_before and course.ce_hours > 0:  # a course worth no hours adds no line
        ce_record_add(
            user=user,
            title=course.title,
            hours=course.ce_hours,
            source=CESource.COURSE,
            source_ref=str(course.pk),
            earned_at=now,
        )
    audit_record(
        verb="learning.course_completed",
        actor=user,
        organization=None,
        obj=completion,
        extra={"course": course.pk, "ce_hours": str(hours)},
    )


def _lesson_done(*, user: Any, lesson: LessonPage, course: CoursePage, now: dt.datetime) -> None:
    LessonProgress.objects.get_or_create(user=user, lesson=lesson, defaults={"completed_at": now})
    _course_complete_if_done(user=user, course=course, now=now)


@transaction.atomic
def lesson_complete(
    *, user: Any, lesson: LessonPage, now: dt.datetime | None = None
) -> LessonProgress:
    """Mark a lesson without a quiz complete (again: no change)."""
    now = now or timezone.now()
    if not lesson.live:
        raise LearningError(_("This lesson is not published."))
    if lesson.has_quiz:
        raise LearningError(_("This lesson ends with a quiz: pass it to complete the lesson."))
    _lock_learner(user)
    _lesson_done(user=user, lesson=lesson, course=selectors.course_of(lesson), now=now)
    return LessonProgress.objects.get(user=user, lesson=lesson)


def quiz_score(questions: list[Any], answers: dict[str, list[str]]) -> tuple[int, list[str]]:
    """Percent of questions answered exactly right (every correct choice and no other),
    rounded down so a score never passes a mark it did not reach; and the wrong ones' ids."""
    wrong = [q.id for q in questions if frozenset(answers.get(q.id, [])) != q.correct_ids]
    right = len(questions) - len(wrong)
    return math.floor(100 * right / len(questions)), wrong


def _clean_answers(questions: list[Any], answers: dict[str, list[str]]) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for question in questions:
        picked = answers.get(question.id) or []
        valid = {c.id for c in question.choices}
        if not isinstance(picked, list) or not picked or any(str(p) not in valid for p in picked):
            raise LearningError(_("Please answer every question."))
        cleaned[question.id] = sorted({str(p) for p in picked})
    return cleaned


@transaction.atomic
def quiz_submit(
    *,
    user: Any,
    lesson: LessonPage,
    answers: dict[str, list[str]],
    attempt_token: str,
    now: dt.datetime | None = None,
) -> QuizAttempt:
    """Mark one quiz attempt. The first submission of an ``attempt_token`` wins: sending the
    same form again returns that attempt unchanged. Refused (QuizRefusedError) when the quiz is
    passed already or every attempt is used; LearningError for a bad form."""
    now = now or timezone.now()
    if not attempt_token or len(attempt_token) > TOKEN_MAX_LENGTH:
        raise LearningError(_("This form is not valid. Please reload the page and try again."))
    if not lesson.live:
        raise LearningError(_("This lesson is not published."))
    questions = lesson.questions()
    if not questions:
        raise LearningError(_("This lesson has no quiz."))
    _lock_learner(user)
    existing = QuizAttempt.objects.filter(
        user=user, lesson=lesson, attempt_token=attempt_token
    ).first()
    if existing is not None:
        return existing
    course = selectors.course_of(lesson)
    earlier = list(QuizAttempt.objects.filter(user=user, lesson=lesson).order_by("number"))
    if any(a.passed for a in earlier):
        raise QuizRefusedError(_("You have passed this quiz already."))
    if len(earlier) >= course.max_attempts:
        raise QuizRefusedError(
            ngettext(
                "You have used your %(n)d attempt at this quiz.",
                "You have used all %(n)d attempts at this quiz.",
                course.max_attempts,
            )
            % {"n": course.max_attempts}
        )
    cleaned = _clean_answers(questions, answers)
    score, wrong = quiz_score(questions, cleaned)
    attempt = QuizAttempt.objects.create(
        user=user,
        lesson=lesson,
        attempt_token=attempt_token,
        number=len(earlier) + 1,
        answers=cleaned,
        wrong=wrong,
        score=score,
        passed=score >= course.pass_mark,
        submitted_at=now,
    )
    if attempt.passed:
        _lesson_done(user=user, lesson=lesson, course=course, now=now)
    return attempt
