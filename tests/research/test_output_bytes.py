"""``results_bytes`` gives the bytes ``write_results`` writes, one file at a time (a server
sends them instead of writing them)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hopeful.research import Results, run_spec
from hopeful.research.output import BYTES_FORMATS, OutputError, results_bytes, write_results
from hopeful.research.spec import parse_spec
from tests.research.brfss import brfss_frame, labelled

SPEC = """\
[data]
path = "brfss.csv"

[data.missing]
ADDEPEV3 = [7, 9]

[design]
weights = "_LLCPWT"
strata = "_STSTR"
psu = "_PSU"

[recode.depressed]
map = "ADDEPEV3"
values = { 1 = 1, 2 = 0 }

[[estimate]]
kind = "proportion"
variable = "ADDEPEV3"
by = ["SEXVAR"]

[[model]]
family = "binomial"
formula = "depressed ~ C(SEXVAR)"

[[test]]
kind = "chisq"
row = "depressed"
col = "SEXVAR"
"""


@pytest.fixture(scope="module")
def results() -> Results:
    spec = parse_spec(SPEC, Path("spec.toml"))
    return run_spec(spec, labelled(brfss_frame(rows=800)), progress=False)


def test_each_format_is_the_file_write_results_writes(results: Results, tmp_path: Path) -> None:
    written = {p.name: p.read_bytes() for p in write_results(results, tmp_path / "r.csv")}
    assert results_bytes(results, "csv") == written["r.csv"]
    assert results_bytes(results, "models.csv") == written["r.models.csv"]
    assert results_bytes(results, "tests.csv") == written["r.tests.csv"]
    for suffix in ("json", "html"):
        (path,) = write_results(results, tmp_path / f"r.{suffix}")
        assert results_bytes(results, suffix) == path.read_bytes()
    (path,) = write_results(results, tmp_path / "r.xlsx")
    made = load_workbook(io.BytesIO(results_bytes(results, "xlsx")))
    saved = load_workbook(path)
    assert made.sheetnames == saved.sheetnames
    for name in made.sheetnames:
        assert list(made[name].values) == list(saved[name].values)
    assert set(BYTES_FORMATS) == {"csv", "models.csv", "tests.csv", "xlsx", "json", "html"}


def test_an_unknown_format_is_refused(results: Results) -> None:
    with pytest.raises(OutputError, match="unknown output 'pdf'"):
        results_bytes(results, "pdf")
