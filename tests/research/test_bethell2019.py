"""The worked reproduction of docs/bethell2019.md: the spec in docs/examples/bethell2019 recovers
the odds ratios built into the synthetic Wisconsin-like file that make_data.py writes.

The data come from the documented generator with its fixed seed; the spec is the very file in
docs/ (its sha256 is checked in the output's provenance) and runs through ``hopeful analyze``
as the walkthrough says. The truth is the generator's, not our own output: each adjusted odds
ratio's 95% interval must cover the true one, and the doc's table must be what the run prints.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from hopeful.cli import main

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "bethell2019"
SPEC = EXAMPLE / "spec.toml"
DOC = ROOT / "docs" / "bethell2019.md"
COMMAND = "hopeful analyze docs/examples/bethell2019/spec.toml -o results.csv"


def _generator() -> ModuleType:
    loaded = importlib.util.spec_from_file_location(
        "bethell2019_make_data", EXAMPLE / "make_data.py"
    )
    assert loaded is not None
    assert loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


make_data = _generator()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generate the data, copy the docs' spec beside it, run ``hopeful analyze``; the folder."""
    folder = tmp_path_factory.mktemp("bethell2019")
    assert make_data.main(["-o", str(folder / make_data.FILE_NAME)]) == 0
    shutil.copyfile(SPEC, folder / "spec.toml")
    status = main(
        ["analyze", str(folder / "spec.toml"), "-o", str(folder / "results.csv"), "--no-progress"]
    )
    assert status == 0
    return folder


@pytest.fixture(scope="module")
def recovered(run: Path) -> pd.DataFrame:
    table: pd.DataFrame = make_data.compare(run / "results.csv")
    return table


def test_the_spec_run_is_the_one_in_docs(run: Path) -> None:
    provenance = json.loads((run / "results.csv.provenance.json").read_text(encoding="utf-8"))
    assert provenance["spec_sha256"] == hashlib.sha256(SPEC.read_bytes()).hexdigest()
    assert provenance["data"] == make_data.FILE_NAME
    assert provenance["rows"] == make_data.ROWS


def test_the_odds_ratio_intervals_cover_the_truth(recovered: pd.DataFrame) -> None:
    assert len(recovered) == 4  # two outcomes, two bands against 0-2
    for row in recovered.to_dict("records"):
        truth = make_data.TRUE_ODDS_RATIOS[row["model"]][row["band"].split(" ")[0]]
        assert row["true_or"] == truth
        assert row["or_low"] <= truth <= row["or_high"], row


def test_dose_response(run: Path, recovered: pd.DataFrame) -> None:
    """More PCEs, lower odds and lower prevalence of both outcomes."""
    for model in ("depressed", "poor_mh"):
        ors = recovered[recovered["model"] == model].set_index("band")["odds_ratio"]
        assert ors["6-7 vs 0-2"] < ors["3-5 vs 0-2"] < 1
    estimates = pd.read_csv(run / "results.csv")
    for estimate in ("depression_by_band", "poor_mh_by_band"):
        yes = estimates[(estimates["id"] == estimate) & (estimates["level"].astype(str) == "1")]
        prevalence = yes.set_index("domain")["estimate"]
        low, mid, high = (prevalence[f"pce_band={band}"] for band in ("0-2", "3-5", "6-7"))
        assert low > mid > high


def test_prevalence_intervals_are_korn_graubard(run: Path) -> None:
    estimates = pd.read_csv(run / "results.csv")
    bands = estimates[estimates["id"] == "pce_bands"]
    assert list(bands["level"]) == ["0-2", "3-5", "6-7"]
    assert bands["estimate"].sum() == pytest.approx(1.0)
    assert (bands["ci_low"] < bands["estimate"]).all()
    assert (bands["estimate"] < bands["ci_high"]).all()


def test_the_doc_shows_this_run(run: Path, recovered: pd.DataFrame) -> None:
    """The walkthrough gives the commands that were run and the tables they print."""
    text = DOC.read_text(encoding="utf-8")
    assert COMMAND in text
    assert "python docs/examples/bethell2019/make_data.py --compare results.csv" in text
    blocks = [block.strip() for block in re.findall(r"```text\n(.*?)```", text, flags=re.S)]
    for table in (make_data.prevalence(run / "results.csv"), recovered):
        printed = table.to_string(index=False)
        assert printed.strip() in blocks, printed
