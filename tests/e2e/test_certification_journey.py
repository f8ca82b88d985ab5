"""A learner's way to a HOPE Facilitator certification in Chromium, on a phone, and its
revocation: they find the Facilitator training from the learning hub and register; three
weeks later the trainer and network staff tick them present at its three sessions; they
pass the course's quiz, get the certification, download the PDF certificate, whose QR code
opens the public verification page saying **Valid**, and the credential file, which
``hopeful verify`` accepts offline. Network staff then revoke it (a reason is required):
the same QR target says **Revoked**, and ``hopeful verify`` with a freshly fetched status
list says REVOKED. Every page met along the way passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime as dt
import re
import urllib.request
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
import time_machine
import zxingcpp
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.cli import main
from hopeful.web.certification.models import Certification
from hopeful.web.learning.models import LearnerProfile
from hopeful.web.trainings.models import Registration, RegistrationStatus, TierAwarded
from tests.e2e import axe
from tests.e2e.test_instrument_page import CHROMIUM_ARGS, PHONE
from tests.web import factories as f
from tests.web.learning.helpers import course, lesson, two_question_quiz
from tests.web.trainings.helpers import make_training

#: The journey starts on a Monday morning; the training's three sessions follow, a week
#: apart from the next Monday, 9:00-12:00 UTC.
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
FIRST_SESSION = START + dt.timedelta(days=7)
#: The afternoon of the third session: all three have started (and ended).
AFTER_THIRD = FIRST_SESSION + dt.timedelta(days=14, hours=6)

LEARNER = "Ana Rivera"
TRAINING = "HOPE Facilitator training, Madison"
COURSE = "Facilitating HOPE"
LESSON = "The Four Building Blocks"


def new_page(browser: Browser) -> Page:
    """A phone-sized page in its own browser context (its own cookies: one person each)."""
    return browser.new_context(viewport=PHONE, accept_downloads=True).new_page()


def sign_in(page: Page, base: str, user: Any) -> None:
    """Sign in with the password: learners, trainers and network staff without a support
    grant see no identifiable records, so no second factor is asked."""
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(f.PASSWORD)
    with page.expect_navigation():
        page.locator("#main button[type=submit]").first.click()
    assert "/accounts/" not in page.url, page.url


def click(page: Page, name: str | re.Pattern[str], *, scope: Any = None) -> None:
    """Follow a link by its accessible name and wait for the next page."""
    with page.expect_navigation():
        (scope or page.locator("#main")).get_by_role("link", name=name).first.click()


def nav(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def take_attendance(page: Page) -> None:
    """On a session's attendance sheet: tick the learner present and save."""
    assert page.get_by_role("heading", name="Attendance", level=1).is_visible()
    page.get_by_label(re.compile(LEARNER)).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save attendance").click()
    assert "Attendance saved: 1 present." in page.content()
    assert page.get_by_label(re.compile(LEARNER)).is_checked()


def qr_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    image = document[0].render(scale=3).to_pil()
    document.close()
    codes = [code.text for code in zxingcpp.read_barcodes(image)]
    assert len(codes) == 1, codes
    return codes[0]


def verdict(page: Page) -> str:
    return page.locator("#verdict-word").inner_text().strip()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_learner_is_certified_a_facilitator_and_staff_revoke_it(
    live_server: LiveServer,
    settings: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = live_server.url
    # The certificate's QR code and the credential's status lists point at this server.
    settings.SITE_URL = base
    settings.HOPEFUL_CREDENTIAL_KEYS_FILE = tmp_path / "keys" / "credentials.jwks"

    with time_machine.travel(START, tick=True) as clock:
        # -- set up (as staff would have, through the CMS and the staff pages) ------------
        learner = f.make_user("ana.rivera@example.org")
        LearnerProfile.objects.create(user=learner, full_name=LEARNER)
        staff = f.make_user("staff@example.org", display_name="Sam Staff", is_network_staff=True)
        trainer = f.make_user("trainer@example.org", display_name="Terry Trainer")
        facilitator_course = course(COURSE, audience="clinicians", ce_hours="2.00")
        lesson(facilitator_course, LESSON, quiz=two_question_quiz())
        training = make_training(
            title=TRAINING,
            capacity=12,
            first=FIRST_SESSION,
            time_zone="UTC",
            tier_awarded=TierAwarded.FACILITATOR,
            trainer=trainer,
            course=facilitator_course,
            ce_hours="9.00",
        )

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                # -- the learner finds the training from the learning hub and registers ---
                phone = new_page(browser)
                sign_in(phone, base, learner)
                nav(phone, "Learn")
                click(phone, "See the upcoming trainings")
                card = phone.locator("#main .card").filter(has_text=TRAINING)
                click(phone, TRAINING, scope=card)
                with phone.expect_navigation():
                    phone.get_by_role("button", name="Register").click()
                assert "You are registered." in phone.content()
                assert phone.get_by_role("button", name="Cancel my registration").is_visible()
                assert phone.get_by_role("link", name="Take the course and its quiz").is_visible()
                axe.assert_accessible(phone)
                registration = Registration.objects.get(training=training, user=learner)
                assert registration.status == RegistrationStatus.REGISTERED

                # -- three weeks later: attendance, once each session has started ---------
                clock.move_to(AFTER_THIRD)
                # The trainer: sessions 1 and 2, from "My trainings" and the training page.
                trainer_page = new_page(browser)
                sign_in(trainer_page, base, trainer)
                nav(trainer_page, "Learn")
                click(trainer_page, "My learning")
                click(trainer_page, "My trainings")
                click(trainer_page, "Attendance, session 1")
                take_attendance(trainer_page)
                axe.assert_accessible(trainer_page)
                click(trainer_page, TRAINING)  # the sheet's way back to the training
                click(trainer_page, "Take attendance for session 2")
                take_attendance(trainer_page)
                # Network staff: session 3, from the staff area.
                staff_page = new_page(browser)
                sign_in(staff_page, base, staff)
                nav(staff_page, "Learning and certification")
                click(staff_page, "Trainings")
                click(staff_page, TRAINING)
                axe.assert_accessible(staff_page)  # the roster, a wide table on a phone
                click(staff_page, "Take attendance for session 3")
                take_attendance(staff_page)
                registration.refresh_from_db()
                assert registration.status == RegistrationStatus.REGISTERED  # quiz not passed

                # -- the learner passes the course's quiz ---------------------------------
                sign_in(phone, base, learner)  # the session of three weeks ago has ended
                nav(phone, "Learn")
                click(phone, "My learning")
                click(phone, "My trainings")
                click(phone, TRAINING)
                click(phone, "Take the course and its quiz")
                click(phone, LESSON)
                quiz = phone.locator("#quiz")
                first = quiz.get_by_role("group", name=re.compile("Which are building blocks"))
                first.get_by_label("Relationships").check()
                first.get_by_label("Environment").check()
                second = quiz.get_by_role("group", name=re.compile("Is HOPE strengths-based"))
                second.get_by_label("Yes", exact=True).check()
                with phone.expect_navigation():
                    quiz.get_by_role("button", name="Send my answers").click()
                assert quiz.get_by_role("heading", name="You passed").is_visible()
                assert f"You completed the course “{COURSE}”." in phone.content()
                axe.assert_accessible(phone)

                # -- opening their trainings completes the training: the certification ----
                click(phone, "See your learning")
                click(phone, "My trainings")
                assert f"You completed the training “{TRAINING}”." in phone.content()
                click(phone, "My certificates")
                section = phone.get_by_role("region", name="HOPE Facilitator")
                assert "Certified" in section.inner_text()
                axe.assert_accessible(phone)
                certification = Certification.objects.get(user=learner)
                credential = certification.credentials.get()

                with phone.expect_download() as pdf_download:
                    section.get_by_role("link", name="Download the certificate (PDF)").click()
                verify_url = qr_text(pdf_download.value.path().read_bytes())
                assert verify_url == f"{base}/verify/{credential.code}/"

                with phone.expect_download() as json_download:
                    section.get_by_role(
                        "link", name="Download the digital credential (JSON)"
                    ).click()
                bundle_path = tmp_path / "credential.json"
                json_download.value.save_as(bundle_path)
                capsys.readouterr()
                assert main(["verify", str(bundle_path)]) == 0
                assert capsys.readouterr().out.startswith(
                    f"VALID: HOPE Facilitator — held by {LEARNER}"
                )

                # The QR code's target: the public verification page, signed in or not.
                phone.goto(verify_url)
                assert verdict(phone) == "Valid"
                facts = phone.locator("#main dl.facts").inner_text()
                assert LEARNER in facts
                assert "HOPE Facilitator" in facts
                axe.assert_accessible(phone)

                # -- network staff revoke it; a reason is required --------------------------
                nav(staff_page, "Learning and certification")
                click(staff_page, "Certifications")
                axe.assert_accessible(staff_page)
                click(staff_page, LEARNER)
                assert staff_page.get_by_role("heading", level=1).inner_text() == (
                    f"HOPE Facilitator: {LEARNER}"
                )
                with staff_page.expect_navigation():
                    staff_page.get_by_role("button", name="Revoke").click()
                summary = staff_page.get_by_role("alert")
                assert "There is a problem" in summary.inner_text()
                assert "Nothing was changed." in summary.inner_text()
                certification.refresh_from_db()
                assert certification.state == "certified"
                axe.assert_accessible(staff_page)
                staff_page.get_by_label("Reason").fill(
                    "The certificate was shared by someone who did not attend."
                )
                with staff_page.expect_navigation():
                    staff_page.get_by_role("button", name="Revoke").click()
                assert "Done: revoke." in staff_page.content()
                certification.refresh_from_db()
                assert certification.state == "revoked"

                # The same QR target now says revoked, at once.
                phone.goto(verify_url)
                assert verdict(phone) == "Revoked"
                assert LEARNER in phone.locator("#main dl.facts").inner_text()
                assert "did not attend" not in phone.content()  # the reason stays private
                axe.assert_accessible(phone)
            finally:
                browser.close()

        # -- offline: the credential file says valid as of its download; with today's ------
        # status list fetched from the site, it says revoked.
        with urllib.request.urlopen(f"{base}/credentials/status/revocation") as response:  # noqa: S310
            status_path = tmp_path / "revocation.jwt"
            status_path.write_bytes(response.read())
        capsys.readouterr()
        assert main(["verify", str(bundle_path), "--status-list", str(status_path)]) == 1
        assert capsys.readouterr().out.startswith(f"REVOKED: HOPE Facilitator — held by {LEARNER}")
