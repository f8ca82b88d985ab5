"""The server's ``CapabilityStatement`` (``GET /fhir/metadata``): FHIR 4.0.1, JSON, what
each resource supports, and which token scope each interaction needs."""

from __future__ import annotations

from typing import Any

from hopeful import __version__
from hopeful.interop.fhir import FHIR_VERSION
from hopeful.web.api.models import Scope
from hopeful.web.fhir.search import MAX_COUNT

__all__ = ["capability_statement"]

#: The statement's date: when this capability last changed.
DATE = "2026-12-07"


def _param(name: str, kind: str, documentation: str) -> dict[str, str]:
    return {"name": name, "type": kind, "documentation": documentation}


def capability_statement(*, base_url: str) -> dict[str, Any]:
    read, write = Scope.READ_IDENTIFIABLE.value, Scope.WRITE_SUBMISSIONS.value
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": DATE,
        "publisher": "HOPEful",
        "kind": "instance",
        "software": {"name": "HOPEful", "version": __version__},
        "implementation": {
            "description": "HOPEful's FHIR R4 endpoint: its questionnaires and their answers",
            "url": f"{base_url}/fhir",
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Questionnaires are public. QuestionnaireResponses need an API token "
                    "(Authorization: Bearer hpf_...) that an organization admin makes in "
                    "HOPEful; a token reads and writes its own organization only."
                ),
                "security": {
                    "cors": False,
                    "description": (
                        f"Bearer API tokens. Reading QuestionnaireResponse needs the scope "
                        f"{read}; creating one needs {write}. Questionnaire and metadata need "
                        "no token."
                    ),
                },
                "resource": [
                    {
                        "type": "Questionnaire",
                        "documentation": "Every registered instrument version; no token.",
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "versioning": "no-version",
                        "searchParam": [
                            _param("url", "uri", "The canonical URL, optionally |version."),
                            _param("name", "string", "The computable name (PCE7, BCE10...)."),
                        ],
                    },
                    {
                        "type": "QuestionnaireResponse",
                        "documentation": (
                            f"One per submission and questionnaire, of families whose current "
                            f"consent covers care. read and search-type need {read}; create "
                            f"needs {write} and stores the answers in the campaign named by "
                            f"the extension {base_url}/fhir/StructureDefinition/hopeful-campaign."
                        ),
                        "interaction": [
                            {"code": "read", "documentation": f"Scope {read}."},
                            {"code": "search-type", "documentation": f"Scope {read}."},
                            {"code": "create", "documentation": f"Scope {write}."},
                        ],
                        "versioning": "no-version",
                        "updateCreate": False,
                        "conditionalCreate": False,
                        "searchParam": [
                            _param("authored", "date", "ge, gt, le, lt or eq and a date."),
                            _param("questionnaire", "reference", "The canonical, |version."),
                            _param("_count", "number", f"Page size, at most {MAX_COUNT}."),
                        ],
                    },
                ],
            }
        ],
    }
