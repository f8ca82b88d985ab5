"""Course authoring in the CMS: where each page type may go, the quiz's "at least one
correct choice" rule, and reserved course slugs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.blocks import StructBlockValidationError

from hopeful.web.cms.models import HomePage
from hopeful.web.learning.blocks import QuestionBlock
from hopeful.web.learning.models import CourseIndexPage, CoursePage, LessonPage
from tests.web import factories as f
from tests.web.cms.site import ensure_skeleton, home
from tests.web.learning.helpers import course, course_index

pytestmark = pytest.mark.django_db


def test_page_types_nest_index_course_lesson() -> None:
    ensure_skeleton()
    assert CourseIndexPage.can_create_at(home())
    course_index()
    assert not CourseIndexPage.can_create_at(home())  # one per home page
    assert CoursePage in CourseIndexPage.allowed_subpage_models()
    assert CourseIndexPage in HomePage.allowed_subpage_models()
    assert CoursePage.allowed_subpage_models() == [LessonPage]
    assert LessonPage.allowed_subpage_models() == []
    assert CoursePage.allowed_parent_page_models() == [CourseIndexPage]
    assert LessonPage.allowed_parent_page_models() == [CoursePage]


def test_question_needs_a_correct_choice() -> None:
    block = QuestionBlock()
    value = block.to_python(
        {
            "text": "Which?",
            "choices": [{"text": "A", "correct": False}, {"text": "B", "correct": False}],
            "explanation": "",
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "choices" in error.value.block_errors
    ok = block.to_python(
        {
            "text": "Which?",
            "choices": [{"text": "A", "correct": True}, {"text": "B", "correct": False}],
            "explanation": "",
        }
    )
    assert block.clean(ok)["text"] == "Which?"


def test_reserved_course_slug_is_refused() -> None:
    page = course()
    page.slug = "join"
    with pytest.raises(ValidationError):
        page.full_clean()


def test_network_staff_can_open_the_editors_for_courses_and_lessons(client: Client) -> None:
    staff = f.make_user("network@hope.example", is_network_staff=True)
    staff.groups.add(Group.objects.get(name="Editors"))
    client.force_login(staff)
    ensure_skeleton()
    add_index = f"/cms/pages/add/learning/courseindexpage/{home().pk}/"
    assert client.get(add_index).status_code == 200
    c = course()
    choices = client.get(f"/cms/pages/{c.get_parent().pk}/add_subpage/")
    assert choices.status_code in (200, 302)
    assert client.get(f"/cms/pages/add/learning/lessonpage/{c.pk}/").status_code == 200
    assert client.get(f"/cms/pages/{c.pk}/edit/").status_code == 200
    # a lesson cannot go straight under the index
    index = c.get_parent()
    refused = client.get(f"/cms/pages/add/learning/lessonpage/{index.pk}/")
    assert refused.status_code == 302
    assert refused["Location"] == "/cms/"


def test_preview_of_a_new_lesson_renders(rf: object) -> None:
    c = course()
    page = LessonPage(title="New", slug="new", body="<p>Draft text.</p>", quiz=[])
    page.depth = c.depth + 1
    page.path = page._get_path(c.path, page.depth, 1)
    page.locale = c.locale
    page.set_url_path(c)
    staff = f.make_user("network@hope.example", is_network_staff=True)
    request = rf.get("/")  # type: ignore[attr-defined]
    request.user = staff
    response = page.make_preview_request(original_request=request)
    assert response.status_code == 200
    assert b"Draft text." in response.content
