"""Protection benchmark: what the dashboard's cell-key perturbation protects and what it shows.

On the demo organization (Sunrise Pediatrics, ``hopeful demo``'s data), every view an analyst
can request is published through the real selector: all programs and each program; all
years, each year and each quarter with answers; every equity breakdown; every outcome (the
top group and each building block); every questionnaire. Everything published is written
down (:mod:`hopeful.web.insights.audit`), then:

(i) **exact recovery**: for every true count 1-10, a pair of linear programs over everything
    published, knowing the perturbation's maximum D, tries to pin it to one whole number;
(ii) **averaging attack**: for every true count 1-10, the standard error of the attacker's
    best linear unbiased estimate over every differencing path the views offer (programs,
    periods, breakdowns, questionnaires, the headline), with the perturbation's variance V;
    target: at least 1.0 for the worst cell;
(iii) **utility**: of the published shares whose true denominator is at least 30, the share
    shown; the mean absolute change of shares (published minus true) at n >= 100 (target at
    most 1 percentage point); every equity group of at least 50 respondents shown with its
    interval; every headline group and building block shown for all years and every year.

Then a simulation of what perturbation does to the 95% Korn-Graubard interval's coverage.

    .venv/bin/python bench/protection_bench.py --write-readme
    .venv/bin/python bench/protection_bench.py --max-noise 5 --variance 3   # other pTables
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _readme import write_section


def setup(
    data_dir: str,
    max_noise: int | None,
    variance: float | None,
    families: int | None,
    seed: int | None = None,
) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "hopeful.web.config.settings"
    os.environ["HOPEFUL_DATA_DIR"] = data_dir
    os.environ["HOPEFUL_DEBUG"] = "1"
    if max_noise is not None:
        os.environ["HOPEFUL_PTABLE_MAX_NOISE"] = str(max_noise)
    if variance is not None:
        os.environ["HOPEFUL_PTABLE_VARIANCE"] = str(variance)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    args = ["load_demo", "--force"]
    if families:
        args += ["--families", str(families)]
    with open(os.devnull, "w") as sink:  # noqa: PTH123
        call_command(*args, stdout=sink)
    if seed is not None:
        rekey(seed)


def rekey(seed: int) -> None:
    """Record keys from a generator seeded by ``seed`` (the demo draws them at random when it
    loads), so a run's perturbations, and its numbers, repeat."""
    from hopeful.stats import KEY_RANGE
    from hopeful.web.surveys.models import CampaignLink, Submission

    rng = np.random.default_rng(seed)
    for model in (Submission, CampaignLink):
        rows = list(model.objects.order_by("pk"))
        for row, key in zip(rows, rng.integers(0, KEY_RANGE, size=len(rows)), strict=True):
            row.record_key = int(key)
        model.objects.bulk_update(rows, ["record_key"], batch_size=1000)


def views(access: Any, options: Any) -> list[Any]:
    from django.utils import timezone

    from hopeful.framework import get_instrument
    from hopeful.web.insights import equity, selectors
    from hopeful.web.insights.periods import Horizon, Period
    from hopeful.web.surveys.models import Submission

    horizon = Horizon.current()
    # The periods with answers (a period without any publishes nothing).
    used = {
        horizon.quarter_index(when.year, when.month)
        for when in (
            timezone.localtime(t)
            for t in Submission.objects.filter(organization=access.organization).values_list(
                "submitted_at", flat=True
            )
        )
    }
    periods = [Period()]
    for year in range(horizon.first_year, horizon.last_year + 1):
        quarters = [q for q in range(1, 5) if horizon.index(year, q) in used]
        if quarters:
            periods.append(Period(year))
            periods.extend(Period(year, q) for q in quarters)
    out = []
    for instrument in options.instruments:
        definition = get_instrument(instrument.id)
        outcomes = [o.id for o in equity.outcome_options(definition, "en")] or [""]
        for program, period, breakdown, outcome in itertools.product(
            (None, *options.programs), periods, list(equity.BREAKDOWNS), outcomes
        ):
            out.append(
                selectors.Filters(
                    program=program,
                    period=period,
                    instrument_id=instrument.id,
                    breakdown=breakdown,
                    outcome=outcome,
                    horizon=horizon,
                )
            )
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    from django.utils import translation

    from hopeful.web.insights import audit, protection, selectors
    from hopeful.web.organizations.models import Membership, Organization, Role

    translation.activate("en")
    org = Organization.objects.get(name=args.organization)
    member = Membership.objects.filter(organization=org, role=Role.ANALYST).first()
    from hopeful.web.organizations.access import Access

    access = Access(organization=org, role=member.role, membership=member)
    options = selectors.filter_options(access=access, language="en")
    requested = views(access, options)
    pages = []
    started = time.perf_counter()
    with audit.recording() as ledger:
        for filters in requested:
            ledger.context = (
                filters.instrument_id,
                filters.breakdown,
                filters.outcome,
                filters.program.id if filters.program else None,
                filters.period.key,
            )
            pages.append(
                selectors.dashboard(access=access, filters=filters, options=options, language="en")
            )
    publish_s = time.perf_counter() - started
    # Skip views of periods without answers: they publish nothing.
    with_data = [(f, p) for f, p in zip(requested, pages, strict=True) if p.respondents.value]
    max_noise, variance = protection.ptable_parameters()
    started = time.perf_counter()
    result = audit.audit(
        ledger,
        max_noise=max_noise,
        variance=variance,
        bounds=args.lp_limit != 0,
        limit=None if args.lp_limit < 0 else args.lp_limit,
    )
    audit_s = time.perf_counter() - started
    started = time.perf_counter()
    attack = audit.averaging_attack(ledger, variance=variance, max_noise=max_noise)
    attack_s = time.perf_counter() - started
    ses = np.asarray(result.standard_errors, dtype=np.float64)

    # (iii) utility, over every distinct share published
    at30 = shown30 = protected30 = 0
    changes: list[float] = []
    for request, estimate in ledger.published_shares.values():
        if not request.label or request.key.startswith("rest:"):
            continue  # the gap tests' "rest" cells are not shown
        true_n = request.n.n
        if true_n >= 30:
            at30 += 1
            shown30 += int(estimate.shown)
            protected30 += int(estimate.protected)
        if true_n >= 100 and estimate.shown and not request.strata:
            changes.append(abs(estimate.estimate - request.yes.n / true_n) * 100)
    # equity groups of at least 50, and the headline, on the demo's views
    groups50 = groups50_shown = 0
    headline_total = headline_shown = 0
    program_total = program_shown = 0
    missed: list[str] = []
    true_n = {id(e): int(r.n.n) for r, e in ledger.published_shares.values()}
    seen: set[tuple[Any, ...]] = set()
    for filters, page in with_data:
        if page.equity is not None:
            # one program's groups cover all years in every period's view: count them once
            period = page.equity.period_label or filters.period.key
            for row in page.equity.rows:
                true = true_n.get(id(row.estimate))
                group = (
                    filters.instrument_id,
                    filters.program.id if filters.program else None,
                    period,
                    filters.breakdown,
                    filters.outcome,
                    row.key,
                )
                if true is not None and true >= 50 and group not in seen:
                    seen.add(group)
                    groups50 += 1
                    ok = row.estimate.shown and row.estimate.ci_low is not None
                    groups50_shown += int(ok)
                    if not ok:
                        missed.append(
                            f"equity {filters.breakdown} {row.estimate.label} (n = {true}, "
                            f"{filters.period.key}, program "
                            f"{filters.program.name if filters.program else 'all'}, "
                            f"{filters.outcome}): {row.estimate.hidden}"
                        )
        if filters.period.quarter is None and filters.instrument_id == "pce7" and page.headline:
            for hrow in page.headline.rows:
                if filters.program is not None:  # one program's headline: reported apart
                    program_total += 1
                    program_shown += int(hrow.estimate.shown)
                    continue
                headline_total += 1
                headline_shown += int(hrow.estimate.shown)
                if not hrow.estimate.shown:
                    missed.append(
                        f"headline {hrow.estimate.label} ({filters.period.key}, program "
                        f"{filters.program.name if filters.program else 'all'}): "
                        f"{hrow.estimate.hidden}"
                    )
    return {
        "organization": args.organization,
        "seed": args.seed,
        "max_noise": max_noise,
        "variance": variance,
        "views": len(requested),
        "views_with_data": len(with_data),
        "publish_s": publish_s,
        "audit_s": audit_s,
        "cells": result.cells,
        "atoms": result.atoms,
        "small": result.small,
        "inconsistent": len(result.inconsistent),
        "shares_inconsistent": len(audit.inconsistent_shares(ledger)),
        "shares_distinct": len(ledger.share_values),
        "lp_checked": args.lp_limit if args.lp_limit >= 0 else result.small,
        "recoverable": len(result.recoverable),
        "se_min": float(ses.min()) if ses.size else float("inf"),
        "se_p01": float(np.quantile(ses, 0.01)) if ses.size else float("inf"),
        "se_median": float(np.median(ses[np.isfinite(ses)])) if np.isfinite(ses).any() else 0,
        "se_finite": int(np.isfinite(ses).sum()),
        "worst": result.worst,
        "attack_se": attack.se,
        "attack_worst": attack.worst,
        "attack_measured": attack.measured,
        "attack_spaces": attack.spaces,
        "attack_recoverable": len(attack.recoverable),
        "attack_s": attack_s,
        "at30": at30,
        "shown30": shown30,
        "protected30": protected30,
        "counts30": sum(1 for (n, _k), v in ledger.values.items() if n >= 30),
        "counts30_shown": sum(
            1 for (n, _k), v in ledger.values.items() if n >= 30 and min(v) >= 11
        ),
        "missed": missed,
        "mean_abs_pp": float(np.mean(changes)) if changes else float("nan"),
        "max_abs_pp": float(np.max(changes)) if changes else float("nan"),
        "n_changes": len(changes),
        "groups50": groups50,
        "groups50_shown": groups50_shown,
        "headline_total": headline_total,
        "headline_shown": headline_shown,
        "program_total": program_total,
        "program_shown": program_shown,
        "coverage": coverage(args.seed),
    }


def coverage(seed: int, reps: int = 4000) -> list[tuple[int, float, float, float]]:
    """(n, p, coverage without perturbation, with) of the 95% Korn-Graubard interval."""
    from hopeful.stats import KEY_RANGE, proportions_from_counts
    from hopeful.web.insights import protection

    rng = np.random.default_rng(seed)
    table = protection.ptable()
    rows = []
    for n, p in itertools.product((30, 100, 300), (0.1, 0.3, 0.5)):
        yes = rng.binomial(n, p, size=reps)
        keys = rng.integers(0, KEY_RANGE, size=(2, reps))
        yes_p = table.perturb(yes, keys[0])
        n_p = table.perturb(np.full(reps, n), keys[1])
        plain = proportions_from_counts(yes, np.full(reps, n))
        noisy = proportions_from_counts(np.minimum(yes_p, n_p), n_p)
        hit_plain = ((plain["ci_low"] <= p) & (p <= plain["ci_high"])).mean()
        hit_noisy = ((noisy["ci_low"] <= p) & (p <= noisy["ci_high"])).mean()
        rows.append((n, p, float(hit_plain), float(hit_noisy)))
    return rows


def report(r: dict[str, Any], command: str) -> tuple[str, bool]:
    share30 = r["shown30"] / r["at30"] if r["at30"] else float("nan")
    kept30 = (r["at30"] - r["protected30"]) / r["at30"] if r["at30"] else float("nan")
    counts30 = r["counts30_shown"] / r["counts30"] if r["counts30"] else float("nan")
    passed = {
        "consistent": r["inconsistent"] == 0 and r["shares_inconsistent"] == 0,
        "no exact recovery": r["recoverable"] == 0 and r["attack_recoverable"] == 0,
        "averaging SE >= 1.0": r["attack_se"] >= 1.0,
        "n >= 30 shown >= 90%": counts30 >= 0.9 and kept30 >= 0.9,
        "mean |change| <= 1 pp": r["mean_abs_pp"] <= 1.0,
        "groups >= 50 shown": r["groups50_shown"] == r["groups50"],
        "headline shown": r["headline_shown"] == r["headline_total"],
    }
    lines = [
        "## Protection (`bench/protection_bench.py`)",
        "",
        f"Command: `{command}`. Organization: {r['organization']} (the demo's data). "
        f"pTable: maximum entropy, D = {r['max_noise']}, V = {r['variance']:g}; record keys "
        f"from seed {r['seed']} (the demo draws them at random, so other seeds give other "
        "perturbations and numbers that differ a little). "
        f"{r['views']:,} requestable views ({r['views_with_data']:,} with answers) published "
        f"in {r['publish_s']:.0f} s; audit in {r['audit_s']:.0f} s.",
        "",
        "| check | result | target | |",
        "|---|---|---|---|",
        f"| distinct cells published (with their records) | {r['cells']:,} ({r['atoms']:,} "
        f"atoms) | | |",
        f"| same records, same number | {r['inconsistent']} inconsistent | 0 | "
        f"{'PASS' if r['inconsistent'] == 0 else 'FAIL'} |",
        f"| same share (the same records counted), same estimate in every view that shows it "
        f"({r['shares_distinct']:,} shares shown) | {r['shares_inconsistent']} inconsistent | 0 | "
        f"{'PASS' if r['shares_inconsistent'] == 0 else 'FAIL'} |",
        f"| (i) true counts 1-10 pinned to one number by linear programming, in each of the "
        f"{r['attack_spaces']} spaces of (ii) ({r['attack_measured']:,} small cells) | "
        f"{r['attack_recoverable']} | 0 | "
        f"{'PASS' if r['attack_recoverable'] == 0 else 'FAIL'} |",
        f"| (i') the same over every record's combination of answers (atoms = records; "
        f"{r['lp_checked']:,} of {r['small']:,} small cells, the smallest first) | "
        f"{r['recoverable']} | 0 | {'PASS' if r['recoverable'] == 0 else 'FAIL'} |",
        f"| (ii) averaging attack: smallest standard error of a true count 1-10 over every "
        f"differencing path ({r['attack_measured']:,} small cells, {r['attack_s']:.0f} s) | "
        f"{r['attack_se']:.2f} | >= 1.0 | "
        f"{'PASS' if passed['averaging SE >= 1.0'] else 'FAIL'} |",
        f"| (ii') reconstruction: the same, when the attacker is also told every record's "
        f"combination of answers (atoms = records) | {r['se_min']:.2f} (median "
        f"{r['se_median']:.2f}) | (not a target) | |",
        f"| (iii) cells with true n >= 30 whose count is shown as a number | "
        f"{r['counts30_shown']:,} of {r['counts30']:,} ({counts30:.1%}) | >= 90% | "
        f"{'PASS' if counts30 >= 0.9 else 'FAIL'} |",
        f"| (iii) shares with true n >= 30 not hidden by protection (shown, or hidden only by "
        f"the NCHS reliability standard) | {r['at30'] - r['protected30']:,} of {r['at30']:,} "
        f"({kept30:.1%}) | >= 90% | {'PASS' if kept30 >= 0.9 else 'FAIL'} |",
        f"| (iii) shares with true n >= 30 shown (the rest: NCHS, mostly intervals wider than "
        f"30 points at n = 30-49) | {r['shown30']:,} of {r['at30']:,} ({share30:.1%}) | | |",
        f"| (iii) mean absolute change of shown shares, n >= 100 | {r['mean_abs_pp']:.2f} pp "
        f"(largest {r['max_abs_pp']:.2f} pp; {r['n_changes']:,} shares) | <= 1 pp | "
        f"{'PASS' if passed['mean |change| <= 1 pp'] else 'FAIL'} |",
        f"| equity groups with >= 50 respondents shown with their interval | "
        f"{r['groups50_shown']:,} of {r['groups50']:,} | all | "
        f"{'PASS' if passed['groups >= 50 shown'] else 'FAIL'} |",
        f"| headline groups and building blocks of the organization, all years and each year "
        f"(pce7; each view that has it) | {r['headline_shown']:,} of {r['headline_total']:,} | "
        f"all | {'PASS' if passed['headline shown'] else 'FAIL'} |",
        f"| the same, of one program (rare groups such as 0-2 PCEs have fewer than 11 in a "
        f"program's year) | {r['program_shown']:,} of {r['program_total']:,} | | |",
        "",
    ]
    if r["missed"]:
        lines.append("Not shown among the groups and headline rows above (the first 10):")
        lines.append("")
        lines += [f"- {m}" for m in r["missed"][:10]]
        lines.append("")
    attack = r["attack_worst"]
    if attack is not None:
        space = getattr(attack, "space", ("", "", ""))
        lines.append(
            f"The best-estimated small count under (ii) is a true {attack.true_count} in the "
            f"space {space[0]} x {space[1]} x {space[2]}, standard error {attack.se:.2f}."
        )
        lines.append("")
    lines += [
        "Coverage of the 95% Korn-Graubard interval (simulated binomial samples, 4,000 each; "
        "numerator and denominator perturbed with independent keys):",
        "",
        "| n | p | without perturbation | with |",
        "|---|---|---|---|",
    ]
    for n, p, plain, noisy in r["coverage"]:
        lines.append(f"| {n} | {p:g} | {plain:.1%} | {noisy:.1%} |")
    return "\n".join(lines), all(passed.values())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--organization", default="Sunrise Pediatrics")
    ap.add_argument("--families", type=int, default=None, help="demo families per organization")
    ap.add_argument("--max-noise", type=int, default=None, help="D (default: the settings')")
    ap.add_argument("--variance", type=float, default=None, help="V (default: the settings')")
    ap.add_argument(
        "--lp-limit",
        type=int,
        default=20,
        help="small cells for the LPs over every record's answers (slow; -1 all, 0 none)",
    )
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--write-readme", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup(data_dir, args.max_noise, args.variance, args.families, args.seed)
        result = run(args)
    command = "python bench/protection_bench.py " + " ".join(sys.argv[1:])
    section, ok = report(result, command.strip())
    print(section)
    print("\noverall:", "PASS" if ok else "FAIL")
    if args.write_readme:
        write_section("protection_bench", section)
        print("wrote bench/README.md")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
