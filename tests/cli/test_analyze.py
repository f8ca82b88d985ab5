"""``hopeful analyze SPEC -o OUT`` end to end on a generated BRFSS-like SAS transport file.

The file is written with ``pyreadstat.write_xport`` from a seeded synthetic frame (strata,
PSUs, weights, PCE items, depression with 7/9 codes); no real survey data.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pyreadstat
import pytest
from openpyxl import load_workbook

from hopeful.cli import main
from hopeful.stats import Design
from hopeful.stats.quantiles import quantile
from hopeful.stats.ratios import ratio
from hopeful.stats.tables import chisq_test
from tests.research.brfss import (
    DATA,
    RECODES,
    STRATA_PSU,
    brfss_frame,
    expected_frame,
    line_of,
)

SPEC = (
    "# Depression by PCE band and sex, BRFSS-like synthetic file\n"
    + DATA.replace(
        'path = "brfss.xpt"', 'path = "llcp.xpt"\ncolumns = ["_LLCPWT", "_STSTR", "_PSU"]'
    )
    + STRATA_PSU
    + RECODES
    + """
[recode.sex]
map = "SEXVAR"
values = { 1 = "Male", 2 = "Female" }

[[estimate]]
id = "depression"
kind = "proportion"
variable = "depressed"
by = ["pce_band", "sex"]
ci = "korn-graubard"

[[estimate]]
id = "pce"
kind = "mean"
variable = "pce_score"
by = ["sex"]

[[estimate]]
id = "weight"
kind = "quantile"
variable = "WTKG3"
probs = [0.25, 0.5, 0.75]
by = ["sex"]

[[estimate]]
id = "children"
kind = "ratio"
variable = "CHILDREN"
denominator = "NUMADULT"

[[model]]
id = "aor"
family = "binomial"
formula = "depressed ~ C(pce_band) + C(sex) + C(_AGEG5YR)"
reference = { pce_band = "6-7" }

[[test]]
id = "band-by-sex"
kind = "chisq"
row = "pce_band"
col = "sex"
"""
)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    frame = brfss_frame(rows=2000, seed=7)
    pyreadstat.write_xport(
        frame,
        str(tmp_path / "llcp.xpt"),
        column_labels={"SEXVAR": "Sex of respondent", "ADDEPEV3": "Ever told depression"},
    )
    (tmp_path / "spec.toml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def analyze(workdir: Path, out: str, spec: str = "spec.toml") -> int:
    return main(["analyze", str(workdir / spec), "-o", str(workdir / out), "--no-progress"])


def test_it_writes_tidy_csv_equal_to_the_engine(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert analyze(workdir, "results.csv") == 0
    assert "wrote" in capsys.readouterr().err
    with (workdir / "results.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    depression = [r for r in rows if r["id"] == "depression"]
    assert len(depression) == 12
    assert {r["domain"] for r in depression} >= {
        "pce_band=6-7; sex=Female",
        "pce_band=0-2; sex=Male",
    }

    frame, _ = pyreadstat.read_xport(str(workdir / "llcp.xpt"))
    frame["ADDEPEV3"] = frame["ADDEPEV3"].where(~frame["ADDEPEV3"].isin([7, 9]))
    direct = Design(expected_frame(frame), weights="_LLCPWT", strata="_STSTR", psu="_PSU")
    expected = direct.proportion("depressed", by=["pce_band", "SEXVAR"], ci="beta")
    np.testing.assert_allclose(
        [float(r["estimate"]) for r in depression], expected["estimate"], rtol=1e-9
    )
    np.testing.assert_allclose(
        [float(r["ci_low"]) for r in depression], expected["ci_low"], rtol=1e-9
    )
    assert [r["domain"] for r in rows if r["id"] == "pce"] == ["sex=Male", "sex=Female"]

    weight = [r for r in rows if r["id"] == "weight"]
    assert [(r["domain"], r["level"]) for r in weight[:3]] == [
        ("sex=Male", "p25"),
        ("sex=Male", "p50"),
        ("sex=Male", "p75"),
    ]
    expected_q = quantile(direct, "WTKG3", [0.25, 0.5, 0.75], by="SEXVAR")
    for column in ("estimate", "se", "ci_low", "ci_high", "df"):
        np.testing.assert_allclose(
            [float(r[column]) for r in weight], expected_q[column], rtol=1e-12
        )
    (children,) = [r for r in rows if r["id"] == "children"]
    expected_r = ratio(direct, "CHILDREN", "NUMADULT")
    assert children["variable"] == "CHILDREN/NUMADULT"
    assert float(children["estimate"]) == pytest.approx(expected_r["estimate"][0], rel=1e-12)
    assert float(children["ci_high"]) == pytest.approx(expected_r["ci_high"][0], rel=1e-12)

    with (workdir / "results.tests.csv").open(encoding="utf-8", newline="") as handle:
        (test,) = list(csv.DictReader(handle))
    expected_t = chisq_test(direct, "pce_band", "SEXVAR")
    assert float(test["statistic"]) == pytest.approx(expected_t.statistic, rel=1e-12)
    assert float(test["p"]) == pytest.approx(expected_t.p_value, rel=1e-12)
    assert float(test["ddf"]) == pytest.approx(expected_t.ddf, rel=1e-12)

    provenance = json.loads((workdir / "results.csv.provenance.json").read_text("utf-8"))
    assert provenance["spec"] == "spec.toml"
    assert len(provenance["data_sha256"]) == 64
    assert provenance["data_format"] == "xpt"
    with (workdir / "results.models.csv").open(encoding="utf-8", newline="") as handle:
        terms = {r["term"]: r for r in csv.DictReader(handle)}
    assert float(terms["C(pce_band)[T.0-2]"]["odds_ratio"]) > 1
    assert "C(sex)[T.Female]" in terms


@pytest.mark.parametrize("suffix", [".xlsx", ".json", ".html"])
def test_it_writes_every_format(workdir: Path, suffix: str) -> None:
    out = workdir / f"results{suffix}"
    assert analyze(workdir, out.name) == 0
    if suffix == ".xlsx":
        book = load_workbook(out, read_only=True)
        assert book.sheetnames == ["estimates", "models", "tests", "provenance"]
        tests = list(book["tests"].iter_rows(values_only=True))
        assert tests[1][:4] == ("band-by-sex", "chisq", "pce_band", "sex")
    elif suffix == ".json":
        data = json.loads(out.read_text("utf-8"))
        assert data["estimates"][0]["id"] == "depression"
        assert data["provenance"]["hopeful_version"]
        assert [t["id"] for t in data["tests"]] == ["band-by-sex"]
    else:
        page = out.read_text("utf-8")
        assert '<html lang="en">' in page
        assert "<caption>aor: model terms</caption>" in page
        assert "<h2>Tests of association</h2>" in page
        assert "<caption>band-by-sex: association of pce_band and sex (" in page


def test_a_bad_spec_writes_nothing_and_exits_2(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = SPEC.replace('variable = "pce_score"', 'variable = "pce_scor"')
    (workdir / "bad.toml").write_text(bad, encoding="utf-8")
    before = sorted(p.name for p in workdir.iterdir())
    assert analyze(workdir, "results.csv", spec="bad.toml") == 2
    err = capsys.readouterr().err
    line = line_of(bad, 'variable = "pce_scor"')
    assert err.startswith(f"hopeful: error: bad.toml, line {line}: ")
    assert "llcp.xpt: no column 'pce_scor'" in err
    assert "did you mean 'pce_score' (a recode)?" in err
    assert sorted(p.name for p in workdir.iterdir()) == [*before]


def test_bad_data_writes_nothing_and_exits_2(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = brfss_frame(rows=200, seed=7)
    frame.loc[3, "_LLCPWT"] = -2.0
    pyreadstat.write_xport(frame, str(workdir / "llcp.xpt"))
    assert analyze(workdir, "results.html") == 2
    line = line_of(SPEC, "weights = ")
    assert (
        f"line {line}: weights column '_LLCPWT' has 1 negative value(s)" in capsys.readouterr().err
    )
    assert not (workdir / "results.html").exists()


def test_a_wrong_output_suffix_exits_2_before_reading(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert analyze(workdir, "results.pdf") == 2
    assert "the output must end in .csv, .xlsx, .json, .html" in capsys.readouterr().err
    assert not (workdir / "results.pdf").exists()


def test_an_unknown_column_in_data_columns_names_that_line(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "bad.toml").write_text(SPEC.replace('"_PSU"]', '"_PSUX"]'), encoding="utf-8")
    assert analyze(workdir, "results.json", spec="bad.toml") == 2
    err = capsys.readouterr().err
    assert f"bad.toml, line {line_of(SPEC, 'columns = ')}: " in err
    assert "no column '_PSUX'; did you mean '_PSU'?" in err
    assert not (workdir / "results.json").exists()


def test_progress_can_be_forced_on(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["analyze", str(workdir / "spec.toml"), "-o", str(workdir / "r.json"), "--progress"]
    assert main(argv) == 0
    assert "analyzing" in capsys.readouterr().err
