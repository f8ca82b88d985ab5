"""The dashboard's data path shortcuts give what the plain code gives: the remembered answer
codes, the demographics key a breakdown reads, the respondent table read from only the JSON it
needs (with each row's record key), and the dashboards remembered per data version (and the
same numbers when computed again: they are perturbed by the records' keys)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from hopeful.framework import get_instrument
from hopeful.web.families.models import ConsentPurpose
from hopeful.web.families.services import consent_set
from hopeful.web.insights import data, equity, selectors
from hopeful.web.insights.forms import DashboardFilterForm
from hopeful.web.organizations.access import get_organization_for_user
from hopeful.web.organizations.models import Role
from tests.web.insights.factories import add_submissions, expected_count, tenant


def test_the_answer_reader_agrees_with_affirmative_for_every_kind_of_code() -> None:
    definition = get_instrument("pce7")
    codes: list[Any] = [None, "", 1, 2, 3, 4, 5, 7, 8, 9, "4", "5", "x", 4.0, 4.5, True, [4], {}]
    for item in definition.items:
        if item.block is None:
            continue
        read = data._affirmative_reader(definition, item.id)
        for code in codes * 2:  # the second time from what it remembered
            expected = data._affirmative(definition, item.id, code)
            got = read(code)
            assert (np.isnan(expected) and np.isnan(got)) or got == expected, (item.id, code)


def test_each_breakdown_names_the_demographics_key_it_reads() -> None:
    assert equity.demographic_key("race_ethnicity") == "race_ethnicity"
    assert equity.demographic_key("income") == "income"
    assert equity.demographic_key("zip3") == "zip3"
    assert equity.demographic_key("language") is None
    assert equity.demographic_key("child_age") is None
    assert equity.demographic_key("nonsense") == "race_ethnicity"  # the default breakdown
    assert set(equity.BREAKDOWNS) - {"language", "child_age"} == {
        equity.demographic_key(b) for b in equity.BREAKDOWNS
    } - {None}


@pytest.mark.django_db
def test_the_respondent_table_reads_only_the_chosen_demographics_key(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    program, campaign, link = tenant(t)
    submissions = add_submissions(program, campaign, link, 4)
    given = [
        {"income": "<25k", "zip3": "537", "race_ethnicity": ["asian", "white"]},
        {"income": "prefer_not_to_say", "zip3": "000"},
        {"zip3": "012"},
        {},
    ]
    for submission, demographics in zip(submissions, given, strict=True):
        submission.demographics = demographics
        submission.save(update_fields=["demographics"])
    access = get_organization_for_user(t["members_a"][Role.ANALYST], t["org_a"].public_id)
    options = selectors.filter_options(access=access, language="en")
    filters = DashboardFilterForm(None, options=options).filters()
    by_family = {s.family_id: d for s, d in zip(submissions, given, strict=True)}
    for key in ("income", "zip3", "race_ethnicity", None):
        table = data.respondent_table(
            access, filters.instrument_id, options.programs, filters.horizon, key
        )
        assert len(table) == 4
        for family, demographics in zip(table["family"], table["demographics"], strict=True):
            wanted = by_family[family]
            expected = {key: wanted[key]} if key is not None and key in wanted else {}
            got = {k: str(v) if k == "zip3" else v for k, v in demographics.items()}
            assert got == expected
        # each row carries its submission's record key (a cell's key is their sum)
        keys = {s.family_id: s.record_key for s in submissions}
        assert [keys[family] for family in table["family"]] == table["key"].tolist()
        # the answers and scores do not depend on the key
        assert table["item_pce1"].notna().all()
        assert table["score"].notna().any()


@pytest.mark.django_db
def test_a_dashboard_is_remembered_until_the_data_change(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    program, campaign, link = tenant(t)
    rows = add_submissions(program, campaign, link, 30)
    access = get_organization_for_user(t["members_a"][Role.ANALYST], t["org_a"].public_id)
    options = selectors.filter_options(access=access, language="en")
    filters = DashboardFilterForm(None, options=options).filters()
    first = selectors.dashboard(access=access, filters=filters, options=options, language="en")
    again = selectors.dashboard(access=access, filters=filters, options=options, language="en")
    assert again is first
    # computed again from scratch: the same numbers (the same records, the same keys)
    selectors.clear_caches()
    recomputed = selectors.dashboard(access=access, filters=filters, options=options, language="en")
    assert recomputed is not first
    assert recomputed.reach == first.reach
    assert recomputed.all_estimates == first.all_estimates
    version = selectors.data_version(t["org_a"])
    added = add_submissions(program, campaign, link, 1, start=30)
    assert selectors.data_version(t["org_a"]) != version
    fresh = selectors.dashboard(access=access, filters=filters, options=options, language="en")
    assert fresh.reach.total == expected_count(rows + added)
    # a revocation changes the version too: the family is no longer counted
    family = rows[0].family
    consent_set(family=family, choices={ConsentPurpose.PROGRAM_IMPROVEMENT: False}, language="en")
    after = selectors.dashboard(access=access, filters=filters, options=options, language="en")
    assert after.reach.total == expected_count(rows[1:] + added)
    # another organization's data do not change this one's version
    version = selectors.data_version(t["org_a"])
    add_submissions(t["program_b"], t["campaign_b"], t["link_b"], 3)
    assert selectors.data_version(t["org_a"]) == version
