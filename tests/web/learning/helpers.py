"""Building courses in tests: a course index under the home page, courses and lessons as
published pages (as staff publish them), and quizzes with known answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wagtail.models import Page

from hopeful.web.learning.models import CourseIndexPage, CoursePage, LessonPage
from tests.web.cms.site import add, ensure_skeleton, home, translate


def course_index(language: str = "en") -> CourseIndexPage:
    ensure_skeleton()
    existing = CourseIndexPage.objects.filter(locale__language_code="en").first()
    index = existing or add(home(), CourseIndexPage(title="Courses", slug="learn"))
    if language == "en":
        return index
    return translate(index, language, title="Cursos")


def question(
    text: str, right: list[str], wrong: list[str], explanation: str = ""
) -> tuple[str, Any]:
    return (
        "question",
        {
            "text": text,
            "choices": [{"text": t, "correct": True} for t in right]
            + [{"text": t, "correct": False} for t in wrong],
            "explanation": explanation or f"Because {right[0]}.",
        },
    )


def course(
    title: str = "HOPE basics",
    *,
    parent: Page | None = None,
    audience: str = "families",
    ce_hours: str = "1.50",
    pass_mark: int = 80,
    max_attempts: int = 3,
    slug: str | None = None,
    live: bool = True,
) -> CoursePage:
    page = CoursePage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        audience=audience,
        summary=f"Summary of {title}.",
        ce_hours=Decimal(ce_hours),
        pass_mark=pass_mark,
        max_attempts=max_attempts,
        estimated_minutes=45,
    )
    return add(parent or course_index(), page, live=live)


def lesson(
    parent: CoursePage,
    title: str = "Lesson one",
    *,
    quiz: list[Any] | None = None,
    live: bool = True,
    **kw: Any,
) -> LessonPage:
    page = LessonPage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        body="<p>What the lesson teaches.</p>",
        quiz=quiz or [],
        **kw,
    )
    added = add(parent, page, live=live)
    # reloaded, so the quiz's blocks carry the ids saved with them
    return LessonPage.objects.get(pk=added.pk)


def two_question_quiz() -> list[Any]:
    return [
        question("Which are building blocks?", ["Relationships", "Environment"], ["Luck"]),
        question("Is HOPE strengths-based?", ["Yes"], ["No"]),
    ]


def answers_for(page: LessonPage, *, right: int) -> dict[str, list[str]]:
    """Answers to ``page``'s quiz with the first ``right`` questions right, the rest wrong."""
    out: dict[str, list[str]] = {}
    for i, q in enumerate(page.questions()):
        if i < right:
            out[q.id] = sorted(q.correct_ids)
        else:
            out[q.id] = [next(c.id for c in q.choices if not c.correct)]
    return out


def tok(name: str) -> str:
    """An attempt token as the quiz form carries it."""
    return f"attempt-{name}"
