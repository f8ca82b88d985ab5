"""Hypothesis throws random and malformed submissions at the submit endpoint: it never
answers 5xx, stores nothing when it refuses, and what it stores is scored as the framework
scores it under the pinned version."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hopeful.framework import get_instrument, score_response
from hopeful.web.surveys.models import InstrumentScore, Submission
from tests.web.surveys.conftest import pce7_post, row_counts

pytestmark = pytest.mark.django_db

PCE7 = get_instrument("pce7", "1.0")
ITEM_FIELDS = [f"pce7.{item_id}" for item_id in PCE7.item_ids]

junk_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
code_values = st.one_of(
    st.sampled_from(["", "1", "2", "3", "4", "5", "7", "8", "9"]),
    st.integers(-5, 100).map(str),
    junk_text,
)
uuids = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda u: u.hex),
    st.uuids().map(lambda u: str(u).upper()),
    junk_text,
    st.just(""),
)
field_names = st.one_of(
    st.sampled_from([*ITEM_FIELDS, "pce7.pce99", "bce10.bce1", "pce7", ".", "x.y.z"]),
    junk_text,
)
payloads = st.fixed_dictionaries(
    {
        "client_uuid": uuids,
        "language": st.sampled_from(["en", "es", "", "fr", "EN"]),
        "consent": st.lists(
            st.sampled_from(["care", "program_improvement", "research", "", "other"]),
            max_size=4,
        ),
        "name": st.one_of(st.just(""), junk_text, st.text(min_size=79, max_size=90)),
        "answers": st.dictionaries(st.sampled_from(ITEM_FIELDS), code_values),
    },
    optional={"extra": st.dictionaries(field_names, junk_text, max_size=3)},
)


def to_post(payload: dict[str, Any]) -> dict[str, Any]:
    data = {
        "client_uuid": payload["client_uuid"],
        "language": payload["language"],
        "consent": payload["consent"],
        "name": payload["name"],
        **payload["answers"],
    }
    for key, value in payload.get("extra", {}).items():
        if key not in data:
            data[key] = value
    return data


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=payloads)
def test_random_submissions_never_fail_and_store_all_or_nothing(
    two_tenants: dict[str, Any], payload: dict[str, Any]
) -> None:
    # examples share one test transaction: keep the per-minute limit out of the way
    type(two_tenants["link_a"]).objects.filter(pk=two_tenants["link_a"].pk).update(
        rate_limit_per_minute=100_000
    )
    before = row_counts()
    response = Client().post(f"/s/{two_tenants['token_a']}/submit/", to_post(payload))
    assert response.status_code < 500
    after = row_counts()
    if response.status_code != 302:
        assert 400 <= response.status_code < 500
        assert after == before
        return
    if after == before:
        return  # an identical replay of an earlier example
    assert after["submissions"] == before["submissions"] + 1
    submission = Submission.objects.order_by("-id").first()
    assert submission is not None
    stored = InstrumentScore.objects.get(submission=submission)
    expected = score_response(PCE7, submission.answers["pce7"])
    assert stored.instrument_version == PCE7.version
    assert stored.values == dict(expected.values)
    assert stored.reason == expected.reason


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from([*ITEM_FIELDS, "name", "language", "consent"]),
    value=code_values,
)
def test_changing_any_one_field_of_a_stored_submission_is_a_conflict_or_a_refusal(
    two_tenants: dict[str, Any], field: str, value: str
) -> None:
    client_uuid = str(uuid.uuid4())
    original = pce7_post(client_uuid)
    assert Client().post(f"/s/{two_tenants['token_a']}/submit/", original).status_code == 302
    stored = Submission.objects.values().get(client_uuid=client_uuid)
    changed = dict(original, **{field: value})
    response = Client().post(f"/s/{two_tenants['token_a']}/submit/", changed)
    if response.status_code == 302:
        # only a no-op change (the same value, or a blank written another way) is a replay
        assert Submission.objects.filter(client_uuid=client_uuid).count() == 1
    else:
        assert response.status_code in (400, 409)
    assert Submission.objects.values().get(client_uuid=client_uuid) == stored
