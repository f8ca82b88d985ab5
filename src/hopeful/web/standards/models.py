"""An organization's self-assessment on the six standards and its improvement plan.

The questions, points and levels are :mod:`hopeful.framework.standards` (our own rubric, not
an official HOPE one). An :class:`Assessment` keeps the answers as a JSON object of question
id to option id; when it is submitted it keeps a snapshot of the results and the rubric's
version, so a later change of the questions never rewrites a past result. Every row carries
``organization`` and is reached by a UUID ``public_id``; writes go through
:mod:`hopeful.web.standards.services`, each with an audit event.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hopeful.framework.standards import STANDARD_IDS

STANDARD_CHOICES = [(standard_id, standard_id) for standard_id in STANDARD_IDS]


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Assessment(models.Model):
    """One self-assessment of one organization. At most one draft per organization."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    #: {question id: option id}; unanswered questions are absent.
    answers = models.JSONField(default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    #: The rubric's version the results were computed with (hopeful.framework.standards.VERSION).
    rubric_version = models.CharField(max_length=16, blank=True)
    #: {standard id: {"level": int, "points": int, "max_points": int}} at submission.
    results = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-started_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # "one draft at a time": also what makes a double "start" POST harmless
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status="draft"),
                name="standards_one_draft_per_organization",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="standards_submitted_has_a_date",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["organization", "status", "submitted_at"],
                name="standards_assessment_org",
            )
        ]

    def __str__(self) -> str:
        return f"assessment {self.public_id} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class ImprovementAction(models.Model):
    """One step of the organization's improvement plan: a change, its owner (a member of the
    organization) and its date. ``question_id`` names the suggestion it came from, if any."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    standard_id = models.CharField(_("standard"), max_length=40, choices=STANDARD_CHOICES)
    question_id = models.CharField(max_length=80, blank=True)
    text = models.TextField(_("what will change"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["due_date", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # a suggestion goes into the plan once per assessment (a double POST is harmless)
            models.UniqueConstraint(
                fields=["assessment", "question_id"],
                condition=~Q(question_id=""),
                name="standards_action_once_per_suggestion",
            ),
            models.CheckConstraint(
                condition=Q(status="done", done_at__isnull=False)
                | (~Q(status="done") & Q(done_at__isnull=True)),
                name="standards_action_done_has_a_date",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organization", "status", "due_date"], name="standards_plan")
        ]

    def __str__(self) -> str:
        return f"action {self.public_id} ({self.status})"
