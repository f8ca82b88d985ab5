"""Building certifications in tests, through the services as the app does."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hopeful.framework.certification import Action, Tier
from hopeful.web.accounts.models import User
from hopeful.web.certification import services
from hopeful.web.certification.models import Certification
from hopeful.web.learning.models import ContinuingEducationRecord, LearnerProfile
from tests.web import factories as f


def make_staff(email: str = "staff@hope.example.org") -> User:
    return f.make_user(email, is_network_staff=True, display_name="Staff Member")


def make_learner(
    email: str = "rosa@example.org", name: str = "Rosa Díaz", state: str = "NM"
) -> User:
    user = f.make_user(email, display_name=name.split()[0])
    LearnerProfile.objects.create(user=user, full_name=name, state=state)
    return user


def certify(user: User, tier: Tier = Tier.FACILITATOR, *, actor: Any = None) -> Certification:
    """A person certified in ``tier`` the way a training completion does it."""
    return services.certification_award_from_training(
        user=user, tier=tier, evidence={"training": str(uuid.uuid4())}, actor=actor or user
    )


def act(
    certification: Certification, action: Action, actor: Any, reason: str = ""
) -> Certification:
    return services.certification_act(
        certification=certification, action=action, actor=actor, reason=reason
    )


def add_hours(
    user: User, hours: str, *, at: dt.datetime | None = None, ref: str | None = None
) -> None:
    ContinuingEducationRecord.objects.create(
        user=user,
        title="Course",
        hours=Decimal(hours),
        earned_at=at or timezone.now(),
        source="course",
        source_ref=ref or str(uuid.uuid4()),
    )
