"""Every page of the learning hub, the trainings, the certifications and the six standards
passes axe-core (WCAG 2.2 AA) in Chromium, in English and in Spanish, opened by the person
who uses it: anonymous visitors (public pages), a learner, network staff and an
organization's admin. The forms are checked again after a bad submission (their error
summary shown), and the public and learner pages must not scroll sideways on a phone.

One browser per person; the data is made through the apps' services, as in use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone, translation
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.framework.certification import Action, Tier
from hopeful.web.learning import services as learning_services
from hopeful.web.organizations.models import Role
from hopeful.web.standards import services as standards_services
from hopeful.web.trainings import services as training_services
from hopeful.web.trainings.models import TierAwarded, Training
from tests.e2e import axe
from tests.e2e.test_instrument_page import CHROMIUM_ARGS, PHONE
from tests.e2e.test_outreach_kit import sign_in as sign_in_with_code
from tests.web import factories as f
from tests.web.certification.helpers import act, add_hours, certify, make_learner, make_staff
from tests.web.cms.site import translate
from tests.web.learning.helpers import (
    answers_for,
    course,
    course_index,
    lesson,
    tok,
    two_question_quiz,
)
from tests.web.standards.conftest import answers, submitted
from tests.web.trainings.helpers import make_training

#: Both languages: English pages have no prefix, Spanish ones "/es".
LANGUAGES = (("en", ""), ("es", "/es"))
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Data:
    course_urls: dict[str, str]
    lesson_urls: dict[str, str]
    training: Training
    learner: Any
    waitlisted: Any
    staff: Any
    codes: dict[str, str]
    certifications: dict[str, Any]
    org: Any
    admin: Any
    assessment: Any
    draft: Any
    action: Any
    org_certification: Any


def build() -> Data:
    """A course with a quiz lesson (and its Spanish translation), a training with three
    sessions, one learner registered and one waitlisted, certifications in every state, and
    an organization that submitted its self-assessment, planned a step and applied."""
    c = course("HOPE basics", audience="clinicians", ce_hours="2.00")
    quiz_lesson = lesson(c, "The Four Building Blocks", quiz=two_question_quiz())
    course_index("es")
    spanish_course = translate(c, "es", title="Lo básico de HOPE", summary="Resumen.")
    spanish_lesson = translate(quiz_lesson, "es", title="Los cuatro pilares")

    staff = make_staff()
    trainer = f.make_user("trainer@example.org", display_name="Terry Trainer")
    training = make_training(
        title="HOPE Facilitator training, Madison",
        capacity=1,
        tier_awarded=TierAwarded.FACILITATOR,
        trainer=trainer,
        course=c,
        ce_hours="9.00",
    )
    learner = make_learner("rosa@example.org", "Rosa Díaz")
    waitlisted = make_learner("wen@example.org", "Wen Li", state="WI")
    training_services.registration_create(training=training, user=learner)
    training_services.registration_create(training=training, user=waitlisted)
    # a first attempt at the quiz, failed: the page shows its results and the form again
    learning_services.quiz_submit(
        user=learner,
        lesson=quiz_lesson,
        answers=answers_for(quiz_lesson, right=0),
        attempt_token=tok("first"),
    )
    add_hours(learner, "1.50")

    certifications = {"valid": certify(learner)}
    for state, action, reason in (
        ("revoked", Action.REVOKE, "Certified by mistake."),
        ("suspended", Action.SUSPEND, "Under review."),
        ("expired", Action.EXPIRE, ""),
    ):
        holder = make_learner(f"{state}@example.org", f"{state.title()} Person")
        certifications[state] = act(certify(holder), action, staff, reason)
    codes = {state: cert.credentials.first().code for state, cert in certifications.items()}
    # staff who may review organizations hold a valid Champion certification
    certify(staff, actor=staff)
    certify(staff, Tier.CHAMPION, actor=staff)

    org = f.make_org("Sunrise Clinic")
    admin = f.make_member(org, Role.ORG_ADMIN, "admin@sunrise.example.org")
    assessment = submitted(org, admin, answers("started"))
    action, _created = standards_services.action_add(
        organization=org,
        actor=admin,
        standard_id="family_strengths",
        text="Rewrite the intake form around the family's strengths.",
        owner=admin,
        due_date=timezone.localdate() + dt.timedelta(days=60),
    )
    org_certification = standards_services.certification_apply(organization=org, actor=admin)
    draft, _created = standards_services.assessment_start(organization=org, actor=admin)
    return Data(
        course_urls={"en": c.url, "es": spanish_course.url},
        lesson_urls={"en": quiz_lesson.url, "es": spanish_lesson.url},
        training=training,
        learner=learner,
        waitlisted=waitlisted,
        staff=staff,
        codes=codes,
        certifications=certifications,
        org=org,
        admin=admin,
        assessment=assessment,
        draft=draft,
        action=action,
        org_certification=org_certification,
    )


@pytest.fixture
def data(live_server: LiveServer, settings: Any, tmp_path: Path) -> Data:
    settings.SITE_URL = live_server.url
    settings.HOPEFUL_CREDENTIAL_KEYS_FILE = tmp_path / "keys" / "credentials.jwks"
    with translation.override("en"):
        return build()


def sign_in(page: Page, base: str, user: Any) -> None:
    """Password only: learners and network staff without a support grant see no
    identifiable records, so no second factor is asked."""
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(f.PASSWORD)
    with page.expect_navigation():
        page.locator("#main button[type=submit]").first.click()
    assert "/accounts/" not in page.url, page.url


def check(page: Page, language: str, *, phone: bool) -> None:
    assert page.locator("html").get_attribute("lang") == language, page.url
    axe.assert_accessible(page)
    if phone:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (page.url, width)


def visit(page: Page, url: str, language: str, *, phone: bool, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == status, (url, response.status)
    check(page, language, phone=phone)


def submit_badly(
    page: Page, language: str, submit: str, *, phone: bool, before: Callable[[], Any] = list
) -> None:
    """Send the form on this page wrong (``before`` spoils it) and check the page that
    answers: the error summary is shown."""
    before()
    with page.expect_navigation():
        page.locator(submit).first.click()
    assert page.locator(".error-summary").first.is_visible(), page.url
    check(page, language, phone=phone)


def launch(p: Any) -> Browser:
    return p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_public_pages_pass_axe_on_a_phone(live_server: LiveServer, data: Data) -> None:
    base = live_server.url
    training = data.training.public_id
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=PHONE)
            for language, prefix in LANGUAGES:
                for path in (
                    "/learn/",
                    "/learn/join/confirm/not-a-real-token/",
                    "/trainings/",
                    f"/trainings/{training}/",
                ):
                    visit(page, base + prefix + path, language, phone=True)
                for state, code in data.codes.items():
                    visit(page, f"{base}{prefix}/verify/{code}/", language, phone=True)
                    assert page.locator(f".verdict--{state}").count() == 1, state
                visit(
                    page, f"{base}{prefix}/verify/NOSUCHCODE2345/", language, phone=True, status=404
                )
                visit(page, base + data.course_urls[language], language, phone=True)
                visit(page, base + data.lesson_urls[language], language, phone=True)
                visit(page, f"{base}{prefix}/learn/join/", language, phone=True)
                submit_badly(page, language, "#main form.form button[type=submit]", phone=True)
        finally:
            browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_learner_pages_pass_axe_on_a_phone(live_server: LiveServer, data: Data) -> None:
    base = live_server.url
    training = data.training.public_id
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_context(viewport=PHONE).new_page()
            sign_in(page, base, data.learner)
            waiting = browser.new_context(viewport=PHONE).new_page()
            sign_in(waiting, base, data.waitlisted)
            for language, prefix in LANGUAGES:
                for path in (
                    "/learn/me/",
                    "/trainings/mine/",
                    f"/trainings/{training}/",
                    "/certificates/",
                ):
                    visit(page, base + prefix + path, language, phone=True)
                for path in (f"/trainings/{training}/", "/trainings/mine/", "/certificates/"):
                    visit(waiting, base + prefix + path, language, phone=True)
                visit(page, base + data.course_urls[language], language, phone=True)
                visit(page, base + data.lesson_urls[language], language, phone=True)
                submit_badly(page, language, "#quiz form.form button[type=submit]", phone=True)
                visit(page, f"{base}{prefix}/learn/profile/", language, phone=True)
                submit_badly(
                    page,
                    language,
                    "#main form.form button[type=submit]",
                    phone=True,
                    before=lambda: page.locator("input[name=full_name]").fill(""),
                )
        finally:
            browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_network_staff_pages_pass_axe(live_server: LiveServer, data: Data) -> None:
    base = live_server.url
    training = data.training
    session = training.sessions.order_by("starts_at").first()
    assert session is not None
    learner_profile = data.learner.learner_profile.public_id
    valid = data.certifications["valid"].public_id
    revoked = data.certifications["revoked"].public_id
    review = data.org_certification.public_id
    attendance = f"/staff/trainings/{training.public_id}/sessions/{session.public_id}/attendance/"
    # a week on: the first session has started, so its attendance sheet is a form
    with (
        time_machine.travel(session.starts_at + dt.timedelta(hours=1), tick=True),
        sync_playwright() as p,
    ):
        browser = launch(p)
        try:
            page = browser.new_page(viewport=DESKTOP)
            sign_in(page, base, data.staff)
            for language, prefix in LANGUAGES:
                for path in (
                    "/staff/",
                    "/staff/learners/",
                    f"/staff/learners/{learner_profile}/",
                    "/staff/trainings/",
                    "/staff/trainings/new/",
                    f"/staff/trainings/{training.public_id}/",
                    "/staff/certifications/",
                    f"/staff/certifications/{revoked}/",
                    "/staff/certifications/reviews/",
                    f"/staff/certifications/{review}/",
                    # the self-assessment as the Champion reads it, from the review
                    f"/staff/standards/{data.assessment.public_id}/",
                ):
                    visit(page, base + prefix + path, language, phone=False)
                visit(page, base + prefix + attendance, language, phone=False)
                assert page.locator("input[name=present]").count() == 1
                visit(
                    page,
                    f"{base}{prefix}/staff/certifications/reviews/{review}/",
                    language,
                    phone=False,
                )
                submit_badly(page, language, "#main form.form button[type=submit]", phone=False)
                visit(
                    page,
                    f"{base}{prefix}/staff/trainings/{training.public_id}/edit/",
                    language,
                    phone=False,
                )
                submit_badly(
                    page,
                    language,
                    "#main form.form button[type=submit]",
                    phone=False,
                    before=lambda: page.locator("input[name=title]").fill(""),
                )
                visit(page, f"{base}{prefix}/staff/certifications/{valid}/", language, phone=False)
                submit_badly(page, language, "#main button[name=action][value=revoke]", phone=False)
        finally:
            browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_standards_pages_pass_axe_for_the_org_admin(live_server: LiveServer, data: Data) -> None:
    base = live_server.url
    root = f"/orgs/{data.org.public_id}/standards/"
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=DESKTOP)
            sign_in_with_code(page, base, data.admin)
            for language, prefix in LANGUAGES:
                for path in (
                    "",
                    f"assessments/{data.assessment.public_id}/",
                    f"assessments/{data.assessment.public_id}/results/",
                    f"assessments/{data.draft.public_id}/",
                    "plan/",
                    f"plan/{data.action.public_id}/edit/",
                ):
                    visit(page, base + prefix + root + path, language, phone=False)
                # the organization's own certificates page (its application)
                visit(page, f"{base}{prefix}/certificates/", language, phone=False)
                visit(page, f"{base}{prefix}{root}plan/new/", language, phone=False)
                submit_badly(page, language, "#main form.form button[type=submit]", phone=False)
        finally:
            browser.close()
