from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hopeful.web.audit.models import AuditEvent
from hopeful.web.families.models import ConsentRecord, Family
from hopeful.web.surveys.models import InstrumentScore, Submission


def row_counts() -> dict[str, int]:
    """What a rejected request must leave unchanged."""
    return {
        "submissions": Submission.objects.count(),
        "families": Family.objects.count(),
        "consents": ConsentRecord.objects.count(),
        "scores": InstrumentScore.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def pce7_post(client_uuid: str, **overrides: Any) -> dict[str, Any]:
    """A complete, valid final POST for the pce7 campaign of ``two_tenants``."""
    data: dict[str, Any] = {
        "client_uuid": client_uuid,
        "language": "en",
        "consent": ["care", "program_improvement"],
        "name": "Blue Bird",
        **{f"pce7.pce{i}": "4" for i in range(1, 8)},
    }
    data["pce7.pce3"] = "2"
    data["pce7.pce6"] = ""
    data.update(overrides)
    return data


@pytest.fixture
def family_client() -> Client:
    return Client()
