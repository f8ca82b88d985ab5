"""The labelled data files pages pass axe-core (WCAG 2.2 A/AA) in Chromium, in English and
Spanish, on a desktop and on a phone (no sideways scrolling): the list with its form (also
after a bad request, its error summary shown) and a finished file's page (SPSS, and SAS
transport with its value labels program)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.labelled import services
from hopeful.web.labelled.models import DataFile
from hopeful.web.organizations.access import get_organization_for_user
from hopeful.web.organizations.models import Role
from tests.e2e.test_instrument_page import PHONE
from tests.e2e.test_learning_pages import DESKTOP, LANGUAGES, launch, submit_badly, visit
from tests.e2e.test_outreach_kit import sign_in
from tests.web.practice.factories import make_submission


def made_files(t: dict[str, Any]) -> list[DataFile]:
    """A finished SPSS and SAS transport file of org A's pce7 answers, made by the task body."""
    make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    admin = t["members_a"][Role.ORG_ADMIN]
    access = get_organization_for_user(admin, t["org_a"].public_id)
    out = []
    for fmt in ("sav", "xpt"):
        data_file = services.datafile_request(
            access=access, actor=admin, instrument_id="pce7", file_format=fmt, language="en"
        )
        services.datafile_run(data_file_id=data_file.pk)
        out.append(DataFile.objects.get(pk=data_file.pk))
    return out


def spoil_format(page: Page) -> None:
    """A format the form does not offer (as a hand-made request would send)."""
    page.evaluate(
        "document.querySelector('#id_file_format').innerHTML = "
        "'<option value=\"csv\" selected>csv</option>'"
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_list_and_a_finished_files_page_pass_axe(
    live_server: LiveServer, two_tenants: dict[str, Any], viewport: Any
) -> None:
    t = two_tenants
    files = made_files(t)
    base = live_server.url
    root = f"/orgs/{t['org_a'].public_id}/data-files/"
    phone = viewport is PHONE
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=viewport)
            sign_in(page, base, t["members_a"][Role.ORG_ADMIN])
            for language, prefix in LANGUAGES:
                visit(page, f"{base}{prefix}{root}", language, phone=phone)
                assert page.locator("table.data-table tbody tr").count() == 2
                for data_file in files:
                    visit(
                        page, f"{base}{prefix}{root}{data_file.public_id}/", language, phone=phone
                    )
                    assert page.locator(f"a[href$='{data_file.public_id}/download/']").count() == 1
                    sas = page.locator(f"a[href$='{data_file.public_id}/formats.sas']").count()
                    assert sas == (1 if data_file.file_format == "xpt" else 0)
                visit(page, f"{base}{prefix}{root}", language, phone=phone)
                submit_badly(
                    page,
                    language,
                    "#main form.filters button[type=submit]",
                    phone=phone,
                    before=lambda: spoil_format(page),
                )
        finally:
            browser.close()
    assert DataFile.objects.count() == 2
