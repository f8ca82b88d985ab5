"""Weights an organization supplies: the families each program serves.

When every program has its size, all-programs shares weight each program's respondents to
stand for its families (programs as strata), computed from each program's published
(perturbed) counts: the numbers equal ``hopeful.stats`` with those weights and strata on those
counts, a weighted share is shown only when every program's counts behind it are, and setting
the sizes is an audited, all-or-nothing org admin action.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse

from hopeful.stats import Design, nchs_proportions, proportions_from_counts
from hopeful.web.audit.models import AuditEvent
from hopeful.web.organizations.models import Program, Role
from hopeful.web.surveys.models import Submission
from tests.web import factories as f
from tests.web.insights.factories import (
    add_submissions,
    assert_published,
    build,
    expected_share,
    noise_bound,
    published,
    tenant,
)
from tests.web.practice.factories import make_submission

pytestmark = pytest.mark.django_db


def sizes_url(t: dict[str, Any]) -> str:
    return reverse("insights:program_sizes", args=[t["org_a"].public_id])


def field(program: Program) -> str:
    return f"program_{program.public_id.hex}"


def set_sizes(t: dict[str, Any], main: int | None, north: int | None) -> None:
    for program, size in ((t["program_a"], main), (t["other_program_a"], north)):
        Program.objects.filter(pk=program.pk).update(families_served=size)


def add_answers(
    t: dict[str, Any], program: Program, count: int, yes: int, start: int
) -> tuple[list[Submission], list[Submission]]:
    """``count`` respondents of ``program``, the first ``yes`` of them with pce1 = 5 (the
    others 1). Returns (every respondent, those with pce1)."""
    _p, campaign, link = tenant(t)
    out = []
    for i in range(count):
        family = f.make_family(program.organization, program, f"W{start + i}")
        f.grant_consent(family)
        answers = {f"pce{k}": 5 for k in range(1, 8)}
        answers["pce1"] = 5 if i < yes else 1
        out.append(make_submission(family, campaign, link, answers={"pce7": answers}))
    return out, out[:yes]


def test_an_org_admin_sets_the_sizes_and_each_change_is_audited(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    f.login_verified(client, t["members_a"][Role.ORG_ADMIN])
    main, north = t["program_a"], t["other_program_a"]
    page = client.get(sizes_url(t))
    assert page.status_code == 200
    response = client.post(sizes_url(t), {field(main): "400", field(north): "120"})
    assert response.status_code == 302
    main.refresh_from_db()
    north.refresh_from_db()
    assert (main.families_served, north.families_served) == (400, 120)
    events = AuditEvent.objects.filter(verb="program.families_served")
    assert events.count() == 2
    # clearing one is a change too
    client.post(sizes_url(t), {field(main): "400", field(north): ""})
    north.refresh_from_db()
    assert north.families_served is None
    assert events.count() == 3


@pytest.mark.parametrize("bad", ["0", "-4", "many", "1.5"])
def test_bad_sizes_are_refused_and_nothing_changes(
    client: Client, two_tenants: dict[str, Any], bad: str
) -> None:
    t = two_tenants
    f.login_verified(client, t["members_a"][Role.ORG_ADMIN])
    main, north = t["program_a"], t["other_program_a"]
    response = client.post(sizes_url(t), {field(main): "300", field(north): bad})
    assert response.status_code == 400
    main.refresh_from_db()
    assert main.families_served is None  # all or nothing
    assert not AuditEvent.objects.filter(verb="program.families_served").exists()


def test_an_analyst_may_not_change_the_weights(client: Client, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    f.login_verified(client, t["members_a"][Role.ANALYST])
    response = client.post(sizes_url(t), {field(t["program_a"]): "10"})
    assert response.status_code == 403
    t["program_a"].refresh_from_db()
    assert t["program_a"].families_served is None


@pytest.mark.usefixtures("shares_from_counts")
def test_weighted_shares_are_stratified_from_each_programs_published_counts(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    main, main_yes = add_answers(t, t["program_a"], 60, 48, 0)  # 80% in the main site
    north, north_yes = add_answers(t, t["other_program_a"], 80, 24, 100)  # 30% in the north
    unweighted = build(t)
    set_sizes(t, 100, 900)  # the north site serves far more families
    weighted = build(t)
    assert weighted.weighted
    assert not unweighted.weighted
    pce1 = next(e for e in weighted.items if e.key == "item:pce1")
    plain = next(e for e in unweighted.items if e.key == "item:pce1")
    # unweighted: the share of the pooled records' published counts
    assert_published(plain, expected_share(main_yes + north_yes, main + north))
    # weighted: programs as strata, each from its own published counts (the same numbers
    # the one-program views show), weighted by the families each serves
    yes = np.array([[published(main_yes), published(north_yes)]])
    n = np.array([[published(main), published(north)]])
    expected = nchs_proportions(proportions_from_counts(yes, n, weights=[100, 900])).iloc[0]
    assert pce1.shown
    assert bool(expected["present"])
    assert pce1.estimate == pytest.approx(float(expected["estimate"]), rel=1e-12)
    assert pce1.ci_low == pytest.approx(float(expected["ci_low"]), rel=1e-12)
    assert pce1.ci_high == pytest.approx(float(expected["ci_high"]), rel=1e-12)
    assert pce1.se == pytest.approx(float(expected["se"]), rel=1e-12)
    assert pce1.estimate == pytest.approx(
        float(yes[0, 0] / n[0, 0] * 0.1 + yes[0, 1] / n[0, 1] * 0.9), rel=1e-12
    )
    # hopeful.stats' design on the same published counts gives the same share
    frame = pd.DataFrame(
        {
            "program": [0] * int(n[0, 0]) + [1] * int(n[0, 1]),
            "y": [1.0] * int(yes[0, 0])
            + [0.0] * int(n[0, 0] - yes[0, 0])
            + [1.0] * int(yes[0, 1])
            + [0.0] * int(n[0, 1] - yes[0, 1]),
            "w": [100 / n[0, 0]] * int(n[0, 0]) + [900 / n[0, 1]] * int(n[0, 1]),
        }
    )
    design = Design(frame, weights="w", strata="program").proportion("y", ci="beta")
    design = design[design["level"] == 1].iloc[0]
    assert pce1.estimate == pytest.approx(float(design["estimate"]), rel=1e-12)
    assert pce1.ci_low == pytest.approx(float(design["ci_low"]), rel=1e-9)
    assert pce1.ci_high == pytest.approx(float(design["ci_high"]), rel=1e-9)
    # near the true weighted share (0.35), far from the unweighted one (0.51)
    true = (100 * 0.8 + 900 * 0.3) / 1000
    assert abs(pce1.estimate - true) <= 0.1 * noise_bound(60) + 0.9 * noise_bound(80)
    assert abs(pce1.estimate - true) < abs(pce1.estimate - 72 / 140)
    # a one-program view is never weighted (one stratum), and its counts are the stratum's
    one = build(t, {"program": str(t["program_a"].public_id)})
    assert not one.weighted
    main_pce1 = next(e for e in one.items if e.key == "item:pce1")
    assert_published(main_pce1, expected_share(main_yes, main))
    assert (main_pce1.yes.value, main_pce1.n.value) == (yes[0, 0], n[0, 0])


def test_a_weighted_share_is_hidden_when_a_programs_counts_are(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    program, campaign, link = tenant(t)
    add_submissions(program, campaign, link, 80)
    add_submissions(t["other_program_a"], campaign, link, 5, start=200)  # published 1 to 10
    shown = [e for e in build(t).items if e.shown]
    assert shown  # unweighted, the all-programs view shows shares
    set_sizes(t, 500, 50)
    weighted = build(t)
    assert weighted.weighted
    assert not any(e.shown for e in weighted.items)
    assert all(e.protected for e in weighted.items)
    assert weighted.reach.total.value is not None  # the view itself is open


def test_weights_need_every_program_size(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    program, campaign, link = tenant(t)
    add_submissions(program, campaign, link, 30)
    set_sizes(t, 500, None)
    assert not build(t).weighted
