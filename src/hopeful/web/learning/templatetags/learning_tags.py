"""What a course or lesson page shows of the signed-in learner's progress. Template tags,
so the page models need not import the selectors (which import the models)."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from hopeful.web.learning import selectors
from hopeful.web.learning.models import CoursePage, LessonPage

register = template.Library()


def _learner(context: dict[str, Any], page: Any) -> Any:
    # A page not saved yet (the editor's preview of a new page) has no progress: shown as
    # to a signed-out visitor.
    return context["request"].user if page.pk else AnonymousUser()


@register.simple_tag(takes_context=True)
def course_progress(context: dict[str, Any], course: CoursePage) -> selectors.CourseProgress:
    return selectors.course_progress(user=_learner(context, course), course=course)


@register.simple_tag(takes_context=True)
def lesson_view(context: dict[str, Any], lesson: LessonPage) -> selectors.LessonView:
    return selectors.lesson_view(user=_learner(context, lesson), lesson=lesson)


@register.filter
def picked(result: selectors.QuestionResult, choice_id: str) -> bool:
    return choice_id in result.picked


@register.filter
def contains(values: Any, value: Any) -> bool:
    return value in (values or ())
