"""The learning hub's fixed vocabularies: sectors, audiences, languages, US states."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Sector(models.TextChoices):
    HEALTH_CARE = "health_care", _("Health care")
    EDUCATION = "education", _("Education")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    HOME_VISITING = "home_visiting", _("Home visiting")
    EARLY_CHILDHOOD = "early_childhood", _("Early childhood")
    COMMUNITY = "community", _("Community organization")
    FAITH = "faith", _("Faith community")
    FAMILY = "family", _("Parent or family member")
    RESEARCH = "research", _("Research")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    FAMILIES = "families", _("Families")
    CLINICIANS = "clinicians", _("Clinicians")
    EDUCATORS = "educators", _("Educators")
    ORGANIZATIONS = "organizations", _("Organizations")


#: Languages a learner may say they work in (codes stored in ``LearnerProfile.languages``).
LANGUAGE_CHOICES: list[tuple[str, StrOrPromise]] = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("zh", _("Chinese")),
    ("vi", _("Vietnamese")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("ht", _("Haitian Creole")),
    ("ko", _("Korean")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
    ("tl", _("Tagalog")),
    ("ase", _("American Sign Language")),
    ("other", _("Another language")),
]
LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGE_CHOICES)

#: The 50 states, the District of Columbia and the inhabited territories (USPS codes).
US_STATES: list[tuple[str, str]] = [
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("AS", "American Samoa"),
    ("GU", "Guam"),
    ("MP", "Northern Mariana Islands"),
    ("PR", "Puerto Rico"),
    ("VI", "U.S. Virgin Islands"),
]
