"""HSDS 3.0's tabular form: the JSON document of :mod:`hopeful.web.directory.hsds` as a
Frictionless tabular data package (``datapackage.json`` and one CSV file per table), zipped.

Pure Python (no database): the nested records are flattened into the tables HSDS defines,
each row keeping its parent's id (``service_id``, ``location_id``, ...). The tables, file
names, columns and types are those of HSDS 3.0's own ``datapackage.json``
(``tests/web/directory/hsds_schema/``; the tests check that they agree); every column of a
table is written, empty when HOPEful has nothing for it.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

_ID = ("id", "string", "uuid")

#: The HSDS tables this export fills: name -> (CSV file, columns as (name, type, format)).
TABLES: dict[str, tuple[str, tuple[tuple[str, str, str | None], ...]]] = {
    "organization": (
        "organizations.csv",
        (
            _ID,
            ("name", "string", None),
            ("alternate_name", "string", None),
            ("description", "string", None),
            ("email", "string", "email"),
            ("website", "string", "uri"),
            ("tax_status", "string", None),
            ("tax_id", "string", None),
            ("year_incorporated", "number", None),
            ("legal_status", "string", None),
            ("logo", "string", None),
            ("uri", "string", "uri"),
            ("parent_organization_id", "string", "uuid"),
        ),
    ),
    "service": (
        "services.csv",
        (
            _ID,
            ("organization_id", "string", "uuid"),
            ("program_id", "string", "uuid"),
            ("name", "string", None),
            ("alternate_name", "string", None),
            ("description", "string", None),
            ("url", "string", "uri"),
            ("email", "string", "email"),
            ("status", "string", None),
            ("interpretation_services", "string", None),
            ("application_process", "string", None),
            ("fees_description", "string", None),
            ("wait_time", "string", None),
            ("fees", "string", None),
            ("accreditations", "string", None),
            ("eligibility_description", "string", None),
            ("minimum_age", "number", None),
            ("maximum_age", "number", None),
            ("assured_date", "date", None),
            ("assurer_email", "string", "email"),
            ("licenses", "string", None),
            ("alert", "string", None),
            ("last_modified", "datetime", None),
        ),
    ),
    "service_at_location": (
        "service_at_location.csv",
        (
            _ID,
            ("service_id", "string", "uuid"),
            ("location_id", "string", "uuid"),
            ("description", "string", None),
        ),
    ),
    "location": (
        "locations.csv",
        (
            _ID,
            ("location_type", "string", None),
            ("url", "string", "uri"),
            ("organization_id", "string", "uuid"),
            ("name", "string", None),
            ("alternate_name", "string", None),
            ("description", "string", None),
            ("transportation", "string", None),
            ("latitude", "number", None),
            ("longitude", "number", None),
            ("external_identifier", "string", None),
            ("external_identifier_type", "string", None),
        ),
    ),
    "address": (
        "addresses.csv",
        (
            _ID,
            ("location_id", "string", "uuid"),
            ("attention", "string", None),
            ("address_1", "string", None),
            ("address_2", "string", None),
            ("city", "string", None),
            ("region", "string", None),
            ("state_province", "string", None),
            ("postal_code", "string", None),
            ("country", "string", None),
            ("address_type", "string", None),
        ),
    ),
    "schedule": (
        "schedules.csv",
        (
            _ID,
            ("service_id", "string", "uuid"),
            ("location_id", "string", "uuid"),
            ("service_at_location_id", "string", "uuid"),
            ("valid_from", "date", None),
            ("valid_to", "date", None),
            ("dtstart", "date", None),
            ("timezone", "number", None),
            ("until", "date", None),
            ("count", "number", None),
            ("wkst", "string", None),
            ("freq", "string", None),
            ("interval", "number", None),
            ("byday", "string", None),
            ("byweekno", "string", None),
            ("bymonthday", "string", None),
            ("byyearday", "string", None),
            ("description", "string", None),
            ("opens_at", "time", None),
            ("closes_at", "time", None),
            ("schedule_link", "string", "uri"),
            ("attending_type", "string", None),
            ("notes", "string", None),
        ),
    ),
    "service_area": (
        "service_areas.csv",
        (
            _ID,
            ("service_id", "string", "uuid"),
            ("name", "string", None),
            ("description", "string", None),
            ("extent", "string", None),
            ("extent_type", "string", None),
            ("uri", "string", None),
        ),
    ),
    "language": (
        "languages.csv",
        (
            _ID,
            ("service_id", "string", "uuid"),
            ("location_id", "string", "uuid"),
            ("phone_id", "string", "uuid"),
            ("name", "string", None),
            ("code", "string", None),
            ("note", "string", None),
        ),
    ),
}

#: Which table the records under each key of a nested record belong to.
CHILDREN = {
    "locations": "location",
    "service_at_locations": "service_at_location",
    "location": "location",
    "addresses": "address",
    "schedules": "schedule",
    "service_areas": "service_area",
    "languages": "language",
}


def tables(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table, in the document's order, each record once (a location shared
    by two services is one row)."""
    found: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in TABLES}

    def walk(table: str, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            found[table].setdefault(
                record["id"],
                {k: v for k, v in record.items() if not isinstance(v, dict | list)},
            )
            for key, value in record.items():
                if key in CHILDREN:
                    walk(CHILDREN[key], value if isinstance(value, list) else [value])

    walk("organization", document["organizations"])
    walk("service", document["services"])
    return {name: list(rows.values()) for name, rows in found.items()}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def table_csv(name: str, rows: list[dict[str, Any]]) -> str:
    """One table as CSV text: HSDS's columns in HSDS's order, a header row first."""
    columns = [column for column, _type, _format in TABLES[name][1]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


def descriptor(document: dict[str, Any]) -> dict[str, Any]:
    """The package's ``datapackage.json`` (Frictionless tabular data package)."""
    resources = []
    for name, (path, columns) in TABLES.items():
        fields = []
        for column, kind, fmt in columns:
            field: dict[str, Any] = {"name": column, "type": kind}
            if fmt:
                field["format"] = fmt
            fields.append(field)
        foreign = [
            {"fields": column, "reference": {"resource": column[:-3], "fields": "id"}}
            for column, _kind, _fmt in columns
            if column.endswith("_id") and column[:-3] in TABLES
        ]
        schema: dict[str, Any] = {"primaryKey": "id", "fields": fields}
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append(
            {
                "name": name,
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": schema,
            }
        )
    return {
        "name": "hope-network-directory",
        "title": document["title"],
        "description": document["description"],
        "profile": "tabular-data-package",
        "created": document["generated_at"],
        "homepage": document["publisher"]["url"],
        "hsds_version": document["hsds_version"],
        "resources": resources,
    }


def datapackage_zip(document: dict[str, Any]) -> bytes:
    """The zipped package: ``datapackage.json`` and one CSV file per table. The members'
    dates are fixed, so the same data gives the same bytes."""
    rows = tables(document)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=(2023, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))

        add("datapackage.json", json.dumps(descriptor(document), indent=2, ensure_ascii=False))
        for name, (path, _columns) in TABLES.items():
            add(path, table_csv(name, rows[name]))
    return buffer.getvalue()
