"""FHIR R4 Questionnaire / QuestionnaireResponse made and read without Django."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from hopeful.framework import Instrument, get_instrument, list_instruments
from hopeful.interop.fhir import (
    TRANSLATION_EXTENSION,
    FhirError,
    instrument_for_fhir_id,
    parse_questionnaire_response,
    questionnaire,
    questionnaire_id,
    questionnaire_response,
    split_response_id,
)

BASE = "https://hopeful.example.org"
SUBMISSION = "8c0b2a4e-4f7b-4b59-9d8b-3d3b9f1c2e11"
PCE7 = {"pce1": 5, "pce2": 4, "pce3": 2, "pce4": 8, "pce5": 4, "pce6": 3, "pce7": 5}
ALL_VERSIONS = [
    pytest.param(i, id=f"{i.id}-{i.version}") for i in list_instruments(all_versions=True)
]


def _translation(element: dict[str, Any], lang: str = "es") -> str | None:
    for extension in element.get("extension", []):
        if extension["url"] == TRANSLATION_EXTENSION:
            parts = {p["url"]: p for p in extension["extension"]}
            if parts["lang"]["valueCode"] == lang:
                return str(parts["content"]["valueString"])
    return None


def _response(**changes: Any) -> dict[str, Any]:
    resource = questionnaire_response(
        get_instrument("pce7"),
        base_url=BASE,
        submission_id=SUBMISSION,
        answers={**PCE7, "pce2": None},
        authored=dt.datetime(2026, 3, 4, 10, 30, tzinfo=dt.UTC),
        language="es",
        consent={"care": True, "program_improvement": False, "research": True},
        campaign_id="5b0f0b59-98ef-4a0c-9a47-7f2b5e3f3a10",
    )
    resource["identifier"] = {"system": "urn:ehr:responses", "value": "r-1"}
    resource.update(changes)
    return resource


@pytest.mark.parametrize("instrument", ALL_VERSIONS)
def test_every_questionnaire_validates_as_r4_and_carries_its_translations(
    instrument: Instrument,
) -> None:
    resource = questionnaire(instrument, base_url=BASE)
    Questionnaire.model_validate(resource)
    assert resource["id"] == questionnaire_id(instrument)
    assert resource["url"] == f"{BASE}/fhir/Questionnaire/{instrument.id.replace('_', '-')}"
    assert resource["version"] == instrument.version
    assert resource["status"] == "active"
    assert resource["copyright"] == instrument.licence
    questions = [i for i in resource["item"] if i["type"] == "choice"]
    assert [q["linkId"] for q in questions] == list(instrument.item_ids)
    has_spanish = "es" in instrument.translations
    assert (_translation(resource.get("_title", {})) is not None) == has_spanish
    for question, item in zip(questions, instrument.items, strict=True):
        assert question["text"] == item.text["en"]
        assert question["required"] is item.required
        codes = [o["valueCoding"]["code"] for o in question["answerOption"]]
        assert codes == [str(c) for c in item.codes]
        if has_spanish:
            assert _translation(question["_text"]) == item.text["es"]
            first = question["answerOption"][0]["valueCoding"]
            assert _translation(first["_display"]) == item.options[0].label["es"]


def test_ids_are_fhir_ids_and_name_the_instrument_back() -> None:
    for instrument in list_instruments(all_versions=True):
        fhir_id = questionnaire_id(instrument)
        assert fhir_id.replace("-", "").replace(".", "").isalnum()
        assert len(fhir_id) <= 64
        assert instrument_for_fhir_id(fhir_id) == instrument
    assert questionnaire_id(get_instrument("nsch_flourishing_0_5")) == "nsch-flourishing-0-5"


def test_a_response_validates_and_leaves_unanswered_items_out() -> None:
    resource = _response()
    QuestionnaireResponse.model_validate(resource)
    assert resource["questionnaire"] == f"{BASE}/fhir/Questionnaire/pce7|1.0"
    assert resource["status"] == "completed"
    assert [i["linkId"] for i in resource["item"]] == [k for k in PCE7 if k != "pce2"]
    coding = resource["item"][0]["answer"][0]["valueCoding"]
    assert coding == {**coding, "system": f"{BASE}/fhir/CodeSystem/pce7/pce1", "code": "5"}
    assert split_response_id(resource["id"]) == (SUBMISSION, "pce7")
    assert split_response_id("not-a-response") is None


def test_parsing_reads_back_what_was_made() -> None:
    parsed = parse_questionnaire_response(_response(), base_url=BASE)
    assert parsed.instrument_id == "pce7"
    assert parsed.version == "1.0"
    assert parsed.answers == {k: v for k, v in PCE7.items() if k != "pce2"}
    assert parsed.language == "es"
    assert parsed.consent == {"care": True, "program_improvement": False, "research": True}
    assert parsed.external_id == "urn:ehr:responses|r-1"
    assert parsed.campaign_id == "5b0f0b59-98ef-4a0c-9a47-7f2b5e3f3a10"
    assert parsed.authored == dt.datetime(2026, 3, 4, 10, 30, tzinfo=dt.UTC)
    # a proxy may show the server http while the client used https
    assert parse_questionnaire_response(_response(), base_url="http://hopeful.example.org")


@pytest.mark.parametrize(
    ("authored", "kept"),
    [
        ("2026-03-04T10:30:00-06:00", dt.datetime(2026, 3, 4, 16, 30, tzinfo=dt.UTC)),
        ("2026-03-04", dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC)),
        (None, None),
    ],
)
def test_authored_is_when_the_family_answered(authored: str | None, kept: dt.datetime) -> None:
    resource = {k: v for k, v in {**_response(), "authored": authored}.items() if v is not None}
    assert parse_questionnaire_response(resource, base_url=BASE).authored == kept


def test_the_resource_id_is_the_external_id_when_there_is_no_identifier() -> None:
    resource = _response()
    del resource["identifier"]
    parsed = parse_questionnaire_response(resource, base_url=BASE)
    assert parsed.external_id == f"QuestionnaireResponse/{SUBMISSION}-pce7"


def _issues(resource: Any) -> tuple[int, list[str]]:
    with pytest.raises(FhirError) as caught:
        parse_questionnaire_response(resource, base_url=BASE)
    return caught.value.status, [str(issue) for issue in caught.value.issues]


def test_a_code_the_item_does_not_have_is_named_with_its_path() -> None:
    resource = _response()
    resource["item"][1]["answer"][0]["valueCoding"]["code"] = "12"
    status, issues = _issues(resource)
    assert status == 422
    assert issues == ["item[1].answer[0]: code 12 is not an answer of pce3"]


def test_structure_errors_are_400_with_paths() -> None:
    resource = _response()
    resource["item"][0]["answer"][0]["valueCoding"]["code"] = 5
    resource["colour"] = "blue"
    status, issues = _issues(resource)
    assert status == 400
    assert any(i.startswith("item[0].answer[0].valueCoding.code:") for i in issues)
    assert any(i.startswith("colour:") for i in issues)
    assert _issues([])[0] == 400
    assert _issues({"resourceType": "Patient"})[1] == [
        "resourceType: must be QuestionnaireResponse"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"status": "in-progress"}, "status: must be completed"),
        ({"questionnaire": f"{BASE}/fhir/Questionnaire/nope|1.0"}, "questionnaire: "),
        ({"questionnaire": f"{BASE}/fhir/Questionnaire/pce7|9.9"}, "questionnaire: "),
        ({"questionnaire": "https://elsewhere.example/Questionnaire/pce7"}, "questionnaire: "),
        ({"language": "fr"}, "language: fr is not offered"),
        (
            {"identifier": {"system": f"{BASE}/fhir/sid/submission", "value": SUBMISSION}},
            "identifier: ",
        ),
        ({"identifier": None, "id": None}, "identifier: an identifier (or an id) is required"),
        ({"extension": []}, "extension: consent is required"),
        ({"authored": "2026-03"}, "authored: must be a day (2026-03-31) or a date and time"),
    ],
)
def test_what_hopeful_cannot_take_is_422(change: dict[str, Any], expected: str) -> None:
    resource = {k: v for k, v in {**_response(), **change}.items() if v is not None}
    status, issues = _issues(resource)
    assert status == 422
    assert any(issue.startswith(expected) for issue in issues), issues


def test_consent_needs_one_purpose_granted_and_only_known_purposes() -> None:
    resource = _response()
    resource["extension"][0]["extension"] = [
        {"url": "care", "valueBoolean": False},
        {"url": "marketing", "valueBoolean": True},
    ]
    _status, issues = _issues(resource)
    assert "extension[0].extension[1]: unknown consent purpose marketing" in issues
    assert any(issue.startswith("extension: consent is required") for issue in issues)


def test_items_are_checked_one_by_one() -> None:
    resource = _response()
    extra = copy.deepcopy(resource["item"][0])
    resource["item"] += [
        extra,
        {"linkId": "pce99"},
        {"linkId": "instructions", "text": "shown"},
        {"linkId": "pce2", "answer": [{"valueString": "often"}]},
    ]
    _status, issues = _issues(resource)
    assert issues == [
        "item[6].linkId: pce1 is answered twice",
        "item[7].linkId: pce99 is not an item of pce7",
        "item[9].answer[0]: the answer must be a valueCoding",
    ]


@pytest.mark.parametrize("instrument", ALL_VERSIONS)
def test_every_instrument_round_trips(instrument: Instrument) -> None:
    answers = {item.id: item.options[-3].code for item in instrument.items}
    resource = questionnaire_response(
        instrument,
        base_url=BASE,
        submission_id=SUBMISSION,
        answers=answers,
        authored=dt.datetime(2026, 3, 4, tzinfo=dt.UTC),
        language="en",
        consent={"care": True},
    )
    QuestionnaireResponse.model_validate(resource)
    parsed = parse_questionnaire_response(resource | {"identifier": {"value": "x"}}, base_url=BASE)
    assert (parsed.instrument_id, parsed.version) == instrument.key
    assert parsed.answers == answers
    assert parsed.campaign_id is None
