"""The REDCap data dictionary, and the readers of ODK Central, KoboToolbox and REDCap exports:
synthetic answers written in each tool's export shape read back to the same answers, and bad
records get clear reasons (pure, no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from hopeful.framework import get_instrument, score_response
from hopeful.framework.instruments import Instrument, list_instruments
from hopeful.interop.odk import base_name, parse_odk_csv
from hopeful.interop.redcap import (
    DICTIONARY_COLUMNS,
    VARIABLE_RE,
    parse_redcap_records,
    redcap_dictionary,
)
from hopeful.interop.rows import MAX_ROWS, ParsedFile
from tests.web.imports.csvs import Record, central_csv, kobo_csv, redcap_csv, synthetic

INSTRUMENTS = list_instruments(all_versions=True)
TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: f"{i.id}-{i.version}")
def test_the_dictionary_has_redcaps_18_columns_and_valid_names(instrument: Instrument) -> None:
    rows = list(csv.reader(io.StringIO(redcap_dictionary(instrument))))
    assert len(DICTIONARY_COLUMNS) == 18
    assert tuple(rows[0]) == DICTIONARY_COLUMNS
    assert all(len(r) == 18 for r in rows)
    names = [r[0] for r in rows[1:]]
    assert names[0] == "record_id"
    assert len(set(names)) == len(names)
    assert all(VARIABLE_RE.match(n) for n in names), names
    assert all(len(n) <= 26 for n in names)
    forms = {r[1] for r in rows[1:]}
    assert len(forms) == 1
    assert VARIABLE_RE.match(forms.pop())
    by_name = {r[0]: r for r in rows[1:]}
    for name in ("consent_care", "consent_program", "consent_research"):
        assert by_name[name][3] == "yesno"
    assert by_name["language"][5] == "en, English | es, Español"
    for item in instrument.items:
        row = by_name[item.id.lower()]
        assert row[3] == "radio"
        expected = " | ".join(f"{o.code}, {o.label.get_text('en')}" for o in item.options)
        assert row[5] == expected


def _parsers() -> list[tuple[str, object, object]]:
    return [
        ("central", central_csv, parse_odk_csv),
        ("kobo", kobo_csv, parse_odk_csv),
        ("redcap", redcap_csv, parse_redcap_records),
    ]


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: i.id)
@pytest.mark.parametrize(("shape", "write", "parse"), _parsers(), ids=lambda x: str(x)[:8])
def test_exports_read_back_to_the_same_answers_and_scores(
    instrument: Instrument, shape: str, write: object, parse: object
) -> None:
    records = synthetic(instrument, 25)
    records[0].answers[instrument.items[0].id] = None  # a blank answer stays blank
    text = write(instrument, records)  # type: ignore[operator]  # a writer of the table above
    parsed: ParsedFile = parse(text.encode(), instrument, today=TODAY)  # type: ignore[operator]  # a reader
    assert parsed.errors == []
    assert parsed.notes == []
    assert [r.errors for r in parsed.rows] == [[]] * 25
    for record, row in zip(records, parsed.rows, strict=True):
        assert row.external_id == record.external_id
        assert row.answers == record.answers
        assert row.language == record.language
        assert row.name == record.name
        assert row.consent == record.consent
        assert row.child_birth_month == (record.birth_month or None)
        assert score_response(instrument, row.answers) == score_response(instrument, record.answers)


def test_central_and_kobo_give_the_same_ids_for_the_same_submissions() -> None:
    pce7 = get_instrument("pce7")
    records = synthetic(pce7, 3)
    central = parse_odk_csv(central_csv(pce7, records), pce7)
    kobo = parse_odk_csv(kobo_csv(pce7, records), pce7)
    assert [r.external_id for r in central.rows] == [r.external_id for r in kobo.rows]


def test_group_prefixes_are_dropped() -> None:
    assert base_name("group/pce1") == "pce1"
    assert base_name("group-pce1") == "pce1"
    assert base_name("meta-instanceID") == "instanceID"
    assert base_name("meta/instanceID") == "instanceID"
    assert base_name("_uuid") == "_uuid"


def _bad_records(instrument: Instrument) -> list[Record]:
    records = synthetic(instrument, 5)
    first = instrument.items[0].id
    records[0].answers[first] = 6  # not a code of the item
    records[1].consent = dict.fromkeys(records[1].consent, False)
    records[2].birth_month = "2023-13"
    records[3].external_id = records[4].external_id  # the same id twice
    return records


@pytest.mark.parametrize(("shape", "write", "parse"), _parsers(), ids=lambda x: str(x)[:8])
def test_bad_records_get_clear_reasons_by_row(shape: str, write: object, parse: object) -> None:
    instrument = get_instrument("nsch_flourishing_0_5")
    text = write(instrument, _bad_records(instrument))  # type: ignore[operator]  # a writer
    parsed: ParsedFile = parse(text, instrument, today=TODAY)  # type: ignore[operator]  # a reader
    assert parsed.errors == []
    by_row = {r.row: r.errors for r in parsed.rows}
    first = instrument.items[0].id
    assert by_row[2] == [f"{first}: 6 is not one of its codes (1, 2, 3, 4, 7, 9)."]
    assert by_row[3] == [
        "No consent: the family agreed to none of care, program improvement or research, so "
        "their answers cannot be stored."
    ]
    assert by_row[4] == ["The child's birth month '2023-13-01' is not a month."] or by_row[4] == [
        "The child's birth month '2023-13' is not a month."
    ]
    assert by_row[5] == []
    assert len(by_row[6]) == 1
    assert "is also the id of row 5" in by_row[6][0]
    assert len(parsed.valid_rows) == 1


def test_a_birth_month_in_the_future_or_too_old_is_refused() -> None:
    instrument = get_instrument("nsch_family_resilience")
    records = synthetic(instrument, 3)
    records[0].birth_month = "2027-01"
    records[1].birth_month = "2000-01"
    records[2].birth_month = "april"
    parsed = parse_redcap_records(redcap_csv(instrument, records), instrument, today=TODAY)
    assert [r.errors for r in parsed.rows] == [
        ["The child's birth month '2027-01' is in the future."],
        ["The child's birth month '2000-01' is more than 18 years ago."],
        ["The child's birth month 'april' is not a month: write it YYYY-MM (2023-04)."],
    ]


def test_labels_instead_of_codes_are_refused_with_how_to_export_codes() -> None:
    pce7 = get_instrument("pce7")
    records = synthetic(pce7, 2)
    text = kobo_csv(pce7, records)
    label = pce7.item("pce1").option(records[0].answers["pce1"] or 1).label.get_text("en")
    lines = text.split("\r\n")
    cells = lines[1].split(";")
    cells[7] = label  # questions/pce1
    lines[1] = ";".join(cells)
    parsed = parse_odk_csv("\r\n".join(lines), pce7)
    assert any("'XML values and headers'" in e for e in parsed.errors)
    assert f"pce1: {label!r} is an answer's label, not its code." in parsed.rows[0].errors[0]
    assert parsed.valid_rows == []


def test_label_headers_and_missing_columns_are_file_errors() -> None:
    pce7 = get_instrument("pce7")
    header = ["_uuid", *(pce7.item(i).text.get_text("en") for i in pce7.item_ids)]
    parsed = parse_odk_csv(",".join(f'"{h}"' for h in header) + "\n1,2\n", pce7)
    assert parsed.errors[0].startswith("The file's column names are the questions' labels.")
    text = redcap_csv(pce7, synthetic(pce7, 1)).replace("consent_research", "other")
    parsed = parse_redcap_records(text, pce7)
    assert parsed.errors == [
        "These columns are missing: consent_research. Export every field of the form "
        "'hopeful_pce7' as 'CSV / Microsoft Excel (raw data)'."
    ]
    parsed = parse_redcap_records('"Record ID","Care"\n1,Yes\n', pce7)
    assert "REDCap export with labels" in parsed.errors[0]


def test_unknown_columns_are_named_and_ignored() -> None:
    pce7 = get_instrument("pce7")
    text = redcap_csv(pce7, synthetic(pce7, 2)).replace("family_name", "clinic_code")
    parsed = parse_redcap_records(text, pce7)
    assert parsed.errors == []
    assert parsed.notes == [
        "These columns are not in the questionnaire and were ignored: clinic_code"
    ]


def test_too_many_rows_or_bytes_are_refused_clearly() -> None:
    pce7 = get_instrument("pce7")
    parsed = parse_redcap_records(redcap_csv(pce7, synthetic(pce7, MAX_ROWS + 1)), pce7)
    assert parsed.errors == [
        "The file has more than 5,000 records. Split it into smaller files (for example by "
        "month) and import them one after the other."
    ]
    parsed = parse_odk_csv(b"x" * (5 * 1024 * 1024 + 1), pce7)
    assert parsed.errors[0].startswith("The file is larger than 5 MB.")
    assert parse_odk_csv(b"", pce7).errors == ["The file is empty: it has no header row."]


# -- when the family answered ------------------------------------------------------------------


def test_each_record_keeps_when_the_family_answered_in_utc() -> None:
    pce7 = get_instrument("pce7")
    records = synthetic(pce7, 2)
    central = parse_odk_csv(central_csv(pce7, records), pce7, today=TODAY)
    kobo = parse_odk_csv(kobo_csv(pce7, records), pce7, today=TODAY)
    redcap = parse_redcap_records(redcap_csv(pce7, records), pce7, today=TODAY)
    # Central: SubmissionDate; Kobo: the form's end (finished on the phone at 10:09 -05:00),
    # not _submission_time; REDCap: the survey timestamp, read as UTC.
    assert [r.answered_at for r in central.rows] == ["2026-11-02T10:15:00+00:00"] * 2
    assert [r.answered_at for r in kobo.rows] == ["2026-11-02T15:09:00+00:00"] * 2
    assert [r.answered_at for r in redcap.rows] == ["2026-11-02T10:09:00+00:00"] * 2
    assert all(r.as_dict()["answered_at"] == r.answered_at for r in central.rows)


def test_without_the_forms_end_kobos_submission_time_is_used_and_blank_is_unknown() -> None:
    pce7 = get_instrument("pce7")
    records = synthetic(pce7, 1)
    kobo = kobo_csv(pce7, records).replace("2026-11-02T10:09:00.000-05:00", "")
    assert parse_odk_csv(kobo, pce7, today=TODAY).rows[0].answered_at == (
        "2026-11-02T15:09:30+00:00"
    )
    blank = kobo.replace("2026-11-02T15:09:30", "")
    row = parse_odk_csv(blank, pce7, today=TODAY).rows[0]
    assert row.ok
    assert row.answered_at is None
    not_completed = redcap_csv(pce7, records).replace("2026-11-02 10:09:00", "[not completed]")
    row = parse_redcap_records(not_completed, pce7, today=TODAY).rows[0]
    assert row.ok
    assert row.answered_at is None


@pytest.mark.parametrize(
    ("written", "kept", "error"),
    [
        ("2026-03-31", "2026-03-31T12:00:00+00:00", None),
        ("2026-03-31 14:05", "2026-03-31T14:05:00+00:00", None),
        ("2026-03-31T23:30:00-06:00", "2026-04-01T05:30:00+00:00", None),
        ("31/03/2026", None, "'31/03/2026', is not a date and time"),
        ("2026-12-08 09:00:00", None, "'2026-12-08 09:00:00', is in the future."),
        ("1999-12-31 10:00:00", None, "'1999-12-31 10:00:00', is before 2000."),
        ("0001-01-01T00:00:00+05:00", None, "is not a date and time"),
    ],
)
def test_an_answer_time_is_read_or_refused_with_the_reason(
    written: str, kept: str | None, error: str | None
) -> None:
    pce7 = get_instrument("pce7")
    text = redcap_csv(pce7, synthetic(pce7, 1)).replace("2026-11-02 10:09:00", written)
    row = parse_redcap_records(text, pce7, today=TODAY).rows[0]
    assert row.answered_at == kept
    if error is None:
        assert row.ok
    else:
        assert len(row.errors) == 1
        assert error in row.errors[0]
        assert row.errors[0].startswith("The time the family answered, ")


def test_a_childs_birth_month_is_checked_against_the_day_the_family_answered() -> None:
    instrument = get_instrument("nsch_family_resilience")
    records = synthetic(instrument, 2)
    records[0].birth_month = "2026-10"  # before the answers (2026-11-02): fine
    records[1].birth_month = "2026-12"  # after them, though before today: not yet born
    parsed = parse_redcap_records(redcap_csv(instrument, records), instrument, today=TODAY)
    assert parsed.rows[0].ok
    assert parsed.rows[1].errors == ["The child's birth month '2026-12' is in the future."]
