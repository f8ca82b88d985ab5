"""A directory listing: what a certified person or a HOPE-informed organization chose to show
the public, and whether they chose to be listed at all.

A listing appears on ``/trainers/`` only when its holder **opted in** and holds a
certification that is **valid today** (:func:`hopeful.web.directory.rules.listed`); the check
is made at every query, so an expired, suspended or revoked certification drops the listing
the same day, with nothing to clean up. No email address or phone number is stored here:
contact goes through a form that emails the holder.
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


class ListingKind(models.TextChoices):
    PERSON = "person", _("Trainer")
    ORGANIZATION = "organization", _("HOPE-informed organization")


class Listing(models.Model):
    """One holder's entry in the public directory (a person, or an organization)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=ListingKind.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="directory_listing",
    )
    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="directory_listing",
    )
    display_name = models.CharField(_("name shown"), max_length=150)
    about = models.TextField(
        _("about"),
        max_length=1500,
        blank=True,
        help_text=_("What you offer and to whom, in a few sentences."),
    )
    #: What an organization implements (shown on its Innovation Network page).
    implements = models.TextField(_("what we implement"), max_length=1500, blank=True)
    website = models.URLField(_("website"), blank=True)
    zip_code = models.CharField(_("ZIP code"), max_length=5, validators=[zip_code_validator])
    #: Filled from the ZIP code (``hopeful.geo``) whenever it is saved through the services.
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state or territory"), max_length=2, choices=US_STATES, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    #: Codes from ``learning.vocab.LANGUAGE_CHOICES`` (a JSON list: SQLite and PostgreSQL agree).
    languages = models.JSONField(_("languages"), default=list, blank=True)
    #: Codes from ``learning.vocab.Sector``.
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    in_person = models.BooleanField(_("presents in person"), default=True)
    virtual = models.BooleanField(_("presents online"), default=True)
    opted_in = models.BooleanField(_("show me in the public directory"), default=False)
    opted_in_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["display_name", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=(
                    Q(kind="person", user__isnull=False, organization__isnull=True)
                    | Q(kind="organization", user__isnull=True, organization__isnull=False)
                ),
                name="directory_listing_one_holder_of_its_kind",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["opted_in", "latitude", "longitude"], name="directory_geo"),
            models.Index(fields=["state"], name="directory_state"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


class ContactMessage(models.Model):
    """A message sent through a listing's contact form, kept only until the worker has
    emailed it to the holder (then deleted: the holder's inbox is where it lives). The task
    queue carries this row's id, never the message."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    organization = models.CharField(max_length=200, blank=True)
    message = models.TextField(max_length=3000)
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"message to {self.listing_id}"
