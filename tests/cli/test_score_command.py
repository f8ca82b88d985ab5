"""``hopeful score``: score a CSV or XLSX file of raw answers into a CSV file.

Expected scores are computed by hand from ``/work/shared/spec/instruments.md`` and written
literally; outputs are read back with :mod:`csv` and compared as strings.
"""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from hopeful.cli import main

PCE_ITEMS = ["pce1", "pce2", "pce3", "pce4", "pce5", "pce6", "pce7"]
PCE_OUT = [
    "score",
    "band",
    "family",
    "community",
    "bb_relationships",
    "bb_environment",
    "bb_engagement",
    "bb_emotional_growth",
    "reason",
]
ACE_ITEMS = [
    "ACEDEPRS",
    "ACEDRINK",
    "ACEDRUGS",
    "ACEPRISN",
    "ACEDIVRC",
    "ACEPUNCH",
    "ACEHURT1",
    "ACESWEAR",
    "ACETOUCH",
    "ACETTHEM",
    "ACEHVSEX",
]
ACE_PROTECTIVE = ["ACEADSAF", "ACEADNED"]
ACE_OUT = [
    "score",
    "band",
    "household_mental_illness",
    "household_substance_use",
    "household_incarceration",
    "parental_separation",
    "witnessed_ipv",
    "physical_abuse",
    "emotional_abuse",
    "sexual_abuse",
    "protective_safe_adult",
    "protective_basic_needs",
    "reason",
]


# -- helpers -----------------------------------------------------------------------------------


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def score(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    rc = main(["score", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return rc, out, err


def assert_one_line_error(err: str) -> None:
    assert err.startswith("hopeful: error: ")
    assert err.endswith("\n")
    assert err.count("\n") == 1


def assert_refused(rc: int, out: str, err: str) -> None:
    """A refused command: exit status 2, nothing on stdout, one error line on stderr."""
    assert rc == 2
    assert out == ""
    assert_one_line_error(err)


def pce_file(tmp_path: Path, rows: Sequence[Sequence[str]], name: str = "in.csv") -> Path:
    return write_csv(tmp_path / name, ["id", *PCE_ITEMS], rows)


def by_id(rows: list[dict[str, str]], columns: Sequence[str]) -> dict[str, list[str]]:
    return {row["id"]: [row[c] for c in columns] for row in rows}


# -- pce7: hand-checked scores -----------------------------------------------------------------

# id, pce1..pce7 (as text in the file)
PCE_ROWS = [
    ["r1", "5", "4", "2", "8", "4", "3", "5"],
    ["r2", "5", "5", "5", "5", "5", "5", "5"],
    ["r3", "1", "1", "1", "1", "1", "1", "1"],
    ["r4", "5", "5", "5", "8", "5", "5", "5"],
    ["r5", "4", "", "7", "4", "9", "4", "4"],
    ["r6", "abc", "6", "4", "4", "4", "4", "4"],
    ["r7", "4.0", " 5 ", "3", "8", "1", "2", "4"],
    ["r8", "9", "5", "5", "5", "5", "5", "8"],
    ["r9", "5", "5", "5", "", "5", "5", "5"],
]
# score, band, family, community, bb_relationships, bb_environment, bb_engagement,
# bb_emotional_growth, reason -- worked out by hand from the spec.
PCE_EXPECTED = {
    # affirmative: pce1, pce2, pce5, pce7; pce4=8 is an answer scored 0, not missing
    "r1": ["4", "3-5", "3", "1", "2", "1", "0", "1", ""],
    "r2": ["7", "6-7", "3", "4", "3", "1", "2", "1", ""],
    "r3": ["0", "0-2", "0", "0", "0", "0", "0", "0", ""],
    # every item affirmative except pce4=8
    "r4": ["6", "6-7", "3", "3", "3", "1", "1", "1", ""],
    # blank, 7 and 9 are missing: only outputs whose items are all answered are computed
    "r5": ["", "", "", "", "", "1", "", "1", "missing: pce2, pce3, pce5"],
    # invalid answers: no outputs at all
    "r6": ["", "", "", "", "", "", "", "", "invalid: pce1='abc', pce2=6"],
    # "4.0" is code 4 and " 5 " is code 5; affirmative: pce1, pce2, pce7
    "r7": ["3", "3-5", "3", "0", "1", "1", "0", "1", ""],
    # 8 is only a code of pce4; invalid comes first, then missing
    "r8": ["", "", "", "", "", "", "", "", "invalid: pce7=8; missing: pce1"],
    # a blank pce4 is missing (only 8 means "did not attend")
    "r9": ["", "", "3", "", "3", "1", "", "1", "missing: pce4"],
}


def test_it_scores_hand_checked_pce7_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = pce_file(tmp_path, PCE_ROWS)
    dst = tmp_path / "out.csv"
    rc, out, err = score(capsys, "--instrument", "pce7", src, "-o", dst)
    assert rc == 0, err
    assert out == ""
    header, rows = read_csv(dst)
    assert header == ["id", *PCE_ITEMS, *PCE_OUT]
    assert [row["id"] for row in rows] == [row[0] for row in PCE_ROWS]
    assert by_id(rows, PCE_OUT) == PCE_EXPECTED
    # item columns pass through as they were written, too
    assert [[row[c] for c in ["id", *PCE_ITEMS]] for row in rows] == PCE_ROWS


def test_it_passes_extra_columns_through_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = ["respondent_id", "zip", *PCE_ITEMS, "note", "city", "empty", "code"]
    rows = [
        ["007", "02134", *"5555555", 'Hello, "world"', "Años", "", "NA"],
        ["0", "00501", *"1111111", "a,b,,c", "Peñuelas", "", " padded "],
        ["1e3", "90210", *"4444444", '"', "São Paulo", "", "TRUE"],
    ]
    src = write_csv(tmp_path / "in.csv", header, rows)
    assert '"Hello, ""world"""' in src.read_text(encoding="utf-8")
    dst = tmp_path / "out.csv"
    rc, _, err = score(capsys, "--instrument", "pce7", src, "-o", dst)
    assert rc == 0, err
    out_header, out_rows = read_csv(dst)
    assert out_header == [*header, *PCE_OUT]
    assert [[row[c] for c in header] for row in out_rows] == rows
    assert [row["score"] for row in out_rows] == ["7", "0", "7"]


def test_it_reads_a_header_with_a_utf8_bom(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "bom.csv"
    src.write_bytes(
        b"\xef\xbb\xbfpce1,pce2,pce3,pce4,pce5,pce6,pce7,city\n5,4,2,8,4,3,5,A\xc3\xb1os\n"
    )
    dst = tmp_path / "out.csv"
    rc, _, err = score(capsys, "--instrument", "pce7", src, "-o", dst)
    assert rc == 0, err
    header, rows = read_csv(dst)
    assert header == [*PCE_ITEMS, "city", *PCE_OUT]
    assert [[row[c] for c in PCE_OUT] for row in rows] == [PCE_EXPECTED["r1"]]
    assert rows[0]["city"] == "Años"


def test_it_counts_scored_and_unscored_rows_in_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        ["ok1", *"5555555"],
        ["ok2", *"1111111"],
        ["ok3", *"5558555"],
        ["bad1", "abc", *"555555"],
        ["bad2", "6", "", *"55555"],  # invalid and missing: counted as invalid
        ["miss1", "7", *"555555"],
        ["miss2", "", "9", *"55555"],
    ]
    src = pce_file(tmp_path, rows)
    dst = tmp_path / "out.csv"
    rc, out, err = score(capsys, "--instrument", "pce7", src, "-o", dst)
    assert rc == 0
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == (
        "scored 3 of 7 rows; 4 not scored (2 with invalid answers, 2 with missing answers)"
    )
    assert "  1 x missing: pce1" in lines
    assert "  1 x missing: pce1, pce2" in lines
    assert "  1 x invalid: pce1='abc'" in lines
    assert "  1 x invalid: pce1=6; missing: pce2" in lines
    assert lines[-1] == f"wrote {dst}"
    _, out_rows = read_csv(dst)
    assert len(out_rows) == 7
    assert sum(1 for row in out_rows if row["score"]) == 3


def test_it_reports_a_malformed_line_and_scores_the_other_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(
        "id,pce1,pce2,pce3,pce4,pce5,pce6,pce7\na,5,5,5,5,5,5,5\nb,5,5,5\nc,1,1,1,1,1,1,1\n",
        encoding="utf-8",
    )
    dst = tmp_path / "out.csv"
    rc, _, err = score(capsys, "--instrument", "pce7", src, "-o", dst)
    assert rc == 0
    assert "scored 2 of 2 rows" in err
    assert "1 malformed line(s) skipped" in err
    assert "line 3: expected 8 fields, got 4: 'b,5,5,5'" in err
    _, rows = read_csv(dst)
    assert by_id(rows, ["score", "reason"]) == {"a": ["7", ""], "c": ["0", ""]}


def test_it_writes_the_header_and_no_rows_for_a_header_only_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,pce1,pce2,pce3,pce4,pce5,pce6,pce7\n", encoding="utf-8")
    dst = tmp_path / "out.csv"
    rc, _, err = score(capsys, "--instrument", "pce7", src, "-o", dst)
    assert rc == 0, err
    header, rows = read_csv(dst)
    assert header == ["id", *PCE_ITEMS, *PCE_OUT]
    assert rows == []
    assert "scored 0 of 0 rows" in err


def test_it_writes_the_header_for_a_header_only_file_without_a_final_newline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,pce1,pce2,pce3,pce4,pce5,pce6,pce7", encoding="utf-8")
    dst = tmp_path / "out.csv"
    rc, _, err = score(capsys, "--instrument", "pce7", src, "-o", dst)
    assert rc == 0, err
    header, rows = read_csv(dst)
    assert header == ["id", *PCE_ITEMS, *PCE_OUT]
    assert rows == []


def test_it_passes_multiline_quoted_values_through_in_a_file_larger_than_one_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = "first line\nsecond line\nthird, line\nfourthx line"
    line = "5,5,5,5,5,5,5," + '"' + note + '"'
    n_rows = 9 * (1 << 20) // len(line) + 1  # about 9.4 MB: more than one 8 MiB block
    src = tmp_path / "in.csv"
    src.write_text(
        "pce1,pce2,pce3,pce4,pce5,pce6,pce7,note\n" + "\n".join([line] * n_rows) + "\n",
        encoding="utf-8",
    )
    dst = tmp_path / "out.csv"
    rc, _, err = score(capsys, "--instrument", "pce7", "--no-progress", src, "-o", dst)
    assert rc == 0, err
    assert "malformed" not in err
    _, rows = read_csv(dst)
    assert len(rows) == n_rows
    assert {row["note"] for row in rows} == {note}


# -- other instruments -------------------------------------------------------------------------

# ACEDEPRS..ACEHVSEX, ACEADSAF, ACEADNED
ACE_ROWS = [
    ["a1", "1", "2", "1", "2", "8", "1", "3", "2", "1", "1", "2", "5", "3"],
    ["a2", "2", "2", "2", "2", "2", "1", "1", "2", "1", "1", "1", "4", "4"],
    ["a3", "2", "2", "2", "2", "1", "2", "1", "3", "1", "1", "1", "1", ""],
]


def test_it_scores_ace_brfss_with_and_without_the_emotional_abuse_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(tmp_path / "ace.csv", ["id", *ACE_ITEMS, *ACE_PROTECTIVE], ACE_ROWS)
    default_out = tmp_path / "default.csv"
    strict_out = tmp_path / "strict.csv"
    rc, _, err = score(capsys, "--instrument", "ace_brfss", src, "-o", default_out)
    assert rc == 0, err
    rc, _, err = score(
        capsys,
        "--instrument",
        "ace_brfss",
        "--ace-emotional-abuse",
        "more-than-once",
        src,
        "-o",
        strict_out,
    )
    assert rc == 0, err
    header, default_rows = read_csv(default_out)
    assert header == ["id", *ACE_ITEMS, *ACE_PROTECTIVE, *ACE_OUT]
    # score, band, mental illness, substance use, incarceration, separation, ipv, physical,
    # emotional, sexual, safe adult, basic needs, reason
    assert by_id(default_rows, ACE_OUT) == {
        # DRUGS=1 -> substance use; DIVRC=8 -> not separated; HURT1=3; SWEAR=2; HVSEX=2
        "a1": ["5", "4+", "1", "1", "0", "0", "0", "1", "1", "1", "1", "0", ""],
        # only ACESWEAR=2 (once)
        "a2": ["1", "1", "0", "0", "0", "0", "0", "0", "1", "0", "1", "1", ""],
        # DIVRC=1, PUNCH=2, SWEAR=3; blank optional ACEADNED does not stop the score
        "a3": ["3", "2-3", "0", "0", "0", "1", "1", "0", "1", "0", "0", "", ""],
    }
    _, strict_rows = read_csv(strict_out)
    # "more than once only": ACESWEAR=2 is no longer emotional abuse; ACESWEAR=3 still is
    assert by_id(strict_rows, ACE_OUT) == {
        "a1": ["4", "4+", "1", "1", "0", "0", "0", "1", "0", "1", "1", "0", ""],
        "a2": ["0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1", "1", ""],
        "a3": ["3", "2-3", "0", "0", "0", "1", "1", "0", "1", "0", "0", "", ""],
    }


def test_it_scores_ace_brfss_without_the_optional_protective_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [row[:12] for row in ACE_ROWS]
    src = write_csv(tmp_path / "ace.csv", ["id", *ACE_ITEMS], rows)
    dst = tmp_path / "out.csv"
    rc, _, err = score(capsys, "--instrument", "ace_brfss", src, "-o", dst)
    assert rc == 0, err
    header, out_rows = read_csv(dst)
    assert header == ["id", *ACE_ITEMS, *ACE_OUT]
    assert by_id(out_rows, ["score", "band", "protective_safe_adult", "reason"]) == {
        "a1": ["5", "4+", "", ""],
        "a2": ["1", "1", "", ""],
        "a3": ["3", "2-3", "", ""],
    }


def test_it_refuses_the_emotional_abuse_option_for_pce7(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = pce_file(tmp_path, [["r1", *"5555555"]])
    dst = tmp_path / "out.csv"
    rc, out, err = score(
        capsys, "--instrument", "pce7", "--ace-emotional-abuse", "more-than-once", src, "-o", dst
    )
    assert_refused(rc, out, err)
    assert "--ace-emotional-abuse" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_it_writes_nsch_flourishing_as_true_or_false(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = ["K6Q70_R", "K6Q73_R", "K6Q71_R", "K6Q72_R"]
    rows = [
        ["f1", "1", "2", "1", "2"],
        ["f2", "1", "3", "1", "1"],
        ["f3", "4", "4", "4", "4"],
        ["f4", "1", "1", "1", "7"],
    ]
    src = write_csv(tmp_path / "in.csv", ["id", *items], rows)
    dst = tmp_path / "out.csv"
    rc, _, err = score(capsys, "--instrument", "nsch_flourishing_0_5", src, "-o", dst)
    assert rc == 0, err
    columns = [
        "score",
        "flourishing",
        "bb_relationships",
        "bb_engagement",
        "bb_emotional_growth",
        "reason",
    ]
    header, out_rows = read_csv(dst)
    assert header == ["id", *items, *columns]
    # met = 1 (always) or 2 (usually); emotional growth = K6Q72_R and K6Q73_R
    assert by_id(out_rows, columns) == {
        "f1": ["4", "true", "1", "1", "2", ""],
        "f2": ["3", "false", "1", "1", "1", ""],
        "f3": ["0", "false", "0", "0", "0", ""],
        "f4": ["", "", "1", "1", "", "missing: K6Q72_R"],
    }


def test_it_writes_the_nsch_family_resilience_band_and_resilient_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = ["TALKABOUT", "WKTOSOLVE", "STRENGTHS", "HOPEFUL"]
    rows = [
        ["g1", "1", "2", "1", "2"],
        ["g2", "1", "3", "2", "4"],
        ["g3", "3", "4", "4", "1"],
        ["g4", "1", "1", "1", "3"],
        ["g5", "4", "4", "4", "4"],
    ]
    src = write_csv(tmp_path / "in.csv", ["id", *items], rows)
    dst = tmp_path / "out.csv"
    rc, _, err = score(capsys, "--instrument", "nsch_family_resilience", src, "-o", dst)
    assert rc == 0, err
    columns = ["score", "band", "resilient", "bb_relationships", "bb_emotional_growth", "reason"]
    header, out_rows = read_csv(dst)
    assert header == ["id", *items, *columns]
    assert by_id(out_rows, columns) == {
        "g1": ["4", "4", "true", "2", "2", ""],
        "g2": ["2", "2-3", "false", "1", "1", ""],
        "g3": ["1", "0-1", "false", "0", "1", ""],
        "g4": ["3", "2-3", "false", "2", "1", ""],
        "g5": ["0", "0-1", "false", "0", "0", ""],
    }


# -- XLSX --------------------------------------------------------------------------------------

XLSX_HEADER = ["id", *PCE_ITEMS, "visit"]
XLSX_ROWS: list[list[object]] = [
    ["a", 5, 4.0, 2, 8, 4, 3, 5, dt.date(2024, 1, 2)],
    ["b", "abc", 6, 9, 4, 4, 4, 4, dt.datetime(2024, 1, 2, 13, 45)],  # noqa: DTZ001
    ["c", " 5 ", "4.0", None, 8, 4, 3, 5, None],
    ["d", 4.5, 5, 5, 5, 5, 5, 5, "not a date"],
    ["e", 5, 5, 5, 5.0, 5, 5, 5.0, dt.date(2023, 12, 31)],
]


def _as_csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    return str(value)


def test_it_scores_an_xlsx_file_like_the_same_data_in_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "answers"
    sheet.append(XLSX_HEADER)
    for row in XLSX_ROWS:
        sheet.append(row)
    xlsx = tmp_path / "in.xlsx"
    book.save(xlsx)
    src_csv = write_csv(
        tmp_path / "in.csv", XLSX_HEADER, [[_as_csv_text(v) for v in row] for row in XLSX_ROWS]
    )
    assert "4.0" in src_csv.read_text(encoding="utf-8")

    rc, _, err = score(capsys, "--instrument", "pce7", xlsx, "-o", tmp_path / "from_xlsx.csv")
    assert rc == 0, err
    rc, _, err = score(capsys, "--instrument", "pce7", src_csv, "-o", tmp_path / "from_csv.csv")
    assert rc == 0, err
    header_x, rows_x = read_csv(tmp_path / "from_xlsx.csv")
    header_c, rows_c = read_csv(tmp_path / "from_csv.csv")
    assert header_x == header_c == [*XLSX_HEADER, *PCE_OUT]
    assert by_id(rows_x, PCE_OUT) == by_id(rows_c, PCE_OUT)
    assert by_id(rows_x, PCE_OUT) == {
        "a": PCE_EXPECTED["r1"],
        "b": ["", "", "", "", "", "", "", "", "invalid: pce1='abc', pce2=6; missing: pce3"],
        "c": ["", "", "3", "", "2", "1", "", "1", "missing: pce3"],
        "d": ["", "", "", "", "", "", "", "", "invalid: pce1='4.5'"],
        "e": PCE_EXPECTED["r2"],
    }
    # the extra date column is passed through as text, not dropped
    assert [row["visit"][:10] for row in rows_x] == [
        "2024-01-02",
        "2024-01-02",
        "",
        "not a date",
        "2023-12-31",
    ]


def test_it_refuses_a_sheet_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "answers"
    sheet.append(PCE_ITEMS)
    sheet.append([5] * 7)
    xlsx = tmp_path / "in.xlsx"
    book.save(xlsx)
    dst = tmp_path / "out.csv"
    rc, out, err = score(capsys, "--instrument", "pce7", "--sheet", "Sheet9", xlsx, "-o", dst)
    assert_refused(rc, out, err)
    assert "'Sheet9'" in err
    assert "answers" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx"]


def test_it_reports_xlsx_cells_right_of_the_last_named_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*PCE_ITEMS, None])
    sheet.append([5, 5, 5, 5, 5, 5, 5, "stray note"])
    sheet.append([1, 1, 1, 1, 1, 1, 1, None])
    xlsx = tmp_path / "in.xlsx"
    book.save(xlsx)
    dst = tmp_path / "out.csv"
    rc, _, err = score(capsys, "--instrument", "pce7", xlsx, "-o", dst)
    assert rc == 0
    assert "1 non-empty cell(s) right of the last named column were ignored" in err
    header, rows = read_csv(dst)
    assert header == PCE_ITEMS + PCE_OUT
    assert [r["score"] for r in rows] == ["7", "0"]


# -- errors: exit 2, one line, no output file ----------------------------------------------------


def test_it_refuses_an_unknown_instrument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = pce_file(tmp_path, [["r1", *"5555555"]])
    rc, out, err = score(capsys, "--instrument", "nope", src, "-o", tmp_path / "out.csv")
    assert_refused(rc, out, err)
    assert "'nope'" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_it_names_missing_required_columns_and_leaves_no_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = ["id", "pce1", "pce2", "pce4", "pce5", "pce7"]
    src = write_csv(tmp_path / "in.csv", header, [["r1", "5", "5", "5", "5", "5"]])
    rc, out, err = score(capsys, "--instrument", "pce7", src, "-o", tmp_path / "out.csv")
    assert_refused(rc, out, err)
    assert "missing required column(s) for pce7: pce3, pce6" in err
    # no output, no partial output, no temporary file left in the folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_it_refuses_an_input_that_already_has_a_score_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(tmp_path / "in.csv", [*PCE_ITEMS, "score"], [[*"5555555", "99"]])
    rc, out, err = score(capsys, "--instrument", "pce7", src, "-o", tmp_path / "out.csv")
    assert_refused(rc, out, err)
    assert "score" in err.removeprefix("hopeful: error: ").replace(str(src), "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_it_refuses_an_output_path_that_is_not_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = pce_file(tmp_path, [["r1", *"5555555"]])
    rc, out, err = score(capsys, "--instrument", "pce7", src, "-o", tmp_path / "out.txt")
    assert_refused(rc, out, err)
    assert ".csv" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_it_refuses_an_input_file_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = score(
        capsys, "--instrument", "pce7", tmp_path / "absent.csv", "-o", tmp_path / "out.csv"
    )
    assert_refused(rc, out, err)
    assert "absent.csv" in err
    assert list(tmp_path.iterdir()) == []


def test_it_refuses_latin1_text_with_an_encoding_hint_and_reads_it_with_encoding_latin1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(
        tmp_path / "in.csv", ["id", *PCE_ITEMS, "city"], [["r1", *"5555555", "Años"]], "latin-1"
    )
    assert b"A\xf1os" in src.read_bytes()
    dst = tmp_path / "out.csv"
    rc, out, err = score(capsys, "--instrument", "pce7", src, "-o", dst)
    assert_refused(rc, out, err)
    assert "--encoding" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]

    rc, _, err = score(capsys, "--instrument", "pce7", "--encoding", "latin-1", src, "-o", dst)
    assert rc == 0, err
    _, rows = read_csv(dst)  # the output is UTF-8
    assert [(row["city"], row["score"]) for row in rows] == [("Años", "7")]


def test_it_hints_at_encoding_when_the_first_non_utf8_byte_is_far_into_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["r", *"5555555", "Madrid"]] * 80_000 + [["r", *"5555555", "Años"]]
    src = write_csv(tmp_path / "in.csv", ["id", *PCE_ITEMS, "city"], rows, "latin-1")
    assert src.stat().st_size > 1 << 20
    rc, _, err = score(capsys, "--instrument", "pce7", src, "-o", tmp_path / "out.csv")
    assert rc == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    assert_one_line_error(err)
    assert "--encoding" in err


# -- the installed command, in a real process --------------------------------------------------


def test_it_runs_as_the_installed_hopeful_command(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "hopeful"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "hopeful.cli"]
    src = pce_file(tmp_path, PCE_ROWS)
    dst = tmp_path / "out.csv"
    done = subprocess.run(
        [*command, "score", "--instrument", "pce7", str(src), "-o", str(dst)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines()[0] == (
        "scored 5 of 9 rows; 4 not scored (2 with invalid answers, 2 with missing answers)"
    )
    _, rows = read_csv(dst)
    assert by_id(rows, PCE_OUT) == PCE_EXPECTED

    failed = subprocess.run(
        [*command, "score", "--instrument", "pce7", str(tmp_path / "no.csv"), "-o", "x.csv"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert failed.returncode == 2
    assert_one_line_error(failed.stderr)
    assert not (tmp_path / "x.csv").exists()


def test_it_shows_a_progress_bar_when_asked_and_none_when_told_not_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = pce_file(tmp_path, [["r1", *"5555555"], ["r2", *"1111111"]])
    rc, _, err = score(capsys, "--instrument", "pce7", "--progress", src, "-o", tmp_path / "a.csv")
    assert rc == 0
    assert "scoring:" in err  # the bar's label
    rc, _, err = score(
        capsys, "--instrument", "pce7", "--no-progress", src, "-o", tmp_path / "b.csv"
    )
    assert rc == 0
    assert "scoring:" not in err
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
