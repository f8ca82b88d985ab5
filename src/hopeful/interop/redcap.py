"""An instrument as a REDCap data dictionary, and REDCap's record exports read back.

The dictionary (Project Setup → Data Dictionary → upload) has REDCap's 18 columns and one form
named after the instrument: ``record_id``, the consent fields (``yesno``: 1 yes, 0 no; a
warning shows when all three are no), ``language`` (``en``/``es``), an optional
``family_name``, the child's birth month (``YYYY-MM``) for questionnaires answered about a
child, then every item as ``radio`` with HOPEful's integer codes. Variable names are the item
ids in lower case (REDCap's rule: lower case, a letter first, letters, digits and ``_``, at
most 26 characters). Labels are in English (REDCap's Multi-Language Management adds others).

:func:`parse_redcap_records` reads "CSV / Microsoft Excel (raw data)" exports of such a
project (``record_id`` is the external id; REDCap's own columns such as
``redcap_event_name`` or ``<form>_complete`` are ignored). Pure Python, no Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from hopeful.cells import safe_cell
from hopeful.framework.instruments import Instrument
from hopeful.interop.rows import (
    CONSENT_FIELDS,
    LANGUAGE_LABELS,
    FileTooLargeError,
    ParsedFile,
    RowValues,
    asks_child,
    check_row,
    mark_duplicates,
    read_csv,
)

__all__ = [
    "DICTIONARY_COLUMNS",
    "VARIABLE_RE",
    "form_name",
    "parse_redcap_records",
    "redcap_dictionary",
    "variable_name",
]

#: REDCap's data dictionary columns, in REDCap's order.
DICTIONARY_COLUMNS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)

#: A valid REDCap variable name.
VARIABLE_RE = re.compile(r"^[a-z][a-z0-9_]{0,25}$")

_CONSENT_LABELS = {
    "care": "May your care team use your answers to support you and your family?",
    "program_improvement": (
        "May the program use your answers, grouped with others, to improve its services?"
    ),
    "research": "May your answers be used for research, without your name?",
}


def variable_name(text: str) -> str:
    """A valid REDCap variable name for ``text`` (lower case, ``_`` for anything else)."""
    name = re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")
    if not name or not name[0].isalpha():
        name = "v_" + name
    return name[:26].rstrip("_")


def form_name(instrument: Instrument) -> str:
    """The REDCap form (instrument) name: ``hopeful_<id>`` as a variable name."""
    return variable_name(f"hopeful_{instrument.id}")


def _row(**cells: str) -> list[str]:
    keys = {
        "name": 0,
        "form": 1,
        "section": 2,
        "type": 3,
        "label": 4,
        "choices": 5,
        "note": 6,
        "validation": 7,
        "identifier": 10,
        "branching": 11,
        "required": 12,
        "annotation": 17,
    }
    out = [""] * len(DICTIONARY_COLUMNS)
    for key, value in cells.items():
        out[keys[key]] = value
    return out


def _choices(pairs: list[tuple[str, str]]) -> str:
    return " | ".join(f"{code}, {label.replace('|', '/')}" for code, label in pairs)


def redcap_dictionary(instrument: Instrument) -> str:
    """The instrument as a REDCap data dictionary (CSV text)."""
    form = form_name(instrument)
    rows = [
        _row(name="record_id", form=form, type="text", label="Record ID"),
    ]
    consent_names = list(CONSENT_FIELDS.values())
    for index, (purpose, name) in enumerate(CONSENT_FIELDS.items()):
        rows.append(
            _row(
                name=name,
                form=form,
                section="Consent: what may we do with your answers?" if index == 0 else "",
                type="yesno",
                label=_CONSENT_LABELS[purpose],
                required="y",
            )
        )
    rows.append(
        _row(
            name="consent_none",
            form=form,
            type="descriptive",
            label="Please say yes to at least one use: without it the answers cannot be kept.",
            branching=" and ".join(f"[{n}] = '0'" for n in consent_names),
        )
    )
    rows.append(
        _row(
            name="language",
            form=form,
            type="radio",
            label="Which language are you answering in?",
            choices=_choices(list(LANGUAGE_LABELS.items())),
            required="y",
        )
    )
    rows.append(
        _row(
            name="family_name",
            form=form,
            type="text",
            label="A name or code for your family (optional)",
            identifier="y",
        )
    )
    if asks_child(instrument):
        rows.append(
            _row(
                name="child_birth_month",
                form=form,
                type="text",
                label="In which month and year was the child born?",
                note="YYYY-MM, for example 2023-04",
                required="y",
            )
        )
    first = True
    for item in instrument.items:
        rows.append(
            _row(
                name=variable_name(item.id),
                form=form,
                section=instrument.instructions.get_text("en") if first else "",
                type="radio",
                label=item.text.get_text("en"),
                choices=_choices([(str(o.code), o.label.get_text("en")) for o in item.options]),
                note=item.note.get_text("en") if item.note is not None else "",
                required="y" if item.required else "",
                annotation=f"HOPEful {instrument.id} {instrument.version} item {item.id}",
            )
        )
        first = False
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(DICTIONARY_COLUMNS)
    for cells in rows:
        writer.writerow([safe_cell(c) for c in cells])
    return buffer.getvalue()


def _is_redcap_own(column: str, form: str) -> bool:
    return (
        column.startswith("redcap_")
        or column in (f"{form}_complete", f"{form}_timestamp", "consent_none")
        or column.endswith("_complete")
        or column.endswith("_timestamp")
    )


def _survey_time(value: str) -> str:
    """REDCap's survey completion time (``<form>_timestamp``, exported when the form is a
    survey): blank for ``[not completed]`` and for forms entered by staff. REDCap writes it in
    its server's time without a zone; it is read as UTC."""
    text = value.strip()
    return "" if text.startswith("[") else text


def parse_redcap_records(
    data: str | bytes, instrument: Instrument, *, today: dt.date | None = None
) -> ParsedFile:
    """Read a REDCap "CSV (raw data)" record export of :func:`redcap_dictionary`'s project."""
    result = ParsedFile()
    try:
        header, records = read_csv(data)
    except (FileTooLargeError, ValueError) as exc:
        result.errors.append(str(exc))
        return result
    form = form_name(instrument)
    columns = [h.strip().lower() for h in header]
    where = {name: i for i, name in reversed(list(enumerate(columns)))}
    items = {variable_name(item.id): item.id for item in instrument.items}
    if "record_id" not in where:
        if any(h.strip().lower() in ("record id", "id del registro") for h in header):
            result.errors.append(
                "This is a REDCap export with labels. Export the records again as "
                "'CSV / Microsoft Excel (raw data)'."
            )
        else:
            result.errors.append(
                "The file has no record_id column: is it a REDCap record export of this "
                "questionnaire's project?"
            )
        return result
    needed = [*CONSENT_FIELDS.values(), "language", *items]
    missing = [name for name in needed if name not in where]
    if missing:
        result.errors.append(
            "These columns are missing: " + ", ".join(missing) + ". Export every field of the "
            f"form {form!r} as 'CSV / Microsoft Excel (raw data)'."
        )
        return result
    known = {"record_id", "family_name", "child_birth_month", *needed}
    ignored = [c for c in columns if c and c not in known and not _is_redcap_own(c, form)]
    if ignored:
        result.notes.append(
            "These columns are not in the questionnaire and were ignored: " + ", ".join(ignored)
        )
    if len(set(columns)) != len(columns):
        result.errors.append("Some columns appear twice in the file.")
        return result

    def cell(cells: list[str], name: str) -> str:
        index = where.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    for number, cells in enumerate(records, start=2):
        values = RowValues(
            row=number,
            external_id=cell(cells, "record_id"),
            consent={p: cell(cells, n) for p, n in CONSENT_FIELDS.items()},
            language=cell(cells, "language"),
            name=cell(cells, "family_name"),
            child_birth_month=cell(cells, "child_birth_month"),
            items={item_id: cell(cells, var) for var, item_id in items.items()},
            answered_at=_survey_time(cell(cells, f"{form}_timestamp")),
        )
        result.rows.append(check_row(values, instrument, today=today))
    mark_duplicates(result.rows)
    if not result.rows:
        result.errors.append("The file has a header but no records.")
    return result
