"""A practitioner's visit, in Spanish, on a phone: sign in with two-factor, open a family from
the caseload, use the visit guide, save a strengths map, add a goal, and download the family's
take-home summary as a PDF whose text has the goal. axe-core checks every page on the way."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, sync_playwright
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from hopeful.web.casework import services
from hopeful.web.casework.models import Goal, StrengthsMap, Visit
from hopeful.web.families.models import Family
from hopeful.web.organizations.models import Membership
from tests.e2e import axe
from tests.e2e.test_instrument_page import CHROMIUM_ARGS, PHONE
from tests.web import factories as f

GOAL = "Ir a la biblioteca los sábados con Sofía"


def es(text: str) -> str:
    """The Spanish the page shows for ``text``."""
    with translation.override("es"):
        return gettext(text)


def follow(page: Page, target: Locator) -> None:
    """Click a link or a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        target.click()
    page.wait_for_load_state()


def click(page: Page, name: str) -> None:
    follow(page, page.get_by_role("main").get_by_role("link", name=name).first)
    axe.assert_accessible(page)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_spanish_visit_from_caseload_to_the_take_home_pdf(
    live_server: LiveServer, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    org, family = t["org_a"], t["family_a"]
    practitioner = t["members_a"]["practitioner"]
    Family.objects.filter(pk=family.pk).update(preferred_language="es")
    f.make_child(family, timezone.localdate() - dt.timedelta(days=3 * 365))
    services.assignments_set(
        family=family,
        memberships=[Membership.objects.get(user=practitioner, organization=org)],
        actor=t["members_a"]["org_admin"],
    )
    device = TOTPDevice.objects.create(user=practitioner, name="phone", confirmed=True)
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE, accept_downloads=True)
            page.goto(f"{base}/es/accounts/login/")
            page.locator("input[name=username]").fill(practitioner.email)
            page.locator("input[name=password]").fill(f.PASSWORD)
            follow(page, page.locator("#main button[type=submit]").first)
            assert "/es/accounts/two-factor/" in page.url or "two" in page.url
            page.locator("#main input[type=text], #main input[inputmode=numeric]").first.fill(
                f"{totp(device.bin_key):06d}"
            )
            follow(page, page.locator("#main button[type=submit]").first)
            assert page.url.endswith("/es/orgs/")

            click(page, org.name)
            click(page, es("Caseload"))
            click(page, family.display_name)
            assert f"/families/{family.public_id}/" in page.url

            # the visit guide: the child's age band, in Spanish
            click(page, es("Record a visit"))
            page.locator(".guide-item input[type=checkbox]").first.check()
            page.locator(".guide-item textarea").first.fill("Le canta a su hermana cada noche")
            page.locator("textarea[name=note]").fill("Visita cálida.")
            follow(page, page.locator("#main form button[type=submit]"))
            assert "Le canta a su hermana cada noche" in page.content()
            axe.assert_accessible(page)
            assert Visit.objects.get().prompts

            page.goto(f"{base}/es/orgs/{org.public_id}/families/{family.public_id}/")
            click(page, es("Strengths map"))
            page.locator("textarea[name='relationships-strengths']").fill("La abuela lee con ella")
            follow(page, page.locator("#main form.strengths-map button[type=submit]"))
            assert StrengthsMap.objects.filter(family=family, version=1).exists()

            page.goto(f"{base}/es/orgs/{org.public_id}/families/{family.public_id}/")
            click(page, es("Add a goal"))
            page.locator("input[name=block]").first.check()
            page.locator("textarea[name=text], input[name=text]").first.fill(GOAL)
            page.locator("input[name=next_step]").fill("Buscar el horario")
            due = timezone.localdate() + dt.timedelta(days=14)
            page.locator("input[name=due_on]").fill(due.isoformat())
            follow(page, page.locator("#main form button[type=submit]").first)
            assert Goal.objects.filter(family=family, text=GOAL).exists()

            page.goto(f"{base}/es/orgs/{org.public_id}/families/{family.public_id}/")
            click(page, es("Take-home summary for the family (print or PDF)"))
            assert GOAL in page.content()
            with page.expect_download() as download:
                page.get_by_role("link", name=es("Download PDF")).click()
            data = download.value.path().read_bytes()
            text = " ".join(pg.extract_text() for pg in PdfReader(io.BytesIO(data)).pages)
            assert "biblioteca" in text
            assert "Sofía" in " ".join(text.split())
        finally:
            browser.close()
