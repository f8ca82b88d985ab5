"""Every TOML example of docs/research.md parses and runs on a synthetic BRFSS-like table.

A complete example (one with ``[data]``) runs as written; a fragment runs inside the shared
test header (data, a strata/PSU design unless the fragment has its own, the PCE recodes), with
a mean appended when it asks for nothing itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hopeful.research.run import run_spec
from hopeful.stats import Design
from hopeful.stats.replicates import as_replicate
from tests.research.brfss import DATA, RECODES, STRATA_PSU, brfss_frame, labelled, parse

DOCS = Path(__file__).parents[2] / "docs" / "research.md"
BLOCKS = re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
MEAN = '\n[[estimate]]\nid = "doc-mean"\nkind = "mean"\nvariable = "pce_score"\n'


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """BRFSS's 13 five-year age groups (no 14, "don't know": calibration needs every row) and
    60 JK1 replicate weights REPWT1..REPWT60, as a file that ships them would."""
    frame = brfss_frame(rows=2000, seed=22)
    frame["_AGEG5YR"] = np.random.default_rng(22).integers(1, 14, size=len(frame)).astype(float)
    jk1 = as_replicate(Design(frame, weights="_LLCPWT", psu="_PSU"), "JK1")
    names = [f"REPWT{k + 1}" for k in range(jk1.n_replicates)]
    reps = pd.DataFrame(jk1.replicate_weights, columns=names, index=frame.index)
    return pd.concat([frame, reps], axis=1)


def complete(block: str) -> str:
    if "[data]" in block:
        return block
    design = "" if "[design" in block else STRATA_PSU
    asks = any(table in block for table in ("[[estimate]]", "[[model]]", "[[test]]"))
    return DATA + design + RECODES + "\n" + block + ("" if asks else MEAN)


def test_the_docs_have_examples_of_every_table() -> None:
    text = "".join(BLOCKS)
    for table in ("[data]", "[[estimate]]", "[[model]]", "[[test]]", "[design.replicates]"):
        assert table in text
    assert "replicate = " in text
    assert "[calibrate]" in text
    assert 'kind = "quantile"' in text
    assert 'kind = "ratio"' in text


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block-{i}" for i in range(len(BLOCKS))])
def test_every_example_runs(block: str, frame: pd.DataFrame) -> None:
    spec = parse(complete(block))
    results = run_spec(spec, labelled(frame), progress=False)
    assert len(results.estimates) + len(results.models) + len(results.tests) > 0
    assert results.estimates["estimate"].notna().all()
