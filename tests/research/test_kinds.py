"""Quantiles, ratios and chi-square tests in a spec: their rows equal
:func:`hopeful.stats.quantiles.quantile`, :func:`hopeful.stats.ratios.ratio` and
:func:`hopeful.stats.tables.chisq_test` called directly (those are checked against R in
tests/stats), and every output format carries the tests table.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from hopeful.research.output import write_results
from hopeful.research.run import TEST_COLUMNS, Results, quantile_level, run_spec
from hopeful.research.spec import SpecError
from hopeful.stats import Design
from hopeful.stats.quantiles import quantile
from hopeful.stats.ratios import ratio
from hopeful.stats.tables import chisq_test
from tests.research.brfss import DESIGN, brfss_frame, expected_frame, labelled, line_of, parse

SPEC = (
    DESIGN
    + """
[[estimate]]
id = "weight"
kind = "quantile"
variable = "WTKG3"
by = ["SEXVAR"]
probs = [0.1, 0.5, 0.9]
interval = "beta"
qrule = "hf7"
level = 0.9

[[estimate]]
id = "median-score"
kind = "quantile"
variable = "pce_score"

[[estimate]]
id = "children"
kind = "ratio"
variable = "CHILDREN"
denominator = "NUMADULT"
by = ["_AGEG5YR"]

[[test]]
id = "band-sex"
kind = "chisq"
row = "pce_band"
col = "SEXVAR"

[[test]]
id = "dep-age"
kind = "chisq"
row = "depressed"
col = "_AGEG5YR"
statistic = "Chisq"

[[test]]
id = "dep-band"
kind = "chisq"
row = "depressed"
col = "pce_band"
statistic = "adjWald"
"""
)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return brfss_frame(rows=1500, seed=5)


@pytest.fixture(scope="module")
def results(frame: pd.DataFrame) -> Results:
    return run_spec(parse(SPEC), labelled(frame), progress=False)


@pytest.fixture(scope="module")
def design(frame: pd.DataFrame) -> Design:
    return Design(expected_frame(frame), weights="_LLCPWT", strata="_STSTR", psu="_PSU")


def rows_of(results: Results, est_id: str) -> pd.DataFrame:
    return results.estimates[results.estimates["id"] == est_id]


def test_quantile_rows_equal_the_engine_with_one_row_per_domain_and_prob(
    results: Results, design: Design
) -> None:
    rows = rows_of(results, "weight")
    direct = quantile(
        design, "WTKG3", [0.1, 0.5, 0.9], by="SEXVAR", interval="beta", qrule="hf7", level=0.9
    )
    assert len(rows) == len(direct) == 6
    assert rows["domain"].tolist() == ["SEXVAR=Male"] * 3 + ["SEXVAR=Female"] * 3
    assert rows["level"].tolist() == ["p10", "p50", "p90"] * 2
    for column in ("estimate", "se", "ci_low", "ci_high", "df", "n"):
        np.testing.assert_allclose(rows[column].to_numpy(float), direct[column], rtol=1e-12)
    assert rows["deff"].isna().all()
    assert (rows["flags"] == "").all()
    assert results.levels["weight"] == 0.9
    # the synthetic truth: men are 6 kg heavier
    assert rows["estimate"].iloc[1] > rows["estimate"].iloc[4]


def test_a_quantile_defaults_to_the_median_with_the_mean_interval_and_math_rule(
    results: Results, design: Design
) -> None:
    (row,) = rows_of(results, "median-score").to_dict("records")
    direct = quantile(design, "pce_score", [0.5])
    assert (row["domain"], row["level"]) == ("", "p50")
    assert row["estimate"] == pytest.approx(float(direct["estimate"][0]), rel=1e-12)
    assert row["ci_low"] == pytest.approx(float(direct["ci_low"][0]), rel=1e-12)


def test_ratio_rows_equal_the_engine(results: Results, design: Design) -> None:
    rows = rows_of(results, "children")
    direct = ratio(design, "CHILDREN", "NUMADULT", by="_AGEG5YR")
    assert rows["variable"].unique().tolist() == ["CHILDREN/NUMADULT"]
    assert rows["domain"].tolist() == [f"_AGEG5YR={a}" for a in ("18-29", "30-44", "45-64", "65+")]
    assert (rows["level"] == "").all()
    for column in ("estimate", "se", "ci_low", "ci_high", "df", "n"):
        np.testing.assert_allclose(rows[column].to_numpy(float), direct[column], rtol=1e-12)


def test_chisq_tests_equal_the_engine(results: Results, design: Design) -> None:
    tests = results.tests
    assert list(tests.columns) == TEST_COLUMNS
    assert tests["id"].tolist() == ["band-sex", "dep-age", "dep-band"]
    cases = [
        ("pce_band", "SEXVAR", "F"),
        ("depressed", "_AGEG5YR", "Chisq"),
        ("depressed", "pce_band", "adjWald"),
    ]
    for record, (row, col, statistic) in zip(tests.to_dict("records"), cases, strict=True):
        direct = chisq_test(design, row, col, statistic=statistic)  # type: ignore[arg-type]
        assert (record["row"], record["col"], record["kind"]) == (row, col, "chisq")
        assert record["statistic_name"] == direct.statistic_name
        assert record["method"] == direct.method
        for ours, theirs in (("statistic", "statistic"), ("ndf", "ndf"), ("p", "p_value")):
            assert record[ours] == pytest.approx(getattr(direct, theirs), rel=1e-12)
        if math.isinf(direct.ddf):
            assert pd.isna(record["ddf"])  # a chi-square reference: no denominator df
        else:
            assert record["ddf"] == pytest.approx(direct.ddf, rel=1e-12)


def test_quantile_levels_read_as_percentiles() -> None:
    assert [quantile_level(p) for p in (0.5, 0.25, 0.025, 0.999)] == [
        "p50",
        "p25",
        "p2.5",
        "p99.9",
    ]


def test_an_estimation_problem_of_a_new_kind_names_its_line(frame: pd.DataFrame) -> None:
    text = DESIGN + '\n[[test]]\nkind = "chisq"\nrow = "depressed"\ncol = "ADDEPEV3"\n'
    one_level = frame.assign(ADDEPEV3=np.where(frame["ADDEPEV3"] == 2, 1.0, frame["ADDEPEV3"]))
    with pytest.raises(SpecError) as caught:
        run_spec(parse(text), labelled(one_level), progress=False)
    assert caught.value.line == line_of(text, "[[test]]")
    assert "test-1: 'depressed' and 'ADDEPEV3' each need at least two" in str(caught.value)


# -- outputs -----------------------------------------------------------------------------------


def test_csv_writes_the_tests_beside_the_estimates(results: Results, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    written = write_results(results, out)
    assert written == [
        out,
        tmp_path / "results.csv.provenance.json",
        tmp_path / "results.tests.csv",
    ]
    provenance = json.loads(written[1].read_text("utf-8"))
    assert provenance["files"] == [p.name for p in written]
    with written[2].open(encoding="utf-8", newline="") as handle:
        tests = list(csv.DictReader(handle))
    assert list(tests[0]) == TEST_COLUMNS
    assert [t["id"] for t in tests] == ["band-sex", "dep-age", "dep-band"]
    assert tests[1]["ddf"] == ""  # Chisq
    assert float(tests[0]["p"]) == pytest.approx(results.tests["p"].iloc[0], rel=1e-15)
    with out.open(encoding="utf-8", newline="") as handle:
        levels = [r["level"] for r in csv.DictReader(handle) if r["id"] == "weight"]
    assert levels == ["p10", "p50", "p90"] * 2


def test_xlsx_json_and_html_carry_the_tests(results: Results, tmp_path: Path) -> None:
    write_results(results, tmp_path / "r.xlsx")
    sheet = list(load_workbook(tmp_path / "r.xlsx", read_only=True)["tests"].values)
    assert sheet[0] == tuple(TEST_COLUMNS)
    assert [r[0] for r in sheet[1:]] == ["band-sex", "dep-age", "dep-band"]
    assert sheet[2][7] is None  # Chisq: no ddf
    assert sheet[1][8] == pytest.approx(results.tests["p"].iloc[0], rel=1e-15)

    write_results(results, tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [t["statistic_name"] for t in data["tests"]] == ["F", "X-squared", "F"]
    assert data["tests"][1]["ddf"] is None
    assert [e["level"] for e in data["estimates"] if e["id"] == "median-score"] == ["p50"]

    write_results(results, tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text("utf-8")
    assert "<h2>Tests of association</h2>" in page
    assert "<caption>dep-age: association of depressed and _AGEG5YR (Pearson&#x27;s X^2" in page
    assert "none (chi-square)" in page
    assert "<caption>weight: quantile of WTKG3</caption>" in page
    assert "90% CI" in page
    assert page.count("<table>") == 3 + 3 + 1  # estimates, tests, provenance
