from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from hopeful.web.audit.models import AuditEvent
from hopeful.web.learning import selectors, services
from hopeful.web.learning.models import (
    ContinuingEducationRecord,
    CourseCompletion,
    LessonProgress,
    QuizAttempt,
)
from tests.web.factories import make_user
from tests.web.learning.helpers import answers_for, course, lesson, tok, two_question_quiz

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 15, 0, tzinfo=dt.UTC)


def test_quiz_scores_and_applies_pass_mark() -> None:
    user = make_user("learner@example.org")
    c = course(pass_mark=80)
    page = lesson(c, quiz=two_question_quiz())
    attempt = services.quiz_submit(
        user=user, lesson=page, answers=answers_for(page, right=1), attempt_token=tok("t1")
    )
    assert (attempt.score, attempt.passed, attempt.number) == (50, False, 1)
    assert attempt.wrong == [page.questions()[1].id]
    assert not LessonProgress.objects.filter(user=user).exists()
    attempt = services.quiz_submit(
        user=user, lesson=page, answers=answers_for(page, right=2), attempt_token=tok("t2")
    )
    assert (attempt.score, attempt.passed, attempt.number) == (100, True, 2)
    assert LessonProgress.objects.filter(user=user, lesson=page).exists()


def test_partial_choice_is_wrong_and_score_rounds_down() -> None:
    user = make_user("learner@example.org")
    c = course(pass_mark=67)
    quiz = [*two_question_quiz(), two_question_quiz()[1]]
    page = lesson(c, quiz=quiz)
    answers = answers_for(page, right=3)
    first = page.questions()[0]
    answers[first.id] = answers[first.id][:1]  # one of the two right choices only
    attempt = services.quiz_submit(user=user, lesson=page, answers=answers, attempt_token=tok("t"))
    assert attempt.score == 66  # 2 of 3, rounded down: below a pass mark of 67
    assert not attempt.passed


def test_same_token_twice_keeps_first_submission() -> None:
    user = make_user("learner@example.org")
    page = lesson(course(), quiz=two_question_quiz())
    first = services.quiz_submit(
        user=user, lesson=page, answers=answers_for(page, right=0), attempt_token=tok("same")
    )
    again = services.quiz_submit(
        user=user, lesson=page, answers=answers_for(page, right=2), attempt_token=tok("same")
    )
    assert again.pk == first.pk
    assert (again.score, again.passed) == (0, False)
    assert QuizAttempt.objects.filter(user=user).count() == 1


def test_attempts_run_out() -> None:
    user = make_user("learner@example.org")
    page = lesson(course(max_attempts=2), quiz=two_question_quiz())
    for token in ("a", "b"):
        services.quiz_submit(
            user=user, lesson=page, answers=answers_for(page, right=0), attempt_token=token
        )
    with pytest.raises(services.QuizRefusedError, match="all 2 attempts"):
        services.quiz_submit(
            user=user, lesson=page, answers=answers_for(page, right=2), attempt_token=tok("c")
        )
    assert QuizAttempt.objects.filter(user=user).count() == 2


def test_passed_quiz_cannot_be_retaken() -> None:
    user = make_user("learner@example.org")
    page = lesson(course(), quiz=two_question_quiz())
    services.quiz_submit(
        user=user, lesson=page, answers=answers_for(page, right=2), attempt_token=tok("a")
    )
    with pytest.raises(services.QuizRefusedError, match="passed"):
        services.quiz_submit(
            user=user, lesson=page, answers=answers_for(page, right=2), attempt_token=tok("b")
        )


def test_unanswered_question_is_refused_and_nothing_kept() -> None:
    user = make_user("learner@example.org")
    page = lesson(course(), quiz=two_question_quiz())
    answers = answers_for(page, right=2)
    answers.pop(page.questions()[0].id)
    with pytest.raises(services.LearningError):
        services.quiz_submit(user=user, lesson=page, answers=answers, attempt_token=tok("a"))
    bogus = {q.id: ["not-a-choice"] for q in page.questions()}
    with pytest.raises(services.LearningError):
        services.quiz_submit(user=user, lesson=page, answers=bogus, attempt_token=tok("b"))
    assert not QuizAttempt.objects.exists()


def test_course_completion_records_ce_hours_once() -> None:
    user = make_user("learner@example.org")
    c = course(ce_hours="2.25")
    reading = lesson(c, "Reading")
    quiz = lesson(c, "Quiz", quiz=two_question_quiz())
    lesson(c, "Draft lesson", live=False)  # drafts do not count
    with time_machine.travel(NOW, tick=False):
        services.lesson_complete(user=user, lesson=reading)
        assert selectors.course_completion(user=user, course=c) is None
        services.quiz_submit(
            user=user, lesson=quiz, answers=answers_for(quiz, right=2), attempt_token=tok("x")
        )
    completion = selectors.course_completion(user=user, course=c)
    assert completion is not None
    assert completion.ce_hours == Decimal("2.25")
    record = ContinuingEducationRecord.objects.get(user=user)
    assert (record.source, record.source_ref, record.hours) == (
        "course",
        str(c.pk),
        Decimal("2.25"),
    )
    assert record.earned_at == NOW
    assert AuditEvent.objects.filter(verb="learning.course_completed").count() == 1
    # marking again changes nothing
    services.lesson_complete(user=user, lesson=reading)
    assert CourseCompletion.objects.count() == 1
    assert ContinuingEducationRecord.objects.count() == 1


def test_lesson_with_quiz_cannot_be_marked_complete() -> None:
    user = make_user("learner@example.org")
    page = lesson(course(), quiz=two_question_quiz())
    with pytest.raises(services.LearningError):
        services.lesson_complete(user=user, lesson=page)


def test_course_without_live_lessons_is_never_complete() -> None:
    user = make_user("learner@example.org")
    c = course()
    assert not selectors.course_is_complete(user=user, course=c)


def test_ce_hours_since_until_and_idempotent_add() -> None:
    user = make_user("learner@example.org")
    other = make_user("other@example.org")
    for day, hours, ref in ((1, "1.00", "a"), (10, "2.50", "b"), (20, "4.00", "c")):
        services.ce_record_add(
            user=user,
            title=f"Course {ref}",
            hours=Decimal(hours),
            source="course",
            source_ref=ref,
            earned_at=dt.datetime(2026, 3, day, tzinfo=dt.UTC),
        )
    services.ce_record_add(
        user=other, title="x", hours=Decimal(9), source="other", source_ref="a", earned_at=NOW
    )
    again = services.ce_record_add(
        user=user,
        title="Changed",
        hours=Decimal(99),
        source="course",
        source_ref="a",
        earned_at=NOW,
    )
    assert again.hours == Decimal("1.00")
    assert selectors.ce_hours(user=user) == Decimal("7.50")
    since = dt.datetime(2026, 3, 10, tzinfo=dt.UTC)
    until = dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
    assert selectors.ce_hours(user=user, since=since) == Decimal("6.50")
    assert selectors.ce_hours(user=user, until=until) == Decimal("3.50")
    assert selectors.ce_hours(user=user, since=since, until=until) == Decimal("2.50")
    assert selectors.ce_hours(user=make_user("new@example.org")) == Decimal("0.00")
    with pytest.raises(ValueError, match="negative"):
        services.ce_record_add(
            user=user, title="x", hours=Decimal(-1), source="course", source_ref="z", earned_at=NOW
        )
    with pytest.raises(ValueError, match="unknown CE source"):
        services.ce_record_add(
            user=user, title="x", hours=Decimal(1), source="nope", source_ref="z", earned_at=NOW
        )


def test_learner_name_falls_back() -> None:
    user = make_user("maria.lopez@example.org")
    assert selectors.learner_name(user=user) == "maria.lopez"
    user.display_name = "María"
    user.save()
    assert selectors.learner_name(user=user) == "María"
    profile = services.learner_profile_ensure(user=user)
    assert profile.full_name == "María"
    profile.full_name = "María López"
    profile.save()
    assert selectors.learner_name(user=user) == "María López"
    assert services.learner_profile_ensure(user=user).pk == profile.pk


def test_same_course_in_two_languages_earns_hours_once() -> None:
    from tests.web.cms.site import translate
    from tests.web.learning.helpers import course_index

    user = make_user("learner@example.org")
    c = course(ce_hours="2")
    english = lesson(c, "Reading")
    course_index("es")
    spanish_course = translate(c, "es", title="Curso")
    spanish = translate(english, "es", title="Lectura")
    services.lesson_complete(user=user, lesson=english)
    services.lesson_complete(user=user, lesson=spanish.specific)
    assert CourseCompletion.objects.filter(user=user).count() == 2
    assert selectors.course_completion(user=user, course=spanish_course.specific).ce_hours == 0
    assert selectors.ce_hours(user=user) == Decimal("2.00")
