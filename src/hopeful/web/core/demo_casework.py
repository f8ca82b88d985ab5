"""The demo's casework history: each demo practitioner gets a caseload whose families have
visits (with the visit guide's prompts), strengths maps in two versions, goals with progress,
celebrations and case reviews, so every casework page has something real-looking to show.

Everything is synthetic and written through the casework services (so it is validated and
audited as real work is), with each service's ``today`` set to the day it happened; the rows'
creation times are then moved to that day. A seeded generator makes the same history on every
load.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from hopeful.framework import BLOCK_IDS
from hopeful.framework.visit_guide import age_band, get_visit_guide
from hopeful.web.casework import services
from hopeful.web.casework.models import (
    Assignment,
    CaseReview,
    Celebration,
    Goal,
    GoalStatus,
    GoalUpdate,
    StrengthsMap,
    Visit,
)
from hopeful.web.families.models import ConsentPurpose, Family
from hopeful.web.families.selectors import families_with_consent
from hopeful.web.organizations.models import Membership, Role

#: Families on each demo practitioner's caseload (the org admin carries a few of them too).
CASELOAD = 14

#: Synthetic phrases, by language: (English, Spanish) pairs chosen by the seeded generator.
STRENGTHS = {
    "relationships": [
        ("Grandma reads with the kids every Sunday", "La abuela lee con los niños cada domingo"),
        ("Dad and the baby sing in the bath", "Papá y el bebé cantan en el baño"),
        ("Big sister helps with homework", "La hermana mayor ayuda con la tarea"),
    ],
    "environment": [
        ("A quiet corner at home for reading", "Un rincón tranquilo en casa para leer"),
        ("The park two blocks away", "El parque a dos cuadras"),
        ("Regular bedtime routine", "Una rutina fija para dormir"),
    ],
    "engagement": [
        ("Story hour at the library", "La hora del cuento en la biblioteca"),
        ("Helps at the community garden", "Ayuda en el huerto comunitario"),
        ("Church choir on Saturdays", "El coro de la iglesia los sábados"),
    ],
    "emotional_growth": [
        ("Names feelings with a feelings chart", "Nombra sus emociones con una tabla"),
        ("Proud of learning to ride a bike", "Orgulloso de aprender a andar en bicicleta"),
        ("Calms down with deep breaths together", "Se calma respirando hondo juntos"),
    ],
}
PEOPLE = [
    ("Aunt Rosa, the neighbor, the pediatric nurse", "La tía Rosa, la vecina, la enfermera"),
    ("Soccer coach, cousins nearby", "El entrenador de fútbol, los primos cercanos"),
    ("Library, community center, church", "La biblioteca, el centro comunitario, la iglesia"),
]
NEXT_STEPS = [
    ("Find the library's story hour times", "Buscar el horario de la hora del cuento"),
    ("Plan a weekly park visit", "Planear una visita semanal al parque"),
    (
        "Ask grandma about a monthly family dinner",
        "Hablar con la abuela de una cena familiar al mes",
    ),
]
GOALS = [
    ("engagement", "Go to story hour together", "Ir juntos a la hora del cuento"),
    (
        "relationships",
        "Ten minutes of one-on-one play each day",
        "Diez minutos de juego a solas cada día",
    ),
    (
        "environment",
        "A safe play space on the balcony",
        "Un espacio seguro para jugar en el balcón",
    ),
    ("emotional_growth", "Name one feeling at dinner", "Nombrar una emoción en la cena"),
]
CELEBRATIONS = [
    (
        "We went to story hour three Saturdays in a row!",
        "¡Fuimos a la hora del cuento tres sábados seguidos!",
    ),
    ("He told me he was sad instead of hitting", "Me dijo que estaba triste en vez de pegar"),
    ("Family dinner with grandma every Friday now", "Ahora cenamos con la abuela cada viernes"),
]
SAID = [
    ("Talked about the walks to school together", "Habló de las caminatas juntos a la escuela"),
    ("Proud of how the kids share", "Orgullosa de cómo comparten los niños"),
    (
        "Sunday mornings are their favorite time",
        "Los domingos por la mañana son su momento favorito",
    ),
]


def _pick(rng: random.Random, pairs: list[tuple[str, str]], language: str) -> str:
    english, spanish = rng.choice(pairs)
    return spanish if language == "es" else english


def _moved(model: Any, obj: Any, day: dt.date, field: str = "created_at") -> None:
    """Date a demo row on the day it happened (the services stamp "now")."""
    moment = dt.datetime.combine(day, dt.time(15, 0), tzinfo=dt.UTC)
    model.objects.filter(pk=obj.pk).update(**{field: moment})


def _band(family: Family, today: dt.date) -> str:
    child = family.children.order_by("-birth_month").first()
    if child is None or child.birth_month > today:
        return "caregiver"
    return age_band(child.birth_month, today) or "caregiver"


def _history(
    family: Family, author: Any, reviewer: Membership, rng: random.Random, today: dt.date
) -> None:
    language = "es" if str(family.preferred_language).startswith("es") else "en"
    guide = get_visit_guide()
    first = today - dt.timedelta(days=rng.randint(90, 200))
    days = sorted(
        {first + dt.timedelta(days=rng.randint(0, (today - first).days)) for _ in range(3)}
    )
    for day in days:
        band = _band(family, day)
        section = guide.section(rng.choice(BLOCK_IDS), band)
        used = {section.prompts[0].id: _pick(rng, SAID, language), section.ideas[0].id: ""}
        visit = services.visit_record(
            family=family,
            actor=author,
            visited_on=day,
            mode=rng.choice(["home", "home", "clinic", "video", "phone"]),
            prompts=used,
            guide_version=guide.version,
            known_prompts=[i.id for i in section.items],
            family_said=_pick(rng, SAID, language),
            note="Warm visit; strengths noted."
            if language == "en"
            else "Visita cálida; fortalezas anotadas.",
            restricted=rng.random() < 0.15,
            today=day,
        )
        _moved(Visit, visit, day)
    for version, day in enumerate(days[:2], start=1):
        content = {
            block: {
                "strengths": "; ".join(
                    spanish if language == "es" else english
                    for english, spanish in rng.sample(STRENGTHS[block], version)
                ),
                "people_places": _pick(rng, PEOPLE, language),
                "barriers": rng.sample(["transport", "time", "money", "safe_play"], k=version - 1),
                "next_steps": _pick(rng, NEXT_STEPS, language) if block == "engagement" else "",
            }
            for block in BLOCK_IDS
        }
        saved = services.strengths_map_save(family=family, content=content, actor=author)
        _moved(StrengthsMap, saved, day)
    block, english, spanish = rng.choice(GOALS)
    set_on = days[0]
    goal = services.goal_add(
        family=family,
        actor=author,
        block=block,
        text=spanish if language == "es" else english,
        next_step=_pick(rng, NEXT_STEPS, language),
        due_on=set_on + dt.timedelta(days=rng.choice([30, 60, 120, 200])),
        today=set_on,
    )
    _moved(Goal, goal, set_on)
    if rng.random() < 0.5 and len(days) > 1:
        reached = rng.random() < 0.5
        update = services.goal_progress(
            goal=goal,
            actor=author,
            text="Going well" if language == "en" else "Va bien",
            status=GoalStatus.REACHED if reached else GoalStatus.ACTIVE,
            today=days[1],
        )
        _moved(GoalUpdate, update, days[1])
        if reached:
            party = services.celebration_add(
                family=family,
                actor=author,
                words=_pick(rng, CELEBRATIONS, language),
                celebrated_on=days[1],
                block=goal.block,
                goal=goal,
                today=days[1],
            )
            _moved(Celebration, party, days[1])
    if rng.random() < 0.6:
        day = days[-1]
        review = services.case_review_create(
            family=family,
            actor=author,
            reviewed_on=day,
            strengths={
                b: _pick(rng, STRENGTHS[b], language) for b in rng.sample(list(BLOCK_IDS), 2)
            },
            family_wants="More time outdoors together"
            if language == "en"
            else "Más tiempo al aire libre juntos",
            plan="Map parks on the bus line"
            if language == "en"
            else "Buscar parques en la ruta del autobús",
            follow_up_on=day + dt.timedelta(days=rng.choice([21, 42, 90])),
            distress="Sleep has been hard lately" if rng.random() < 0.3 else "",
            today=day,
        )
        _moved(CaseReview, review, day)
        if rng.random() < 0.5:
            services.case_review_sign_off(review=review, supervisor=reviewer)


@transaction.atomic
def casework_load(organization: Any, today: dt.date, *, seed: int = 20261206) -> int:
    """Give the organization's demo practitioner a caseload with a history (once: an
    organization that has assignments keeps them). Returns the number of families assigned."""
    if Assignment.objects.filter(organization=organization).exists():
        return 0
    practitioner = Membership.objects.filter(
        organization=organization, role=Role.PRACTITIONER
    ).first()
    admin = Membership.objects.filter(organization=organization, role=Role.ORG_ADMIN).first()
    if practitioner is None or admin is None:
        return 0
    Membership.objects.filter(pk=admin.pk).update(is_supervisor=True)
    admin.refresh_from_db()
    rng = random.Random(f"{seed}:{organization.name}")  # noqa: S311 - synthetic data
    programs = list(practitioner.programs.all())
    families = list(
        families_with_consent(
            Family.objects.filter(organization=organization, program__in=programs),
            ConsentPurpose.CARE,
        ).order_by("-created_at", "display_name", "-id")[:CASELOAD]
    )
    for index, family in enumerate(families):
        team = [practitioner, admin] if index % 5 == 0 else [practitioner]
        services.assignments_set(family=family, memberships=team, actor=admin.user)
        _history(family, practitioner.user, admin, rng, today)
    return len(families)
