"""Replicate-weight and calibrated designs in a spec: the rows equal
:class:`hopeful.stats.replicates.ReplicateDesign`, :func:`~hopeful.stats.replicates.as_replicate`
and :mod:`hopeful.stats.calibration` called directly (those are checked against R in
tests/stats), and problems with the data name the spec line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hopeful.research.run import Results, analyze, run_spec
from hopeful.research.spec import SpecError, load_spec
from hopeful.stats import Design
from hopeful.stats.calibration import calibrate, poststratify
from hopeful.stats.replicates import ReplicateDesign, as_replicate
from tests.research.brfss import (
    DATA,
    RECODES,
    STRATA_PSU,
    brfss_frame,
    expected_frame,
    line_of,
    parse,
)
from tests.research.brfss import labelled as labelled_table

ESTIMATES = """
[[estimate]]
id = "dep"
kind = "proportion"
variable = "depressed"
by = ["SEXVAR"]

[[estimate]]
id = "score"
kind = "mean"
variable = "pce_score"
by = ["pce_band"]

[[model]]
id = "aor"
family = "binomial"
formula = "depressed ~ C(pce_band) + C(SEXVAR)"
"""

REPLICATES = """
[design.replicates]
weights = "_LLCPWT"
replicate_weights = "^REPWT[0-9]+$"
type = "JK1"
"""


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """The BRFSS-like frame with 60 JK1 replicate weights (delete-one-PSU, ignoring strata)
    as a public file would ship them."""
    frame = brfss_frame(rows=900, seed=11, strata=20)
    jk1 = as_replicate(Design(frame, weights="_LLCPWT", psu="_PSU"), "JK1")
    reps = pd.DataFrame(
        jk1.replicate_weights,
        columns=[f"REPWT{k + 1}" for k in range(jk1.n_replicates)],
        index=frame.index,
    )
    return pd.concat([frame, reps], axis=1)


def run(text: str, frame: pd.DataFrame) -> Results:
    return run_spec(parse(text), labelled_table(frame), progress=False)


def error_of(text: str, frame: pd.DataFrame) -> SpecError:
    with pytest.raises(SpecError) as caught:
        run(text, frame)
    return caught.value


def compare(results: Results, design: Design | ReplicateDesign) -> None:
    """The spec's rows against the same estimates and model called on ``design``."""
    dep = results.estimates[results.estimates["id"] == "dep"]
    direct = design.proportion("depressed", by="SEXVAR")
    for column in ("estimate", "se", "ci_low", "ci_high", "df"):
        np.testing.assert_allclose(dep[column].to_numpy(float), direct[column], rtol=1e-12)
    score = results.estimates[results.estimates["id"] == "score"]
    mean = design.mean("pce_score", by="pce_band")
    for column in ("estimate", "se", "ci_high"):
        np.testing.assert_allclose(score[column].to_numpy(float), mean[column], rtol=1e-12)
    fit = design.logistic("depressed ~ C(pce_band) + C(SEXVAR)").table
    np.testing.assert_allclose(results.models["se"].to_numpy(float), fit["se"], rtol=1e-10)
    np.testing.assert_allclose(results.models["p"].to_numpy(float), fit["p_value"], rtol=1e-10)


def test_a_files_replicate_weights_found_by_a_pattern(frame: pd.DataFrame) -> None:
    results = run(DATA + REPLICATES + RECODES + ESTIMATES, frame)
    columns = [f"REPWT{k}" for k in range(1, 61)]
    direct = ReplicateDesign(
        expected_frame(frame), weights="_LLCPWT", replicate_weights=columns, type="JK1"
    )
    compare(results, direct)
    assert results.provenance["design"] == "replicate weights (JK1, 60 replicates)"


def test_a_list_of_replicate_columns_with_scale_rscales_and_mse(frame: pd.DataFrame) -> None:
    columns = [f"REPWT{k}" for k in range(1, 61)]
    listed = REPLICATES.replace('"^REPWT[0-9]+$"', repr(columns).replace("'", '"')).replace(
        'type = "JK1"', 'type = "other"\nscale = 0.9\nrscales = 1.1\nmse = true'
    )
    results = run(DATA + listed + RECODES + ESTIMATES, frame)
    direct = ReplicateDesign(
        expected_frame(frame),
        weights="_LLCPWT",
        replicate_weights=columns,
        type="other",
        scale=0.9,
        rscales=[1.1],
        mse=True,
    )
    compare(results, direct)


def test_replicates_made_from_strata_and_psus(frame: pd.DataFrame) -> None:
    jkn = STRATA_PSU + 'replicate = "JKn"\n'
    results = run(DATA + jkn + RECODES + ESTIMATES, frame)
    linear = Design(expected_frame(frame), weights="_LLCPWT", strata="_STSTR", psu="_PSU")
    compare(results, as_replicate(linear, "JKn"))
    assert (
        results.provenance["design"] == "replicate weights made from the PSUs (JKn, 60 replicates)"
    )

    boot = STRATA_PSU + 'replicate = { type = "bootstrap", replicates = 30, seed = 4 }\n'
    first = run(DATA + boot + RECODES + ESTIMATES, frame)
    compare(first, as_replicate(linear, "bootstrap", replicates=30, seed=4))
    again = run(DATA + boot + RECODES + ESTIMATES, frame)
    pd.testing.assert_frame_equal(first.estimates, again.estimates)  # the seed reproduces it


def test_calibration_by_raking_with_labels_or_codes(frame: pd.DataFrame) -> None:
    cal = """
[calibrate]
method = "raking"

[calibrate.margins.SEXVAR]
Male = 1500000
Female = 1600000

[calibrate.margins._AGEG5YR]
1 = 700000
2 = 800000
3 = 1000000
"65+" = 600000
"""
    results = run(DATA + STRATA_PSU + cal + RECODES + ESTIMATES, frame)
    linear = Design(expected_frame(frame), weights="_LLCPWT", strata="_STSTR", psu="_PSU")
    population = {
        "SEXVAR": {1: 1500000, 2: 1600000},
        "_AGEG5YR": {1: 700000, 2: 800000, 3: 1000000, 4: 600000},
    }
    compare(results, calibrate(linear, ["SEXVAR", "_AGEG5YR"], population, calfun="raking"))
    assert results.provenance["design"] == (
        "strata and PSUs (Taylor linearization); calibrated (raking) to margins of SEXVAR, _AGEG5YR"
    )


def test_poststratification_and_linear_calibration(frame: pd.DataFrame) -> None:
    post = '\n[calibrate]\nmethod = "poststratify"\nmargins = { SEXVAR = { 1 = 2e6, 2 = 2.2e6 } }\n'
    results = run(DATA + STRATA_PSU + post + RECODES + ESTIMATES, frame)
    linear = Design(expected_frame(frame), weights="_LLCPWT", strata="_STSTR", psu="_PSU")
    compare(results, poststratify(linear, "SEXVAR", {1: 2e6, 2: 2.2e6}))

    greg = '\n[calibrate]\nmethod = "linear"\nmargins = { SEXVAR = { 1 = 2e6, 2 = 2.2e6 }, NUMADULT = 9.5e6 }\n'
    results = run(DATA + STRATA_PSU + greg + RECODES + ESTIMATES, frame)
    population = {"SEXVAR": {1: 2e6, 2: 2.2e6}, "NUMADULT": 9.5e6}
    compare(results, calibrate(linear, ["SEXVAR", "NUMADULT"], population))


def test_data_problems_of_replicates_and_calibration_name_their_lines(
    frame: pd.DataFrame,
) -> None:
    text = DATA + REPLICATES.replace("^REPWT", "^REPW_") + RECODES + ESTIMATES
    err = error_of(text, frame)
    assert err.line == line_of(text, "replicate_weights")
    assert "no column name matches the pattern '^REPW_[0-9]+$'" in err.problem

    bad = frame.copy()
    bad.loc[3, "REPWT7"] = -1.0
    text = DATA + REPLICATES + RECODES + ESTIMATES
    err = error_of(text, bad)
    assert err.line == line_of(text, "replicate_weights")
    assert "'REPWT7' has negative values" in err.problem
    bad.loc[3, "_LLCPWT"] = -1.0
    err = error_of(text, bad)
    assert (err.line, "weights column '_LLCPWT' has 1 negative" in err.problem) == (
        line_of(text, 'weights = "_LLCPWT"'),
        True,
    )

    cal = '\n[calibrate]\nmethod = "raking"\n[calibrate.margins._AGEG5YR]\n1 = 10\n2 = 10\n3 = 10\n'
    text = DATA + STRATA_PSU + cal + RECODES + ESTIMATES
    err = error_of(text, frame)
    assert err.line == line_of(text, "[calibrate.margins._AGEG5YR]")
    assert "[calibrate]: the sample has _AGEG5YR = 4 but the population margin does not" in str(err)


def test_a_pattern_reads_every_column_even_with_data_columns(
    frame: pd.DataFrame, tmp_path: Path
) -> None:
    frame.to_csv(tmp_path / "brfss.csv", index=False)
    text = (
        DATA.replace("brfss.xpt", "brfss.csv").replace(
            'path = "brfss.csv"', 'path = "brfss.csv"\ncolumns = ["SEXVAR"]'
        )
        + REPLICATES
        + RECODES
        + ESTIMATES
    )
    (tmp_path / "spec.toml").write_text(text, encoding="utf-8")
    results = analyze(load_spec(tmp_path / "spec.toml"), progress=False)
    assert results.provenance["design"] == "replicate weights (JK1, 60 replicates)"
    listed = text.replace('"^REPWT[0-9]+$"', '["REPWT1", "REPWT2", "REPWT3"]')
    (tmp_path / "listed.toml").write_text(listed, encoding="utf-8")
    results = analyze(load_spec(tmp_path / "listed.toml"), progress=False)
    assert results.provenance["design"] == "replicate weights (JK1, 3 replicates)"
