"""The demo's courses: a course index at ``/learn/`` (its address shows the catalogue) with
four short courses, one per audience, in English, and three of them in Spanish (translated
with ``copy_for_translation``, so the versions are linked and the quiz blocks keep their ids:
answers are marked the same in both languages). All marked as sample content.

Called by ``make demo`` after the public site is loaded (``courses_load``); does nothing when
the home page already has a course index.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from wagtail.models import Locale, Page, Site

from hopeful.web.cms.models import HomePage
from hopeful.web.learning.models import CourseIndexPage, CoursePage, LessonPage

#: (English, Spanish) text.
Text = tuple[str, str]


@dataclass(frozen=True)
class DemoQuestion:
    text: Text
    choices: tuple[tuple[Text, bool], ...]
    explanation: Text


@dataclass(frozen=True)
class DemoLesson:
    slug: str
    title: Text
    body: Text
    questions: tuple[DemoQuestion, ...] = ()
    video_url: str = ""


@dataclass(frozen=True)
class DemoCourse:
    slug: str
    title: Text
    summary: Text
    audience: str
    ce_hours: str
    minutes: int
    lessons: tuple[DemoLesson, ...]
    spanish: bool = True


def _q(text: Text, right: Text, wrong: tuple[Text, ...], why: Text) -> DemoQuestion:
    return DemoQuestion(
        text=text, choices=((right, True), *((w, False) for w in wrong)), explanation=why
    )


BLOCKS_Q = _q(
    (
        "Which of these is one of HOPE's Four Building Blocks?",
        "¿Cuál de estas opciones es uno de los Cuatro Pilares de HOPE?",
    ),
    ("Relationships", "Relaciones"),
    (("Test scores", "Calificaciones de exámenes"), ("Screen time", "Tiempo frente a pantallas")),
    (
        "The four building blocks are relationships, environment, engagement and emotional growth.",
        "Los cuatro pilares son relaciones, entorno, participación y crecimiento emocional.",
    ),
)
STRENGTHS_Q = _q(
    (
        "A strengths-based conversation starts with…",
        "Una conversación basada en fortalezas empieza con…",
    ),
    ("What is going well for the family", "Lo que va bien para la familia"),
    (
        ("A list of risks", "Una lista de riesgos"),
        ("What the family did wrong", "Lo que la familia hizo mal"),
    ),
    (
        "HOPE asks about positive experiences first, then about needs.",
        "HOPE pregunta primero por las experiencias positivas y luego por las necesidades.",
    ),
)
PCE_Q = _q(
    ("Positive childhood experiences…", "Las experiencias positivas en la infancia…"),
    (
        "Are linked to better adult health, even after adversity",
        "Se asocian con mejor salud adulta, incluso después de la adversidad",
    ),
    (("Matter only when there was no adversity", "Importan solo si no hubo adversidad"),),
    (
        "Research on PCEs found benefits whatever the number of adverse experiences.",
        "La investigación sobre estas experiencias encontró beneficios sin importar el número de experiencias adversas.",
    ),
)

COURSES: tuple[DemoCourse, ...] = (
    DemoCourse(
        slug="hope-for-families",
        title=("HOPE for families", "HOPE para familias"),
        summary=(
            "What positive childhood experiences are, and small everyday ways to grow them at home.",
            "Qué son las experiencias positivas en la infancia y maneras sencillas de fomentarlas en casa.",
        ),
        audience="families",
        ce_hours="0",
        minutes=30,
        lessons=(
            DemoLesson(
                "what-is-hope",
                ("What is HOPE?", "¿Qué es HOPE?"),
                (
                    "HOPE (Healthy Outcomes from Positive Experiences) looks at what helps children thrive.",
                    "HOPE (Resultados Saludables de Experiencias Positivas) se enfoca en lo que ayuda a los niños a prosperar.",
                ),
            ),
            DemoLesson(
                "building-blocks-at-home",
                ("The building blocks at home", "Los pilares en casa"),
                (
                    "Relationships, safe places, chances to take part, and learning about feelings.",
                    "Relaciones, lugares seguros, oportunidades de participar y aprender sobre las emociones.",
                ),
                (BLOCKS_Q,),
            ),
        ),
    ),
    DemoCourse(
        slug="hope-in-clinical-practice",
        title=("HOPE in clinical practice", "HOPE en la práctica clínica"),
        summary=(
            "Strengths-based conversations in well-child visits, and what the research says.",
            "Conversaciones basadas en fortalezas en las consultas de control y lo que dice la investigación.",
        ),
        audience="clinicians",
        ce_hours="1.5",
        minutes=90,
        lessons=(
            DemoLesson(
                "the-evidence",
                (
                    "The evidence on positive experiences",
                    "La evidencia sobre las experiencias positivas",
                ),
                (
                    "A short tour of the research on PCEs.",
                    "Un recorrido breve por la investigación.",
                ),
                (PCE_Q,),
                video_url="https://www.example.org/videos/hope-evidence",
            ),
            DemoLesson(
                "strengths-based-visits",
                ("Strengths-based visits", "Consultas basadas en fortalezas"),
                (
                    "How to open a visit with what is going well.",
                    "Cómo empezar una consulta con lo que va bien.",
                ),
                (STRENGTHS_Q, BLOCKS_Q),
            ),
        ),
    ),
    DemoCourse(
        slug="hope-in-schools",
        title=("HOPE in schools", "HOPE en las escuelas"),
        summary=(
            "Classrooms and schools as places of belonging: the building blocks for educators.",
            "Aulas y escuelas como lugares de pertenencia: los pilares para educadores.",
        ),
        audience="educators",
        ce_hours="1",
        minutes=60,
        lessons=(
            DemoLesson(
                "belonging",
                ("Belonging at school", "Pertenencia en la escuela"),
                (
                    "Why connection with adults at school matters.",
                    "Por qué importa la conexión con adultos en la escuela.",
                ),
                (BLOCKS_Q, PCE_Q),
            ),
        ),
    ),
    DemoCourse(
        # the quiz of the demo's HOPE Facilitator trainings (hopeful.web.core.demo_learning)
        slug="facilitator-knowledge-check",
        title=(
            "HOPE Facilitator training: knowledge check",
            "Capacitación de Facilitador de HOPE: verificación de conocimientos",
        ),
        summary=(
            "The short quiz that completes the HOPE Facilitator training, after its three "
            "sessions.",
            "La breve prueba que completa la capacitación de Facilitador de HOPE, después de sus "
            "tres sesiones.",
        ),
        audience="clinicians",
        ce_hours="0",
        minutes=15,
        lessons=(
            DemoLesson(
                "knowledge-check",
                ("Knowledge check", "Verificación de conocimientos"),
                (
                    "Answer the three questions. You need 80% to pass, and you have three "
                    "attempts.",
                    "Responda las tres preguntas. Necesita un 80 % para aprobar y tiene tres "
                    "intentos.",
                ),
                (BLOCKS_Q, STRENGTHS_Q, PCE_Q),
            ),
        ),
    ),
    DemoCourse(
        slug="becoming-hope-informed",
        title=("Becoming a HOPE-informed organization", ""),
        summary=("The six standards and how an organization assesses itself against them.", ""),
        audience="organizations",
        ce_hours="2",
        minutes=120,
        spanish=False,
        lessons=(
            DemoLesson(
                "the-six-standards",
                ("The six standards", ""),
                ("From the Bridge to HOPE to continuing learning and improvement.", ""),
                (STRENGTHS_Q,),
            ),
        ),
    ),
)

EN, ES = 0, 1


def _p(text: str) -> str:
    return f"<p>{text}</p>"


def _quiz(lesson: DemoLesson, language: int) -> list[dict[str, Any]]:
    # Fixed ids (from the lesson and position) so both languages share them.
    def bid(*parts: object) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "hopeful-demo/" + "/".join(map(str, parts))))

    return [
        {
            "type": "question",
            "id": bid(lesson.slug, i),
            "value": {
                "text": q.text[language],
                "explanation": q.explanation[language],
                "choices": [
                    {
                        "type": "item",
                        "id": bid(lesson.slug, i, j),
                        "value": {"text": text[language], "correct": correct},
                    }
                    for j, (text, correct) in enumerate(q.choices)
                ],
            },
        }
        for i, q in enumerate(lesson.questions)
    ]


def _publish(page: Page) -> Page:
    page.sample = True
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def _add(parent: Page, page: Page) -> Page:
    page.live = False
    parent.add_child(instance=page)
    return _publish(page)


def _translate(page: Page, spanish: Locale, fill: Callable[[Any], None]) -> None:
    copy = page.copy_for_translation(spanish, copy_parents=True).specific
    fill(copy)
    _publish(copy)


@transaction.atomic
def courses_load(*, progress: Callable[[str], None] | None = None) -> int:
    """Publish the demo's courses. Returns how many course pages were published (0 when
    the home page already has a course index, or there is no home page)."""
    say = progress or (lambda line: None)
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site is not None else None
    if not isinstance(home, HomePage) or CourseIndexPage.objects.child_of(home).exists():
        return 0
    spanish, _ = Locale.objects.get_or_create(language_code="es")
    spanish_home = home.get_translation_or_none(spanish)
    translate = spanish_home is not None and spanish_home.live
    index = _add(
        home,
        CourseIndexPage(title="Courses", slug="learn", intro="Self-paced courses on HOPE."),
    )
    if translate:
        _translate(index, spanish, lambda p: setattr(p, "title", "Cursos"))
    published = 0
    for course in COURSES:
        page = _add(
            index,
            CoursePage(
                title=course.title[EN],
                slug=course.slug,
                summary=course.summary[EN],
                audience=course.audience,
                ce_hours=Decimal(course.ce_hours),
                estimated_minutes=course.minutes,
            ),
        )
        published += 1
        lessons = [
            _add(
                page,
                LessonPage(
                    title=lesson.title[EN],
                    slug=lesson.slug,
                    body=_p(lesson.body[EN]),
                    video_url=lesson.video_url,
                    quiz=_quiz(lesson, EN),
                ),
            )
            for lesson in course.lessons
        ]
        if translate and course.spanish:
            _translate(page, spanish, _course_fill(course))
            published += 1
            for lesson, lesson_page in zip(course.lessons, lessons, strict=True):
                _translate(lesson_page, spanish, _lesson_fill(lesson))
    say(f"Courses: {published} course pages published.")
    return published


def _course_fill(course: DemoCourse) -> Callable[[Any], None]:
    def fill(page: Any) -> None:
        page.title = course.title[ES]
        page.summary = course.summary[ES]

    return fill


def _lesson_fill(lesson: DemoLesson) -> Callable[[Any], None]:
    def fill(page: Any) -> None:
        page.title = lesson.title[ES]
        page.body = _p(lesson.body[ES])
        page.quiz = _quiz(lesson, ES)

    return fill
