"""Synthetic answers and the CSV files ODK Central, KoboToolbox and REDCap export for them
(pure Python: used by the pure reader tests and by the import pages' tests)."""

from __future__ import annotations

import csv
import io
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from hopeful.framework.instruments import Instrument
from hopeful.interop.redcap import form_name, variable_name
from hopeful.interop.rows import CONSENT_FIELDS, asks_child


@dataclass
class Record:
    external_id: str
    answers: dict[str, int | None]
    consent: dict[str, bool] = field(
        default_factory=lambda: {"care": True, "program_improvement": True, "research": False}
    )
    language: str = "en"
    name: str = ""
    birth_month: str = ""


def synthetic(instrument: Instrument, n: int, seed: int = 19) -> list[Record]:
    rng = random.Random(seed)  # noqa: S311 - test data
    out = []
    for index in range(n):
        answers = {item.id: rng.choice(item.codes) for item in instrument.items}
        out.append(
            Record(
                external_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                answers=answers,
                language=rng.choice(["en", "es"]),
                name=f"Family {index + 1}" if index % 3 == 0 else "",
                birth_month="2023-04" if asks_child(instrument) else "",
            )
        )
    return out


def _write(
    header: list[str], rows: list[list[Any]], delimiter: str = ",", bom: bool = False
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + buffer.getvalue()


def central_csv(instrument: Instrument, records: list[Record]) -> str:
    """ODK Central's CSV download: ``SubmissionDate`` first, ``meta-instanceID``, ``KEY`` ...,
    questions in a group ``survey-`` (Central joins group paths with ``-``)."""
    child = asks_child(instrument)
    header = [
        "SubmissionDate",
        *[f"survey-{n}" for n in CONSENT_FIELDS.values()],
        "survey-language",
        "survey-family_name",
        *(["survey-child_birth_month"] if child else []),
        *[f"survey-{item.id}" for item in instrument.items],
        "meta-instanceID",
        "KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    ]
    rows = [
        [
            "2026-11-02T10:15:00.000Z",
            *["yes" if r.consent[p] else "no" for p in CONSENT_FIELDS],
            r.language,
            r.name,
            *([f"{r.birth_month}-01" if r.birth_month else ""] if child else []),
            *["" if r.answers[i.id] is None else r.answers[i.id] for i in instrument.items],
            f"uuid:{r.external_id}",
            f"uuid:{r.external_id}",
            "5",
            "Tablet 1",
            "0",
            "0",
            "",
            "",
            "",
            "0",
            instrument.version,
        ]
        for r in records
    ]
    return _write(header, rows)


def kobo_csv(instrument: Instrument, records: list[Record]) -> str:
    """KoboToolbox's CSV ("XML values and headers", ``/`` for groups): ``;`` between cells, a
    byte-order mark, ``start``/``end`` first and ``_id``, ``_uuid`` ... last."""
    child = asks_child(instrument)
    header = [
        "start",
        "end",
        *CONSENT_FIELDS.values(),
        "language",
        "family_name",
        *(["child_birth_month"] if child else []),
        *[f"questions/{item.id}" for item in instrument.items],
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "_submitted_by",
        "__version__",
        "_tags",
        "_index",
    ]
    rows = []
    for index, r in enumerate(records):
        rows.append(
            [
                "2026-11-02T10:01:00.000-05:00",
                "2026-11-02T10:09:00.000-05:00",
                *["yes" if r.consent[p] else "no" for p in CONSENT_FIELDS],
                r.language,
                r.name,
                *([f"{r.birth_month}-01" if r.birth_month else ""] if child else []),
                *["" if r.answers[i.id] is None else r.answers[i.id] for i in instrument.items],
                str(1000 + index),
                r.external_id,
                "2026-11-02T15:09:30",
                "",
                "",
                "submitted_via_web",
                "",
                "vAbCdEf",
                "",
                str(index + 1),
            ]
        )
    return _write(header, rows, delimiter=";", bom=True)


def redcap_csv(instrument: Instrument, records: list[Record]) -> str:
    """REDCap's "CSV (raw data)" record export: ``record_id`` first, the form's fields, then
    ``<form>_complete``."""
    child = asks_child(instrument)
    form = form_name(instrument)
    header = [
        "record_id",
        "redcap_survey_identifier",
        f"{form}_timestamp",
        *CONSENT_FIELDS.values(),
        "language",
        "family_name",
        *(["child_birth_month"] if child else []),
        *[variable_name(item.id) for item in instrument.items],
        f"{form}_complete",
    ]
    rows = [
        [
            r.external_id,
            "",
            "2026-11-02 10:09:00",
            *["1" if r.consent[p] else "0" for p in CONSENT_FIELDS],
            r.language,
            r.name,
            *([r.birth_month] if child else []),
            *["" if r.answers[i.id] is None else r.answers[i.id] for i in instrument.items],
            "2",
        ]
        for r in records
    ]
    return _write(header, rows)
