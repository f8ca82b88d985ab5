"""Course and lesson pages (served by Wagtail), the quiz and "mark complete" posts, the
catalogue and the learner's home."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from hopeful.web.learning.models import CourseCompletion, QuizAttempt
from tests.web.cms.site import translate
from tests.web.factories import SITE_MENU_QUERIES, make_user
from tests.web.learning.helpers import course, course_index, lesson, tok, two_question_quiz

pytestmark = pytest.mark.django_db


def _token(html: str) -> str:
    match = re.search(r'name="attempt_token" value="([^"]+)"', html)
    assert match, "no quiz form"
    return match.group(1)


def _post_answers(page, *, right: int, token: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"attempt_token": token}
    for i, q in enumerate(page.questions()):
        data[f"q-{q.id}"] = (
            sorted(q.correct_ids) if i < right else [next(c.id for c in q.choices if not c.correct)]
        )
    return data


def test_signed_out_visitor_reads_lesson_and_is_invited_to_sign_in(client: Client) -> None:
    c = course()
    page = lesson(c, quiz=two_question_quiz(), video_url="https://video.example.org/hope")
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "What the lesson teaches." in html
    assert 'href="https://video.example.org/hope"' in html
    assert "<iframe" not in html
    assert "create a learner account" in html
    assert 'name="attempt_token"' not in html
    course_html = client.get(c.url).content.decode()
    assert "Lesson one" in course_html
    assert "1.5" in course_html


def test_quiz_flow_through_the_pages(client: Client) -> None:
    user = make_user("learner@example.org")
    client.force_login(user)
    c = course(max_attempts=2, ce_hours="3")
    page = lesson(c, quiz=two_question_quiz())
    response = client.get(page.url)
    assert response["Cache-Control"].count("private") == 1
    token = _token(response.content.decode())
    url = reverse("learning:quiz_submit", args=[page.pk])
    response = client.post(url, _post_answers(page, right=1, token=token))
    assert response.status_code == 302
    # the same form sent again keeps the first submission
    response = client.post(url, _post_answers(page, right=2, token=token))
    assert response.status_code == 302
    assert QuizAttempt.objects.get().score == 50
    html = client.get(page.url).content.decode()
    assert "you scored 50%" in html
    assert "Because Yes." in html  # the wrong question's explanation
    assert "1 attempt left" in html
    token = _token(html)
    client.post(url, _post_answers(page, right=2, token=token))
    html = client.get(page.url).content.decode()
    assert "You passed" in html
    assert "completed the course" in html
    assert CourseCompletion.objects.filter(user=user, course=c).exists()
    home = client.get(reverse("learning:home")).content.decode()
    assert c.title in home
    assert "Total: 3 hours." in home


def test_unanswered_question_shows_error_and_keeps_choices(client: Client) -> None:
    client.force_login(make_user("learner@example.org"))
    page = lesson(course(), quiz=two_question_quiz())
    data = _post_answers(page, right=2, token=tok("tok"))
    first = page.questions()[0]
    del data[f"q-{first.id}"]
    response = client.post(reverse("learning:quiz_submit", args=[page.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please answer every question." in html
    assert f'href="#q-{first.id}"' in html
    assert not QuizAttempt.objects.exists()


def test_attempts_exhausted_message(client: Client) -> None:
    client.force_login(make_user("learner@example.org"))
    page = lesson(course(max_attempts=1), quiz=two_question_quiz())
    url = reverse("learning:quiz_submit", args=[page.pk])
    client.post(url, _post_answers(page, right=0, token=tok("a")))
    response = client.post(url, _post_answers(page, right=2, token=tok("b")))
    assert response.status_code == 409
    assert "You have used your 1 attempt at this quiz." in response.content.decode()
    assert QuizAttempt.objects.count() == 1
    assert "used every attempt" in client.get(page.url).content.decode()


def test_mark_complete_for_lesson_without_quiz(client: Client) -> None:
    user = make_user("learner@example.org")
    client.force_login(user)
    c = course()
    page = lesson(c)
    assert "Mark this lesson complete" in client.get(page.url).content.decode()
    response = client.post(reverse("learning:lesson_complete", args=[page.pk]))
    assert response.status_code == 302
    assert CourseCompletion.objects.filter(user=user, course=c).exists()
    assert "This lesson is complete." in client.get(page.url).content.decode()


def test_posts_need_sign_in_and_a_live_lesson(client: Client) -> None:
    page = lesson(course(), quiz=two_question_quiz())
    draft = lesson(course("Other"), "Draft", live=False)
    url = reverse("learning:quiz_submit", args=[page.pk])
    response = client.post(url, {})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.force_login(make_user("learner@example.org"))
    assert client.get(url).status_code == 405
    assert client.post(reverse("learning:lesson_complete", args=[draft.pk])).status_code == 404
    assert client.post(reverse("learning:quiz_submit", args=[999999])).status_code == 404
    # a course page's id is not a lesson
    assert (
        client.post(reverse("learning:lesson_complete", args=[page.get_parent().pk])).status_code
        == 404
    )


def test_catalogue_filters_by_audience_and_language(
    client: Client, django_assert_max_num_queries
) -> None:
    a = course("For families", audience="families")
    course("For clinicians", audience="clinicians")
    course("Draft course", audience="families", live=False)
    spanish_index = course_index("es")
    translate(a, "es", title="Para familias")
    assert spanish_index.locale.language_code == "es"
    response = client.get(reverse("learning:catalogue"))
    html = response.content.decode()
    assert "For families" in html
    assert "For clinicians" in html
    assert "Para familias" in html
    assert "Draft course" not in html
    html = client.get(reverse("learning:catalogue"), {"audience": "families"}).content.decode()
    assert "For families" in html
    assert "Para familias" in html
    assert "For clinicians" not in html
    html = client.get(
        reverse("learning:catalogue"), {"audience": "families", "language": "es"}
    ).content.decode()
    assert "Para familias" in html
    assert "For families</a>" not in html
    html = client.get(reverse("learning:catalogue"), {"audience": "pilots"}).content.decode()
    assert "pilots" in html
    assert "3 courses" in html
    for i in range(6):
        course(f"Extra {i}", audience="educators")
    with django_assert_max_num_queries(8 + SITE_MENU_QUERIES):
        assert client.get(reverse("learning:catalogue")).status_code == 200


def test_spanish_pages_render(client: Client) -> None:
    c = course()
    lesson(c, quiz=two_question_quiz())
    course_index("es")
    translate(c, "es", title="Lo básico de HOPE", summary="Resumen.")
    response = client.get("/es/learn/")
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
    assert "Lo básico de HOPE" in response.content.decode()
    assert client.get("/es/learn/join/").status_code == 200
    client.force_login(make_user("learner@example.org"))
    assert client.get("/es/learn/me/").status_code == 200
    assert client.get("/es/learn/profile/").status_code == 200


def test_course_index_address_shows_the_catalogue(client: Client) -> None:
    index = course_index()
    index.slug = "courses"
    index.save_revision().publish()
    index.refresh_from_db()
    response = client.get(index.url)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:catalogue")
