"""The network view's counts kept in the database (hopeful.web.network.counts): always what a
direct count of consenting families' scored submissions gives, after new submissions, consent
withdrawn, rows removed and counts written late."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models.fields.json import KT
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hopeful.web.families.models import ConsentPurpose, ConsentRecord
from hopeful.web.families.selectors import with_consent
from hopeful.web.network import counts
from hopeful.web.network.models import NetworkCount, NetworkCountState
from hopeful.web.surveys.models import InstrumentScore, Submission
from tests.web.network.factories import BOTH, add_to, network_org

pytestmark = pytest.mark.django_db

WHEN = timezone.make_aware(dt.datetime.combine(dt.date(2026, 2, 10), dt.time(12)))


def direct() -> Counter[tuple[int, str, dt.date, str, str]]:
    """(organization, questionnaire, month, output, value) -> (n, key sum), counted from the
    submissions themselves."""
    counted = with_consent(
        Submission.objects.all(), ConsentPurpose.PROGRAM_IMPROVEMENT, family_field="family"
    )
    out: Counter[tuple[int, str, dt.date, str, str]] = Counter()
    keys: Counter[tuple[int, str, dt.date, str, str]] = Counter()
    scores = InstrumentScore.objects.filter(submission__in=counted.values("id"))
    for instrument_id in set(scores.values_list("instrument_id", flat=True)):
        for output in counts.outputs(instrument_id):
            rows = (
                scores.filter(instrument_id=instrument_id)
                .annotate(month=TruncMonth("submission__submitted_at"), raw=KT(f"values__{output}"))
                .values_list("organization_id", "month", "raw", "submission__record_key")
            )
            for org, month, raw, key in rows:
                cell = (
                    org,
                    instrument_id,
                    month.date(),
                    output,
                    "null" if raw is None else str(raw),
                )
                out[cell] += 1
                keys[cell] += key
    return Counter({cell: (n, keys[cell]) for cell, n in out.items()})


def kept() -> Counter[tuple[int, str, dt.date, str, str]]:
    return Counter(
        {
            (c.organization_id, c.instrument_id, c.month, c.output, c.value): (c.n, c.key_sum)
            for c in NetworkCount.objects.all()
        }
    )


def test_the_counts_follow_new_submissions_and_consent_withdrawn() -> None:
    a = network_org("Org A", "WI", "clinic", 30, when=WHEN)
    b = network_org("Org B", "MN", "school", 20, when=WHEN, start=500)
    counts.bring_up_to_date()
    assert kept() == direct()
    assert NetworkCount.objects.filter(organization=a).exists()
    first = NetworkCountState.objects.get().generation

    add_to(b, 12, consent=BOTH, start=900, when=WHEN)
    counts.bring_up_to_date()
    assert kept() == direct()
    assert NetworkCountState.objects.get().generation == first + 1

    # a family takes its consent back: its answers leave the counts
    family = Submission.objects.filter(organization=a).first().family
    ConsentRecord.objects.create(
        organization=a,
        family=family,
        purpose=ConsentPurpose.PROGRAM_IMPROVEMENT,
        granted=False,
        text_version="2026-1",
        language="en",
    )
    before = sum(n for (org, *_rest), (n, _k) in kept().items() if org == a.pk)
    counts.bring_up_to_date()
    assert kept() == direct()
    assert sum(n for (org, *_rest), (n, _k) in kept().items() if org == a.pk) < before


def test_nothing_new_costs_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    network_org("Org A", "WI", "clinic", 15, when=WHEN)
    counts.bring_up_to_date()
    with django_assert_num_queries(1):
        counts.bring_up_to_date()


def test_a_row_removed_or_written_late_recounts_everything() -> None:
    a = network_org("Org A", "WI", "clinic", 25, when=WHEN)
    b = network_org("Org B", "MN", "school", 25, when=WHEN, start=500)
    counts.bring_up_to_date()
    # a submission removed (with its scores): the numbers no longer add up
    Submission.objects.filter(organization=a).first().delete()
    add_to(a, 1, consent=BOTH, start=900, when=WHEN)  # and something new, so ids move
    counts.bring_up_to_date()
    assert kept() == direct()
    # a row committed late, below the ids already read: seen with the next new row
    state = NetworkCountState.objects.get()
    state.submissions -= 1  # as if one submission had not been there when the ids were read
    state.save()
    add_to(b, 1, consent=BOTH, start=950, when=WHEN)
    NetworkCount.objects.filter(organization=a).delete()  # A is recounted only if all is
    counts.bring_up_to_date()
    assert NetworkCount.objects.filter(organization=a).exists()
    assert kept() == direct()
