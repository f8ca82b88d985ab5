"""Score a CSV or XLSX file of raw answers, in bounded memory, into a CSV file.

Every input column is read as text, so columns that are not items pass through exactly as
they were (leading zeros, free text, dates). Item columns are parsed and scored by
:func:`hopeful.framework.score_table` one batch at a time; the output is written to a
temporary file beside the target and renamed into place only when the whole file has been
scored, so a failure never leaves a partial output behind.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from hopeful.framework import AllMet, Instrument, ScoreTable, score_table

__all__ = ["ScoreFileError", "ScoreSummary", "score_file"]

#: Bytes of CSV parsed per batch (bounded memory, and the unit of progress).
CSV_BLOCK_SIZE = 8 << 20
#: Rows of an XLSX sheet scored per batch.
XLSX_BATCH_ROWS = 50_000
#: Files larger than this show a progress bar on a terminal unless told otherwise.
PROGRESS_MIN_BYTES = 5 << 20
#: Malformed lines quoted in the summary.
MAX_REPORTED_LINES = 5


class ScoreFileError(Exception):
    """The file cannot be scored at all (nothing is written)."""


@dataclass
class ScoreSummary:
    """What happened to the rows of a scored file."""

    rows: int = 0
    scored: int = 0
    missing: int = 0
    invalid: int = 0
    malformed: int = 0
    malformed_lines: list[str] = field(default_factory=list)
    ignored_cells: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def unscored(self) -> int:
        """Rows written without a score."""
        return self.rows - self.scored

    def lines(self) -> list[str]:
        """The summary as lines for stderr."""
        out = [
            f"scored {self.scored:,} of {self.rows:,} rows; {self.unscored:,} not scored "
            f"({self.invalid:,} with invalid answers, {self.missing:,} with missing answers)"
        ]
        for reason, count in self.reasons.most_common(5):
            out.append(f"  {count:,} x {reason}")
        if self.malformed:
            out.append(
                f"{self.malformed:,} malformed line(s) skipped (wrong number of fields), e.g.:"
            )
            out.extend(f"  {line}" for line in self.malformed_lines)
        if self.ignored_cells:
            out.append(
                f"{self.ignored_cells:,} non-empty cell(s) right of the last named column "
                "were ignored (give them a header to keep them)"
            )
        return out


class _CountingReader(io.RawIOBase):
    """A read-only binary stream that reports how many bytes were read (for progress)."""

    def __init__(self, raw: io.BufferedReader, progress: Any) -> None:
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)
        if n and self._progress is not None:
            self._progress.update(n)
        return n or 0


def _progress_bar(total: int, wanted: bool | None, unit: str) -> Any:
    show = wanted if wanted is not None else total >= PROGRESS_MIN_BYTES
    if not show:
        return None
    from tqdm import tqdm

    # disable=None hides the bar when stderr is not a terminal, unless forced on.
    return tqdm(
        total=total,
        unit=unit,
        unit_scale=True,
        desc="scoring",
        disable=False if wanted else None,
        leave=False,
    )


def _check_columns(inst: Instrument, header: list[str], source: str) -> None:
    duplicates = sorted(name for name, n in Counter(header).items() if n > 1)
    if duplicates:
        raise ScoreFileError(f"{source}: duplicate column names: {', '.join(duplicates)}")
    missing = [item for item in inst.required_item_ids if item not in header]
    if missing:
        lower = {name.lower(): name for name in header}
        hints = [f"{m} (found {lower[m.lower()]!r})" for m in missing if m.lower() in lower]
        hint = f"; column names are case-sensitive: {', '.join(hints)}" if hints else ""
        raise ScoreFileError(
            f"{source}: missing required column(s) for {inst.id}: {', '.join(missing)}{hint}"
        )
    taken = [name for name in (*inst.output_ids, "reason") if name in header]
    if taken:
        raise ScoreFileError(
            f"{source}: the file already has column(s) {', '.join(taken)} that scoring adds; "
            "rename or remove them"
        )


def _output_arrays(result: ScoreTable) -> list[tuple[str, pa.Array]]:
    arrays: list[tuple[str, pa.Array]] = []
    for output in result.instrument.all_outputs:
        values, known = result.values[output.id], result.known[output.id]
        if values.dtype == object:
            array = pa.array(values, type=pa.string(), from_pandas=True)
        elif isinstance(output, AllMet):
            array = pc.if_else(pa.array(values), "true", "false")
            array = pc.if_else(pa.array(known), array, pa.scalar(None, pa.string()))
        else:
            array = pa.array(values.astype(np.int16), mask=~known)
        arrays.append((output.id, array))
    arrays.append(("reason", pa.array(result.reason, type=pa.string())))
    return arrays


def _tally(summary: ScoreSummary, result: ScoreTable) -> None:
    scored = result.scored
    summary.rows += result.n_rows
    summary.scored += int(scored.sum())
    invalid = result.invalid_mask != 0
    summary.invalid += int(invalid.sum())
    summary.missing += int(((result.missing_mask != 0) & ~invalid).sum())
    unscored_reasons = result.reason[~scored]
    if len(unscored_reasons):
        kinds, counts = np.unique(unscored_reasons.astype(str), return_counts=True)
        for kind, count in zip(kinds.tolist(), counts.tolist(), strict=True):
            summary.reasons[kind] += count


def _score_batches(
    inst: Instrument,
    batches: Iterator[pa.RecordBatch],
    writer_path: Path,
    schema_names: list[str],
    options: Mapping[str, str],
    summary: ScoreSummary,
) -> None:
    writer: pacsv.CSVWriter | None = None
    try:
        for batch in batches:
            columns = dict(zip(batch.schema.names, batch.columns, strict=True))
            items = {item: columns[item] for item in inst.item_ids if item in columns}
            result = score_table(inst, items, options=options) if batch.num_rows else None
            out_names = list(schema_names)
            out_arrays = [columns[name] for name in schema_names]
            if result is not None:
                for name, array in _output_arrays(result):
                    out_names.append(name)
                    out_arrays.append(array)
                _tally(summary, result)
            else:
                out_names += [*inst.output_ids, "reason"]
                out_arrays += [pa.array([], type=pa.string())] * (len(inst.output_ids) + 1)
            table = pa.Table.from_arrays([a.cast(pa.string()) for a in out_arrays], names=out_names)
            if writer is None:
                writer = pacsv.CSVWriter(
                    str(writer_path),
                    table.schema,
                    write_options=pacsv.WriteOptions(quoting_style="needed"),
                )
            writer.write_table(table)
        if writer is None:  # no batch at all: header only
            names = [*schema_names, *inst.output_ids, "reason"]
            schema = pa.schema([(name, pa.string()) for name in names])
            writer = pacsv.CSVWriter(str(writer_path), schema)
    finally:
        if writer is not None:
            writer.close()


_ENCODING_HINT = "save it as 'CSV UTF-8' or pass --encoding (e.g. --encoding latin-1)"


def _csv_header(path: Path, encoding: str) -> tuple[list[str], bool]:
    """The column names, and whether the file holds nothing but the header row."""
    head_chars = 1 << 20
    try:
        with path.open(encoding=encoding, newline="") as handle:
            first = handle.read(head_chars)
    except UnicodeDecodeError:
        raise ScoreFileError(f"{path}: is not {encoding} text; {_ENCODING_HINT}") from None
    except LookupError:
        raise ScoreFileError(f"unknown encoding {encoding!r}") from None
    first = first.removeprefix("\ufeff")
    try:
        rows = csv.reader(io.StringIO(first))
        header = next(rows, None)
        # pyarrow cannot skip a header that has no line end after it: such a file is handled
        # here, as are files with nothing but blank lines after the header.
        header_only = len(first) < head_chars and not any(rows)
    except csv.Error as exc:
        raise ScoreFileError(f"{path}: cannot read the header row: {exc}") from None
    if not header or all(not name.strip() for name in header):
        raise ScoreFileError(f"{path}: the file is empty or has no header row")
    return _column_names(header), header_only


def _column_names(header: list[str]) -> list[str]:
    """Strip names; name blank header cells ``column_<n>`` (1-based) so they pass through."""
    return [name.strip() or f"column_{n}" for n, name in enumerate(header, start=1)]


def _csv_batches(
    path: Path, header: list[str], encoding: str, summary: ScoreSummary, progress: Any
) -> Iterator[pa.RecordBatch]:
    def on_invalid_row(row: Any) -> str:
        summary.malformed += 1
        if len(summary.malformed_lines) < MAX_REPORTED_LINES:
            where = f"line {row.number}: " if row.number is not None else ""
            summary.malformed_lines.append(
                f"{where}expected {row.expected_columns} fields, got {row.actual_columns}: "
                f"{row.text[:120]!r}"
            )
        return "skip"

    raw = path.open("rb")
    stream = io.BufferedReader(_CountingReader(raw, progress), buffer_size=1 << 20)
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                column_names=header,
                skip_rows=1,
                block_size=CSV_BLOCK_SIZE,
                encoding=encoding,
                use_threads=False,  # keeps line numbers for malformed lines; one core
            ),
            # Quoted values may hold line breaks, also across block boundaries.
            parse_options=pacsv.ParseOptions(
                invalid_row_handler=on_invalid_row, newlines_in_values=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        yield from reader
    except pa.ArrowInvalid as exc:
        hint = f"; {_ENCODING_HINT}" if "UTF8" in str(exc) or "UTF-8" in str(exc) else ""
        raise ScoreFileError(f"{path}: {exc}{hint}") from None
    finally:
        stream.close()
        raw.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[str], Iterator[tuple[Any, ...]], int]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise ScoreFileError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise ScoreFileError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, None)
    if header_row is None or all(v is None for v in header_row):
        raise ScoreFileError(f"{path}: the sheet is empty or has no header row")
    cells = [_cell_text(v).strip() for v in header_row]
    while cells and not cells[-1]:
        cells.pop()
    return _column_names(cells), rows, int(ws.max_row or 0)


def _xlsx_batches(
    header: list[str], rows: Iterator[tuple[Any, ...]], progress: Any, summary: ScoreSummary
) -> Iterator[pa.RecordBatch]:
    width = len(header)
    buffer: list[list[str]] = [[] for _ in range(width)]
    count = 0
    for row in rows:
        if all(v is None for v in row):
            continue  # trailing formatted-but-empty rows are common in spreadsheets
        summary.ignored_cells += sum(1 for v in row[width:] if v is not None)
        cells = [_cell_text(v) for v in row[:width]]
        cells += [""] * (width - len(cells))
        for column, cell in zip(buffer, cells, strict=True):
            column.append(cell)
        count += 1
        if count == XLSX_BATCH_ROWS:
            yield pa.RecordBatch.from_arrays([pa.array(c, pa.string()) for c in buffer], header)
            if progress is not None:
                progress.update(count)
            buffer, count = [[] for _ in range(width)], 0
    if count:
        yield pa.RecordBatch.from_arrays([pa.array(c, pa.string()) for c in buffer], header)
        if progress is not None:
            progress.update(count)


def score_file(
    inst: Instrument,
    input_path: Path,
    output_path: Path,
    *,
    options: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    sheet: str | None = None,
    progress: bool | None = None,
) -> ScoreSummary:
    """Score ``input_path`` (CSV or XLSX) with ``inst`` and write ``output_path`` (CSV).

    Raises
    ------
    ScoreFileError
        The input cannot be read, lacks a required column, or the output cannot be written.
        Nothing is written in that case.
    """
    if not input_path.is_file():
        raise ScoreFileError(f"{input_path}: no such file")
    if output_path.suffix.lower() != ".csv":
        raise ScoreFileError(f"{output_path}: the output must be a .csv file")
    if output_path.resolve() == input_path.resolve():
        raise ScoreFileError("the output file must not be the input file")
    suffix = input_path.suffix.lower()
    summary = ScoreSummary()
    bar: Any = None
    if suffix in {".csv", ".txt"}:
        header, header_only = _csv_header(input_path, encoding)
        _check_columns(inst, header, str(input_path))
        if header_only:
            batches: Iterator[pa.RecordBatch] = iter(())
        else:
            bar = _progress_bar(input_path.stat().st_size, progress, "B")
            batches = _csv_batches(input_path, header, encoding, summary, bar)
    elif suffix in {".xlsx", ".xlsm"}:
        header, rows, total_rows = _xlsx_rows(input_path, sheet)
        _check_columns(inst, header, str(input_path))
        wanted = progress if progress is not None else (total_rows > 20_000 or None)
        bar = _progress_bar(total_rows, wanted, "rows") if wanted is not False else None
        batches = _xlsx_batches(header, rows, bar, summary)
    else:
        raise ScoreFileError(f"{input_path}: unsupported file type {suffix!r} (use .csv or .xlsx)")

    target_dir = output_path.resolve().parent
    if not target_dir.is_dir():
        raise ScoreFileError(f"{output_path}: the folder {target_dir} does not exist")
    fd, tmp_name = tempfile.mkstemp(prefix=".hopeful-score-", suffix=".csv", dir=target_dir)
    os.close(fd)
    tmp_path = Path(tmp_name)
    try:
        _score_batches(inst, batches, tmp_path, header, options or {}, summary)
        tmp_path.chmod(0o644)
        tmp_path.replace(output_path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    return summary
