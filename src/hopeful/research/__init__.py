"""HOPEful's research tools: survey files read with their labels, analysis specs run offline.

Pure Python (pandas, pyarrow, pyreadstat and :mod:`hopeful.stats`); it never imports Django,
the web layer or the command line, so ``hopeful analyze`` runs on a researcher's laptop.

- :mod:`~hopeful.research.io` reads ``.xpt``, ``.sas7bdat``, ``.sav``, ``.dta``, CSV and
  Parquet files with their variable and value labels;
- :mod:`~hopeful.research.spec` reads and checks a hand-written TOML analysis spec (every error
  names its line);
- :mod:`~hopeful.research.run` runs it through :class:`hopeful.stats.Design` into tidy rows;
- :mod:`~hopeful.research.output` writes them as CSV, Excel, JSON or an HTML report, with the
  spec's and the data's hashes.
"""

from __future__ import annotations

from hopeful.research.io import LabelledTable, ReadError, apply_missing, label_of, read_table
from hopeful.research.output import OutputError, write_results
from hopeful.research.run import Results, analyze, run_spec
from hopeful.research.spec import Spec, SpecError, load_spec, parse_spec

__all__ = [
    "LabelledTable",
    "OutputError",
    "ReadError",
    "Results",
    "Spec",
    "SpecError",
    "analyze",
    "apply_missing",
    "label_of",
    "load_spec",
    "parse_spec",
    "read_table",
    "run_spec",
    "write_results",
]
