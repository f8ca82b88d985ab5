"""Community strengths: the places and programs near families that give children positive
experiences (parks, libraries, faith groups, youth programs, family resource centers),
recorded by an organization or by network staff, tagged by the building blocks of HOPE.

An asset is a place or a program, never a person: it carries a public address at most, and
the people who recorded it are not shown. ``visibility`` says who may see it: everyone (the
public map, the HSDS export) or only signed-in members of the network's organizations.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hopeful.web.learning.models.profile import zip_code_validator
from hopeful.web.learning.vocab import US_STATES


class AssetKind(models.TextChoices):
    PARK = "park", _("Park or outdoor space")
    LIBRARY = "library", _("Library")
    FAITH = "faith", _("Faith community")
    YOUTH_PROGRAM = "youth_program", _("Youth program")
    FAMILY_RESOURCE_CENTER = "family_resource_center", _("Family resource center")
    SCHOOL = "school", _("School or early learning")
    ARTS = "arts", _("Arts, music or culture")
    SPORTS = "sports", _("Sports or recreation")
    HEALTH = "health", _("Health or family support")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone (the public map)")
    MEMBERS = "members", _("Signed-in members of HOPE organizations only")


class CommunityAsset(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=AssetKind.choices)
    #: Building block ids of :mod:`hopeful.framework` (``relationships``, ``environment``,
    #: ``engagement``, ``emotional``); at least one.
    blocks = models.JSONField(_("building blocks"), default=list)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    address = models.CharField(
        _("street address"),
        max_length=200,
        blank=True,
        help_text=_("A public place's address; leave empty for a program without one."),
    )
    zip_code = models.CharField(_("ZIP code"), max_length=5, validators=[zip_code_validator])
    #: Filled from the ZIP code (``hopeful.geo``) by the services.
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state or territory"), max_length=2, choices=US_STATES, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    schedule = models.CharField(
        _("when"), max_length=200, blank=True, help_text=_("For example: Saturdays 10–12.")
    )
    free = models.BooleanField(_("free of charge"), default=False)
    #: Codes from ``learning.vocab.LANGUAGE_CHOICES``.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    visibility = models.CharField(
        _("who may see it"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    #: The organization that recorded it (empty: recorded by network staff).
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="community_assets",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "pk"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["visibility", "latitude", "longitude"], name="assets_visible_geo"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~Q(blocks=[]), name="assets_at_least_one_block"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)
