"""``[data] stream = true``: a spec's means, totals and proportions from a Parquet file read a
batch at a time equal the same spec run in memory; what cannot be streamed is refused at its
line."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import hopeful.research.run as run
from hopeful.research.io import PARQUET_LABEL_KEY, PARQUET_VALUE_LABELS_KEY
from hopeful.research.run import analyze
from hopeful.research.run_stream import stream_spec
from hopeful.research.spec import SpecError, parse_spec
from tests.research.brfss import RECODES, STRATA_PSU, VALUE_LABELS, brfss_frame, line_of

ESTIMATES = """
[[estimate]]
id = "dep_by_band_sex"
kind = "proportion"
variable = "depressed"
by = ["pce_band", "SEXVAR"]

[[estimate]]
id = "dep_level"
kind = "proportion"
variable = "ADDEPEV3"
by = "SEXVAR"
ci = "logit"

[[estimate]]
id = "score_mean"
kind = "mean"
variable = "pce_score"
by = ["_AGEG5YR"]
level = 0.9

[[estimate]]
id = "dep_total"
kind = "total"
variable = "depressed"
"""


def _data(stream: bool, extra: str = "") -> str:
    return (
        f'[data]\npath = "brfss.parquet"\nstream = {str(stream).lower()}\n{extra}\n'
        "[data.missing]\nADDEPEV3 = [7, 9]\n"
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The BRFSS-like frame as Parquet in row groups of 250 rows, with labels in metadata."""
    frame = brfss_frame(rows=3000)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for field in table.schema:
        meta = {PARQUET_LABEL_KEY: b"Sex of respondent"} if field.name == "SEXVAR" else {}
        if field.name in VALUE_LABELS:
            labels = {str(k): v for k, v in VALUE_LABELS[field.name].items()}
            meta[PARQUET_VALUE_LABELS_KEY] = json.dumps(labels).encode()
        fields.append(field.with_metadata(meta))
    table = table.cast(pa.schema(fields))
    folder = tmp_path_factory.mktemp("stream_spec")
    pq.write_table(table, folder / "brfss.parquet", row_group_size=250)
    return folder


def _run(folder: Path, text: str) -> tuple[pd.DataFrame, dict[str, object]]:
    results = analyze(parse_spec(text, folder / "spec.toml"))
    return results.estimates, dict(results.provenance)


def _spec(stream: bool, design: str = STRATA_PSU) -> str:
    return _data(stream) + design + RECODES + ESTIMATES


@pytest.mark.parametrize(
    "design",
    [
        STRATA_PSU,
        STRATA_PSU.replace('lonely_psu = "adjust"', 'lonely_psu = "certainty"'),
        '\n[design]\nweights = "_LLCPWT"\n',
    ],
    ids=["strata-psu", "certainty", "weights-only"],
)
def test_streamed_rows_equal_in_memory(
    folder: Path, design: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches = []
    real = pq.ParquetFile.iter_batches

    def counted(self: pq.ParquetFile, *args: object, **kwargs: object) -> object:
        for batch in real(self, *args, **kwargs):  # type: ignore[arg-type]  # pyarrow's own
            batches.append(batch.schema.names)
            yield batch

    # 140 rows a batch: batches cross the 250-row groups; only the needed columns are read.
    monkeypatch.setattr(run, "stream_spec", functools.partial(stream_spec, batch_rows=140))
    monkeypatch.setattr(pq.ParquetFile, "iter_batches", counted)
    got, provenance = _run(folder, _spec(True, design))
    want, memory = _run(folder, _spec(False, design))
    assert provenance["stream"] is True
    assert "stream" not in memory
    assert len(batches) >= 3000 // 140  # the stream path read batches, the other did not
    assert "WTKG3" not in batches[0]
    assert "_LLCPWT" in batches[0]
    assert provenance["rows"] == memory["rows"] == 3000
    assert provenance["data_sha256"] == memory["data_sha256"]
    text = ["id", "kind", "variable", "domain", "level", "flags"]
    pd.testing.assert_frame_equal(got[text], want[text])
    assert got["n"].tolist() == want["n"].tolist()
    numbers = ["estimate", "se", "ci_low", "ci_high", "df", "deff"]
    np.testing.assert_allclose(
        got[numbers].to_numpy(float), want[numbers].to_numpy(float), rtol=1e-10, atol=1e-12
    )


def test_recodes_labels_and_missing_codes_applied(folder: Path) -> None:
    got, _ = _run(folder, _spec(True))
    band = got[got["id"] == "dep_by_band_sex"]
    assert set(band["domain"]) == {
        f"pce_band={b}; SEXVAR={s}" for b in ("0-2", "3-5", "6-7") for s in ("Male", "Female")
    }
    levels = set(got.loc[got["id"] == "dep_level", "level"])
    assert levels == {"Yes", "No"}  # 7 and 9 declared missing, never a level
    # By hand: the weighted total of depressed (1 yes / 2 no, 7 and 9 missing).
    frame = brfss_frame(rows=3000)
    depressed = frame["ADDEPEV3"].map({1.0: 1.0, 2.0: 0.0})
    total = float((frame["_LLCPWT"] * depressed).sum())
    assert got.loc[got["id"] == "dep_total", "estimate"].item() == pytest.approx(total, rel=1e-12)


REFUSED = [
    ('[[estimate]]\nid = "q"\nkind = "quantile"\nvariable = "WTKG3"\n', 'kind = "quantile"'),
    (
        '[[estimate]]\nid = "r"\nkind = "ratio"\nvariable = "CHILDREN"\ndenominator = "NUMADULT"\n',
        'kind = "ratio"',
    ),
    ('[[model]]\nid = "m"\nformula = "depressed ~ SEXVAR"\nfamily = "binomial"\n', "[[model]]"),
    ('[[test]]\nid = "t"\nkind = "chisq"\nrow = "depressed"\ncol = "SEXVAR"\n', "[[test]]"),
    (
        '[calibrate]\nmethod = "raking"\nmargins = { SEXVAR = { 1 = 100, 2 = 120 } }\n',
        "[calibrate]",
    ),
]


@pytest.mark.parametrize(
    ("extra", "needle"), REFUSED, ids=["quantile", "ratio", "model", "test", "calibrate"]
)
def test_refused_at_its_line(extra: str, needle: str) -> None:
    text = _spec(True) + "\n" + extra
    with pytest.raises(SpecError, match="not available with stream = true") as info:
        parse_spec(text, Path("/data/spec.toml"))
    assert info.value.line == line_of(text, needle)


@pytest.mark.parametrize(
    ("design", "needle"),
    [
        (STRATA_PSU + 'replicate = { type = "JK1" }\n', "replicate ="),
        (STRATA_PSU.replace('psu = "_PSU"', 'psu = ["_PSU", "SEXVAR"]'), "psu ="),
        (
            '\n[design.replicates]\nweights = "_LLCPWT"\nreplicate_weights = ["PCE1"]\ntype = "JK1"\n',
            "[design.replicates]",
        ),
    ],
    ids=["replicate", "multistage", "replicate-weights"],
)
def test_refused_designs(design: str, needle: str) -> None:
    text = _spec(True, design)
    with pytest.raises(SpecError, match="not available with stream = true") as info:
        parse_spec(text, Path("/data/spec.toml"))
    assert info.value.line == line_of(text, needle)


def test_stream_needs_parquet() -> None:
    text = _spec(True).replace("brfss.parquet", "brfss.csv")
    with pytest.raises(SpecError, match="Parquet files only") as info:
        parse_spec(text, Path("/data/spec.toml"))
    assert info.value.line == line_of(text, "stream =")


def test_unknown_column_named_at_its_line(folder: Path) -> None:
    text = _spec(True).replace('variable = "pce_score"', 'variable = "PCE_SCORE"')
    with pytest.raises(SpecError, match="no column 'PCE_SCORE'") as info:
        _run(folder, text)
    assert info.value.line == line_of(text, 'variable = "PCE_SCORE"')
