"""Reading survey files with their labels: every format round-trips, bad input gets a clear error."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from hopeful.research import LabelledTable, ReadError, apply_missing, label_of, read_table
from tests.research.conftest import (
    SAS_CATALOGUE,
    SAS_DATA,
    SAS_SPECIAL_MISSING,
    VALUE_LABELS,
    VARIABLE_LABELS,
    Writer,
)

NO_LABELS = dict.fromkeys(VARIABLE_LABELS, "")


def assert_same_values(table: LabelledTable, expected: pd.DataFrame) -> None:
    assert list(table.frame.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(
        table.frame.astype("float64"), expected.astype("float64"), check_exact=True
    )


# -- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "name"), [("sav", "sav"), ("zsav", "sav"), ("dta", "dta")])
def test_it_reads_back_spss_and_stata_files_with_values_and_both_kinds_of_labels(
    write_survey: Writer, survey_frame: pd.DataFrame, fmt: str, name: str
) -> None:
    path = write_survey(fmt)

    table = read_table(path)

    assert table.format == name
    assert_same_values(table, survey_frame)
    assert table.variable_labels == VARIABLE_LABELS
    assert table.value_labels == VALUE_LABELS
    assert table.path == path


def test_it_reads_back_a_sas_transport_file_with_its_variable_labels(
    write_survey: Writer, survey_frame: pd.DataFrame
) -> None:
    table = read_table(write_survey("xpt"))

    assert table.format == "xpt"
    assert_same_values(table, survey_frame)
    assert table.variable_labels == VARIABLE_LABELS
    assert table.value_labels == {}  # a transport file keeps only format names


def test_it_takes_a_sas_transport_files_value_labels_from_a_format_catalogue(
    tmp_path: Path,
) -> None:
    # the catalogue is SAS-made test data; the transport file names its formats
    frame = pd.DataFrame({"SEXA": ["1", "2", "1"], "SEXB": ["2", "2", "1"], "AGE": [30, 41, 52]})
    path = tmp_path / "sexes.xpt"
    pyreadstat.write_xport(
        frame,
        path,
        column_labels={"SEXA": "Sex, format A", "SEXB": "Sex, format B"},
        variable_format={"SEXA": "$A.", "SEXB": "$B."},
    )

    table = read_table(path, labels=SAS_CATALOGUE)

    assert table.frame["SEXA"].tolist() == ["1", "2", "1"]
    assert table.variable_labels == {"SEXA": "Sex, format A", "SEXB": "Sex, format B", "AGE": ""}
    assert table.value_labels == {
        "SEXA": {"1": "Male", "2": "Female"},
        "SEXB": {"1": "Male", "2": "Female"},
    }
    assert label_of(table, "SEXB", "2") == "Female"


def test_it_matches_a_format_with_a_width_to_its_catalogue_entry(tmp_path: Path) -> None:
    path = tmp_path / "width.xpt"
    frame = pd.DataFrame({"SEXA": ["1", "2"]})
    pyreadstat.write_xport(frame, path, variable_format={"SEXA": "$A8."})

    table = read_table(path, labels=SAS_CATALOGUE)

    assert table.value_labels == {"SEXA": {"1": "Male", "2": "Female"}}


def test_it_reads_a_sas7bdat_file_made_by_sas_with_labels_from_its_catalogue() -> None:
    table = read_table(SAS_DATA, labels=SAS_CATALOGUE)

    assert table.format == "sas7bdat"
    assert table.frame.to_dict("list") == {
        "ID": ["ID1", "ID2", "ID3"],
        "SEXA": ["1", "2", "1"],  # codes as stored, not the labels
        "SEXB": ["1", "2", "1"],
    }
    assert table.variable_labels == {"ID": "", "SEXA": "", "SEXB": ""}
    assert table.value_labels["SEXA"] == {"1": "Male", "2": "Female"}
    assert [label_of(table, "SEXA", v) for v in table.frame["SEXA"]] == ["Male", "Female", "Male"]


def test_it_reads_a_sas7bdat_file_without_a_catalogue_as_codes_without_value_labels() -> None:
    table = read_table(SAS_DATA)

    assert table.frame["SEXA"].tolist() == ["1", "2", "1"]
    assert table.value_labels == {}


def test_it_reads_sas_special_missing_values_as_nan() -> None:
    table = read_table(SAS_SPECIAL_MISSING)

    row = table.frame.iloc[0]
    assert all(math.isnan(row[f"var{i}"]) for i in range(1, 9))  # .A .B .C .X .Y .Z ._ .
    assert row["var9"] == 1


def test_it_reads_back_a_csv_file_with_its_values_and_no_labels(
    write_survey: Writer, survey_frame: pd.DataFrame
) -> None:
    table = read_table(write_survey("csv"))

    assert table.format == "csv"
    assert_same_values(table, survey_frame)
    assert table.variable_labels == NO_LABELS
    assert table.value_labels == {}


def test_it_reads_back_a_parquet_file_with_the_labels_in_its_column_metadata(
    write_survey: Writer, survey_frame: pd.DataFrame
) -> None:
    table = read_table(write_survey("parquet"))

    assert table.format == "parquet"
    assert_same_values(table, survey_frame)
    assert table.variable_labels == VARIABLE_LABELS
    assert table.value_labels == VALUE_LABELS


def test_it_reads_a_parquet_file_without_label_metadata_as_unlabelled(
    write_survey: Writer, survey_frame: pd.DataFrame
) -> None:
    table = read_table(write_survey("parquet-plain"))

    assert_same_values(table, survey_frame)
    assert table.variable_labels == NO_LABELS
    assert table.value_labels == {}


def test_it_reads_parquet_value_labels_written_as_a_json_object(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    field = pa.field("SEX", pa.int64(), metadata={b"value_labels": b'{"1": "Male", "2": "Female"}'})
    path = tmp_path / "sex.pq"
    pq.write_table(pa.table({"SEX": [1, 2]}, schema=pa.schema([field])), path)

    assert read_table(path).value_labels == {"SEX": {1: "Male", 2: "Female"}}


def test_it_records_the_sha256_of_the_files_bytes(write_survey: Writer) -> None:
    path = write_survey("sav")

    assert read_table(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_it_reads_an_upper_case_suffix_like_brfss_ships(
    write_survey: Writer, tmp_path: Path
) -> None:
    upper = tmp_path / "SURVEY.SAV"
    write_survey("sav").rename(upper)

    assert read_table(upper).format == "sav"


def test_it_reads_a_transport_file_named_with_a_trailing_space_as_brfss_ships_it(
    write_survey: Writer, tmp_path: Path
) -> None:
    spaced = tmp_path / "LLCP2022.XPT "
    write_survey("xpt").rename(spaced)

    assert read_table(spaced, columns=["SEXVAR"]).format == "xpt"


def test_it_reads_only_the_columns_asked_for_in_that_order(write_survey: Writer) -> None:
    for fmt in ["sav", "dta", "xpt", "csv", "parquet"]:
        table = read_table(write_survey(fmt), columns=["GENHLTH", "SEXVAR"])

        assert list(table.frame.columns) == ["GENHLTH", "SEXVAR"], fmt
        assert set(table.variable_labels) == {"GENHLTH", "SEXVAR"}, fmt
        assert set(table.value_labels) <= {"GENHLTH", "SEXVAR"}, fmt


# -- missing codes ------------------------------------------------------------------------------


def test_it_keeps_missing_codes_as_numbers_until_the_spec_declares_them(
    write_survey: Writer,
) -> None:
    table = read_table(write_survey("sav"))
    assert {7.0, 9.0} <= set(table.frame["GENHLTH"])

    cleaned = apply_missing(table, {"GENHLTH": [7, 9], "MENTHLTH": [77, 99]})

    assert not {7.0, 9.0} & set(cleaned.frame["GENHLTH"].dropna())
    assert cleaned.frame["GENHLTH"].isna().sum() == table.frame["GENHLTH"].isin([7, 9]).sum()
    assert cleaned.frame["MENTHLTH"].isna().sum() == table.frame["MENTHLTH"].isin([77, 99]).sum()
    assert cleaned.frame["SEXVAR"].equals(table.frame["SEXVAR"])
    assert {7.0, 9.0} <= set(table.frame["GENHLTH"])  # the original table is unchanged
    assert cleaned.value_labels == table.value_labels
    assert cleaned.sha256 == table.sha256


def test_it_keeps_spss_declared_user_missing_values_as_numbers(tmp_path: Path) -> None:
    path = tmp_path / "declared.sav"
    frame = pd.DataFrame({"ACEDEPRS": [1.0, 2.0, 7.0, 9.0, np.nan]})
    pyreadstat.write_sav(frame, path, missing_ranges={"ACEDEPRS": [7, 9]})

    table = read_table(path)

    assert table.frame["ACEDEPRS"].tolist()[:4] == [1.0, 2.0, 7.0, 9.0]
    assert math.isnan(table.frame["ACEDEPRS"].iloc[4])  # system missing is NaN


def test_it_reads_stata_system_missing_as_nan(tmp_path: Path) -> None:
    path = tmp_path / "gaps.dta"
    pyreadstat.write_dta(pd.DataFrame({"X": [1.0, np.nan, 3.0]}), path)

    assert read_table(path).frame["X"].isna().tolist() == [False, True, False]


def test_it_applies_missing_codes_to_integer_and_text_columns(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    pd.DataFrame({"N": [1, 7, 9], "S": ["a", "7", "x"]}).to_csv(path, index=False)
    table = read_table(path)

    cleaned = apply_missing(table, {"N": [7, 9], "S": [7, "x"]})

    assert cleaned.frame["N"].isna().tolist() == [False, True, True]
    assert cleaned.frame["S"].isna().tolist() == [False, True, True]


def test_it_labels_values_and_falls_back_to_the_value_as_text(write_survey: Writer) -> None:
    table = read_table(write_survey("dta"))

    assert label_of(table, "GENHLTH", 9.0) == "Refused"
    assert label_of(table, "GENHLTH", 9) == "Refused"
    assert label_of(table, "GENHLTH", 6.0) == "6"
    assert label_of(table, "LLCPWT", 12.5) == "12.5"
    assert label_of(table, "GENHLTH", float("nan")) == ""


# -- clear errors -------------------------------------------------------------------------------


def test_a_file_with_an_unknown_suffix_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "survey.xlsx"
    path.write_bytes(b"not read")

    with pytest.raises(ReadError, match=r"survey\.xlsx: unknown file type .*'\.xlsx'.*\.xpt"):
        read_table(path)


def test_a_missing_file_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"LLCP2022\.XPT: no such file"):
        read_table(tmp_path / "LLCP2022.XPT")


def test_a_truncated_spss_file_is_refused_by_name(write_survey: Writer) -> None:
    path = write_survey("sav")
    path.write_bytes(path.read_bytes()[:300])
    before = sorted(path.parent.iterdir())

    with pytest.raises(ReadError, match=r"survey\.sav: cannot read this as a \.sav file"):
        read_table(path)
    assert sorted(path.parent.iterdir()) == before  # nothing written beside it


@pytest.mark.parametrize("fmt", ["dta", "xpt", "parquet"])
def test_a_corrupt_file_is_refused_by_name(write_survey: Writer, fmt: str) -> None:
    path = write_survey(fmt)
    path.write_bytes(b"\x00garbage" * 20)

    with pytest.raises(ReadError, match=rf"{path.name}: cannot read this as a \.{fmt} file"):
        read_table(path)


def test_an_empty_csv_file_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")

    with pytest.raises(ReadError, match=r"empty\.csv: cannot read this as a \.csv file"):
        read_table(path)


def test_a_bad_column_name_is_refused_with_near_matches(write_survey: Writer) -> None:
    path = write_survey("xpt")

    with pytest.raises(ReadError, match=r"no column 'sexvar'; did you mean 'SEXVAR'\?"):
        read_table(path, columns=["sexvar"])
    with pytest.raises(ReadError, match=r"no column 'GENHLT'; did you mean 'GENHLTH'"):
        read_table(path, columns=["SEXVAR", "GENHLT"])
    with pytest.raises(ReadError, match=r"no column 'zzz' \(6 columns in the file\)"):
        read_table(path, columns=["zzz"])


def test_a_bad_column_list_is_refused(write_survey: Writer) -> None:
    with pytest.raises(ReadError, match="columns must be a list of names"):
        read_table(write_survey("csv"), columns="SEXVAR")
    with pytest.raises(ReadError, match="columns is empty"):
        read_table(write_survey("csv"), columns=[])


def test_a_format_catalogue_for_a_non_sas_file_is_refused(write_survey: Writer) -> None:
    with pytest.raises(ReadError, match=r"only labels SAS files"):
        read_table(write_survey("sav"), labels=SAS_CATALOGUE)


def test_a_missing_format_catalogue_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"formats\.sas7bcat: no such format catalogue"):
        read_table(SAS_DATA, labels=tmp_path / "formats.sas7bcat")


def test_a_corrupt_format_catalogue_is_refused_by_name(tmp_path: Path) -> None:
    catalogue = tmp_path / "broken.sas7bcat"
    catalogue.write_bytes(b"\x00" * 64)

    with pytest.raises(ReadError, match=r"broken\.sas7bcat: cannot read this format catalogue"):
        read_table(SAS_DATA, labels=catalogue)


def test_bad_parquet_value_labels_are_refused_by_column(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    field = pa.field("SEX", pa.int64(), metadata={b"value_labels": b"{not json"})
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"SEX": [1, 2]}, schema=pa.schema([field])), path)

    with pytest.raises(ReadError, match=r"value labels of column 'SEX' .* are not JSON"):
        read_table(path)


def test_missing_codes_for_an_unknown_column_are_refused_and_change_nothing(
    write_survey: Writer,
) -> None:
    table = read_table(write_survey("sav"))
    before = table.frame.copy()

    with pytest.raises(ReadError, match=r"missing codes for no column 'GENHLT'; did you mean"):
        apply_missing(table, {"SEXVAR": [9], "GENHLT": [7, 9]})
    pd.testing.assert_frame_equal(table.frame, before)


def test_a_text_missing_code_for_a_numeric_column_is_refused(write_survey: Writer) -> None:
    table = read_table(write_survey("sav"))

    with pytest.raises(ReadError, match=r"'GENHLTH' holds numbers.*'7' must be a number"):
        apply_missing(table, {"GENHLTH": ["7"]})
    with pytest.raises(ReadError, match=r"missing codes for 'GENHLTH' must be a list"):
        apply_missing(table, {"GENHLTH": 7})  # type: ignore[dict-item]


def test_a_label_asked_for_an_unknown_column_is_refused(write_survey: Writer) -> None:
    table = read_table(write_survey("csv"))

    with pytest.raises(ReadError, match=r"label of no column 'SEX'; did you mean 'SEXVAR'"):
        label_of(table, "SEX", 1)
