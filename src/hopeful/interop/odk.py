"""CSV exports of HOPEful's XLSForm (:mod:`hopeful.interop.xlsform`) from ODK Central and
KoboToolbox, read back as records to import.

What the readers accept:

- ODK Central's "CSV" download (``group-field`` column names, ``meta-instanceID``,
  ``KEY``, ``SubmitterID`` ...) and KoboToolbox's CSV (``group/field`` names or plain names,
  ``;`` or ``,`` between cells, ``_uuid``, ``_id``, ``_submission_time`` ...);
- answers as their codes ("XML values"). A file with the answers' labels instead ("Often")
  is refused with a message saying how to export the codes.

The external id of a record is its ``instanceID`` without the ``uuid:`` prefix (Kobo's
``_uuid`` when there is no ``instanceID`` column), so the same submission exported from
Central and from Kobo is the same record. When the family answered is the form's ``end``
(the time the form was finished on the phone, with its zone), else when the server received it
(Central's ``SubmissionDate``, Kobo's ``_submission_time``, UTC). Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import re

from hopeful.framework.instruments import Instrument
from hopeful.interop.rows import (
    CONSENT_FIELDS,
    FileTooLargeError,
    ParsedFile,
    RowValues,
    asks_child,
    check_row,
    mark_duplicates,
    read_csv,
)

__all__ = ["base_name", "parse_odk_csv"]

#: Columns ODK Central and KoboToolbox add (compared in lower case, after the group prefix).
_METADATA = frozenset(
    {
        "submissiondate",
        "key",
        "submitterid",
        "submittername",
        "attachmentspresent",
        "attachmentsexpected",
        "status",
        "reviewstate",
        "deviceid",
        "edits",
        "formversion",
        "start",
        "end",
        "today",
        "username",
        "phonenumber",
        "simserial",
        "subscriberid",
        "audit",
        "instancename",
        "deprecatedid",
        "rootuuid",
        # the notes of the form (empty columns in some exports)
        "consent_intro",
        "content_note",
        "instructions",
    }
)

_ID_COLUMNS = ("instanceid", "_uuid")
#: Where the time the family answered is, best first (lower case, after the group prefix).
_TIME_COLUMNS = ("end", "submissiondate", "_submission_time")


def base_name(column: str) -> str:
    """A column's field name without its group path (``group/pce1``, ``group-pce1`` and
    ``meta-instanceID`` give ``pce1`` and ``instanceID``)."""
    return re.split(r"[/-]", column.strip())[-1]


def parse_odk_csv(
    data: str | bytes, instrument: Instrument, *, today: dt.date | None = None
) -> ParsedFile:
    """Read an ODK Central or KoboToolbox CSV export of the instrument's XLSForm."""
    result = ParsedFile()
    try:
        header, records = read_csv(data)
    except (FileTooLargeError, ValueError) as exc:
        result.errors.append(str(exc))
        return result
    where: dict[str, int] = {}
    duplicated: list[str] = []
    for index, column in enumerate(header):
        name = base_name(column).lower()
        if name in where:
            duplicated.append(column)
        else:
            where[name] = index
    items = {item.id.lower(): item.id for item in instrument.items}
    id_column = next((c for c in _ID_COLUMNS if c in where), None)
    needed = [*CONSENT_FIELDS.values(), "language", *items]
    missing = [name for name in needed if name not in where]
    if id_column is None or missing:
        result.errors.append(_missing_message(id_column, missing, header, instrument))
        return result
    known = {"family_name", "child_birth_month", *needed}
    ignored = [
        c
        for c in header
        if c.strip()
        and base_name(c).lower() not in known
        and base_name(c).lower() not in _METADATA
        and base_name(c).lower() not in _ID_COLUMNS
        and not base_name(c).startswith("_")
    ]
    if duplicated:
        result.errors.append(
            "Some questions appear in more than one column: " + ", ".join(duplicated) + "."
        )
        return result
    if ignored:
        result.notes.append(
            "These columns are not in the questionnaire and were ignored: " + ", ".join(ignored)
        )

    def cell(cells: list[str], name: str) -> str:
        index = where.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    def answered(cells: list[str]) -> str:
        return next((t for c in _TIME_COLUMNS if (t := cell(cells, c).strip())), "")

    for number, cells in enumerate(records, start=2):
        raw_id = cell(cells, id_column).strip()
        values = RowValues(
            row=number,
            external_id=raw_id.removeprefix("uuid:"),
            consent={p: cell(cells, n) for p, n in CONSENT_FIELDS.items()},
            language=cell(cells, "language"),
            name=cell(cells, "family_name"),
            child_birth_month=cell(cells, "child_birth_month") if asks_child(instrument) else "",
            items={item_id: cell(cells, key) for key, item_id in items.items()},
            answered_at=answered(cells),
        )
        result.rows.append(check_row(values, instrument, today=today))
    mark_duplicates(result.rows)
    if not result.rows:
        result.errors.append("The file has a header but no records.")
    if sum("is an answer's label" in e for r in result.rows for e in r.errors) > 0:
        result.errors.append(
            "The file has the answers' labels instead of their codes. In KoboToolbox choose "
            "'XML values and headers' when you export; ODK Central exports codes."
        )
    return result


def _missing_message(
    id_column: str | None, missing: list[str], header: list[str], instrument: Instrument
) -> str:
    labels = {text.strip().lower() for item in instrument.items for text in item.text.values()}
    if any(h.strip().lower() in labels for h in header):
        return (
            "The file's column names are the questions' labels. In KoboToolbox choose "
            "'XML values and headers' when you export, so the columns are the field names."
        )
    parts = []
    if id_column is None:
        parts.append("the record id (meta-instanceID, meta/instanceID or _uuid)")
    parts.extend(missing)
    return (
        "These columns are missing: " + ", ".join(parts) + ". Is this the export of the "
        "form made from this questionnaire's XLSForm?"
    )
