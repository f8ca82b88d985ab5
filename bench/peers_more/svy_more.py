#!/usr/bin/env python3
"""Peer for bench/stats_more_bench.py: svy (bench/.peers) on a BRFSS-like file, tasks
Q1 R1 C1 K1 P1 J1, printing JSON like r_more.R.

    bench/.peers/bin/python bench/peers_more/svy_more.py --data data/brfss_like_400000.parquet

Design: strata ``stratum``, PSUs ``psu``, weights ``w``, singleton="center" (R "adjust").
The population counts (K1, P1) and the 80 replicate groups (J1) are defined as in
stats_more_bench.py's hopeful worker.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

_SHARED = Path(__file__).resolve().parents[3] / "shared" / "bench" / "peers"
sys.path.insert(0, os.environ.get("HOPEFUL_SHARED_PEERS", str(_SHARED)))  # shared _common.py
warnings.filterwarnings("ignore")

from _common import Timer, emit, parse_args, versions  # noqa: E402

PROBS = (0.25, 0.5, 0.75)
FACTOR = 1.05
N_REP = 80

a = parse_args("svy", extra=lambda ap: ap.set_defaults(tasks="Q1,R1,C1,K1,P1,J1"))
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
import svy  # noqa: E402

T = Timer()
res: dict[str, object] = {}
with T("load"):
    data = pl.read_parquet(a.data) if a.data.endswith(".parquet") else pl.read_csv(a.data)
with T("T0_design"):
    s = svy.Sample(data, svy.Design(stratum="stratum", psu="psu", wgt="w", singleton="center"))
n, wsum = data.height, float(np.sum(data["w"].to_numpy()))


def pop(v: str) -> dict[int, float]:
    c = data[v].value_counts().sort(v)
    return {int(k): float(m) / n * wsum * FACTOR for k, m in zip(c[v], c["count"], strict=True)}


def by(df: pl.DataFrame) -> dict[str, list[float]]:
    df = df.sort("state")
    return {"domain": df["state"].to_list(), "est": df["est"].to_list(), "se": df["se"].to_list()}


if "Q1" in a.tasks:
    with T("Q1"):
        q0 = s.estimation.quantile("age", p=PROBS).to_polars()
        qb = s.estimation.quantile("age", p=PROBS, by="state").to_polars()
    qb = qb.sort(["state", "prob"])
    res["Q1"] = {
        "est": q0["est"].to_list() + qb["est"].to_list(),
        "se": q0["se"].to_list() + qb["se"].to_list(),
        "ci_l": q0["lci"].to_list() + qb["lci"].to_list(),
        "ci_u": q0["uci"].to_list() + qb["uci"].to_list(),
    }
if "R1" in a.tasks:
    with T("R1"):
        rb = s.estimation.ratio("ace", "pce", by="state").to_polars()
    res["R1"] = by(rb)
if "C1" in a.tasks:
    with T("C1"):
        f = s.categorical.tabulate("pce_cat", "income4").stats.f
    res["C1"] = {"est": [f.value, f.df_num, f.df_den, f.p_value], "names": ["F", "ndf", "ddf", "p"]}
if "K1" in a.tasks:
    with T("K1"):
        with T("K1_rake"):
            rk = s.weighting.rake(controls={"sex": pop("sex"), "race4": pop("race4")},
                                  wgt_name="w_rake")  # fmt: skip
        kb = rk.estimation.mean("dep", by="state").to_polars()
    res["K1"] = by(kb)
if "P1" in a.tasks:
    with T("P1"):
        ps = s.weighting.poststratify(controls=pop("income4"), cells="income4", wgt_name="w_ps")
        pm = ps.estimation.mean("pce").to_polars()
    res["P1"] = {"est": pm["est"].to_list(), "se": pm["se"].to_list()}
if "J1" in a.tasks:
    psu_id = data["stratum"].to_numpy() * 1000 + data["psu"].to_numpy()
    group = np.unique(psu_id, return_inverse=True)[1] % N_REP
    w = data["w"].to_numpy() * N_REP / (N_REP - 1)
    reps = data.with_columns(
        [pl.Series(f"rep{r + 1}", np.where(group == r, 0.0, w)) for r in range(N_REP)]
    )
    with T("J1"):
        rs = svy.Sample(reps, svy.Design(wgt="w", rep_wgts=svy.JackknifeWgts(
            prefix="rep", n_reps=N_REP)))  # fmt: skip
        jb = rs.estimation.mean("pce", by="state", method="replication").to_polars()
    res["J1"] = by(jb)
emit("svy", versions("svy", "svy-rs", "polars", "numpy"), {"singleton": "center"}, a.data,
     T.t, res, a.out)  # fmt: skip
