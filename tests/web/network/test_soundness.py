"""Soundness of the network view's protection: random network data, every filter of the view
rendered through the real page and CSV (and the Excel export), every number read back, and an
attacker's linear programs over all of it (see :mod:`tests.web.network.attack`)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hopeful.web.network import selectors
from tests.web import factories as f
from tests.web.network import attack

pytestmark = pytest.mark.django_db

STATES = ("WI", "MN", "KS")
KINDS = ("clinic", "school", "community")
#: A few months of the year: two in the first quarter, one in the second, one in the third.
MONTHS = [1, 3, 5, 8]

org_specs = st.lists(
    st.tuples(
        st.sampled_from(STATES),
        st.sampled_from(KINDS),
        st.lists(
            st.one_of(st.integers(0, 6), st.integers(0, 40)),
            min_size=len(MONTHS),
            max_size=len(MONTHS),
        ),
    ),
    min_size=2,
    max_size=9,
)


def run(client: Client, spec: list[attack.OrgSpec], seed: int, measure: str) -> dict[str, int]:
    selectors.clear_caches()  # ids are reused after a rollback: a data version may repeat
    with transaction.atomic():
        f.login_verified(client, f.make_user(f"net{seed}@hope.example.org", is_network_staff=True))
        net = attack.build(spec, MONTHS, seed, measure)
        published = attack.publish_everything(client, net, measure)
        checked = attack.check(net, published)
        transaction.set_rollback(True)
    return checked


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(spec=org_specs, seed=st.integers(0, 2**31 - 1), measure=st.sampled_from(attack.MEASURES))
@pytest.mark.audit
@pytest.mark.one_database  # linear programs over the published numbers; the pages that
# publish them are tested on both databases
def test_no_hidden_count_can_be_worked_out_from_everything_published(
    client: Client, spec: list[attack.OrgSpec], seed: int, measure: str
) -> None:
    run(client, spec, seed, measure)


@pytest.mark.one_database  # linear programs over the published numbers; the network view's queries run on both databases in test_network.py
def test_an_organization_with_fewer_than_three_peers_never_shows(client: Client) -> None:
    """WI clinics: three organizations; WI schools: one; MN schools: two; MN clinics: four.
    The lone WI school and the two MN schools (a cell, and the school kind's months where
    only they answer) are hidden with all their numbers, everywhere, and cannot be worked out
    from the WI and MN rows and the other cells."""
    spec: list[attack.OrgSpec] = [
        *(("WI", "clinic", [20, 0, 25, 30]) for _ in range(3)),
        ("WI", "school", [40, 12, 0, 0]),
        *(("MN", "school", [15, 30, 0, 22]) for _ in range(2)),
        *(("MN", "clinic", [25, 25, 25, 25]) for _ in range(4)),
    ]
    checked = run(client, spec, 7, "top_band")
    assert checked["organizations"] >= 4  # the WI and MN school cells, among others
    assert checked["shown"] > 10  # and the rest of the view is still there
