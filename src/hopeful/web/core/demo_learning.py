"""Demo data of the learning hub and certification (``make demo``), all synthetic.

- the courses (English and Spanish, :func:`hopeful.web.learning.demo.courses_load`), one of
  them the quiz of the HOPE Facilitator trainings;
- three accounts to sign in with: a learner part-way through a course and registered for an
  upcoming Facilitator training, a trainer (a certified HOPE Facilitator) who leads trainings,
  and the network staff account, which also holds a HOPE Champion certification so that it
  may review organizations;
- about 360 certified HOPE Facilitators across the states, about 70 of them also HOPE
  Champions, certified over the last three years through the real services (so some are
  expiring or expired, a few suspended or revoked), and 40 HOPE-informed organizations;
- upcoming and past trainings (:func:`hopeful.web.trainings.demo.demo_trainings`);
- Sunrise Pediatrics' submitted self-assessment on the six standards, its improvement plan
  and its application for certification, waiting for a Champion's review.

Synthetic people have no usable password (nobody signs in as them) and addresses under
``people.hopeful.example``. Loaded once: a second run finds the trainer and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from hopeful.framework import standards as rubric
from hopeful.framework.certification import Action, Tier
from hopeful.web.accounts.models import User
from hopeful.web.accounts.services import user_ensure
from hopeful.web.certification import selectors as certification_selectors
from hopeful.web.certification import services as certification
from hopeful.web.certification.models import Certification
from hopeful.web.learning import services as learning
from hopeful.web.learning.demo import courses_load
from hopeful.web.learning.models import CoursePage, LearnerProfile
from hopeful.web.learning.vocab import Sector
from hopeful.web.organizations.models import Organization
from hopeful.web.standards import services as standards
from hopeful.web.trainings.demo import demo_trainings
from hopeful.web.trainings.models import Registration, RegistrationStatus, Track, Training
from hopeful.web.trainings.services import registration_create

LEARNER_EMAIL = "learner@hopeful.example"
TRAINER_EMAIL = "trainer@hopeful.example"
PEOPLE_DOMAIN = "people.hopeful.example"
FACILITATORS = 360
CHAMPIONS = 70
ORGANIZATIONS = 40
#: The course whose quiz completes the demo's Facilitator trainings.
FACILITATOR_COURSE = "facilitator-knowledge-check"

FIRST = [
    "Ana", "Marcus", "Leila", "Tomás", "Grace", "Kenji", "Amara", "Luis", "Hannah", "Diego",
    "Priya", "Samuel", "Rosa", "Ethan", "Mei", "Jamal", "Lucía", "Noah", "Aisha", "Carmen",
    "Owen", "Ines", "Daniel", "Keisha", "Rafael", "Chloe", "Yusuf", "Elena", "Malik", "Sofía",
]  # fmt: skip
LAST = [
    "Rivera", "Nguyen", "Okafor", "García", "Johnson", "Begay", "Kim", "Hernández", "Smith",
    "Yazzie", "Martínez", "Brown", "López", "Patel", "Williams", "Ortiz", "Chávez", "Davis",
    "Thompson", "Reyes", "Walker", "Flores", "Ali", "Morales", "Clark", "Torres", "Lee",
]  # fmt: skip
#: (state, weight, ZIP prefix): where the synthetic people work, most in a few states.
STATES = [
    ("MA", 10, "021"), ("WI", 8, "537"), ("NM", 7, "871"), ("WA", 6, "981"), ("TX", 6, "782"),
    ("GA", 5, "303"), ("CA", 6, "941"), ("NY", 5, "100"), ("MN", 5, "554"), ("OH", 4, "432"),
    ("PA", 4, "191"), ("NC", 4, "276"), ("CO", 3, "802"), ("AZ", 3, "850"), ("OR", 3, "972"),
    ("MI", 3, "482"), ("IL", 3, "606"), ("FL", 3, "331"), ("TN", 2, "372"), ("VT", 2, "054"),
    ("ME", 2, "041"), ("KY", 2, "402"), ("UT", 2, "841"), ("SC", 2, "292"), ("IA", 2, "503"),
    ("NE", 1, "681"), ("KS", 1, "662"), ("MO", 1, "631"), ("AK", 1, "995"), ("HI", 1, "968"),
    ("ID", 1, "837"), ("MT", 1, "591"), ("NV", 1, "891"), ("OK", 1, "731"), ("AR", 1, "722"),
    ("LA", 1, "701"), ("MS", 1, "392"), ("AL", 1, "352"), ("VA", 2, "232"), ("MD", 2, "212"),
    ("NJ", 2, "071"), ("CT", 1, "061"), ("RI", 1, "029"), ("NH", 1, "033"), ("DE", 1, "197"),
    ("WV", 1, "253"),
]  # fmt: skip
ORG_WORDS = [
    "Family Center", "Pediatrics", "Home Visiting", "Head Start", "Community Health",
    "Child and Family Services", "Early Learning", "Public Health", "Parent Network",
]  # fmt: skip
ORG_PLACES = [
    "Lakeside", "Riverside", "Maple", "Cedar Valley", "Harbor", "Prairie", "Mesa", "Pine Hill",
    "Bayview", "Summit", "Oak Grove", "Canyon", "Willow Creek", "Northfield", "Sunset",
]  # fmt: skip


@dataclass
class LearningDemoResult:
    created: bool
    courses: int = 0
    facilitators: int = 0
    champions: int = 0
    organizations: int = 0
    trainings: int = 0
    accounts: tuple[tuple[str, str], ...] = (
        (TRAINER_EMAIL, "trainer (a HOPE Facilitator; takes attendance)"),
        (LEARNER_EMAIL, "learner (courses, a training, certificates)"),
    )

    def summary(self) -> str:
        return (
            f"Learning: {self.courses} course pages, {self.trainings} trainings, "
            f"{self.facilitators} HOPE Facilitators ({self.champions} also Champions) and "
            f"{self.organizations} HOPE-informed organizations."
        )


def _profile(user: User, name: str, state: str, zip3: str, sector: str, n: int) -> None:
    LearnerProfile.objects.update_or_create(
        user=user,
        defaults={
            "full_name": name,
            "state": state,
            "zip_code": f"{zip3}{n % 100:02d}",
            "sector": sector,
            "languages": ["en", "es"] if n % 4 == 0 else ["en"],
            "organization_name": f"{ORG_PLACES[n % len(ORG_PLACES)]} {ORG_WORDS[n % 9]}",
        },
    )


def _people(rng: random.Random, count: int) -> list[User]:
    """``count`` synthetic learners with profiles, in bulk (no usable password)."""
    states = [s for s, weight, _ in STATES for _ in range(weight)]
    zip3 = {s: z for s, _, z in STATES}
    sectors = [s.value for s in Sector]
    unusable = make_password(None)
    users = [
        User(email=f"person-{n:04d}@{PEOPLE_DOMAIN}", display_name="", password=unusable)
        for n in range(count)
    ]
    User.objects.bulk_create(users)
    users = list(User.objects.filter(email__endswith=f"@{PEOPLE_DOMAIN}").order_by("email"))
    profiles = []
    for user in users:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        user.display_name = name
        state = rng.choice(states)
        profiles.append(
            LearnerProfile(
                user=user,
                full_name=name,
                state=state,
                zip_code=f"{zip3[state]}{rng.randint(0, 99):02d}",
                sector=rng.choice(sectors),
                languages=["en", "es"] if rng.random() < 0.25 else ["en"],
                organization_name=f"{rng.choice(ORG_PLACES)} {rng.choice(ORG_WORDS)}",
            )
        )
    User.objects.bulk_update(users, ["display_name"])
    LearnerProfile.objects.bulk_create(profiles)
    return users


def _certify_people(
    rng: random.Random, people: list[User], staff: User, now: dt.datetime
) -> tuple[int, int]:
    """Facilitators certified over the last 30 months, some of them Champions later; a few
    suspended and revoked (with reasons); then the nightly job marks expiring and expired."""
    facilitators = champions = 0
    for n, person in enumerate(people):
        at = now - dt.timedelta(days=rng.randint(20, 900))
        evidence = {"training": "demo", "at": at.date().isoformat()}
        certification.certification_award_from_training(
            user=person, tier=Tier.FACILITATOR, evidence=evidence, actor=staff, now=at
        )
        facilitators += 1
        later = at + dt.timedelta(days=rng.randint(60, 240))
        if n % 5 == 0 and champions < CHAMPIONS and later < now - dt.timedelta(days=10):
            # a Champion's Facilitator certification must be valid when the Champion one is
            # awarded (two years from ``at``, and ``later`` is at most 240 days after it)
            certification.certification_award_from_training(
                user=person,
                tier=Tier.CHAMPION,
                evidence={"training": "demo-champion", "at": later.date().isoformat()},
                actor=staff,
                now=later,
            )
            champions += 1
        if n % 3 == 0:  # continuing education since, for renewals
            learning.ce_record_add(
                user=person,
                title="HOPE Summit workshop",
                hours=Decimal(rng.choice([2, 4, 6, 8])),
                source="other",
                source_ref=f"demo-summit-{n}",
                earned_at=at + dt.timedelta(days=rng.randint(30, 300)),
            )
    held = list(certification_selectors.certifications_for_user(user=people[7]))
    held += list(certification_selectors.certifications_for_user(user=people[11]))
    for item, (action, reason) in zip(
        held[:2],
        [
            (Action.SUSPEND, "Complaint under review by the resource center (demo)."),
            (Action.REVOKE, "Certificate obtained with another person's attendance (demo)."),
        ],
        strict=False,
    ):
        certification.certification_act(
            certification=item, action=action, actor=staff, reason=reason, now=now
        )
    certification.certifications_expire_by_date(now=now)
    return facilitators, champions


def _certify_organizations(rng: random.Random, staff: User, now: dt.datetime) -> int:
    """HOPE-informed organizations across the states, certified over the last two years
    after a Champion's (the network staff's) review."""
    made = 0
    for n in range(ORGANIZATIONS):
        state = STATES[n % len(STATES)][0]
        name = f"{ORG_PLACES[n % len(ORG_PLACES)]} {ORG_WORDS[(n * 4) % len(ORG_WORDS)]} ({state})"
        org, created = Organization.objects.get_or_create(
            name=name, defaults={"kind": "community", "state": state, "network_member": False}
        )
        if not created:
            continue
        at = now - dt.timedelta(days=rng.randint(30, 700))
        # the self-assessment it applied with, for the review page (the organization has no
        # members in the demo: the staff account stands in for its admin)
        assessment, _ = standards.assessment_start(organization=org, actor=staff)
        assessment = standards.assessment_submit(
            assessment=assessment, actor=staff, answers=_answers(1 + n % 2), now=at
        )
        item = certification.organization_certification_apply(
            organization=org, actor=staff, assessment_ref=str(assessment.public_id), now=at
        )
        certification.organization_review_record(
            certification=item,
            reviewer=staff,
            approved=True,
            notes="Forms and policies reviewed (demo).",
            now=at + dt.timedelta(days=5),
        )
        certification.certification_act(
            certification=item, action=Action.CERTIFY, actor=staff, now=at + dt.timedelta(days=7)
        )
        made += 1
    certification.certifications_expire_by_date(now=now)
    return made


def _answers(step: int) -> dict[str, str]:
    """Synthetic answers: ``step`` 0 a year ago (little in place), 1 now (more in place,
    unevenly across the standards)."""
    standard_order = {standard.id: n for n, standard in enumerate(rubric.STANDARDS)}
    answers = {}
    for i, question in enumerate(rubric.QUESTIONS):
        s = standard_order[question.standard_id]
        points = (i + s) % 2 + step * (1 + s % 3)
        answers[question.id] = question.options[min(points, len(question.options) - 1)].id
    return answers


def _self_assessment(organization: Organization, admin: User, now: dt.datetime) -> None:
    """Two submitted self-assessments a year apart (progress to show), an improvement plan
    from the latest one's suggestions, and the application for certification."""
    for step, at in enumerate([now - dt.timedelta(days=365), now]):
        assessment, _ = standards.assessment_start(organization=organization, actor=admin)
        answers = _answers(step)
        assessment = standards.assessment_submit(
            assessment=assessment, actor=admin, answers=answers, now=at
        )
    for i, opportunity in enumerate(rubric.opportunities(answers)[:4]):
        standards.action_add(
            organization=organization,
            actor=admin,
            standard_id=opportunity.standard_id,
            text=opportunity.text["en"],
            owner=admin,
            due_date=now.date() + dt.timedelta(days=30 * (i + 1)),
            assessment=assessment,
        )
    standards.certification_apply(organization=organization, actor=admin)


def _complete(learner: User, slug: str) -> None:
    """The learner passes every lesson of the English course ``slug``."""
    course = CoursePage.objects.live().filter(slug=slug, locale__language_code="en").first()
    for lesson in course.lessons() if course is not None else []:
        if lesson.has_quiz:
            answers = {q.id: [c.id for c in q.choices if c.correct] for q in lesson.questions()}
            learning.quiz_submit(
                user=learner, lesson=lesson, answers=answers, attempt_token=f"demo-{lesson.pk}"
            )
        else:
            learning.lesson_complete(user=learner, lesson=lesson)


def _learner_progress(learner: User, trainings: list[Training], now: dt.datetime) -> None:
    """The demo learner: two courses done (one earns CE hours), a place in an upcoming
    Facilitator training."""
    _complete(learner, "hope-for-families")
    _complete(learner, "hope-in-clinical-practice")
    for training in trainings:
        first = training.sessions.order_by("starts_at").first()
        taken = Registration.objects.filter(
            training=training, status=RegistrationStatus.REGISTERED
        ).count()
        if (
            training.track == Track.FACILITATOR
            and first is not None
            and first.starts_at > now
            and taken < training.capacity
        ):
            registration_create(training=training, user=learner)
            return


def learning_status() -> str:
    """How many certifications are held (for the demo's closing line)."""
    return f"{Certification.objects.count():,} certifications"


def learning_load(
    *,
    staff: User,
    password: str,
    assessing: tuple[Organization, User] | None = None,
    progress: Callable[[str], None] | None = None,
) -> LearningDemoResult:
    """Load the learning and certification demo (once). ``assessing``: the organization
    (and its admin) that has submitted a self-assessment and applied for certification."""
    say = progress or (lambda line: None)
    if User.objects.filter(email=TRAINER_EMAIL).exists():
        return LearningDemoResult(created=False)
    now = timezone.now()
    rng = random.Random(2026)  # noqa: S311 - synthetic data
    result = LearningDemoResult(created=True)
    result.courses = courses_load(progress=say)
    with transaction.atomic():
        trainer, _ = user_ensure(email=TRAINER_EMAIL, password=password, display_name="Tess Okafor")
        learner, _ = user_ensure(email=LEARNER_EMAIL, password=password, display_name="Lena Ortiz")
        _profile(trainer, "Tess Okafor", "WI", "537", Sector.HEALTH_CARE, 1)
        _profile(learner, "Lena Ortiz", "NM", "871", Sector.HOME_VISITING, 2)
        _profile(staff, "Network staff (demo)", "MA", "021", Sector.OTHER, 3)
        long_ago = now - dt.timedelta(days=400)
        for person in (trainer, staff):
            certification.certification_award_from_training(
                user=person,
                tier=Tier.FACILITATOR,
                evidence={"training": "demo"},
                actor=staff,
                now=long_ago,
            )
        certification.certification_award_from_training(
            user=staff, tier=Tier.CHAMPION, evidence={"training": "demo"}, actor=staff, now=now
        )
    say(
        f"Certifying {FACILITATORS} synthetic HOPE Facilitators and {ORGANIZATIONS} organizations ..."
    )
    with transaction.atomic():
        people = _people(rng, FACILITATORS)
        result.facilitators, result.champions = _certify_people(rng, people, staff, now)
        result.organizations = _certify_organizations(rng, staff, now)
    course = CoursePage.objects.live().filter(slug=FACILITATOR_COURSE).first()
    with transaction.atomic():
        # the trainers: the demo trainer and three synthetic Facilitators whose
        # certification is valid (presenting trainings is what it allows)
        valid = [
            p for p in people if Tier.FACILITATOR in certification_selectors.active_tiers(user=p)
        ]
        trainings = demo_trainings(
            trainers=[trainer, *valid[:3]],
            learners=people[200:260],
            course=course,
            now=now,
        )
        result.trainings = len(trainings)
        _learner_progress(learner, trainings, now)
        if assessing is not None:
            _self_assessment(*assessing, now)
    return result
