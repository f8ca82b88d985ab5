"""Streamed estimates from a Parquet file equal the in-memory Design's on the same data.

The reference is :class:`hopeful.stats.Design` on the whole frame (itself tested against R's
survey package in tests/stats); the streamed path must reproduce it from per-cell sums.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hopeful.research.stream import Estimate, _key_ranges, grouped_sums, stream_estimates
from hopeful.stats import Design, DesignError, EstimationError
from tests.research.brfss import brfss_frame

DESIGN = {"weights": "_LLCPWT", "strata": "_STSTR", "psu": "_PSU"}
COLUMNS = ["estimate", "se", "ci_low", "ci_high", "df", "deff", "n", "population"]


def _frame(rows: int = 50_000) -> pd.DataFrame:
    """BRFSS-like rows with missing outcomes, missing by-values, text levels and lonely PSUs."""
    frame = brfss_frame(rows=rows, seed=41, strata=40)
    rng = np.random.default_rng(7)
    frame["dep"] = frame["ADDEPEV3"].map({1.0: 1.0, 2.0: 0.0})  # 7/9 -> NaN
    frame["band"] = np.where(frame["WTKG3"] < 70, "light", "heavy")
    frame.loc[rng.random(rows) < 0.02, "band"] = None
    frame.loc[rng.random(rows) < 0.01, "_AGEG5YR"] = np.nan
    frame.loc[frame["_STSTR"] == 3, "_PSU"] = 31.0  # stratum 3 keeps one PSU: lonely
    frame.loc[(frame["_STSTR"] == 5) & (frame["SEXVAR"] == 1), "_PSU"] = 51.0
    frame.loc[frame["_STSTR"] == 7, "_LLCPWT"] = 0.0  # zero weights stay in the design
    frame["fpc"] = 1000.0 + frame["_STSTR"]
    return frame


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, Path]:
    frame = _frame()
    path = tmp_path_factory.mktemp("stream") / "brfss.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=2_000)
    return frame, path


def _in_memory(frame: pd.DataFrame, est: Estimate, **design: object) -> pd.DataFrame:
    d = Design(frame, **DESIGN, **design)
    by = list(est.by) or None
    if est.kind == "proportion":
        return d.proportion(est.variable, by=by, ci=est.ci)
    return getattr(d, est.kind)(est.variable, by=by)


def _same(got: pd.DataFrame, want: pd.DataFrame, by: tuple[str, ...]) -> None:
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    for b in by:
        assert got[b].tolist() == want[b].tolist()
    np.testing.assert_array_equal(got["n"].to_numpy(), want["n"].to_numpy())
    for column in ("estimate", "se", "ci_low", "ci_high", "df", "deff", "population"):
        np.testing.assert_allclose(
            got[column], want[column], rtol=1e-10, atol=1e-12, err_msg=column
        )


ESTIMATES = [
    Estimate("mean", "WTKG3"),
    Estimate("mean", "dep", ("SEXVAR",)),
    Estimate("total", "dep", ("SEXVAR", "_AGEG5YR")),
    Estimate("mean", "WTKG3", ("band",)),
    Estimate("proportion", "dep"),
    Estimate("proportion", "dep", ("_AGEG5YR",)),
    Estimate("proportion", "ADDEPEV3", ("SEXVAR", "_AGEG5YR"), ci="logit"),
    Estimate("proportion", "band", ("SEXVAR",), ci="beta"),
    Estimate("proportion", "dep", ("band", "SEXVAR"), ci="wald"),
]


@pytest.mark.parametrize("lonely_psu", ["adjust", "average"])
def test_streamed_equals_in_memory(data: tuple[pd.DataFrame, Path], lonely_psu: str) -> None:
    frame, path = data
    got = stream_estimates(
        path, **DESIGN, estimates=ESTIMATES, lonely_psu=lonely_psu, batch_rows=3_000
    )
    for est, result in zip(ESTIMATES, got, strict=True):
        _same(result, _in_memory(frame, est, lonely_psu=lonely_psu), est.by)


def test_fpc_nest_and_domain_lonely(data: tuple[pd.DataFrame, Path]) -> None:
    frame, path = data
    options = {"fpc": "fpc", "nest": True, "adjust_domain_lonely": True, "lonely_psu": "average"}
    ests = [("proportion", "dep", ["SEXVAR"], "beta"), ("total", "WTKG3", "_AGEG5YR")]
    got = stream_estimates(path, **DESIGN, estimates=ests, **options)
    for spec, result in zip(ests, got, strict=True):
        est = Estimate.of(spec)
        _same(result, _in_memory(frame, est, **options), est.by)


def test_korn_graubard_uses_row_counts(data: tuple[pd.DataFrame, Path]) -> None:
    """The cells' Design alone would give a different KG interval: the fix-up matters."""
    _, path = data
    est = Estimate("proportion", "dep", ("_AGEG5YR",))
    (streamed,) = stream_estimates(path, **DESIGN, estimates=[est])
    (cells,) = grouped_sums(pq.ParquetFile(path).iter_batches(), **DESIGN, estimates=[est])
    assert cells.num_rows < 50_000
    naive = Design(cells, weights="_w", strata="_STSTR", psu="_PSU").proportion(
        "dep", by="_AGEG5YR"
    )
    assert not np.allclose(naive["ci_low"], streamed["ci_low"], rtol=1e-6)


def test_keys_that_cannot_be_packed(tmp_path: Path) -> None:
    """A float by-column with integral bounds but halves inside: Arrow's grouping takes over."""
    frame = _frame(6_000)
    frame["half"] = np.where(frame["SEXVAR"] == 1, 0.5, np.where(frame["_AGEG5YR"] > 2, 1.0, 0.0))
    path = tmp_path / "half.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=1_000)
    est = Estimate("proportion", "dep", ("half",))
    (got,) = stream_estimates(path, **DESIGN, estimates=[est])
    _same(got, _in_memory(frame, est), est.by)


def test_bad_input_refused(tmp_path: Path) -> None:
    frame = _frame(5_000)
    path = tmp_path / "good.parquet"
    frame.to_parquet(path)
    with pytest.raises(EstimationError, match="needs numbers"):
        stream_estimates(path, **DESIGN, estimates=[("mean", "band")])
    with pytest.raises(EstimationError, match="ci must be"):
        stream_estimates(path, **DESIGN, estimates=[("proportion", "dep", [], "exact")])
    frame.loc[10, "_LLCPWT"] = np.nan
    path = tmp_path / "bad.parquet"
    frame.to_parquet(path)
    with pytest.raises(DesignError, match="missing values"):
        stream_estimates(path, **DESIGN, estimates=[("mean", "WTKG3")])


def _write_copies(path: Path, frame: pd.DataFrame, copies: int) -> None:
    """``copies`` row groups, each a copy of ``frame``: more rows, the same cells."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with pq.ParquetWriter(path, table.schema) as writer:
        for _ in range(copies):
            writer.write_table(table)


def _peak_memory(path: Path, packed: bool) -> tuple[int, int]:
    """Peak Python allocations and peak Arrow bytes held between batches while streaming."""
    arrow_peak = 0

    def watched() -> Iterator[pa.RecordBatch]:
        nonlocal arrow_peak
        for batch in pq.ParquetFile(path).iter_batches(batch_size=2_000):
            arrow_peak = max(arrow_peak, pa.total_allocated_bytes())
            yield batch

    tracemalloc.start()
    ranges = _key_ranges(pq.ParquetFile(path)) if packed else None
    est = [("mean", "WTKG3", "SEXVAR")]
    grouped_sums(watched(), **DESIGN, estimates=est, merge_rows=4_000, ranges=ranges)
    python_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return python_peak, arrow_peak


@pytest.mark.parametrize("packed", [True, False])
def test_memory_does_not_grow_with_row_groups(tmp_path: Path, packed: bool) -> None:
    """Streaming 40 row groups holds about what 10 do: memory follows cells, not rows.

    The copies share their cells (about 120), far fewer than the rows (80,000).
    """
    frame = brfss_frame(rows=2_000, seed=3, strata=10)
    small, large = tmp_path / "10.parquet", tmp_path / "40.parquet"
    _write_copies(small, frame, 10)
    _write_copies(large, frame, 40)
    py_small, arrow_small = _peak_memory(small, packed)
    py_large, arrow_large = _peak_memory(large, packed)
    one_batch = pa.Table.from_pandas(frame, preserve_index=False).nbytes
    assert py_large < 2 * one_batch
    assert py_large < 1.5 * py_small + 100_000
    assert arrow_large < 1.5 * arrow_small + one_batch
