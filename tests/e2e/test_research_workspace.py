"""The research workspace passes axe-core (WCAG 2.2 A/AA) in Chromium, in English and in
Spanish, at 1280 px and on a 390 px phone: the home page (empty, then with a file and an
analysis), the upload form (also after a bad submission, its error summary shown), a file's
page with its variables, and an analysis's results with the forest plot. The file is imported
and the analysis run through the workspace's own services, as the worker does."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hopeful.web.organizations.access import get_organization_for_user
from hopeful.web.organizations.models import Role
from hopeful.web.workspace import services, services_analysis, storage
from hopeful.web.workspace.models import Analysis, ResearchFile, Status
from tests.e2e.test_learning_pages import (
    DESKTOP,
    LANGUAGES,
    PHONE,
    launch,
    sign_in,
    submit_badly,
    visit,
)
from tests.web import factories as f
from tests.web.workspace.helpers import SPEC, sav_bytes


def build(tmp_path: Path) -> dict[str, Any]:
    org = f.make_org("Sunrise Research")
    researcher = f.make_member(org, Role.RESEARCHER, "researcher@sunrise.example.org")
    return {"org": org, "researcher": researcher}


def add_file_and_analysis(data: dict[str, Any], tmp_path: Path) -> tuple[ResearchFile, Analysis]:
    org, researcher = data["org"], data["researcher"]
    file = ResearchFile.objects.create(
        organization=org,
        uploaded_by=researcher,
        name="BRFSS 2022 extract.sav",
        format="sav",
        suffix=".sav",
        sha256="",
    )
    content = sav_bytes(tmp_path)
    file.sha256 = hashlib.sha256(content).hexdigest()
    file.size = len(content)
    file.save()
    directory = storage.file_dir(org.public_id, file.public_id)
    directory.mkdir(parents=True)
    (directory / "upload.sav").write_bytes(content)
    services.file_import(file_id=file.pk)
    file.refresh_from_db()
    assert file.status == Status.DONE, file.error
    access = get_organization_for_user(researcher, org.public_id)
    analysis = services_analysis.analysis_create(
        access=access, actor=researcher, file=file, spec_text=SPEC
    )
    services_analysis.analysis_run(analysis_id=analysis.pk)
    analysis.refresh_from_db()
    assert analysis.status == Status.DONE, analysis.error
    return file, analysis


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_workspace_pages_pass_axe(
    live_server: LiveServer, settings: Any, tmp_path: Path, phone: bool
) -> None:
    settings.HOPEFUL_RESEARCH_DIR = tmp_path / "research"
    data = build(tmp_path)
    base = live_server.url
    workspace = f"/orgs/{data['org'].public_id}/research/"
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=PHONE if phone else DESKTOP)
            sign_in(page, base, data["researcher"])
            for language, prefix in LANGUAGES:
                visit(page, f"{base}{prefix}{workspace}", language, phone=phone)
                assert page.locator("#files-empty").is_visible()
                visit(page, f"{base}{prefix}{workspace}files/new/", language, phone=phone)
                submit_badly(page, language, "#main form.form button[type=submit]", phone=phone)
            file, analysis = add_file_and_analysis(data, tmp_path)
            for language, prefix in LANGUAGES:
                visit(page, f"{base}{prefix}{workspace}", language, phone=phone)
                visit(
                    page, f"{base}{prefix}{workspace}files/{file.public_id}/", language, phone=phone
                )
                assert page.locator("table.data-table tbody tr").count() == 7
                visit(
                    page,
                    f"{base}{prefix}{workspace}files/{file.public_id}/analyses/new/",
                    language,
                    phone=phone,
                )
                visit(
                    page,
                    f"{base}{prefix}{workspace}analyses/{analysis.public_id}/",
                    language,
                    phone=phone,
                )
                assert page.locator("svg.forest-plot[role=img]").count() == 1
        finally:
            browser.close()
