"""Running specs: tidy rows equal to :class:`hopeful.stats.Design` called directly, domain
labels, NCHS flags, checks against the data that name the spec line, and every output format.

The data are a synthetic BRFSS-like table (seeded numpy): strata, PSUs, weights, value labels.
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

from hopeful.cells import safe_cell
from hopeful.research.output import OutputError, write_results
from hopeful.research.run import (
    ESTIMATE_COLUMNS,
    MODEL_COLUMNS,
    TEST_COLUMNS,
    Results,
    run_spec,
)
from hopeful.research.spec import SpecError
from hopeful.stats import Design, nchs_proportions
from tests.research.brfss import DESIGN, brfss_frame, expected_frame, labelled
from tests.research.brfss import parse as spec_of

SPEC = (
    DESIGN
    + """
[[estimate]]
id = "dep"
kind = "proportion"
variable = "depressed"
by = ["pce_band", "SEXVAR"]
ci = "korn-graubard"

[[estimate]]
id = "score"
kind = "mean"
variable = "pce_score"
by = ["SEXVAR"]

[[estimate]]
id = "people"
kind = "total"
variable = "depressed"

[[model]]
id = "aor"
family = "binomial"
formula = "depressed ~ C(pce_band) + C(SEXVAR) + C(_AGEG5YR)"
reference = { pce_band = "6-7" }

[[model]]
id = "lin"
family = "gaussian"
formula = "pce_score ~ C(SEXVAR)"
"""
)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return brfss_frame()


@pytest.fixture(scope="module")
def results(frame: pd.DataFrame) -> Results:
    return run_spec(spec_of(SPEC), labelled(frame), progress=False)


@pytest.fixture(scope="module")
def design(frame: pd.DataFrame) -> Design:
    return Design(expected_frame(frame), weights="_LLCPWT", strata="_STSTR", psu="_PSU")


def test_it_returns_tidy_columns(results: Results) -> None:
    assert list(results.estimates.columns) == ESTIMATE_COLUMNS
    assert list(results.models.columns) == MODEL_COLUMNS
    assert results.estimates["id"].unique().tolist() == ["dep", "score", "people"]


def test_its_proportions_equal_the_engine_called_directly(results: Results, design: Design) -> None:
    direct = design.proportion("depressed", by=["pce_band", "SEXVAR"], ci="beta")
    rows = results.estimates[results.estimates["id"] == "dep"]
    assert len(rows) == len(direct) == 12
    for column in ("estimate", "se", "ci_low", "ci_high", "df", "n", "deff"):
        np.testing.assert_allclose(rows[column].to_numpy(float), direct[column], rtol=1e-12)
    checked = nchs_proportions(direct)
    expected = [
        f"suppress: {r}" if r else f
        for r, f in zip(checked["reason"], checked["flags"], strict=True)
    ]
    assert rows["flags"].tolist() == expected


def test_its_domains_and_levels_use_value_labels(results: Results) -> None:
    rows = results.estimates[results.estimates["id"] == "dep"]
    assert rows["domain"].tolist()[:4] == [
        "pce_band=0-2; SEXVAR=Male",
        "pce_band=0-2; SEXVAR=Male",
        "pce_band=0-2; SEXVAR=Female",
        "pce_band=0-2; SEXVAR=Female",
    ]
    assert "pce_band=6-7; SEXVAR=Female" in set(rows["domain"])
    assert rows["level"].tolist()[:2] == ["0", "1"]
    assert rows["kind"].unique().tolist() == ["proportion"]


def test_its_means_and_totals_equal_the_engine_called_directly(
    results: Results, design: Design
) -> None:
    mean = design.mean("pce_score", by="SEXVAR")
    rows = results.estimates[results.estimates["id"] == "score"]
    assert rows["domain"].tolist() == ["SEXVAR=Male", "SEXVAR=Female"]
    np.testing.assert_allclose(rows["estimate"].to_numpy(float), mean["estimate"], rtol=1e-12)
    np.testing.assert_allclose(rows["se"].to_numpy(float), mean["se"], rtol=1e-12)
    total = design.total("depressed")
    (row,) = results.estimates[results.estimates["id"] == "people"].to_dict("records")
    assert row["domain"] == row["level"] == row["flags"] == ""
    assert row["estimate"] == pytest.approx(float(total["estimate"].iloc[0]), rel=1e-12)
    assert row["ci_high"] == pytest.approx(float(total["ci_high"].iloc[0]), rel=1e-12)


def test_its_models_equal_the_engine_with_labelled_terms(results: Results, design: Design) -> None:
    direct = design.logistic(
        "depressed ~ C(pce_band) + C(SEXVAR) + C(_AGEG5YR)", reference={"pce_band": 3}
    ).table
    rows = results.models[results.models["id"] == "aor"]
    assert rows["term"].tolist() == [
        "Intercept",
        "C(pce_band)[T.0-2]",
        "C(pce_band)[T.3-5]",
        "C(SEXVAR)[T.Female]",
        "C(_AGEG5YR)[T.30-44]",
        "C(_AGEG5YR)[T.45-64]",
        "C(_AGEG5YR)[T.65+]",
    ]
    for ours, theirs in (("estimate", "estimate"), ("se", "se"), ("p", "p_value")):
        np.testing.assert_allclose(rows[ours].to_numpy(float), direct[theirs], rtol=1e-10)
    np.testing.assert_allclose(rows["odds_ratio"], np.exp(rows["estimate"]), rtol=1e-12)
    np.testing.assert_allclose(rows["or_low"], np.exp(direct["ci_low"]), rtol=1e-10)
    np.testing.assert_allclose(rows["or_high"], np.exp(direct["ci_high"]), rtol=1e-10)
    # fewer PCEs, more depression: the synthetic truth
    assert rows["odds_ratio"].iloc[1] > rows["odds_ratio"].iloc[2] > 1
    linear = results.models[results.models["id"] == "lin"]
    assert linear["term"].tolist() == ["Intercept", "C(SEXVAR)[T.Female]"]
    assert linear[["odds_ratio", "or_low", "or_high"]].isna().all().all()


def test_its_provenance_records_hashes_and_version(results: Results) -> None:
    p = results.provenance
    assert p["data"] == "brfss.xpt"
    assert p["data_sha256"] == "ab" * 32
    assert len(str(p["spec_sha256"])) == 64
    assert p["hopeful_version"]
    assert p["rows"] == 3000
    assert results.variable_labels["SEXVAR"] == "Sex of respondent"


def test_small_domains_are_flagged_for_suppression() -> None:
    table = labelled(brfss_frame(rows=300, seed=3, strata=10))
    text = DESIGN + (
        '[[estimate]]\nkind = "proportion"\nvariable = "depressed"\n'
        'by = ["pce_band", "SEXVAR", "_AGEG5YR"]\n'
    )
    rows = run_spec(spec_of(text), table, progress=False).estimates
    assert rows["flags"].str.startswith("suppress: effective sample size").any()


# -- checks against the data name the spec line ------------------------------------------------


def error_of(text: str, frame: pd.DataFrame) -> SpecError:
    with pytest.raises(SpecError) as caught:
        run_spec(spec_of(text), labelled(frame), progress=False)
    return caught.value


MEAN = '\n[[estimate]]\nkind = "mean"\nvariable = "pce_score"\n'


def test_an_unknown_column_names_the_line_and_near_matches(frame: pd.DataFrame) -> None:
    err = error_of(DESIGN + '\n[[estimate]]\nkind = "mean"\nvariable = "SEXVR"\n', frame)
    assert err.line == 28
    assert "no column 'SEXVR' in brfss.xpt; did you mean 'SEXVAR'?" in str(err)
    err = error_of(DESIGN.replace('psu = "_PSU"', 'psu = "PSU"') + MEAN, frame)
    assert (err.line, "did you mean '_PSU'?" in str(err)) == (10, True)


def test_an_unknown_recode_source_names_the_recode_line(frame: pd.DataFrame) -> None:
    err = error_of(DESIGN.replace('map = "ADDEPEV3"', 'map = "ADDEPEV"') + MEAN, frame)
    assert err.line == 23
    assert "[recode.depressed]: no column 'ADDEPEV'" in str(err)


def test_a_recode_may_not_replace_a_data_column(frame: pd.DataFrame) -> None:
    err = error_of(DESIGN + '[recode.SEXVAR]\nmap = "SEXVAR"\nvalues = { 1 = 0 }\n' + MEAN, frame)
    assert err.line == 25
    assert "would replace the column 'SEXVAR'" in str(err)


def test_negative_or_missing_weights_name_the_weights_line(frame: pd.DataFrame) -> None:
    bad = frame.copy()
    bad.loc[[4, 9], "_LLCPWT"] = -1.0
    err = error_of(DESIGN + MEAN, bad)
    assert err.line == 8
    assert "weights column '_LLCPWT' has 2 negative value(s) (rows 5, 10)" in str(err)
    bad.loc[[4, 9], "_LLCPWT"] = np.nan
    assert "has 2 missing value(s)" in str(error_of(DESIGN + MEAN, bad))


def test_a_stratum_with_one_psu_under_fail_names_the_design_line(frame: pd.DataFrame) -> None:
    lonely = frame.copy()
    lonely.loc[lonely["_STSTR"] == 4, "_PSU"] = 41.0
    text = DESIGN.replace('lonely_psu = "adjust"', 'lonely_psu = "fail"') + MEAN
    err = error_of(text, lonely)
    assert err.line == 7
    assert "[design]: 1 stratum/strata have only one PSU (e.g. 4.0)" in str(err)
    assert run_spec(spec_of(DESIGN + MEAN), labelled(lonely), progress=False).estimates.shape[0]


def test_an_estimation_problem_names_the_estimate_line(frame: pd.DataFrame) -> None:
    text = DESIGN + '\n[[model]]\nfamily = "binomial"\nformula = "pce_score ~ C(SEXVAR)"\n'
    err = error_of(text, frame)
    assert err.line == 26
    assert "a logistic model needs a 0/1 outcome" in str(err)


def test_a_text_missing_code_for_a_number_column_names_its_line(frame: pd.DataFrame) -> None:
    text = DESIGN.replace("ADDEPEV3 = [7, 9]", 'ADDEPEV3 = [7, 9]\nSEXVAR = ["x"]') + MEAN
    err = error_of(text, frame)
    assert err.line == 6
    assert "must be a number" in str(err)


# -- outputs -----------------------------------------------------------------------------------


def test_csv_output_is_tidy_with_provenance_and_models_beside_it(
    results: Results, tmp_path: Path
) -> None:
    out = tmp_path / "results.csv"
    written = write_results(results, out)
    assert written == [
        out,
        tmp_path / "results.csv.provenance.json",
        tmp_path / "results.models.csv",
    ]
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ESTIMATE_COLUMNS
    assert len(rows) == len(results.estimates)
    assert float(rows[0]["estimate"]) == pytest.approx(results.estimates["estimate"].iloc[0])
    provenance = json.loads((tmp_path / "results.csv.provenance.json").read_text("utf-8"))
    assert provenance["data_sha256"] == "ab" * 32
    assert provenance["files"] == [
        "results.csv",
        "results.csv.provenance.json",
        "results.models.csv",
    ]
    assert provenance["design"] == "strata and PSUs (Taylor linearization)"
    with (tmp_path / "results.models.csv").open(encoding="utf-8", newline="") as handle:
        models = list(csv.DictReader(handle))
    assert models[1]["term"] == "C(pce_band)[T.0-2]"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_xlsx_output_has_estimates_models_and_provenance_sheets(
    results: Results, tmp_path: Path
) -> None:
    out = tmp_path / "results.xlsx"
    write_results(results, out)
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["estimates", "models", "tests", "provenance"]
    models = list(book["models"].iter_rows(values_only=True))
    assert list(models[0]) == MODEL_COLUMNS
    header = list(models[0])
    first_term = dict(zip(header, models[2], strict=True))  # C(pce_band)[T.0-2] of "aor"
    assert first_term["or_low"] == pytest.approx(math.exp(first_term["ci_low"]), rel=1e-12)
    assert list(book["tests"].iter_rows(values_only=True)) == [tuple(TEST_COLUMNS)]
    estimates = list(book["estimates"].iter_rows(values_only=True))
    assert list(estimates[0]) == ESTIMATE_COLUMNS
    assert len(estimates) == len(results.estimates) + 1
    assert estimates[1][3] == "pce_band=0-2; SEXVAR=Male"
    provenance = dict(book["provenance"].iter_rows(min_row=2, values_only=True))
    assert provenance["spec_sha256"] == results.provenance["spec_sha256"]


def test_json_output_reads_back(results: Results, tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    write_results(results, out)
    data = json.loads(out.read_text("utf-8"))
    assert set(data) == {"provenance", "variable_labels", "estimates", "models", "tests"}
    assert data["tests"] == []
    assert data["models"][1]["or_high"] == pytest.approx(math.exp(data["models"][1]["ci_high"]))
    assert data["provenance"]["hopeful_version"] == results.provenance["hopeful_version"]
    assert len(data["estimates"]) == len(results.estimates)
    assert data["models"][-1]["odds_ratio"] is None
    assert math.isclose(data["estimates"][0]["se"], results.estimates["se"].iloc[0])


def test_html_output_is_an_accessible_report(results: Results, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    write_results(results, out)
    page = out.read_text("utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert (
        page.count("<caption>") == page.count("<table>") == 6
    )  # 3 estimates, 2 models, provenance
    assert "<caption>dep: proportion of depressed (recode of ADDEPEV3)</caption>" in page
    assert '<th scope="row">pce_band=6-7; SEXVAR=Female</th>' in page
    assert "95% CI" in page
    assert "C(pce_band)[T.0-2]" in page
    assert "<script" not in page
    assert "ab" * 32 in page


def test_spreadsheet_cells_cannot_run_formulas(results: Results, tmp_path: Path) -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("@x") == "'@x"
    assert safe_cell(-1.5) == -1.5
    tricky = Results(
        estimates=results.estimates.assign(domain="=cmd|' /C calc'!A0"),
        models=results.models,
        provenance=results.provenance,
        variable_labels=results.variable_labels,
        levels=results.levels,
    )
    write_results(tricky, tmp_path / "r.csv")
    write_results(tricky, tmp_path / "r.xlsx")
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.DictReader(handle))["domain"].startswith("'=")
    sheet = load_workbook(tmp_path / "r.xlsx", read_only=True)["estimates"]
    first = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert str(first[3]).startswith("'=")


def test_an_unknown_output_suffix_writes_nothing(results: Results, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"must end in \.csv, \.xlsx, \.json, \.html"):
        write_results(results, tmp_path / "results.txt")
    assert list(tmp_path.iterdir()) == []
