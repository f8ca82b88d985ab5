"""Write :class:`~hopeful.research.run.Results` as CSV, XLSX, JSON or an HTML report.

The format comes from the output's suffix. Every output records the spec's and the data
file's sha256 and hopeful's version: a ``provenance`` object (JSON), sheet (XLSX) or section
(HTML); CSV stays one tidy table, with a sidecar ``<name>.csv.provenance.json`` (models in a
second file ``<name>.models.csv`` when the spec has models, tests in ``<name>.tests.csv`` when
it has tests; the sidecar lists the files). Files are written to a
temporary name and renamed, so a failed run leaves nothing half-written.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from hopeful.cells import safe_cell
from hopeful.research.run import ESTIMATE_COLUMNS, MODEL_COLUMNS, TEST_COLUMNS, Results

__all__ = ["BYTES_FORMATS", "FORMATS", "OutputError", "results_bytes", "write_results"]

FORMATS = (".csv", ".xlsx", ".json", ".html")


class OutputError(ValueError):
    """The output cannot be written (unknown suffix, unwritable directory)."""


def output_paths(path: Path, results: Results | None = None) -> list[Path]:
    """The files :func:`write_results` writes for ``path``."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(
            f"{path.name}: the output must end in {', '.join(FORMATS)} (not {suffix or 'nothing'})"
        )
    if suffix != ".csv":
        return [path]
    paths = [path, path.with_name(path.name + ".provenance.json")]
    if results is not None and len(results.models):
        paths.append(path.with_suffix(".models.csv"))
    if results is not None and len(results.tests):
        paths.append(path.with_suffix(".tests.csv"))
    return paths


def write_results(results: Results, path: Path) -> list[Path]:
    """Write ``results`` to ``path`` in the format of its suffix; return the files written."""
    paths = output_paths(path, results)
    suffix = path.suffix.lower()
    contents: list[bytes]
    if suffix == ".csv":
        provenance = {**results.provenance, "files": [p.name for p in paths]}
        contents = [results_bytes(results, "csv"), _json_bytes(provenance)]
        if len(results.models):
            contents.append(results_bytes(results, "models.csv"))
        if len(results.tests):
            contents.append(results_bytes(results, "tests.csv"))
    else:  # .xlsx, .json or .html (output_paths refused anything else)
        contents = [results_bytes(results, suffix[1:])]
    _write_all(list(zip(paths, contents, strict=True)))
    return paths


#: What :func:`results_bytes` makes: one file each.
BYTES_FORMATS = ("csv", "models.csv", "tests.csv", "xlsx", "json", "html")


def results_bytes(results: Results, fmt: str) -> bytes:
    """One output file's bytes, as :func:`write_results` writes it, for a server that sends
    the file instead of writing it: ``csv`` (the estimates), ``models.csv`` (the model terms),
    ``tests.csv``, ``xlsx``, ``json`` or ``html`` (see :data:`BYTES_FORMATS`)."""
    if fmt == "csv":
        return _csv(results.estimates)
    if fmt == "models.csv":
        return _csv(results.models)
    if fmt == "tests.csv":
        return _csv(results.tests)
    if fmt == "xlsx":
        return _xlsx(results)
    if fmt == "json":
        return _json_bytes(_as_json(results))
    if fmt == "html":
        return _html(results).encode("utf-8")
    raise OutputError(f"unknown output {fmt!r}; expected one of {', '.join(BYTES_FORMATS)}")


def _write_all(files: list[tuple[Path, bytes]]) -> None:
    temps: list[tuple[str, Path]] = []
    try:
        for target, content in files:
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            temps.append((temp, target))
            with os.fdopen(handle, "wb") as out:
                out.write(content)
        for temp, target in temps:
            Path(temp).replace(target)
    except OSError as exc:
        for temp, _ in temps:
            Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {files[0][0]}: {exc.strerror or exc}") from None


def _number(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): _number(v) if not pd.isna(v) else None for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow(
            [
                "" if v is None or (isinstance(v, float) and math.isnan(v)) else safe_cell(v)
                for v in row
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


def _as_json(results: Results) -> dict[str, Any]:
    return {
        "provenance": dict(results.provenance),
        "variable_labels": dict(results.variable_labels),
        "estimates": _records(results.estimates),
        "models": _records(results.models),
        "tests": _records(results.tests),
    }


def _xlsx(results: Results) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, frame, columns in (
        ("estimates", results.estimates, ESTIMATE_COLUMNS),
        ("models", results.models, MODEL_COLUMNS),
        ("tests", results.tests, TEST_COLUMNS),
    ):
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for record in _records(frame):
            sheet.append([safe_cell(record[c]) for c in columns])
    sheet = book.create_sheet("provenance")
    sheet.append(["key", "value"])
    for key, value in results.provenance.items():
        sheet.append([key, safe_cell(value)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- the HTML report ---------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; line-height: 1.4; }
table { border-collapse: collapse; margin: 1rem 0 2rem; }
caption { text-align: left; font-weight: bold; padding: 0.4rem 0; }
th, td { border: 1px solid #999; padding: 0.25rem 0.6rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
"""


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(
    caption: str, header: list[str], rows: Iterable[list[tuple[str, bool]]], row_header: int = 0
) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in header)
    body = []
    for row in rows:
        cells = []
        for i, (text, numeric) in enumerate(row):
            tag = 'th scope="row"' if i < row_header else "td"
            klass = ' class="num"' if numeric else ""
            cells.append(f"<{tag}{klass}>{html.escape(text)}</{tag.split()[0]}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table>\n<caption>{html.escape(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{chr(10).join(body)}\n</tbody>\n</table>"
    )


def _estimate_tables(results: Results) -> list[str]:
    tables = []
    for est_id, group in results.estimates.groupby("id", sort=False):
        first = group.iloc[0]
        label = results.variable_labels.get(str(first["variable"]), "")
        caption = f"{est_id}: {first['kind']} of {first['variable']}" + (
            f" ({label})" if label else ""
        )
        level = float(results.levels.get(str(est_id), 0.95))
        header = [
            "domain",
            "level",
            "estimate",
            f"{level:.0%} CI",
            "se",
            "n",
            "df",
            "deff",
            "flags",
        ]
        rows = [
            [
                (str(r["domain"]) or "all", False),
                (str(r["level"]), False),
                (_fmt(r["estimate"]), True),
                (f"{_fmt(r['ci_low'])} to {_fmt(r['ci_high'])}", True),
                (_fmt(r["se"]), True),
                (_fmt(r["n"]), True),
                (_fmt(r["df"], 0), True),
                (_fmt(r["deff"], 2), True),
                (str(r["flags"]), False),
            ]
            for r in group.to_dict("records")
        ]
        tables.append(_table(caption, header, rows, row_header=1))
    return tables


def _model_tables(results: Results) -> list[str]:
    tables = []
    for model_id, group in results.models.groupby("id", sort=False):
        binomial = group["odds_ratio"].notna().any()
        level = float(results.levels.get(str(model_id), 0.95))
        header = ["term", "estimate", f"{level:.0%} CI", "se", "p"]
        if binomial:
            header += ["odds ratio", "odds ratio CI"]
        rows = []
        for r in group.to_dict("records"):
            row = [
                (str(r["term"]), False),
                (_fmt(r["estimate"]), True),
                (f"{_fmt(r['ci_low'])} to {_fmt(r['ci_high'])}", True),
                (_fmt(r["se"]), True),
                (_fmt(r["p"]), True),
            ]
            if binomial:
                row += [
                    (_fmt(r["odds_ratio"], 3), True),
                    (f"{_fmt(r['or_low'], 3)} to {_fmt(r['or_high'], 3)}", True),
                ]
            rows.append(row)
        tables.append(_table(f"{model_id}: model terms", header, rows, row_header=1))
    return tables


def _test_tables(results: Results) -> list[str]:
    tables = []
    for r in results.tests.to_dict("records"):
        caption = f"{r['id']}: association of {r['row']} and {r['col']} ({r['method']})"
        header = ["statistic", "value", "ndf", "ddf", "p"]
        ddf = r["ddf"]
        row = [
            (str(r["statistic_name"]), False),
            (_fmt(r["statistic"]), True),
            (_fmt(r["ndf"], 3), True),
            ("none (chi-square)" if ddf is None or pd.isna(ddf) else _fmt(ddf, 3), True),
            (_fmt(r["p"]), True),
        ]
        tables.append(_table(caption, header, [row], row_header=1))
    return tables


def _html(results: Results) -> str:
    p = results.provenance
    provenance = _table(
        "Provenance: how to reproduce these tables",
        ["item", "value"],
        [[(str(k), False), (str(v), False)] for k, v in p.items()],
        row_header=1,
    )
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Analysis of {html.escape(str(p.get('data', '')))}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>Analysis of {html.escape(str(p.get('data', '')))}</h1>",
        f"<p>Spec {html.escape(str(p.get('spec', '')))}; confidence intervals are design-based "
        "(t with the design's degrees of freedom; Korn-Graubard for proportions unless the "
        "spec says otherwise; Woodruff for quantiles). Flags follow the NCHS Data "
        "Presentation Standards for Proportions.</p>",
    ]
    for title, tables in (
        ("Estimates", _estimate_tables(results)),
        ("Models", _model_tables(results)),
        ("Tests of association", _test_tables(results)),
    ):
        if tables:
            parts += [f"<section><h2>{html.escape(title)}</h2>", *tables, "</section>"]
    parts += [
        f"<section><h2>Provenance</h2>{provenance}</section>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
