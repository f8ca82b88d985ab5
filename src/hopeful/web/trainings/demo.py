"""Synthetic trainings for ``make demo``: upcoming trainings across states, modes and both
languages (some full, with a waitlist), and past trainings whose participants attended every
session and completed (continuing-education hours and certifications, through the same
services as real completions). For the integrator's demo command to call."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hopeful.web.trainings import services
from hopeful.web.trainings.models import (
    Attendance,
    Mode,
    Registration,
    RegistrationStatus,
    TierAwarded,
    Track,
    Training,
    TrainingSession,
)

#: (city, state, IANA zone) of the in-person demo trainings.
PLACES = [
    ("Boston", "MA", "America/New_York"),
    ("Madison", "WI", "America/Chicago"),
    ("Albuquerque", "NM", "America/Denver"),
    ("Seattle", "WA", "America/Los_Angeles"),
    ("San Antonio", "TX", "America/Chicago"),
    ("Atlanta", "GA", "America/New_York"),
]

KINDS = [
    # track, title (en, es), sessions, hours, tier
    (
        Track.FACILITATOR,
        ("HOPE Facilitator training", "Capacitación de Facilitador de HOPE"),
        3,
        Decimal("9.00"),
        TierAwarded.FACILITATOR,
    ),
    (
        Track.INTRODUCTION,
        ("Introduction to HOPE", "Introducción a HOPE"),
        1,
        Decimal("2.00"),
        "",
    ),
    (
        Track.CHAMPION,
        ("HOPE Champion training", "Capacitación de Champion de HOPE"),
        2,
        Decimal("6.00"),
        TierAwarded.CHAMPION,
    ),
]


def _training(
    *, index: int, start: dt.datetime, trainer: Any, course: Any, rng: random.Random
) -> Training:
    track, titles, sessions, hours, tier = KINDS[index % len(KINDS)]
    city, state, zone = PLACES[index % len(PLACES)]
    language = "es" if index % 4 == 3 else "en"
    virtual = index % 3 == 2
    training = Training.objects.create(
        title=f"{titles[1] if language == 'es' else titles[0]} ({'online' if virtual else city})",
        description="Synthetic demo training.",
        track=track,
        tier_awarded=tier,
        trainer=trainer,
        language=language,
        mode=Mode.VIRTUAL if virtual else Mode.IN_PERSON,
        time_zone=zone,
        state="" if virtual else state,
        location="" if virtual else f"Community Center, {city}",
        meeting_url=f"https://meet.example.org/hope-demo-{index}" if virtual else "",
        capacity=rng.choice([8, 12, 20]),
        course=course if track == Track.FACILITATOR else None,
        ce_hours=hours,
    )
    local = start.astimezone(training.zone).replace(hour=9, minute=0, second=0, microsecond=0)
    for n in range(sessions):
        begins = local + dt.timedelta(days=7 * n)
        TrainingSession.objects.create(
            training=training, order=n + 1, starts_at=begins, ends_at=begins + dt.timedelta(hours=3)
        )
    return training


def demo_trainings(
    *,
    trainers: list[Any],
    learners: list[Any],
    course: Any = None,
    upcoming: int = 9,
    past: int = 3,
    seed: int = 15,
    now: dt.datetime | None = None,
) -> list[Training]:
    """Make the demo trainings. ``learners`` register for the upcoming ones (the first
    upcoming training is filled past capacity, so it shows a waitlist) and complete the past
    ones (which have no course, so attending is enough)."""
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    made: list[Training] = []
    for i in range(upcoming):
        start = now + dt.timedelta(days=10 + 9 * i)
        training = _training(
            index=i, start=start, trainer=trainers[i % len(trainers)], course=course, rng=rng
        )
        many = training.capacity + 3 if i == 0 else rng.randint(0, training.capacity)
        for learner in rng.sample(learners, min(many, len(learners))):
            services.registration_create(training=training, user=learner, now=now)
        made.append(training)
    for i in range(past):
        start = now - dt.timedelta(days=60 + 30 * i)
        training = _training(
            index=i * len(KINDS) + 1 if i else 0,  # Facilitator and Introduction trainings
            start=start,
            trainer=trainers[i % len(trainers)],
            course=None,
            rng=rng,
        )
        training.course = None
        training.save(update_fields=["course"])
        people = rng.sample(learners, min(training.capacity, len(learners)))
        with transaction.atomic():
            for learner in people:
                registration = Registration.objects.create(
                    training=training,
                    user=learner,
                    status=RegistrationStatus.REGISTERED,
                    created_at=start - dt.timedelta(days=20),
                )
                for session in training.sessions.all():
                    Attendance.objects.create(
                        session=session,
                        registration=registration,
                        present=True,
                        marked_by=training.trainer,
                        marked_at=session.starts_at,
                    )
        for learner in people:
            services.training_completion_check(user=learner, now=now)
        made.append(training)
    return made
