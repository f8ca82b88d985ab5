"""What a practitioner does with a family: caseload, visits, strengths maps, goals,
celebrations and case reviews.

Every row carries ``organization`` and is reached by a UUID ``public_id`` (tenant rules in
:mod:`hopeful.web.organizations.access`). Nothing here is edited in place except a goal's
status and a review's sign-off: a strengths map is saved as a new version each time, a goal's
progress is a list of updates, so change over time stays visible. Writes go through
:mod:`hopeful.web.casework.services`, each with an audit event.

A **restricted** visit note is visible only to its author and the supervisors of the family's
program (``Membership.is_supervisor``); it never appears in an export, a report or the API.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hopeful.framework import BLOCK_IDS

BLOCK_CHOICES = [(block, block) for block in BLOCK_IDS]


class Assignment(models.Model):
    """A family on a practitioner's caseload (a family may have more than one practitioner)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="assignments"
    )
    membership = models.ForeignKey(
        "organizations.Membership", on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["family", "membership"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.family} - {self.membership.user}"


class VisitMode(models.TextChoices):
    HOME = "home", _("Home visit")
    CLINIC = "clinic", _("Clinic")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone call")


class Visit(models.Model):
    """One visit with a family and its note: the guide's prompts used (stable ids of a guide
    version), what the family said to each and in general, and the practitioner's note."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="visits")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("date of the visit"))
    mode = models.CharField(_("how you met"), max_length=16, choices=VisitMode.choices)
    guide_version = models.CharField(max_length=32, blank=True)
    #: {prompt id: what the family said ("" when only ticked)}
    prompts = models.JSONField(default=dict, blank=True)
    family_said = models.TextField(_("what the family said"), blank=True)
    note = models.TextField(_("your note"), blank=True)
    restricted = models.BooleanField(
        _("restricted note"),
        default=False,
        help_text=_(
            "Only you and the program's supervisors can read it; it is never exported or reported."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-visited_on", "-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["family", "-visited_on"], name="visit_family_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.visited_on:%Y-%m-%d}"


class Barrier(models.TextChoices):
    """What can stand between a family and positive experiences (strengths map)."""

    TRANSPORT = "transport", _("Transport")
    SAFE_PLAY = "safe_play", _("A safe place to play")
    TIME = "time", _("Time")
    MONEY = "money", _("Money")
    LANGUAGE = "language", _("Language")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    CHILD_CARE = "child_care", _("Child care")
    OTHER = "other", _("Something else")


#: The parts of each building block's square in a strengths map.
MAP_FIELDS = ("strengths", "people_places", "barriers", "barriers_note", "next_steps")


class StrengthsMap(models.Model):
    """One saved version of a family's strengths map. ``content`` holds, for each building
    block, the fields of :data:`MAP_FIELDS` (``barriers`` a list of :class:`Barrier` values,
    the rest text). Saving again makes version + 1; earlier versions are never changed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="strengths_maps"
    )
    version = models.PositiveIntegerField()
    content = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-version"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["family", "version"], name="strengths_map_version")
        ]

    def __str__(self) -> str:
        return f"strengths map v{self.version}"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    REACHED = "reached", _("Reached")
    SET_ASIDE = "set_aside", _("Set aside")


class Goal(models.Model):
    """A goal the family chose, in its own words, tied to a building block."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="goals")
    block = models.CharField(_("building block"), max_length=32, choices=BLOCK_CHOICES)
    text = models.CharField(_("the goal, in the family's words"), max_length=500)
    next_step = models.CharField(_("next step"), max_length=500)
    due_on = models.DateField(_("by when"))
    status = models.CharField(max_length=16, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["due_on", "created_at"]

    def __str__(self) -> str:
        return self.text


class GoalUpdate(models.Model):
    """Progress on a goal: what happened, and the status it left the goal in."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    text = models.CharField(_("progress"), max_length=1000)
    status = models.CharField(max_length=16, choices=GoalStatus.choices)
    next_step = models.CharField(_("next step"), max_length=500, blank=True)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return self.text


class Celebration(models.Model):
    """Something the family is proud of, recorded in its own words."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="celebrations"
    )
    block = models.CharField(_("building block"), max_length=32, choices=BLOCK_CHOICES, blank=True)
    words = models.CharField(_("in the family's words"), max_length=1000)
    celebrated_on = models.DateField(_("date"))
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="celebrations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-celebrated_on", "-created_at"]

    def __str__(self) -> str:
        return self.words


class CaseReview(models.Model):
    """A supervisor-practitioner review of one family, strengths first (trauma- and
    resilience-informed): strengths per building block, adversity and distress noted, what the
    family wants, the plan and a follow-up date; signed off by a supervisor of the family's
    program (not the practitioner who wrote it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="case_reviews"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(_("date of the review"))
    #: {block id: the strengths seen in that block}
    strengths = models.JSONField(default=dict)
    adversity = models.TextField(_("adversity noted"), blank=True)
    distress = models.TextField(_("distress noted"), blank=True)
    family_wants = models.TextField(_("what the family wants"))
    plan = models.TextField(_("plan"))
    follow_up_on = models.DateField(_("follow up by"))
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-reviewed_on", "-created_at"]

    def __str__(self) -> str:
        return f"case review {self.reviewed_on:%Y-%m-%d}"


class ReminderKind(models.TextChoices):
    GOAL_DUE = "goal_due", _("A goal's date is near or past")
    FOLLOW_UP_DUE = "follow_up_due", _("A case review's follow-up is near or past")
    SIGN_OFF = "sign_off", _("A case review waits for your sign-off")


class Reminder(models.Model):
    """Something due for one person (made by :mod:`hopeful.web.casework.reminders`, once per
    thing and date): shown in the app until done, and emailed once by the background worker."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    #: the goal's or the case review's public id
    object_id = models.UUIDField()
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["due_on", "created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id", "due_on"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on:%Y-%m-%d})"
