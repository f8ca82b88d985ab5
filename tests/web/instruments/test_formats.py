"""The questionnaire pages offer an XLSForm and a REDCap data dictionary, downloaded as files
(latest and pinned versions), to anyone; an unknown questionnaire or version is 404."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from hopeful.framework import list_instruments
from hopeful.interop.redcap import DICTIONARY_COLUMNS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("instrument", list_instruments(), ids=lambda i: i.id)
def test_the_files_download_as_attachments(client: Client, instrument: object) -> None:
    iid = instrument.id  # type: ignore[attr-defined]  # an Instrument
    version = instrument.version  # type: ignore[attr-defined]  # an Instrument
    stem = f"hopeful_{iid}_{version.replace('.', '_')}"
    for url in (f"/instruments/{iid}/xlsform.xlsx", f"/instruments/{iid}/v/{version}/xlsform.xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{stem}.xlsx"'
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == ["survey", "choices", "settings"]
    for url in (
        f"/instruments/{iid}/redcap-dictionary.csv",
        f"/instruments/{iid}/v/{version}/redcap-dictionary.csv",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="{stem}_redcap_dictionary.csv"'
        )
        header = next(csv.reader(io.StringIO(response.content.decode())))
        assert tuple(header) == DICTIONARY_COLUMNS


def test_unknown_questionnaires_and_versions_are_404(client: Client) -> None:
    for url in (
        "/instruments/nope/xlsform.xlsx",
        "/instruments/nope/redcap-dictionary.csv",
        "/instruments/pce7/v/9.9/xlsform.xlsx",
        "/instruments/pce7/v/9.9/redcap-dictionary.csv",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "Use this questionnaire in other tools"), ("/es", "")]
)
def test_the_page_links_the_files(client: Client, prefix: str, heading: str) -> None:
    content = client.get(f"{prefix}/instruments/pce7/").content.decode()
    assert f'href="{prefix}/instruments/pce7/v/1.0/xlsform.xlsx"' in content
    assert f'href="{prefix}/instruments/pce7/v/1.0/redcap-dictionary.csv"' in content
    assert heading in content
