"""The labelled SPSS/Stata/SAS writer without Django: valid and unique variable names,
variable and value labels, user-missing values, bands and yes/no outputs, read back with
pyreadstat."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from hopeful.framework import get_instrument, list_instruments, score_response
from hopeful.interop import statfiles as sf

VALID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,28}$")
INSTRUMENT_IDS = sorted({i.id for i in list_instruments(all_versions=True)})


def versions(instrument_id: str) -> list[object]:
    return [i for i in reversed(list_instruments(all_versions=True)) if i.id == instrument_id]


def row(instrument_id: str, answers: dict[str, int | None], n: int = 0) -> sf.Row:
    instrument = get_instrument(instrument_id)
    score = score_response(instrument, answers, on_invalid="reason")
    return sf.Row(
        submission_id=f"00000000-0000-0000-0000-{n:012d}",
        family_id=f"10000000-0000-0000-0000-{n:012d}",
        program="Main site",
        submitted_at=dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC),
        language="es",
        campaign="Spring",
        instrument=instrument.id,
        version=instrument.version,
        answers=answers,
        outputs=dict(score.values),
        reason=score.reason,
    )


def test_variable_names_are_valid_unique_and_keep_the_item_name() -> None:
    taken: set[str] = set()
    assert sf.variable_name("pce7_pce1", taken) == "pce7_pce1"
    assert sf.variable_name("PCE7_PCE1", taken) == "PCE7_PCE1_2"  # unique without case
    assert sf.variable_name("1st item-é", taken) == "v1st_item__"
    assert sf.variable_name("with", taken) == "with_"
    long = "x" * 40
    first, second = sf.variable_name(long, taken), sf.variable_name(long, taken)
    assert len(first) == len(second) == sf.MAX_NAME
    assert first != second
    assert sf.joined_name("nsch_family_resilience", "TALKABOUT") == (
        "nsch_family_resilie_TALKABOUT"
    )


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_every_instruments_codebook_has_valid_names_and_labelled_items(
    instrument_id: str,
) -> None:
    codebook = sf.codebook_for(versions(instrument_id))
    names = codebook.names
    assert names[:8] == [name for name, _label, _kind in sf.FIXED_COLUMNS]
    assert names[-1] == "reason"
    assert all(VALID.match(name) for name in names), names
    assert len({n.lower() for n in names}) == len(names)
    instrument = get_instrument(instrument_id)
    items = [c for c in codebook.columns if c.source == "item"]
    assert [c.key for c in items] == list(instrument.item_ids)
    for column in items:
        item = instrument.item(column.key)
        assert column.label == " ".join(item.text.get_text("en").split())
        assert set(column.value_labels) == set(item.codes)
        assert column.value_labels[7] == "Don't know / not sure"
        assert column.value_labels[9] == "Prefer not to answer"
        assert column.user_missing == (7, 9)
    outputs = [c.key for c in codebook.columns if c.source == "output"]
    assert outputs == list(instrument.output_ids)
    frame = sf.build_frame(codebook, [row(instrument_id, {}, 3)])
    for fmt in sf.StatFormat:
        assert sf.file_bytes(fmt, codebook, frame)  # every format takes every instrument


def test_bands_are_their_lowest_count_and_yes_no_outputs_are_1_and_0() -> None:
    codebook = sf.codebook_for(versions("nsch_family_resilience"))
    band = next(c for c in codebook.columns if c.key == "band")
    assert band.value_labels == {0: "0-1", 2: "2-3", 4: "4"}
    all_met = dict.fromkeys(("TALKABOUT", "WKTOSOLVE", "STRENGTHS", "HOPEFUL"), 1)
    some = {"TALKABOUT": 1, "WKTOSOLVE": 3, "STRENGTHS": 9, "HOPEFUL": None}
    frame = sf.build_frame(
        codebook, [row("nsch_family_resilience", all_met), row("nsch_family_resilience", some, 1)]
    )
    band_name = band.name
    resilient = next(c.name for c in codebook.columns if c.key == "resilient")
    assert frame[band_name][0] == 4.0
    assert frame[resilient][0] == 1.0
    assert pd.isna(frame[band_name][1])  # incomplete: blank, with a reason
    assert frame["reason"][1]
    item = next(c.name for c in codebook.columns if c.key == "STRENGTHS")
    assert frame[item][1] == 9.0
    assert pd.isna(frame[next(c.name for c in codebook.columns if c.key == "HOPEFUL")][1])


@pytest.mark.parametrize("fmt", ["sav", "dta", "xpt"])
def test_each_format_reads_back_with_its_labels(tmp_path: Path, fmt: str) -> None:
    codebook = sf.codebook_for(versions("pce7"))
    answers = {"pce1": 5, "pce2": 7, "pce3": 2, "pce4": 8, "pce5": 4, "pce6": 3, "pce7": 5}
    frame = sf.build_frame(codebook, [row("pce7", answers), row("pce7", {}, 1)])
    path = tmp_path / f"pce7.{fmt}"
    sf.write_file(fmt, codebook, frame, path)
    if fmt == "sav":
        back, meta = pyreadstat.read_sav(str(path), user_missing=True)
        assert meta.missing_ranges["pce7_pce2"] == [{"lo": 7.0, "hi": 7.0}, {"lo": 9.0, "hi": 9.0}]
        plain, _meta = pyreadstat.read_sav(str(path))
        assert pd.isna(plain["pce7_pce2"][0])  # user-missing is missing to SPSS
    elif fmt == "dta":
        back, meta = pyreadstat.read_dta(str(path))
    else:
        back, meta = pyreadstat.read_xport(str(path))
        assert meta.table_name.lower() == "pce7"
    assert list(back.columns) == codebook.names
    assert len(back) == 2
    assert back["pce7_pce2"][0] == 7
    assert pd.isna(back["pce7_score"][0])  # pce2 don't know: the score needs every item
    assert back["submitted_at"][0] == pd.Timestamp("2026-03-04 05:06:07")
    assert back["language"][0] == "es"
    labels = meta.column_names_to_labels
    limit = sf.LABEL_LIMITS[fmt]
    assert all(len(text) <= limit for text in labels.values() if text)
    assert labels["pce7_pce1"] == "Feel able to talk to your family about your feelings?"
    if fmt != "xpt":
        assert meta.variable_value_labels["pce7_pce1"][9] == "Prefer not to answer"
        assert meta.variable_value_labels["pce7_band"] == {0: "0-2", 3: "3-5", 6: "6-7"}


def test_stata_labels_are_cut_to_80_bytes(tmp_path: Path) -> None:
    codebook = sf.codebook_for(versions("ace_brfss"))
    assert max(len(c.label) for c in codebook.columns) > 80
    path = tmp_path / "ace.dta"
    sf.write_file("dta", codebook, sf.build_frame(codebook, [row("ace_brfss", {}, 2)]), path)
    _back, meta = pyreadstat.read_dta(str(path))
    labels = meta.column_names_to_labels
    assert all(len(text.encode()) <= 80 for text in labels.values())
    assert labels["ace_brfss_ACEHURT1"].endswith("...")


def test_the_sas_program_formats_every_labelled_variable() -> None:
    codebook = sf.codebook_for(versions("pce7"))
    program = sf.sas_formats(codebook)
    assert program.count("  value ") == len([c for c in codebook.columns if c.value_labels])
    assert "%xpt2loc" in program
    assert "7 = 'Don''t know / not sure'" in program
    for match in re.finditer(r"value (\S+)", program):
        assert len(match.group(1)) <= 32
        assert not match.group(1)[-1].isdigit()
    assert "format pce7_band " in program
