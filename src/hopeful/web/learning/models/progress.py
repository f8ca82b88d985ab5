"""What learners do with the courses: lessons completed, quiz attempts, course completions.
Lessons and courses are referred to by name ("learning.LessonPage") so this module does not
import the page models."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "learning.LessonPage", on_delete=models.CASCADE, related_name="progress"
    )
    completed_at = models.DateTimeField(_("completed"))

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "lesson"], name="learning_progress_once")
        ]

    def __str__(self) -> str:
        return f"lesson {self.lesson_id} completed {self.completed_at:%Y-%m-%d}"


class QuizAttempt(models.Model):
    """One submitted quiz. ``attempt_token`` comes from the form, so the same form sent
    twice is the same attempt: the first submission is kept."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey(
        "learning.LessonPage", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    attempt_token = models.CharField(max_length=64)
    number = models.PositiveSmallIntegerField(_("attempt"))
    #: Question id → the choice ids the learner picked.
    answers = models.JSONField(default=dict)
    #: Ids of the questions answered wrong (kept so the result stays as it was marked).
    wrong = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField(_("score (percent)"))
    passed = models.BooleanField(_("passed"))
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("quiz attempt")
        ordering: ClassVar[list[str]] = ["user", "lesson", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user", "lesson", "attempt_token"], name="learning_attempt_token_once"
            ),
            models.UniqueConstraint(
                fields=["user", "lesson", "number"], name="learning_attempt_number_once"
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=100), name="learning_score_lte_100"
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} on lesson {self.lesson_id}: {self.score}%"


class CourseCompletion(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions"
    )
    course = models.ForeignKey(
        "learning.CoursePage", on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(_("completed"))
    ce_hours = models.DecimalField(
        _("continuing-education hours"), max_digits=4, decimal_places=2, default=Decimal(0)
    )

    class Meta:
        verbose_name = _("course completion")
        ordering: ClassVar[list[str]] = ["-completed_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "course"], name="learning_completion_once")
        ]

    def __str__(self) -> str:
        return f"course {self.course_id} completed {self.completed_at:%Y-%m-%d}"
