"""The HSDS 3.0 export: every record valid against the official schema files (vendored in
``hsds_schema/``, ``$ref``s resolved between them, and no property HSDS does not define), the
CSV datapackage's tables and headers as HSDS's ``datapackage.json`` defines them, and only the
public directory in it: no email or phone for anyone, expired and opted-out trainers absent,
trainings as scheduled services, public community assets in and members-only ones out."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from hopeful.framework.certification import State, Tier
from hopeful.web.assets.models import CommunityAsset, Visibility
from hopeful.web.certification.models import Certification
from hopeful.web.directory import hsds, hsds_csv
from hopeful.web.directory.models import Listing, ListingKind
from hopeful.web.trainings.models import Mode, TrainingStatus
from tests.web import factories as f
from tests.web.trainings.helpers import make_training

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent / "hsds_schema"
NOW = dt.datetime(2027, 3, 1, 15, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
SITE = "https://hope.example.org"


def _closed(schema: Any) -> Any:
    """The schema with ``additionalProperties: false`` on every object that lists its
    properties (as HSDS's own ``validate_examples_json_schema.sh`` checks examples)."""
    schema = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                node.setdefault("additionalProperties", False)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        if path.name == "datapackage.json":
            continue
        contents = _closed(json.loads(path.read_text(encoding="utf-8")))
        resources.append((path.name, DRAFT202012.create_resource(contents)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(name: str) -> Draft202012Validator:
    schema = REGISTRY.contents(name)
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker())


def errors(name: str, record: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(record)]


# ---------------------------------------------------------------------------------- the data


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE


def certification(
    *, user: Any = None, organization: Any = None, tier: Tier, state: State, until: dt.date
) -> Certification:
    return Certification.objects.create(
        tier=tier.value,
        state=state.value,
        user=user,
        organization=organization,
        certified_at=NOW - dt.timedelta(days=200),
        valid_until=until,
    )


def trainer(
    email: str,
    name: str,
    *,
    tier: Tier = Tier.FACILITATOR,
    state: State = State.CERTIFIED,
    until: dt.date = TODAY + dt.timedelta(days=300),
    opted_in: bool = True,
    zip_code: str = "53703",
) -> Listing:
    user = f.make_user(email, display_name=name.split()[0])
    certification(user=user, tier=tier, state=state, until=until)
    return Listing.objects.create(
        kind=ListingKind.PERSON,
        user=user,
        display_name=name,
        about="I present HOPE to parents and teachers. Write to me@example.org or (608) 555-0100.",
        zip_code=zip_code,
        city="Madison",
        state="WI",
        latitude=43.0731,
        longitude=-89.3838,
        languages=["en", "es", "ase"],
        opted_in=opted_in,
    )


@pytest.fixture
def data() -> dict[str, Any]:
    with time_machine.travel(NOW, tick=False):
        listed_trainer = trainer("ana@example.org", "Ana Ortiz", tier=Tier.CHAMPION)
        certification(
            user=listed_trainer.user,
            tier=Tier.FACILITATOR,
            state=State.CERTIFIED,
            until=TODAY + dt.timedelta(days=100),
        )
        expired = trainer(
            "old@example.org",
            "Otto Expired",
            state=State.EXPIRED,
            until=TODAY - dt.timedelta(days=1),
        )
        opted_out = trainer("shy@example.org", "Sam Optout", opted_in=False)
        org = f.make_org("Lakeside Family Center", state="WI")
        certification(
            organization=org,
            tier=Tier.ORGANIZATION,
            state=State.EXPIRING,
            until=TODAY + dt.timedelta(days=20),
        )
        org_listing = Listing.objects.create(
            kind=ListingKind.ORGANIZATION,
            organization=org,
            display_name="Lakeside Family Center",
            implements="HOPE-informed home visits.",
            website="https://lakeside.example.org/",
            zip_code="53703",
            city="Madison",
            state="WI",
            latitude=43.0731,
            longitude=-89.3838,
            languages=["en"],
            opted_in=True,
        )
        training = make_training(first=NOW + dt.timedelta(days=7), sessions=2)
        online = make_training(
            first=NOW + dt.timedelta(days=3),
            sessions=1,
            title="HOPE introduction online",
            mode=Mode.VIRTUAL,
            state="",
            location="",
            meeting_url="https://meet.example.org/secret-room",
            language="es",
        )
        cancelled = make_training(
            first=NOW + dt.timedelta(days=5), title="Cancelled one", status=TrainingStatus.CANCELLED
        )
        past = make_training(first=NOW - dt.timedelta(days=30), title="Past training")
        park = CommunityAsset.objects.create(
            name="Riverside Park",
            kind="park",
            blocks=["environment", "relationships"],
            description="Playgrounds and a splash pad.",
            address="100 River Rd",
            zip_code="53703",
            city="Madison",
            state="WI",
            latitude=43.07,
            longitude=-89.38,
            schedule="Every day 6–22",
            free=True,
            languages=["en", "es"],
            visibility=Visibility.PUBLIC,
        )
        members_only = CommunityAsset.objects.create(
            name="Members Only Circle",
            kind="faith",
            blocks=["relationships"],
            zip_code="53703",
            city="Madison",
            state="WI",
            latitude=43.07,
            longitude=-89.38,
            visibility=Visibility.MEMBERS,
        )
        archived = CommunityAsset.objects.create(
            name="Closed Library",
            kind="library",
            blocks=["engagement"],
            zip_code="53703",
            visibility=Visibility.PUBLIC,
            archived_at=NOW - dt.timedelta(days=2),
        )
    return {
        "trainer": listed_trainer,
        "expired": expired,
        "opted_out": opted_out,
        "org_listing": org_listing,
        "training": training,
        "online": online,
        "cancelled": cancelled,
        "past": past,
        "park": park,
        "members_only": members_only,
        "archived": archived,
    }


def export() -> dict[str, Any]:
    with time_machine.travel(NOW, tick=False):
        return json.loads(Client().get(reverse("open_data:hsds_json")).content)


def by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in doc["services"]}


# ---------------------------------------------------------------------------- the JSON export


def test_every_record_is_valid_hsds_3(data: dict[str, Any]) -> None:
    doc = export()
    assert doc["hsds_version"] == "3.0"
    assert doc["organizations"]
    assert doc["services"]
    for organization in doc["organizations"]:
        assert errors("organization.json", organization) == [], organization
    for service in doc["services"]:
        assert errors("service.json", service) == [], service


def test_the_validation_does_catch_what_hsds_forbids() -> None:
    """The check is not vacuous: a missing required field, a wrong enum and an unknown
    property are each an error."""
    assert errors("service.json", {"id": "4a3f8d4e-5a7c-4e0e-9d1f-0c8a1f2b3c4d", "name": "x"})
    bad_status = {"id": "4a3f8d4e-5a7c-4e0e-9d1f-0c8a1f2b3c4d", "name": "x", "status": "open"}
    assert errors("service.json", bad_status)
    extra = {"id": "4a3f8d4e-5a7c-4e0e-9d1f-0c8a1f2b3c4d", "name": "x", "status": "active"}
    assert errors("service.json", extra) == []
    assert errors("service.json", {**extra, "phone": "555"})
    nested = {**extra, "service_at_locations": [{"id": extra["id"], "location": {"id": "x"}}]}
    assert errors("service.json", nested)  # the location lacks location_type


def test_only_the_public_directory_is_exported(data: dict[str, Any]) -> None:
    doc = export()
    services = by_id(doc)
    names = [s["name"] for s in doc["services"]]
    assert str(data["trainer"].public_id) in services
    assert "HOPE presentations and trainings — Ana Ortiz" in names
    assert str(data["expired"].public_id) not in services
    assert str(data["opted_out"].public_id) not in services
    text = json.dumps(doc)
    for absent in ("Otto Expired", "Sam Optout", "Members Only Circle", "Closed Library"):
        assert absent not in text
    assert "Cancelled one" not in text
    assert "Past training" not in text
    assert "meet.example.org" not in text  # the meeting link is for participants only


def test_no_email_address_or_phone_for_anyone(data: dict[str, Any]) -> None:
    doc = export()
    text = json.dumps(doc)
    assert "@" not in text
    for key in ("email", "assurer_email", "phones", "contacts", "number"):
        assert f'"{key}"' not in text
    person = by_id(doc)[str(data["trainer"].public_id)]
    location = person["service_at_locations"][0]["location"]
    assert "addresses" not in location  # a person's place is a ZIP centre, never an address
    assert location["latitude"] == pytest.approx(43.0731)
    assert "53703" in location["name"]
    assert person["organization_id"] == doc["organizations"][0]["id"]
    assert doc["organizations"][0]["name"] == "HOPE National Resource Center"
    assert "HOPE Champion" in person["accreditations"]
    assert "HOPE Facilitator" in person["accreditations"]
    assert [lang["code"] for lang in person["languages"]] == ["en", "es", "ase"]
    # what a trainer typed into their text is left out too
    assert person["description"] == "I present HOPE to parents and teachers. Write to […] or […]."


def test_organizations_and_assets(data: dict[str, Any]) -> None:
    doc = export()
    organizations = {o["id"]: o for o in doc["organizations"]}
    org = organizations[str(data["org_listing"].public_id)]
    assert org["name"] == "Lakeside Family Center"
    assert org["website"] == "https://lakeside.example.org/"
    park = by_id(doc)[str(data["park"].public_id)]
    assert park["organization_id"] in organizations
    address = park["service_at_locations"][0]["location"]["addresses"][0]
    assert address["address_1"] == "100 River Rd"
    assert (address["city"], address["state_province"], address["postal_code"]) == (
        "Madison",
        "WI",
        "53703",
    )
    assert park["fees_description"] == "Free of charge."
    assert park["schedules"][0]["description"] == "Every day 6–22"
    assert "Environment" in park["description"]


def test_trainings_are_scheduled_services(data: dict[str, Any]) -> None:
    doc = export()
    service = by_id(doc)[str(data["training"].public_id)]
    sessions = list(data["training"].sessions.order_by("starts_at"))
    assert [s["id"] for s in service["schedules"]] == [str(s.public_id) for s in sessions]
    first = service["schedules"][0]
    # 2027-03-08 15:00 UTC is 09:00 in Chicago (CST, UTC-6); three hours long
    assert (first["valid_from"], first["opens_at"], first["closes_at"]) == (
        "2027-03-08",
        "09:00",
        "12:00",
    )
    assert first["timezone"] == -6
    assert first["attending_type"] == "in person"
    assert first["schedule_link"] == SITE + f"/trainings/{data['training'].public_id}/"
    assert service["service_areas"][0]["name"] == "Wisconsin"
    assert service["service_at_locations"][0]["location"]["name"].startswith("Community Center")
    online = by_id(doc)[str(data["online"].public_id)]
    assert online["schedules"][0]["attending_type"] == "online"
    assert "service_at_locations" not in online
    assert online["languages"][0]["code"] == "es"


def test_ids_are_stable_and_the_order_deterministic(data: dict[str, Any]) -> None:
    first, second = export(), export()
    assert first == second
    ids = [s["id"] for s in first["services"]]
    assert len(ids) == len(set(ids))
    kinds = [s["name"] for s in first["services"]]
    assert kinds[0].startswith("HOPE presentations and trainings")
    assert kinds[1] == "HOPE-informed services"


def test_the_json_response_is_public_cacheable_and_named(data: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        response = Client().get("/open-data/hsds.json")
        spanish = Client().get("/open-data/hsds.json", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "max-age=600" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert 'filename="hsds.json"' in response["Content-Disposition"]
    assert json.loads(spanish.content)["services"] == json.loads(response.content)["services"]
    assert Client().post("/open-data/hsds.json").status_code == 405


def test_an_empty_directory_is_still_a_valid_export() -> None:
    doc = export()
    assert [o["name"] for o in doc["organizations"]] == ["HOPE National Resource Center"]
    assert doc["services"] == []
    assert errors("organization.json", doc["organizations"][0]) == []


# --------------------------------------------------------------------------- the datapackage


def hsds_resources() -> dict[str, dict[str, Any]]:
    package = json.loads((SCHEMAS / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: r for r in package["resources"]}


def test_the_tables_are_hsds_tables_with_hsds_columns() -> None:
    official = hsds_resources()
    for name, (path, columns) in hsds_csv.TABLES.items():
        resource = official[name]
        assert path == resource["path"]
        assert [(c, t, fmt) for c, t, fmt in columns] == [
            (field["name"], field["type"], field.get("format"))
            for field in resource["schema"]["fields"]
        ]
        schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
        scalar = [
            k
            for k, v in schema["properties"].items()
            if v.get("type") not in ("array", "object") and "$ref" not in v
        ]
        assert [c for c, _t, _f in columns] == scalar, name


def test_the_zip_is_an_hsds_datapackage(data: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        response = Client().get(reverse("open_data:hsds_zip"))
        doc = hsds.document()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "max-age=600" in response["Cache-Control"]
    assert 'filename="hsds-datapackage.zip"' in response["Content-Disposition"]
    official = hsds_resources()
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        package = json.loads(archive.read("datapackage.json"))
        assert package["profile"] == "tabular-data-package"
        assert sorted(archive.namelist()) == sorted(
            ["datapackage.json", *(path for path, _c in hsds_csv.TABLES.values())]
        )
        rows: dict[str, list[dict[str, str]]] = {}
        for resource in package["resources"]:
            text = archive.read(resource["path"]).decode("utf-8")
            reader = csv.DictReader(io.StringIO(text))
            expected = [field["name"] for field in official[resource["name"]]["schema"]["fields"]]
            assert reader.fieldnames == expected, resource["name"]
            assert [field["name"] for field in resource["schema"]["fields"]] == expected
            rows[resource["name"]] = list(reader)
    # every record of the JSON is a row, and the rows keep their parents' ids
    assert len(rows["service"]) == len(doc["services"])
    assert len(rows["organization"]) == len(doc["organizations"])
    service_ids = {row["id"] for row in rows["service"]}
    assert {row["service_id"] for row in rows["schedule"]} <= service_ids
    training_id = str(data["training"].public_id)
    assert sum(row["service_id"] == training_id for row in rows["schedule"]) == 2
    location_ids = {row["id"] for row in rows["location"]}
    assert {row["location_id"] for row in rows["service_at_location"]} <= location_ids
    assert [row["address_1"] for row in rows["address"]] == ["100 River Rd"]
    # the HSDS-required columns are filled
    for name, table in rows.items():
        required = [
            field["name"]
            for field in official[name]["schema"]["fields"]
            if field.get("constraints", {}).get("required")
        ]
        for row in table:
            assert all(row[column] for column in required), (name, row)
    assert all(not row["email"] for row in rows["service"] + rows["organization"])


def test_write_files_for_the_command_line(data: dict[str, Any], tmp_path: Path) -> None:
    with time_machine.travel(NOW, tick=False):
        written = hsds.write_files(tmp_path)
    assert [p.name for p in written] == ["hsds.json", "hsds-datapackage.zip"]
    doc = json.loads(written[0].read_text(encoding="utf-8"))
    assert str(data["trainer"].public_id) in by_id(doc)
    assert zipfile.is_zipfile(written[1])
