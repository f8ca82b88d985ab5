"""HOPEful's instruments as FHIR R4 ``Questionnaire`` resources, and their answers as
``QuestionnaireResponse`` resources, made and read without Django.

Identity (one rule, used by the web endpoints and by the parser):

- An instrument's *FHIR id* is its registry id with ``_`` turned into ``-`` (``ace-brfss``).
  The latest registered version has that id; an older version has ``<id>-<version>``
  (``pce7-1.0`` once ``1.1`` exists).
- Its canonical ``url`` is ``{base_url}/fhir/Questionnaire/<FHIR id>`` for *every* version
  (FHIR canonicals are version-independent); a response names the exact version as
  ``<url>|<version>``.
- Answer codes: codes mean different things in different items (``2`` is "Once" in one ACE
  item and "No" in another), so each item has its own code system,
  ``{base_url}/fhir/CodeSystem/<FHIR id>/<item id>``, whose codes are the item's integer
  codes as strings (``7`` don't know, ``9`` refused, as everywhere in HOPEful).
- A response's id is ``<submission public id>-<FHIR id>`` (one per submission and
  questionnaire); its ``identifier`` is the submission's public id.

Spanish (and any other language an instrument is translated into) travels in the standard
``translation`` extension on ``_title``, ``_description``, items' ``_text`` and answer
codings' ``_display``. :func:`parse_questionnaire_response` reads responses back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from hopeful.framework import Instrument, get_instrument, list_instruments
from hopeful.framework.errors import UnknownInstrumentError, UnknownVersionError
from hopeful.framework.text import DEFAULT_LANGUAGE, Text
from hopeful.interop.rows import read_time

__all__ = [
    "CAMPAIGN_EXTENSION",
    "CONSENT_EXTENSION",
    "CONSENT_PURPOSES",
    "FHIR_VERSION",
    "TRANSLATION_EXTENSION",
    "FhirError",
    "Issue",
    "ParsedResponse",
    "answer_system",
    "campaign_extension_url",
    "consent_extension_url",
    "instrument_for_canonical_name",
    "instrument_for_fhir_id",
    "parse_questionnaire_response",
    "questionnaire",
    "questionnaire_id",
    "questionnaire_response",
    "questionnaire_url",
    "response_id",
    "split_response_id",
    "submission_identifier_system",
]

#: The FHIR release these resources follow.
FHIR_VERSION = "4.0.1"

#: HL7's extension for a translated string (``lang`` and ``content`` sub-extensions).
TRANSLATION_EXTENSION = "http://hl7.org/fhir/StructureDefinition/translation"

#: The last segment of HOPEful's extension URLs (``{base_url}/fhir/StructureDefinition/…``).
CONSENT_EXTENSION = "hopeful-consent"
CAMPAIGN_EXTENSION = "hopeful-campaign"

#: linkIds of the display items put before the questions (never answered).
DISPLAY_LINK_IDS = frozenset({"content-note", "instructions"})

#: A UUID's length as text: the submission part of a response id.
_UUID_LENGTH = 36


# -- identity ------------------------------------------------------------------------------------


def _fhir_name(instrument_id: str) -> str:
    return instrument_id.replace("_", "-")


def questionnaire_id(instrument: Instrument) -> str:
    """The FHIR id of this instrument version: ``pce7`` (latest), ``pce7-1.0`` (older)."""
    latest = get_instrument(instrument.id)
    name = _fhir_name(instrument.id)
    return name if latest.version == instrument.version else f"{name}-{instrument.version}"


def questionnaire_url(instrument: Instrument, *, base_url: str) -> str:
    """The canonical URL, the same for every version of the instrument."""
    return f"{base_url}/fhir/Questionnaire/{_fhir_name(instrument.id)}"


def answer_system(instrument: Instrument, item_id: str, *, base_url: str) -> str:
    """The code system of one item's answer codes."""
    return f"{base_url}/fhir/CodeSystem/{_fhir_name(instrument.id)}/{item_id}"


def consent_extension_url(base_url: str) -> str:
    return f"{base_url}/fhir/StructureDefinition/{CONSENT_EXTENSION}"


def campaign_extension_url(base_url: str) -> str:
    return f"{base_url}/fhir/StructureDefinition/{CAMPAIGN_EXTENSION}"


def submission_identifier_system(base_url: str) -> str:
    """The ``identifier.system`` of the responses HOPEful emits (value: the submission id)."""
    return f"{base_url}/fhir/sid/submission"


def instrument_for_fhir_id(fhir_id: str) -> Instrument | None:
    """The instrument version a Questionnaire id names (``pce7``, ``pce7-1.0``), or None."""
    for instrument in list_instruments(all_versions=True):
        if questionnaire_id(instrument) == fhir_id:
            return instrument
    return None


def instrument_for_canonical_name(name: str, version: str | None) -> Instrument | None:
    """The instrument a canonical's last segment and ``|version`` name, or None."""
    found = instrument_for_fhir_id(name)
    if found is None:
        return None
    if version is None:
        return found
    try:
        return get_instrument(found.id, version)
    except (UnknownInstrumentError, UnknownVersionError):
        return None


def response_id(submission_id: str, instrument: Instrument) -> str:
    """``<submission public id>-<instrument FHIR name>`` (at most 64 characters)."""
    return f"{submission_id}-{_fhir_name(instrument.id)}"


def split_response_id(value: str) -> tuple[str, str] | None:
    """``(submission public id, instrument id)`` of a response id, or None when it is not one
    (the instrument need not be registered; the caller looks it up)."""
    if len(value) <= _UUID_LENGTH + 1 or value[_UUID_LENGTH] != "-":
        return None
    name = value[_UUID_LENGTH + 1 :]
    for instrument in list_instruments():
        if _fhir_name(instrument.id) == name:
            return value[:_UUID_LENGTH], instrument.id
    return None


# -- building blocks -----------------------------------------------------------------------------


def _other_languages(instrument: Instrument) -> tuple[str, ...]:
    return tuple(lang for lang in instrument.translations if lang != DEFAULT_LANGUAGE)


def _translations(text: Text, languages: Iterable[str]) -> dict[str, Any] | None:
    """The ``_element`` holding translation extensions, or None when there is none."""
    extensions = [
        {
            "url": TRANSLATION_EXTENSION,
            "extension": [
                {"url": "lang", "valueCode": lang},
                {"url": "content", "valueString": text[lang]},
            ],
        }
        for lang in languages
        if lang in text
    ]
    return {"extension": extensions} if extensions else None


def _put_text(
    target: dict[str, Any], key: str, text: Text, languages: Iterable[str], suffix: str = ""
) -> None:
    target[key] = text[DEFAULT_LANGUAGE] + suffix
    translated = _translations(text, languages)
    if translated is not None:
        target[f"_{key}"] = translated


def _coding(
    instrument: Instrument, item_id: str, code: int, *, base_url: str, languages: Iterable[str]
) -> dict[str, Any]:
    option = instrument.item(item_id).option(code)
    coding: dict[str, Any] = {
        "system": answer_system(instrument, item_id, base_url=base_url),
        "code": str(code),
    }
    _put_text(coding, "display", option.label, languages)
    return coding


def _display_item(link_id: str, text: Text, languages: Iterable[str]) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": link_id, "type": "display"}
    _put_text(item, "text", text, languages)
    return item


# -- Questionnaire -------------------------------------------------------------------------------


def questionnaire(instrument: Instrument, *, base_url: str) -> dict[str, Any]:
    """The instrument version as a FHIR R4 ``Questionnaire`` (JSON as a dict).

    ``base_url`` is the server's address without a trailing slash. Items are ``choice``
    questions whose ``answerOption`` codings carry the item's codes; a ``display`` item with
    the instructions (and the content note of instruments that have one) comes first."""
    languages = _other_languages(instrument)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(instrument),
        "language": DEFAULT_LANGUAGE,
        "url": questionnaire_url(instrument, base_url=base_url),
        "version": instrument.version,
        "name": instrument.id.upper(),
    }
    _put_text(resource, "title", instrument.title, languages)
    resource.update({"status": "active", "experimental": False, "publisher": "HOPEful"})
    _put_text(
        resource,
        "description",
        instrument.description,
        languages,
        suffix=f"\n\nSource: {instrument.source.rstrip('.')}. {instrument.citation}".rstrip(),
    )
    resource["copyright"] = instrument.licence
    items: list[dict[str, Any]] = []
    if instrument.content_note is not None:
        items.append(_display_item("content-note", instrument.content_note, languages))
    items.append(_display_item("instructions", instrument.instructions, languages))
    for item in instrument.items:
        entry: dict[str, Any] = {"linkId": item.id}
        _put_text(entry, "text", item.text, languages)
        entry.update(
            {
                "type": "choice",
                "required": item.required,
                "answerOption": [
                    {
                        "valueCoding": _coding(
                            instrument,
                            item.id,
                            option.code,
                            base_url=base_url,
                            languages=languages,
                        )
                    }
                    for option in item.options
                ],
            }
        )
        items.append(entry)
    resource["item"] = items
    return resource


# -- QuestionnaireResponse -----------------------------------------------------------------------


def questionnaire_response(
    instrument: Instrument,
    *,
    base_url: str,
    submission_id: str,
    answers: Mapping[str, int | None],
    authored: dt.datetime,
    language: str,
    consent: Mapping[str, bool],
    campaign_id: str | None = None,
) -> dict[str, Any]:
    """One submission's answers to one instrument as a ``completed`` QuestionnaireResponse.

    Unanswered items are left out; each answer is a ``valueCoding`` with the English display
    (and its translations). The family's consent (one ``valueBoolean`` per purpose) and the
    campaign's public id travel in HOPEful's extensions, so the resource can be sent back to
    ``POST /fhir/QuestionnaireResponse`` as it is (with a new identifier)."""
    languages = _other_languages(instrument)
    extensions: list[dict[str, Any]] = [
        {
            "url": consent_extension_url(base_url),
            "extension": [
                {"url": purpose, "valueBoolean": bool(granted)}
                for purpose, granted in consent.items()
            ],
        }
    ]
    if campaign_id is not None:
        extensions.append({"url": campaign_extension_url(base_url), "valueString": campaign_id})
    items: list[dict[str, Any]] = []
    for item in instrument.items:
        code = answers.get(item.id)
        if code is None:
            continue
        entry: dict[str, Any] = {"linkId": item.id}
        _put_text(entry, "text", item.text, languages)
        entry["answer"] = [
            {
                "valueCoding": _coding(
                    instrument, item.id, int(code), base_url=base_url, languages=languages
                )
            }
        ]
        items.append(entry)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id(submission_id, instrument),
        "language": language,
        "extension": extensions,
        "identifier": {
            "system": submission_identifier_system(base_url),
            "value": submission_id,
        },
        "questionnaire": f"{questionnaire_url(instrument, base_url=base_url)}|{instrument.version}",
        "status": "completed",
        "authored": authored.isoformat(),
    }
    if items:
        resource["item"] = items
    return resource


# -- reading a QuestionnaireResponse -------------------------------------------------------------

#: The consent purposes HOPEful records (``hopeful.web.families.models.ConsentPurpose``).
CONSENT_PURPOSES: tuple[str, ...] = ("care", "program_improvement", "research")


@dataclass(frozen=True, slots=True)
class Issue:
    """One thing wrong with a resource: where (a FHIRPath-like ``path`` from the resource,
    ``item[2].answer[0]``), what, and the OperationOutcome issue ``code``."""

    path: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class FhirError(ValueError):
    """A resource HOPEful cannot take: ``status`` 400 (not valid FHIR R4) or 422 (valid FHIR
    that does not fit the questionnaire, or lacks what HOPEful needs); ``issues`` says where."""

    def __init__(self, issues: Iterable[Issue], *, status: int = 422) -> None:
        self.issues = tuple(issues)
        self.status = status
        super().__init__("; ".join(str(issue) for issue in self.issues))


@dataclass(frozen=True, slots=True)
class ParsedResponse:
    """A QuestionnaireResponse checked against its instrument."""

    instrument_id: str
    version: str
    answers: Mapping[str, int]
    """Item id -> code, answered items only."""
    language: str | None
    consent: Mapping[str, bool]
    identifier: str | None
    """``system|value`` (or just the value) of the resource's identifier."""
    resource_id: str | None
    campaign_id: str | None
    authored: dt.datetime | None = None
    """When it was answered (a date alone is read as noon UTC of that day); None if not
    given."""

    @property
    def external_id(self) -> str:
        """What makes a re-sent resource a replay: its identifier, else its id."""
        if self.identifier:
            return self.identifier
        return f"QuestionnaireResponse/{self.resource_id}"


def _without_scheme(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")


def _same_url(given: str, expected: str) -> bool:
    """URLs equal but for http/https (a proxy may change the scheme the server sees)."""
    return _without_scheme(given) == _without_scheme(expected)


def _path(loc: Iterable[Any]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif isinstance(part, str) and part.replace("_", "").isalnum():
            path += f".{part}" if path else part
    return path


def _structure(data: Any) -> None:
    if not isinstance(data, dict):
        raise FhirError([Issue("", "the body must be a JSON object", "structure")], status=400)
    if data.get("resourceType") != "QuestionnaireResponse":
        raise FhirError(
            [Issue("resourceType", "must be QuestionnaireResponse", "structure")], status=400
        )
    try:
        QuestionnaireResponse.model_validate(data)
    except ValidationError as exc:
        raise FhirError(
            [Issue(_path(e["loc"]), e["msg"], "structure") for e in exc.errors()[:20]],
            status=400,
        ) from None


def _questionnaire(ref: Any, base_url: str, issues: list[Issue]) -> Instrument | None:
    expected = f"{base_url}/fhir/Questionnaire/"
    if not isinstance(ref, str) or not ref:
        issues.append(Issue("questionnaire", f"required: {expected}<id>|<version>", "required"))
        return None
    url, _, version = ref.partition("|")
    prefix = _without_scheme(base_url) + "/fhir/Questionnaire/"
    found = None
    if _without_scheme(url).startswith(prefix):
        name = _without_scheme(url)[len(prefix) :]
        found = instrument_for_canonical_name(name, version or None)
    if found is None:
        issues.append(
            Issue(
                "questionnaire",
                f"{ref} is not a questionnaire of this server ({expected}<id>|<version>)",
                "not-found",
            )
        )
    return found


def _answers(
    items: Any, instrument: Instrument, base_url: str, issues: list[Issue]
) -> dict[str, int]:
    answers: dict[str, int] = {}
    known = set(instrument.item_ids)
    for i, entry in enumerate(items or []):
        where = f"item[{i}]"
        link_id = entry.get("linkId")
        given = entry.get("answer") or []
        if entry.get("item"):
            issues.append(Issue(f"{where}.item", "nested items are not supported", "structure"))
        if link_id in DISPLAY_LINK_IDS and link_id not in known:
            if given:
                issues.append(Issue(f"{where}.answer", f"{link_id} is not a question", "value"))
            continue
        if link_id not in known:
            issues.append(
                Issue(f"{where}.linkId", f"{link_id} is not an item of {instrument.id}", "value")
            )
            continue
        if link_id in answers:
            issues.append(Issue(f"{where}.linkId", f"{link_id} is answered twice", "value"))
            continue
        if not given:
            continue
        if len(given) > 1:
            issues.append(Issue(f"{where}.answer", "give one answer", "value"))
            continue
        code = _code(given[0], instrument, link_id, base_url, f"{where}.answer[0]", issues)
        if code is not None:
            answers[link_id] = code
    return answers


def _code(
    answer: Mapping[str, Any],
    instrument: Instrument,
    item_id: str,
    base_url: str,
    where: str,
    issues: list[Issue],
) -> int | None:
    coding = answer.get("valueCoding")
    if not isinstance(coding, Mapping):
        issues.append(Issue(where, "the answer must be a valueCoding", "value"))
        return None
    system = coding.get("system")
    expected = answer_system(instrument, item_id, base_url=base_url)
    if system is not None and not _same_url(str(system), expected):
        issues.append(Issue(f"{where}.valueCoding.system", f"must be {expected}", "code-invalid"))
        return None
    code = str(coding.get("code") or "")
    item = instrument.item(item_id)
    if not code.isdigit() or int(code) not in item.codes:
        issues.append(
            Issue(where, f"code {code or '(none)'} is not an answer of {item_id}", "code-invalid")
        )
        return None
    return int(code)


def _extensions(
    data: Mapping[str, Any], base_url: str, purposes: Iterable[str], issues: list[Issue]
) -> tuple[dict[str, bool], str | None]:
    consent: dict[str, bool] = {}
    campaign: str | None = None
    consent_url = consent_extension_url(base_url)
    for i, extension in enumerate(data.get("extension") or []):
        url = str(extension.get("url") or "")
        if _same_url(url, campaign_extension_url(base_url)):
            value = extension.get("valueString") or extension.get("valueId")
            if not value:
                issues.append(Issue(f"extension[{i}]", "give the campaign as valueString"))
            campaign = str(value or "").strip() or None
        elif _same_url(url, consent_url):
            for j, part in enumerate(extension.get("extension") or []):
                where = f"extension[{i}].extension[{j}]"
                purpose = part.get("url")
                if purpose not in purposes:
                    issues.append(Issue(where, f"unknown consent purpose {purpose}", "value"))
                elif not isinstance(part.get("valueBoolean"), bool):
                    issues.append(Issue(where, "give the consent as valueBoolean", "value"))
                else:
                    consent[purpose] = part["valueBoolean"]
    if not any(consent.values()):
        issues.append(
            Issue(
                "extension",
                f"consent is required: the extension {consent_url} with at least one purpose "
                f"({', '.join(purposes)}) true",
                "required",
            )
        )
    return consent, campaign


def _language(value: Any, issues: list[Issue]) -> str | None:
    if value is None:
        return None
    primary = str(value).split("-")[0].lower()
    if primary not in ("en", "es"):
        issues.append(Issue("language", f"{value} is not offered (en or es)", "not-supported"))
        return None
    return primary


def _authored(value: Any, issues: list[Issue]) -> dt.datetime | None:
    """``authored`` as an aware date-time: a date and time with its zone, or a whole day
    (noon UTC, so it stays on its day in the Americas). A year or a month alone is too vague
    to count in a period."""
    if value is None:
        return None
    moment = read_time(str(value))
    if moment is None or moment.tzinfo is None:
        issues.append(
            Issue(
                "authored", "must be a day (2026-03-31) or a date and time with its zone", "value"
            )
        )
        return None
    return moment


def parse_questionnaire_response(
    data: Any, *, base_url: str, consent_purposes: Iterable[str] = CONSENT_PURPOSES
) -> ParsedResponse:
    """Check a QuestionnaireResponse (JSON as a dict): first as FHIR R4 (the
    ``fhir.resources`` R4B model; :class:`FhirError` 400), then against the instrument its
    ``questionnaire`` canonical names and HOPEful's needs (:class:`FhirError` 422): status
    ``completed``, an ``identifier`` or ``id``, answers that are codes of their items, and
    the consent extension with at least one purpose true. Every problem found is reported."""
    _structure(data)
    issues: list[Issue] = []
    if data.get("status") != "completed":
        issues.append(Issue("status", "must be completed", "value"))
    instrument = _questionnaire(data.get("questionnaire"), base_url, issues)
    identifier = data.get("identifier") or {}
    value = str(identifier.get("value") or "").strip()
    system = str(identifier.get("system") or "").strip()
    if system and _same_url(system, submission_identifier_system(base_url)):
        issues.append(
            Issue(
                "identifier",
                "this is HOPEful's own submission identifier; give the response your "
                "system's identifier (or leave it out and give an id)",
                "duplicate",
            )
        )
    if not value and not data.get("id"):
        issues.append(
            Issue("identifier", "an identifier (or an id) is required, for replays", "required")
        )
    language = _language(data.get("language"), issues)
    authored = _authored(data.get("authored"), issues)
    consent, campaign = _extensions(data, base_url, tuple(consent_purposes), issues)
    answers = _answers(data.get("item"), instrument, base_url, issues) if instrument else {}
    if issues or instrument is None:
        raise FhirError(issues)
    return ParsedResponse(
        instrument_id=instrument.id,
        version=instrument.version,
        answers=answers,
        language=language,
        consent=consent,
        identifier=(f"{system}|{value}" if system else value) or None,
        resource_id=data.get("id"),
        campaign_id=campaign,
        authored=authored,
    )
