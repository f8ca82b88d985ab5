"""Reads of the learning hub: learners' names and hours, progress through courses, the
catalogue, and the network staff's list of learners (profiles and learning only: never any
organization's or family's data)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from wagtail.models import Page

from hopeful.web.learning.models import (
    ContinuingEducationRecord,
    CourseCompletion,
    CoursePage,
    LearnerProfile,
    LessonPage,
    LessonProgress,
    Question,
    QuizAttempt,
)
from hopeful.web.learning.vocab import Audience

ZERO_HOURS = Decimal("0.00")


def learner_name(*, user: Any) -> str:
    """The name to print for a person: their learner profile's full name, else their display
    name, else the part of their email address before the "@"."""
    profile = LearnerProfile.objects.filter(user=user).only("full_name").first()
    if profile is not None and profile.full_name.strip():
        return profile.full_name.strip()
    if (user.display_name or "").strip():
        return str(user.display_name).strip()
    return str(user.email).split("@", 1)[0]


def learner_profile(*, user: Any) -> LearnerProfile | None:
    return LearnerProfile.objects.filter(user=user).first()


def course_completion(*, user: Any, course: CoursePage) -> CourseCompletion | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return CourseCompletion.objects.filter(user=user, course=course).first()


def ce_hours(
    *, user: Any, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> Decimal:
    """Continuing-education hours earned in ``[since, until)`` (either end open when None)."""
    records = ContinuingEducationRecord.objects.filter(user=user)
    if since is not None:
        records = records.filter(earned_at__gte=since)
    if until is not None:
        records = records.filter(earned_at__lt=until)
    total = records.aggregate(total=Sum("hours"))["total"]
    return (total or ZERO_HOURS).quantize(Decimal("0.01"))


def ce_records(*, user: Any) -> QuerySet[ContinuingEducationRecord]:
    return ContinuingEducationRecord.objects.filter(user=user).order_by("-earned_at", "pk")


def course_of(lesson: LessonPage) -> CoursePage:
    """The course a lesson belongs to (its parent page)."""
    course: CoursePage = CoursePage.objects.get(path=lesson.path[: -Page.steplen])
    return course


@dataclass
class LessonState:
    """Where one learner stands on one lesson (an anonymous visitor: nothing done)."""

    completed_at: dt.datetime | None = None
    attempts: list[QuizAttempt] = field(default_factory=list)
    max_attempts: int = 0

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def latest(self) -> QuizAttempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def attempts_left(self) -> int:
        return max(0, self.max_attempts - len(self.attempts))

    @property
    def may_attempt(self) -> bool:
        return not self.passed and self.attempts_left > 0


def lesson_state(*, user: Any, lesson: LessonPage, course: CoursePage) -> LessonState:
    state = LessonState(max_attempts=course.max_attempts)
    if not getattr(user, "is_authenticated", False):
        return state
    progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    state.completed_at = progress.completed_at if progress else None
    state.attempts = list(QuizAttempt.objects.filter(user=user, lesson=lesson).order_by("number"))
    return state


@dataclass(frozen=True)
class LessonLine:
    lesson: LessonPage
    completed: bool


@dataclass(frozen=True)
class CourseProgress:
    course: CoursePage
    lessons: list[LessonLine]
    completion: CourseCompletion | None
    signed_in: bool = False

    @property
    def done(self) -> int:
        return sum(1 for line in self.lessons if line.completed)

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def started(self) -> bool:
        return self.done > 0


def completed_lesson_ids(*, user: Any, lesson_ids: list[int]) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not lesson_ids:
        return set()
    return set(
        LessonProgress.objects.filter(user=user, lesson_id__in=lesson_ids).values_list(
            "lesson_id", flat=True
        )
    )


def course_progress(*, user: Any, course: CoursePage) -> CourseProgress:
    """The course's live lessons in order, each with whether the learner completed it."""
    lessons = list(course.lessons())
    done = completed_lesson_ids(user=user, lesson_ids=[lesson.pk for lesson in lessons])
    return CourseProgress(
        course=course,
        lessons=[LessonLine(lesson=lesson, completed=lesson.pk in done) for lesson in lessons],
        completion=course_completion(user=user, course=course),
        signed_in=bool(getattr(user, "is_authenticated", False)),
    )


def course_is_complete(*, user: Any, course: CoursePage) -> bool:
    """Every live lesson of the course is complete (a course without lessons never is)."""
    lesson_ids = list(course.lessons().values_list("pk", flat=True))
    if not lesson_ids:
        return False
    return len(completed_lesson_ids(user=user, lesson_ids=lesson_ids)) == len(lesson_ids)


@dataclass(frozen=True)
class Catalogue:
    courses: list[CoursePage]
    audience_counts: dict[str, int]
    language_counts: dict[str, int]
    unknown: list[str]


def public_courses() -> QuerySet[CoursePage]:
    courses: QuerySet[CoursePage] = CoursePage.objects.live().public().select_related("locale")
    return courses


def catalogue(*, audiences: list[str], languages: list[str]) -> Catalogue:
    """Live courses of any of ``audiences`` in any of ``languages`` (their page's locale;
    empty lists: all), with how many courses each value would show given the other filter.
    Unknown values are returned in ``unknown`` and ignored."""
    known_audiences = set(Audience.values)
    known_languages = {code for code, _name in settings.LANGUAGES}
    unknown = [a for a in audiences if a not in known_audiences]
    unknown += [lang for lang in languages if lang not in known_languages]
    audiences = [a for a in audiences if a in known_audiences]
    languages = [lang for lang in languages if lang in known_languages]

    by_audience = Q(audience__in=audiences) if audiences else Q()
    by_language = Q(locale__language_code__in=languages) if languages else Q()
    base = public_courses()
    audience_counts = Counter(
        {
            row["audience"]: row["n"]
            for row in base.filter(by_language)
            .values("audience")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    language_counts = Counter(
        {
            row["locale__language_code"]: row["n"]
            for row in base.filter(by_audience)
            .values("locale__language_code")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    courses = list(base.filter(by_audience, by_language).order_by("title", "pk"))
    return Catalogue(
        courses=courses,
        audience_counts={a: audience_counts.get(a, 0) for a in Audience.values},
        language_counts={code: language_counts.get(code, 0) for code, _n in settings.LANGUAGES},
        unknown=unknown,
    )


@dataclass(frozen=True)
class LearnerCourses:
    in_progress: list[CourseProgress]
    completed: list[CourseCompletion]


def learner_courses(*, user: Any) -> LearnerCourses:
    """The courses a learner completed, and those begun (a lesson done or a quiz tried) but
    not completed, with their progress."""
    completed = list(
        CourseCompletion.objects.filter(user=user)
        .select_related("course")
        .order_by("-completed_at")
    )
    completed_ids = {c.course_id for c in completed}
    touched = set(LessonProgress.objects.filter(user=user).values_list("lesson__path", flat=True))
    touched |= set(QuizAttempt.objects.filter(user=user).values_list("lesson__path", flat=True))
    course_paths = {path[: -Page.steplen] for path in touched}
    started = (
        CoursePage.objects.live()
        .filter(path__in=course_paths)
        .exclude(pk__in=completed_ids)
        .order_by("title")
    )
    return LearnerCourses(
        in_progress=[course_progress(user=user, course=course) for course in started],
        completed=completed,
    )


def staff_learners(*, q: str = "", state: str = "", sector: str = "") -> QuerySet[LearnerProfile]:
    """Learner profiles for network staff, with each learner's CE hours (``ce_total``)."""
    # Subqueries, not joins: two joined sums would multiply each other's rows.
    hours = (
        ContinuingEducationRecord.objects.filter(user=OuterRef("user"))
        .order_by()
        .values("user")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    completions = (
        CourseCompletion.objects.filter(user=OuterRef("user"))
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    profiles = LearnerProfile.objects.select_related("user").annotate(
        ce_total=Coalesce(
            Subquery(hours),
            Value(ZERO_HOURS),
            output_field=DecimalField(max_digits=7, decimal_places=2),
        ),
        courses_completed=Coalesce(Subquery(completions), Value(0)),
    )
    if q.strip():
        words = q.split()
        for word in words:
            profiles = profiles.filter(
                Q(full_name__icontains=word) | Q(organization_name__icontains=word)
            )
    if state:
        profiles = profiles.filter(state=state)
    if sector:
        profiles = profiles.filter(sector=sector)
    return profiles.order_by("full_name", "pk")


def staff_learner_completions(*, user: Any) -> QuerySet[CourseCompletion]:
    return (
        CourseCompletion.objects.filter(user=user)
        .select_related("course", "course__locale")
        .order_by("-completed_at")
    )


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    wrong: bool
    picked: frozenset[str]


@dataclass(frozen=True)
class LessonView:
    """What a lesson page shows around its text: the course, where the learner stands, the
    quiz (with a fresh attempt token for its form), the latest result, the lessons around."""

    course: CoursePage
    state: LessonState
    questions: list[Question]
    attempt_token: str
    previous: LessonPage | None
    next: LessonPage | None
    position: int
    total: int
    completion: CourseCompletion | None
    signed_in: bool = False

    @property
    def has_quiz(self) -> bool:
        return bool(self.questions)

    @property
    def results(self) -> list[QuestionResult]:
        latest = self.state.latest
        if latest is None:
            return []
        wrong = set(latest.wrong)
        by_id = {q.id: q for q in self.questions}
        return [
            QuestionResult(
                question=by_id[qid],
                wrong=qid in wrong,
                picked=frozenset(latest.answers.get(qid, [])),
            )
            for qid in latest.answers
            if qid in by_id
        ]


def lesson_view(*, user: Any, lesson: LessonPage) -> LessonView:
    course = course_of(lesson)
    siblings = list(course.lessons().only("pk", "title", "url_path", "path", "locale_id"))
    ids = [s.pk for s in siblings]
    position = ids.index(lesson.pk) if lesson.pk in ids else -1
    return LessonView(
        course=course,
        state=lesson_state(user=user, lesson=lesson, course=course),
        questions=lesson.questions(),
        attempt_token=secrets.token_urlsafe(24),
        previous=siblings[position - 1] if position > 0 else None,
        next=siblings[position + 1] if 0 <= position < len(siblings) - 1 else None,
        position=position + 1,
        total=len(siblings),
        completion=course_completion(user=user, course=course),
        signed_in=bool(getattr(user, "is_authenticated", False)),
    )
