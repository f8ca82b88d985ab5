"""Shared set-up of the six-standards tests: organizations A and B with a member in every
role (``two_tenants``), answers, and assessments made through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from hopeful.framework import standards as rubric
from hopeful.web.organizations.models import Role
from hopeful.web.standards import services
from hopeful.web.standards.forms import field_name
from hopeful.web.standards.models import Assessment

INTAKE = {"not_in_place": "risks_only", "started": "open_strengths", "in_place": "some_blocks"}
INTAKE["reviewed"] = "all_blocks"


def answers(option: str = "in_place", **overrides: str) -> dict[str, str]:
    """Every question answered with ``option`` (its equivalent for the intake question);
    ``overrides`` by question id with dots as "__"."""
    out = {q.id: option for q in rubric.QUESTIONS}
    out["family_strengths.intake_forms"] = INTAKE[option]
    for key, value in overrides.items():
        out[key.replace("__", ".")] = value
    return out


def form_data(values: dict[str, str], action: str = "save") -> dict[str, str]:
    data = {field_name(qid): value for qid, value in values.items()}
    data["action"] = action
    return data


def url(name: str, org: Any, **kwargs: Any) -> str:
    """The English URL (prefix "/es" for the Spanish page), whatever the last request's
    language left active."""
    with translation.override("en"):
        return reverse(f"standards:{name}", kwargs={"org_id": org.public_id, **kwargs})


def submitted(org: Any, admin: Any, values: dict[str, str] | None = None) -> Assessment:
    assessment, _created = services.assessment_start(organization=org, actor=admin)
    return services.assessment_submit(
        assessment=assessment, actor=admin, answers=values or answers()
    )


@pytest.fixture
def t(two_tenants: dict[str, Any]) -> dict[str, Any]:
    return two_tenants


@pytest.fixture
def admin_a(t: dict[str, Any]) -> Any:
    return t["members_a"][Role.ORG_ADMIN]
