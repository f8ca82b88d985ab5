from __future__ import annotations

import pytest
from django.test import Client

from hopeful.web.learning.demo import courses_load
from hopeful.web.learning.models import CourseIndexPage, CoursePage, LessonPage
from tests.web.cms.site import ensure_skeleton, spanish_home

pytestmark = pytest.mark.django_db


def test_demo_courses_in_both_languages(client: Client) -> None:
    ensure_skeleton()
    spanish_home()
    assert courses_load() == 9  # five English courses, four Spanish
    assert courses_load() == 0  # loaded once
    assert CourseIndexPage.objects.count() == 2
    assert CoursePage.objects.live().filter(locale__language_code="es").count() == 4
    english = LessonPage.objects.get(slug="strengths-based-visits", locale__language_code="en")
    spanish = english.get_translation(english.locale.__class__.objects.get(language_code="es"))
    assert [q.id for q in english.questions()] == [q.id for q in spanish.specific.questions()]
    assert spanish.specific.questions()[0].text.startswith("Una conversación")
    html = client.get("/es/learn/").content.decode()
    assert "HOPE para familias" in html
    assert client.get(spanish.url).status_code == 200
