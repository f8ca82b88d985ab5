"""Make a synthetic BRFSS-like file in the design of Bethell et al. 2019, with known odds ratios.

The file's design and its known odds ratios are described in :mod:`hopeful.research.example`
(Bethell et al., JAMA Pediatrics 2019, on the 2015 Wisconsin BRFSS); every row is made up by
a seeded random number generator.

Usage, from the repository root::

    python docs/examples/bethell2019/make_data.py            # writes WI2015.XPT beside this file
    hopeful analyze docs/examples/bethell2019/spec.toml -o results.csv
    python docs/examples/bethell2019/make_data.py --compare results.csv

``--compare`` reads what ``hopeful analyze ... -o results.csv`` wrote (``results.csv`` and
``results.models.csv``) and prints the prevalences, then each recovered odds ratio next to the
truth.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from hopeful.research.example import (
    ITEMS,
    ROWS,
    SEED,
    TRUE_ODDS_RATIOS,
    VARIABLE_LABELS,
    make_frame,
    write_xpt,
)

__all__ = [
    "FILE_NAME",
    "ITEMS",
    "ROWS",
    "SEED",
    "TRUE_ODDS_RATIOS",
    "VARIABLE_LABELS",
    "compare",
    "make_frame",
    "prevalence",
    "write_xpt",
]

HERE = Path(__file__).resolve().parent
FILE_NAME = "WI2015.XPT"


def compare(results_csv: Path) -> pd.DataFrame:
    """The PCE-band odds ratios of a run (``results.csv``, whose model terms are in
    ``results.models.csv`` beside it) next to :data:`TRUE_ODDS_RATIOS`."""
    models_csv = results_csv.with_suffix(".models.csv")
    models = pd.read_csv(models_csv)
    rows = []
    for model, truth in TRUE_ODDS_RATIOS.items():
        for band, true_or in truth.items():
            term = models[(models["id"] == model) & (models["term"] == f"C(pce_band)[T.{band}]")]
            if term.empty:
                raise SystemExit(f"{models_csv}: no term C(pce_band)[T.{band}] in model {model!r}")
            row = term.iloc[0]
            low, high = float(row["or_low"]), float(row["or_high"])
            rows.append(
                {
                    "model": model,
                    "band": f"{band} vs 0-2",
                    "true_or": true_or,
                    "odds_ratio": round(float(row["odds_ratio"]), 3),
                    "or_low": round(low, 3),
                    "or_high": round(high, 3),
                    "covers": low <= true_or <= high,
                }
            )
    return pd.DataFrame(rows)


def prevalence(results_csv: Path) -> pd.DataFrame:
    """Weighted share of adults per PCE band, and of each outcome per band, from a run."""
    estimates = pd.read_csv(results_csv, keep_default_na=False)
    shares = estimates[estimates["id"] == "pce_bands"].assign(band=lambda f: f["level"])
    outcomes = estimates[estimates["id"].str.endswith("_by_band") & (estimates["level"] == "1")]
    outcomes = outcomes.assign(band=outcomes["domain"].str.removeprefix("pce_band="))
    table = pd.concat([shares, outcomes])[["id", "band", "estimate", "ci_low", "ci_high", "n"]]
    return table.round(3).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-o", "--output", type=Path, default=HERE / FILE_NAME, help="the .xpt")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--compare", type=Path, metavar="RESULTS_CSV", help="check a run")
    args = parser.parse_args(argv)
    if args.compare:
        print(prevalence(args.compare).to_string(index=False))
        print()
        print(compare(args.compare).to_string(index=False))
        return 0
    path = write_xpt(make_frame(args.rows, args.seed), args.output)
    print(f"wrote {path} ({args.rows} rows, seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
