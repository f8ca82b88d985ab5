"""Every instrument's XLSForm converts with pyxform (ODK's own converter) without errors or
warnings, asks consent first, and keeps HOPEful's item ids and integer codes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from hopeful.framework.instruments import Instrument, list_instruments
from hopeful.interop.xlsform import form_id, xlsform

INSTRUMENTS = list_instruments(all_versions=True)


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: f"{i.id}-{i.version}")
def test_the_xlsform_converts_with_pyxform_without_warnings(
    instrument: Instrument, tmp_path: Path
) -> None:
    path = tmp_path / f"{form_id(instrument)}.xlsx"
    path.write_bytes(xlsform(instrument))
    warnings: list[str] = []
    result = convert(str(path), warnings=warnings)
    assert warnings == []
    xform = result.xform
    assert f'id="{form_id(instrument)}"' in xform
    assert f'version="{instrument.version}"' in xform
    assert 'lang="English (en)"' in xform
    assert 'lang="Español (es)"' in xform  # every built-in instrument has Spanish texts
    for item in instrument.items:
        assert f"<{item.id}/>" in xform
    assert "/data/consent_care  = 'yes' or" in xform  # the at-least-one-consent constraint
    assert 'jr:preload="timestamp" type="dateTime" jr:preloadParams="end"' in xform  # finished
    assert ("child_birth_month" in xform) == (instrument.audience == "parent_report_child")


def _sheet(instrument: Instrument, name: str) -> list[tuple[object, ...]]:
    workbook = load_workbook(io.BytesIO(xlsform(instrument)))
    return list(workbook[name].iter_rows(values_only=True))


def test_the_survey_asks_consent_language_and_name_before_the_items() -> None:
    pce7 = next(i for i in INSTRUMENTS if i.id == "pce7")
    survey = _sheet(pce7, "survey")
    header = survey[0]
    assert header[:4] == ("type", "name", "label::English (en)", "label::Español (es)")
    names = [row[1] for row in survey[1:]]
    # the form records when it was finished: the time the answers were given
    assert survey[1][:2] == ("end", "end")
    names = names[1:]
    assert names[:7] == [
        "consent_intro",
        "consent_care",
        "consent_program",
        "consent_research",
        "language",
        "family_name",
        "instructions",
    ]
    assert names[7:] == list(pce7.item_ids)
    types = {row[1]: row[0] for row in survey[1:]}
    assert types["pce1"] == "select_one opts_pce1"
    choices = _sheet(pce7, "choices")
    codes = [row[1] for row in choices if row[0] == "opts_pce1"]
    assert codes == [str(c) for c in pce7.item("pce1").codes]
    settings = _sheet(pce7, "settings")
    assert settings[0] == ("form_title", "form_id", "version", "default_language")
    assert settings[1][1:] == ("hopeful_pce7_1_0", "1.0", "English (en)")


def test_a_questionnaire_about_a_child_asks_the_birth_month_as_month_and_year() -> None:
    flourishing = next(i for i in INSTRUMENTS if i.id == "nsch_flourishing_0_5")
    survey = _sheet(flourishing, "survey")
    header = survey[0]
    row = next(r for r in survey if r[1] == "child_birth_month")
    assert row[0] == "date"
    assert row[header.index("appearance")] == "month-year"
    assert row[header.index("required")] == "yes"
