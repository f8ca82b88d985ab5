"""Small synthetic labelled survey files in every format HOPEful reads.

The data are made up (a seeded numpy RNG) with BRFSS-like names and codes: 7/9 and 77/99 are
"don't know"/"refused" codes that stay numbers until a spec declares them missing. The design
columns drop BRFSS's leading underscore (``_LLCPWT`` -> ``LLCPWT``) because SPSS names must
begin with a letter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest

DATA = Path(__file__).parent / "data"
SAS_DATA = DATA / "test_data_linux.sas7bdat"
SAS_CATALOGUE = DATA / "test_formats_linux.sas7bcat"
SAS_SPECIAL_MISSING = DATA / "missing_test.sas7bdat"

ROWS = 40

VARIABLE_LABELS = {
    "SEXVAR": "Sex of respondent",
    "GENHLTH": "General health",
    "MENTHLTH": "Number of days mental health not good",
    "STSTR": "Sample design stratification variable",
    "PSU": "Primary sampling unit",
    "LLCPWT": "Final weight",
}

VALUE_LABELS: dict[str, dict[float | int | str, str]] = {
    "SEXVAR": {1: "Male", 2: "Female"},
    "GENHLTH": {
        1: "Excellent",
        2: "Very good",
        3: "Good",
        4: "Fair",
        5: "Poor",
        7: "Don't know/Not sure",
        9: "Refused",
    },
    "MENTHLTH": {88: "None", 77: "Don't know/Not sure", 99: "Refused"},
}


def brfss_like(rows: int = ROWS, seed: int = 18) -> pd.DataFrame:
    """A BRFSS-shaped frame with codes, weights and a stratified cluster design."""
    rng = np.random.default_rng(seed)
    genhlth = rng.choice([1, 2, 3, 4, 5, 7, 9], size=rows)
    menthlth = rng.choice([1, 2, 5, 14, 30, 88, 77, 99], size=rows)
    genhlth[:2] = [7, 9]  # every file has both "don't know" and "refused"
    menthlth[:2] = [77, 99]
    return pd.DataFrame(
        {
            "SEXVAR": rng.choice([1, 2], size=rows).astype("float64"),
            "GENHLTH": genhlth.astype("float64"),
            "MENTHLTH": menthlth.astype("float64"),
            "STSTR": np.repeat([11011.0, 11012.0], rows // 2),
            "PSU": np.arange(1, rows + 1, dtype="float64"),
            "LLCPWT": rng.uniform(50, 900, size=rows).round(4),
        }
    )


def write_parquet_with_labels(
    frame: pd.DataFrame,
    path: Path,
    variable_labels: dict[str, str],
    value_labels: dict[str, dict[float | int | str, str]],
) -> None:
    """Parquet with HOPEful's label convention: field metadata ``label`` and ``value_labels``."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for field in table.schema:
        metadata: dict[bytes, bytes] = {}
        if variable_labels.get(field.name):
            metadata[b"label"] = variable_labels[field.name].encode("utf-8")
        if field.name in value_labels:
            pairs = [[code, label] for code, label in value_labels[field.name].items()]
            metadata[b"value_labels"] = json.dumps(pairs).encode("utf-8")
        fields.append(field.with_metadata(metadata) if metadata else field)
    pq.write_table(table.cast(pa.schema(fields, metadata=table.schema.metadata)), path)


Writer = Callable[[str], Path]


@pytest.fixture
def survey_frame() -> pd.DataFrame:
    return brfss_like()


@pytest.fixture
def write_survey(tmp_path: Path, survey_frame: pd.DataFrame) -> Writer:
    """``write_survey("sav")`` writes the synthetic survey as a labelled file and returns it.

    Formats: ``sav``, ``zsav``, ``dta``, ``xpt`` (variable labels only: value labels of a SAS
    file live in a format catalogue), ``csv`` (no labels), ``parquet`` (labels in field
    metadata), ``parquet-plain`` (no labels).
    """

    def write(fmt: str) -> Path:
        frame = survey_frame
        column_labels: dict[str, str | None] = dict(VARIABLE_LABELS)
        if fmt in {"sav", "zsav"}:
            path = tmp_path / f"survey.{fmt}"
            pyreadstat.write_sav(
                frame,
                path,
                column_labels=column_labels,
                variable_value_labels=VALUE_LABELS,  # type: ignore[arg-type]
                compress=fmt == "zsav",
            )
        elif fmt == "dta":
            path = tmp_path / "survey.dta"
            pyreadstat.write_dta(
                frame,
                path,
                column_labels=column_labels,
                variable_value_labels=VALUE_LABELS,  # type: ignore[arg-type]
            )
        elif fmt == "xpt":
            path = tmp_path / "LLCP2022.XPT"
            pyreadstat.write_xport(frame, path, column_labels=column_labels, table_name="LLCP")
        elif fmt == "csv":
            path = tmp_path / "survey.csv"
            frame.to_csv(path, index=False)
        elif fmt == "parquet":
            path = tmp_path / "survey.parquet"
            write_parquet_with_labels(frame, path, VARIABLE_LABELS, VALUE_LABELS)
        elif fmt == "parquet-plain":
            path = tmp_path / "plain.parquet"
            frame.to_parquet(path, index=False)
        else:
            raise AssertionError(f"no writer for {fmt}")
        return path

    return write
