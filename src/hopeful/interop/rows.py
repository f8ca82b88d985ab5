"""What the ODK/Kobo and REDCap readers give back: one :class:`ParsedRow` per record of the
file, either ready to store or with the reasons it cannot be, and the file-level problems.

Shared by :mod:`hopeful.interop.odk` and :mod:`hopeful.interop.redcap`: reading a CSV the way
those tools write it (UTF-8 with or without a byte-order mark, ``,`` or ``;`` between cells),
the size limits, and the checks of one record's values (consent, language, birth month, the
integer codes of the items). Pure Python, no Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hopeful.framework.instruments import Audience, Instrument

__all__ = [
    "CONSENT_FIELDS",
    "CONSENT_PURPOSES",
    "LANGUAGE_LABELS",
    "MAX_BYTES",
    "MAX_ROWS",
    "NAME_MAX",
    "FileTooLargeError",
    "ParsedFile",
    "ParsedRow",
    "RowValues",
    "answer_time",
    "asks_child",
    "check_row",
    "mark_duplicates",
    "read_csv",
    "read_time",
]

#: The largest file accepted (bytes) and the most records in it.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000

#: Consent purposes (as HOPEful stores them) and the field each form asks them in. The field
#: names are the same in the XLSForm and the REDCap dictionary (REDCap names are at most 26
#: characters, so ``program_improvement`` is shortened to ``program``).
CONSENT_PURPOSES = ("care", "program_improvement", "research")
CONSENT_FIELDS: Mapping[str, str] = {
    "care": "consent_care",
    "program_improvement": "consent_program",
    "research": "consent_research",
}
LANGUAGE_LABELS: Mapping[str, str] = {"en": "English", "es": "Español"}

#: The longest family name or code HOPEful stores.
NAME_MAX = 80
#: The oldest child accepted, in completed months (as the web survey: 18 years).
CHILD_MAX_AGE_MONTHS = 18 * 12

_YES = frozenset({"1", "yes", "y", "true", "sí", "si"})
_NO = frozenset({"0", "no", "n", "false"})
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ].*)?$")


class FileTooLargeError(ValueError):
    """The file is larger than :data:`MAX_BYTES` or has more records than :data:`MAX_ROWS`."""


@dataclass
class ParsedRow:
    """One record of the file: ``row`` is its line number in the file (the header is row 1),
    ``external_id`` the other system's id of it. When ``errors`` is empty the rest is what
    HOPEful's submission takes (answers are ``{item_id: code or None}``)."""

    row: int
    external_id: str
    errors: list[str] = field(default_factory=list)
    language: str = ""
    consent: dict[str, bool] = field(default_factory=dict)
    name: str = ""
    answers: dict[str, int | None] = field(default_factory=dict)
    child_birth_month: str | None = None
    answered_at: str | None = None
    """When the family answered, ISO 8601 in UTC (None: the file does not say)."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (kept with an import until it is confirmed or cancelled)."""
        return {
            "row": self.row,
            "external_id": self.external_id,
            "errors": list(self.errors),
            "language": self.language,
            "consent": dict(self.consent),
            "name": self.name,
            "answers": dict(self.answers),
            "child_birth_month": self.child_birth_month,
            "answered_at": self.answered_at,
        }


@dataclass
class ParsedFile:
    """Every record of a file, and the problems of the whole file (``errors``: nothing can be
    imported; ``notes``: worth knowing, such as columns that were ignored)."""

    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def valid_rows(self) -> list[ParsedRow]:
        return [] if self.errors else [r for r in self.rows if r.ok]

    @property
    def invalid_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if not r.ok]


def read_csv(data: str | bytes) -> tuple[list[str], list[list[str]]]:
    """The header and the records of a CSV as ODK Central, KoboToolbox and REDCap write it:
    UTF-8 (a byte-order mark is dropped; Latin-1 is read if it is not UTF-8), cells separated
    by ``,`` or ``;`` (Kobo's default), quoted cells on several lines. Blank lines are skipped.

    Raises :class:`FileTooLargeError` past :data:`MAX_BYTES` or :data:`MAX_ROWS`, and
    :class:`ValueError` for a file with no header."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise FileTooLargeError(_too_large())
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    else:
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise FileTooLargeError(_too_large())
        text = data.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: list[list[str]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            continue
        records.append(cells)
        if len(records) > MAX_ROWS:
            raise FileTooLargeError(
                f"The file has more than {MAX_ROWS:,} records. Split it into smaller files "
                "(for example by month) and import them one after the other."
            )
    if header is None:
        raise ValueError("The file is empty: it has no header row.")
    return header, records


def _too_large() -> str:
    return (
        f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller "
        "files (for example by month) and import them one after the other."
    )


def asks_child(instrument: Instrument) -> bool:
    """Whether the instrument is answered about a child (and so asks the birth month)."""
    return instrument.audience == Audience.PARENT_REPORT_CHILD


@dataclass
class RowValues:
    """One record's raw cells by HOPEful's field names (blank cells as ``""``)."""

    row: int
    external_id: str
    consent: Mapping[str, str]
    language: str
    name: str
    child_birth_month: str
    items: Mapping[str, str]
    answered_at: str = ""
    """When the family answered, as the other system wrote it (blank: not known). A time
    without a zone is UTC; a day alone is noon UTC of that day."""


def check_row(
    values: RowValues, instrument: Instrument, *, today: dt.date | None = None
) -> ParsedRow:
    """Check one record's values against the instrument: a :class:`ParsedRow` with the parsed
    values, or with every reason (in plain words) it cannot be stored."""
    parsed = ParsedRow(row=values.row, external_id=values.external_id.strip())
    errors = parsed.errors
    if not parsed.external_id:
        errors.append("The record has no id.")
    for purpose, field_name in CONSENT_FIELDS.items():
        raw = values.consent.get(purpose, "").strip().lower()
        if raw in _YES:
            parsed.consent[purpose] = True
        elif raw in _NO or raw == "":
            parsed.consent[purpose] = False
        else:
            errors.append(f"{field_name} is {raw!r}: write 1 (yes) or 0 (no).")
    if not errors and not any(parsed.consent.values()):
        errors.append(
            "No consent: the family agreed to none of care, program improvement or research, "
            "so their answers cannot be stored."
        )
    _check_language(values.language, parsed)
    parsed.name = values.name.strip()
    if len(parsed.name) > NAME_MAX:
        errors.append(f"The family name or code is longer than {NAME_MAX} characters.")
    today = today or dt.datetime.now(dt.UTC).date()
    answered = _check_answered_at(values.answered_at, parsed, today)
    if asks_child(instrument):
        _check_birth_month(values.child_birth_month, parsed, answered or today)
    for item in instrument.items:
        _check_item(item, values.items.get(item.id, ""), parsed)
    return parsed


def _check_language(raw: str, parsed: ParsedRow) -> None:
    text = raw.strip().lower()
    for code, label in LANGUAGE_LABELS.items():
        if text in (code, label.lower()):
            parsed.language = code
            return
    if not text:
        parsed.errors.append("The language the family answered in is missing (en or es).")
    else:
        parsed.errors.append(f"The language {raw.strip()!r} is not en (English) or es (Spanish).")


def read_time(text: str) -> dt.datetime | None:
    """ISO 8601 as written (``T`` or a space, with or without seconds; a time without a zone
    stays without one), or a day alone as noon UTC of that day (so it stays on its day in the
    Americas). None when it is neither."""
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def answer_time(raw: str) -> dt.datetime | None:
    """An answer time as ODK, Kobo and REDCap write it (:func:`read_time`; no zone means UTC),
    in UTC. None when it is not one."""
    moment = read_time(raw.strip())
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:  # the year 1 east of UTC, or 9999 west of it
        return None


def _check_answered_at(raw: str, parsed: ParsedRow, today: dt.date) -> dt.date | None:
    """Keep the answer time in ``parsed`` (or the reason it cannot be); its day (UTC) when
    kept."""
    text = raw.strip()
    if not text:
        return None
    moment = answer_time(text)
    if moment is None:
        parsed.errors.append(
            f"The time the family answered, {text!r}, is not a date and time "
            "(2026-03-31 14:05 or 2026-03-31T14:05:00Z)."
        )
    elif moment.date() > today:
        parsed.errors.append(f"The time the family answered, {text!r}, is in the future.")
    elif moment.year < 2000:
        parsed.errors.append(f"The time the family answered, {text!r}, is before 2000.")
    else:
        parsed.answered_at = moment.isoformat()
        return moment.date()
    return None


def _check_birth_month(raw: str, parsed: ParsedRow, today: dt.date) -> None:
    text = raw.strip()
    if not text:
        return
    match = _MONTH_RE.match(text)
    if match is None:
        parsed.errors.append(
            f"The child's birth month {text!r} is not a month: write it YYYY-MM (2023-04)."
        )
        return
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1:
        parsed.errors.append(f"The child's birth month {text!r} is not a month.")
        return
    age = (today.year - year) * 12 + (today.month - month)
    if age < 0:
        parsed.errors.append(f"The child's birth month {text!r} is in the future.")
    elif age > CHILD_MAX_AGE_MONTHS:
        parsed.errors.append(f"The child's birth month {text!r} is more than 18 years ago.")
    else:
        parsed.child_birth_month = f"{year:04d}-{month:02d}"


def _labels_of(item: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for option in item.options:
        for text in option.label.values():
            out.setdefault(text.strip().lower(), option.code)
    return out


def _check_item(item: Any, raw: str, parsed: ParsedRow) -> None:
    text = raw.strip()
    if not text:
        parsed.answers[item.id] = None
        return
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None and number.is_integer():
        code = int(number)
        if code in item.codes:
            parsed.answers[item.id] = code
            return
        codes = ", ".join(str(c) for c in item.codes)
        parsed.errors.append(f"{item.id}: {code} is not one of its codes ({codes}).")
        return
    if text.lower() in _labels_of(item):
        parsed.errors.append(
            f"{item.id}: {text!r} is an answer's label, not its code. Export the file with "
            "codes (values), not labels."
        )
        return
    parsed.errors.append(f"{item.id}: {text!r} is not a code.")


def mark_duplicates(rows: Iterable[ParsedRow]) -> None:
    """Mark every record whose id an earlier record of the file already has."""
    first: dict[str, int] = {}
    for row in rows:
        if not row.external_id:
            continue
        key = row.external_id
        if key in first:
            row.errors.append(f"The id {key!r} is also the id of row {first[key]}.")
        else:
            first[key] = row.row
