"""The network's figures: counts of valid certifications only, the small-count rule (1–10 per
state, never the exact value, in the map and the table), states reached, growth by quarter
with a frozen clock, a public page in English and Spanish, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hopeful.framework.certification import State, Tier
from hopeful.web.certification.models import Certification
from hopeful.web.directory import figures
from hopeful.web.learning.models import LearnerProfile
from hopeful.web.learning.vocab import US_STATES
from tests.web import factories as f

NOW = dt.datetime(2027, 3, 1, 17, 0, tzinfo=dt.UTC)
TODAY = dt.date(2027, 3, 1)
LATER = TODAY + dt.timedelta(days=200)


# ------------------------------------------------------------------------ the small-count rule


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0"), (-1, "0"), (1, "1–10"), (3, "1–10"), (10, "1–10"), (11, "11"), (250, "250")],
)
def test_small_counts_are_never_shown_exactly(count: int, text: str) -> None:
    assert figures.shown(count) == text


def test_the_map_bands_start_where_the_small_count_rule_ends() -> None:
    assert [figures.map_band(n).label for n in (0, 1, 10)] == ["0", "1–10", "1–10"]
    assert [figures.map_band(n).key for n in (11, 50, 51, 5000)] == [
        "medium",
        "medium",
        "large",
        "large",
    ]


def test_every_state_and_territory_has_its_own_tile() -> None:
    assert set(figures.TILES) == {code for code, _name in US_STATES}
    assert len(set(figures.TILES.values())) == len(figures.TILES)


# ----------------------------------------------------------------------------------- the data

_serial = iter(range(10_000))


def person(state: str = "WI") -> Any:
    user = f.make_user(f"p{next(_serial)}@example.org")
    if state is not None:
        LearnerProfile.objects.create(user=user, full_name="Pat Example", state=state)
    return user


def cert(
    holder: Any,
    tier: Tier = Tier.FACILITATOR,
    state: State = State.CERTIFIED,
    *,
    until: dt.date | None = LATER,
    certified: dt.datetime | None = NOW - dt.timedelta(days=400),
) -> Certification:
    is_org = tier == Tier.ORGANIZATION
    return Certification.objects.create(
        tier=tier.value,
        state=state.value,
        user=None if is_org else holder,
        organization=holder if is_org else None,
        valid_until=until,
        certified_at=certified,
    )


@pytest.fixture
def network(db: Any) -> dict[str, Any]:
    """Wisconsin: 3 valid Facilitators (one also a Champion) and one valid organization, and
    holders that must not count; California: 12 valid Facilitators; one valid Facilitator
    with no state; an organization of Texas that only applied."""
    wisconsin = [person("WI") for _ in range(3)]
    for user in wisconsin:
        cert(user)
    cert(wisconsin[0], Tier.CHAMPION, State.EXPIRING, until=TODAY)  # last valid day: counts
    cert(f.make_org("Lakeside Center", state="WI"), Tier.ORGANIZATION)
    # in Wisconsin too, none of which count
    cert(person("WI"), state=State.EXPIRED, until=TODAY - dt.timedelta(days=3))
    cert(person("WI"), state=State.SUSPENDED)
    cert(person("WI"), state=State.REVOKED)
    cert(person("WI"), state=State.APPLIED, until=None, certified=None)
    cert(person("WI"), state=State.IN_PROGRESS, until=None, certified=None)
    cert(person("WI"), state=State.CERTIFIED, until=TODAY - dt.timedelta(days=1))  # not yet run
    cert(f.make_org("Expired Org", state="WI"), Tier.ORGANIZATION, State.EXPIRED, until=TODAY)
    for _ in range(12):
        cert(person("CA"))
    cert(person(None))  # no learner profile: counted in the nation, in no state
    cert(f.make_org("Applied Org", state="TX"), Tier.ORGANIZATION, State.APPLIED, until=None)
    return {"wisconsin": wisconsin}


def page(path: str = "/network/figures/") -> str:
    with time_machine.travel(NOW, tick=False):
        response = Client().get(path)
    assert response.status_code == 200
    return response.content.decode()


# --------------------------------------------------------------------------------- the counts


def test_counts_of_valid_certifications_only(network: dict[str, Any]) -> None:
    data = figures.network_figures(TODAY)
    assert data.totals == {"facilitator": 16, "champion": 1, "organization": 1}
    assert data.states_reached == 2
    rows = {row.code: row for row in data.states}
    assert rows["WI"].counts == {"facilitator": 3, "champion": 1, "organization": 1}
    assert rows["WI"].cells == ["1–10", "1–10", "1–10"]
    assert rows["CA"].cells == ["12", "0", "0"]
    assert rows["TX"].cells == ["0", "0", "0"]
    tiles = {tile.code: tile for tile in data.tiles}
    assert tiles["WI"].band.label == "1–10"  # 3 people and 1 organization
    assert tiles["CA"].band.key == "medium"
    assert tiles["TX"].band.label == "0"


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], "16"),
        ([12, 0], "16"),  # no state hidden
        ([3, 12], "more than 13"),  # one hidden state: the total would give it away
        ([3, 2, 11], "16"),  # two hidden: only their sum (5) can be worked out, pooled
    ],
)
def test_a_national_total_never_gives_away_a_lone_hidden_state(
    states: list[int], expected: str
) -> None:
    assert figures.national(16, states) == expected


def test_a_day_later_the_expiring_champion_no_longer_counts(network: dict[str, Any]) -> None:
    data = figures.network_figures(TODAY + dt.timedelta(days=1))
    assert data.totals["champion"] == 0


def test_the_page_shows_small_counts_as_a_range(network: dict[str, Any]) -> None:
    html = page()
    row = re.search(r'<tr id="state-WI">(.*?)</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num">([^<]*)</td>', row.group(1))
    assert cells == ["1–10", "1–10", "1–10"]
    assert not re.search(r">\s*[1-9]\s*<", row.group(1))  # no exact small value
    california = re.search(r'<tr id="state-CA">(.*?)</tr>', html, re.S)
    assert california is not None
    assert re.findall(r'<td class="num">([^<]*)</td>', california.group(1)) == ["12", "0", "0"]
    # the map's Wisconsin tile: its code and its band, not its count
    tile = re.search(r">WI</text>\s*<text[^>]*>([^<]*)</text>", html)
    assert tile is not None
    assert tile.group(1) == "1–10"
    # the national totals: Wisconsin is the only state of each column shown as "1–10", so
    # each total is "more than" the total less Wisconsin's (else 16 - 12 - 1 = 3 would give
    # Wisconsin away); then the states reached
    now = re.search(r'<dl class="facts figures-now">(.*?)</dl>', html, re.S)
    assert now is not None
    assert re.findall(r"<dd>([^<]+)</dd>", now.group(1)) == [
        "more than 13",
        "more than 0",
        "more than 0",
        "2",
    ]
    assert 'role="img"' in html
    assert '<title id="map-title">' in html


def test_the_page_is_public_and_in_spanish_too(network: dict[str, Any]) -> None:
    assert reverse("figures:figures") == "/network/figures/"
    html = page("/es/network/figures/")
    assert '<html lang="es"' in html
    assert "1–10" in html


def test_the_page_makes_few_queries(
    network: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    # four grouped counts, and the base template's site navigation (four): none per holder
    with django_assert_max_num_queries(8):
        page()


def test_an_empty_network(db: Any) -> None:
    html = page()
    assert '<tr id="state-WI">' in html
    data = figures.network_figures(TODAY)
    assert data.totals == {"facilitator": 0, "champion": 0, "organization": 0}
    assert data.states_reached == 0
    assert all(q.cumulative == dict.fromkeys(figures.TIERS, 0) for q in data.quarters)


# --------------------------------------------------------------------------------- the growth


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 15, 0, tzinfo=dt.UTC)


def test_growth_by_quarter(db: Any) -> None:
    # before the eight quarters shown (2025 Q2 - 2027 Q1): counted from the start
    for _ in range(20):
        cert(person(), certified=at(2024, 5, 1))
    # a revoked Facilitator certified again later: counted once, at the first certification
    again = person()
    cert(again, state=State.REVOKED, certified=at(2025, 8, 1))
    cert(again, certified=at(2026, 11, 1))
    for _ in range(3):
        cert(person(), certified=at(2026, 8, 15))
    for _ in range(12):
        cert(person(), certified=at(2027, 1, 10))
    cert(person(), Tier.CHAMPION, certified=at(2026, 12, 31))
    cert(f.make_org("Org A"), Tier.ORGANIZATION, certified=at(2025, 4, 1))
    # not certified, or certified after today: not counted
    cert(person(), state=State.APPLIED, certified=None, until=None)
    cert(person(), Tier.CHAMPION, certified=at(2027, 3, 20))
    with time_machine.travel(NOW, tick=False):
        data = figures.network_figures()
    quarters = data.quarters
    assert [str(q.label) for q in quarters] == [
        "2025 Q2",
        "2025 Q3",
        "2025 Q4",
        "2026 Q1",
        "2026 Q2",
        "2026 Q3",
        "2026 Q4",
        "2027 Q1",
    ]
    assert [q.cumulative["facilitator"] for q in quarters] == [20, 21, 21, 21, 21, 24, 24, 36]
    assert [q.cumulative["champion"] for q in quarters] == [0, 0, 0, 0, 0, 0, 1, 1]
    assert [q.cumulative["organization"] for q in quarters] == [1] * 8
    # national counts, exact (the differences of the cumulative counts)
    assert [q.new_cells[0] for q in quarters] == ["0", "1", "0", "0", "0", "3", "0", "12"]
    # the charts share one scale; the tallest bar is the full height
    assert data.charts[0].bars[-1].height == figures.CHART_HEIGHT
    html = page()
    assert "2027 Q1" in html
