"""What the bright-spots pages compare and show, on planted data: a program whose families
score clearly higher given the same characteristics is called better; a program that looks
better only because its families have higher incomes is as expected once income is adjusted
for; consent, small programs, empty states and bad filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hopeful.web.brightspots import selectors
from hopeful.web.brightspots.model import AS_EXPECTED, BETTER, WORSE, BrightResult
from hopeful.web.organizations.models import Role
from tests.web import factories as f
from tests.web.insights.factories import expected_count

from .factories import add_family, add_program_families, revoke, tenant, url


def page(client: Client, t: dict[str, Any], query: str = "", role: str = Role.ANALYST) -> Any:
    f.login_verified(client, t["members_a"][role])
    return client.get(url(t["org_a"], query))


def result_of(response: Any) -> BrightResult:
    result = response.context["result"]
    assert isinstance(result, BrightResult)
    return result


def by_label(result: BrightResult) -> dict[str, Any]:
    return {row.label: row for row in result.rows}


@pytest.mark.django_db
def test_a_planted_bright_spot_is_called_better(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    org, campaign, link = tenant(t)
    third = f.make_program(org, "West site")
    add_program_families(t["program_a"], campaign, link, 40, base=3, start=0)
    add_program_families(t["other_program_a"], campaign, link, 40, base=3, start=100)
    add_program_families(third, campaign, link, 40, base=5, start=200)
    response = page(client, t)
    assert response.status_code == 200
    result = result_of(response)
    assert result.fitted
    rows = by_label(result)
    assert rows["West site"].verdict == BETTER
    assert rows["West site"].difference == pytest.approx(4 / 3, abs=0.05)
    assert rows["West site"].ci_low > 0
    assert rows["Main site"].verdict == WORSE  # below the average of the three
    body = response.content.decode()
    assert "1 of 3 programs does better than expected for the families it serves" in body
    assert "Better than expected" in body
    assert "<svg" in body
    assert 'role="img"' in body
    # every published count of families is the protection engine's
    assert rows["West site"].families.value is not None


@pytest.mark.django_db
def test_adjusting_for_income_explains_a_difference(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    _org, campaign, link = tenant(t)
    # Richer families score 3 more, in every program; the main site serves more of them.
    add_program_families(
        t["program_a"], campaign, link, 40, base=2, high_income=30, income_bonus=3, start=0
    )
    add_program_families(
        t["other_program_a"],
        campaign,
        link,
        40,
        base=2,
        high_income=10,
        income_bonus=3,
        start=100,
    )
    raw = result_of(page(client, t, "?instrument=pce7&outcome=mean&period=all"))
    assert raw.adjusted_for == ()
    assert by_label(raw)["Main site"].verdict == BETTER
    adjusted = result_of(page(client, t, "?instrument=pce7&outcome=mean&period=all&adjust=income"))
    assert adjusted.adjusted_for == ("income",)
    rows = by_label(adjusted)
    assert rows["Main site"].verdict == AS_EXPECTED
    assert rows["North site"].verdict == AS_EXPECTED
    assert abs(rows["Main site"].difference) < 0.2
    # the default (no filters sent) adjusts for every characteristic that varies
    response = page(client, t)
    assert "None of the 2 programs compared does better or worse" in response.content.decode()
    default = result_of(response)
    assert "income" in default.adjusted_for
    assert by_label(default)["Main site"].verdict == AS_EXPECTED


@pytest.mark.django_db
def test_the_top_group_share_is_a_logistic_comparison(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    _org, campaign, link = tenant(t)
    add_program_families(t["program_a"], campaign, link, 40, base=3, start=0)
    add_program_families(t["other_program_a"], campaign, link, 40, base=6, start=100)
    response = page(client, t, "?instrument=pce7&outcome=top_band&period=all&adjust=income")
    assert response.status_code == 200
    result = result_of(response)
    assert result.kind == "proportion"
    north = by_label(result)["North site"]
    assert north.verdict == BETTER
    assert north.odds_ratio is not None
    assert north.odds_ratio > 1
    assert north.ci_low is not None
    assert north.ci_low > 0
    assert "Odds ratio" in response.content.decode()


@pytest.mark.django_db
def test_a_family_without_program_improvement_consent_is_not_counted(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    _org, campaign, link = tenant(t)
    main = add_program_families(t["program_a"], campaign, link, 30, base=3, start=0)
    add_program_families(t["other_program_a"], campaign, link, 30, base=3, start=100)
    before = by_label(result_of(page(client, t)))["Main site"]
    assert before.families == expected_count(main)
    revoke(main[0].family)
    after = by_label(result_of(page(client, t)))["Main site"]
    assert after.families == expected_count(main[1:])
    # a family who agreed only to care is never counted
    add_family(
        t["program_a"], campaign, link, 7, name="Care only", consent=("care",), income="<25k"
    )
    again = by_label(result_of(page(client, t)))["Main site"]
    assert again.families == expected_count(main[1:])


@pytest.mark.django_db
def test_a_family_counts_once_with_its_latest_answer(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    from tests.web.practice.factories import make_submission

    from .factories import pce7_with_score

    t = two_tenants
    _org, campaign, link = tenant(t)
    main = add_program_families(t["program_a"], campaign, link, 20, base=3, start=0)
    add_program_families(t["other_program_a"], campaign, link, 20, base=3, start=100)
    first = by_label(result_of(page(client, t)))["Main site"]
    later = make_submission(main[0].family, campaign, link, answers={"pce7": pce7_with_score(7)})
    second = by_label(result_of(page(client, t)))["Main site"]
    assert second.families == expected_count([later, *main[1:]])
    assert second.observed == pytest.approx(first.observed + (7 - 3) / 20)


@pytest.mark.django_db
def test_a_small_program_is_too_few_to_compare(client: Client, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    org, campaign, link = tenant(t)
    small = f.make_program(org, "Tiny pilot")
    main = add_program_families(t["program_a"], campaign, link, 30, base=3, start=0)
    north = add_program_families(t["other_program_a"], campaign, link, 30, base=4, start=100)
    tiny = add_program_families(small, campaign, link, 4, base=7, start=200)
    response = page(client, t)
    result = result_of(response)
    assert result.fitted
    row = by_label(result)["Tiny pilot"]
    assert not row.compared
    assert row.verdict == ""
    assert row.observed is None
    assert row.families.value is None or row.families.value == 0
    assert len(result.compared) == 2
    body = response.content.decode()
    assert "Tiny pilot: too few families to compare" in body
    assert f">{len(tiny)}<" not in body  # never a small count
    # counted in all (as published), but not in the model: the two compared are as expected
    assert result.families == expected_count([*main, *north, *tiny])
    # with two units left, the average unit is theirs alone: their differences mirror
    rows = by_label(result)
    assert rows["Main site"].difference == pytest.approx(-rows["North site"].difference)


@pytest.mark.django_db
def test_with_one_program_to_compare_there_is_no_model(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    _org, campaign, link = tenant(t)
    add_program_families(t["program_a"], campaign, link, 30, base=3, start=0)
    add_program_families(t["other_program_a"], campaign, link, 3, base=3, start=100)
    response = page(client, t)
    assert response.status_code == 200
    result = result_of(response)
    assert not result.fitted
    assert result.reason == "too_few_units"
    body = response.content.decode()
    assert "Fewer than two programs have enough families to compare." in body
    assert "<svg" not in body.split('id="too-few-units"')[0].split("bright-filters")[-1]


@pytest.mark.django_db
def test_empty_states(client: Client, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    response = page(client, t)
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "No questionnaire answers to compare yet." in response.content.decode()
    _org, campaign, link = tenant(t)
    add_program_families(t["program_a"], campaign, link, 12, base=3)
    first_year = response.context["form"].horizon.first_year
    response = page(client, t, f"?instrument=pce7&outcome=mean&period={first_year}")
    assert response.status_code == 200
    assert result_of(response).reason == "no_answers"
    assert "No answers in this period." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?outcome=median",
        "?period=1999",
        "?period=2026-Q9",
        "?instrument=ace_brfss",
        "?adjust=shoe_size",
    ],
)
def test_bad_filters_are_a_clear_400(
    client: Client, two_tenants: dict[str, Any], query: str
) -> None:
    t = two_tenants
    _org, campaign, link = tenant(t)
    add_program_families(t["program_a"], campaign, link, 12, base=3)
    add_program_families(t["other_program_a"], campaign, link, 12, base=3, start=100)
    response = page(client, t, query)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Some filters were not understood" in body
    assert "Nothing is compared until the filters are corrected." in body
    assert response.context["result"] is None


@pytest.mark.django_db
def test_the_result_is_remembered_per_data_version(
    client: Client, two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    t = two_tenants
    _org, campaign, link = tenant(t)
    add_program_families(t["program_a"], campaign, link, 30, base=3, start=0)
    add_program_families(t["other_program_a"], campaign, link, 30, base=4, start=100)
    first = result_of(page(client, t))
    # warm: session, user, membership, second factor, data version, programs, and the page
    with django_assert_max_num_queries(14):
        response = client.get(url(t["org_a"]))
    assert result_of(response) is first
    add_family(t["program_a"], campaign, link, 7, name="New one", income="<25k")
    assert result_of(client.get(url(t["org_a"]))) is not first
    assert selectors.RESULTS.items
