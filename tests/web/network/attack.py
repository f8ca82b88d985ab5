"""An attacker for the network view: random network data, every filter of the view rendered
through the real page and exports, every number read back, and linear programs that try to
work out what is hidden.

The attacker knows which organizations are network members and their state and kind, and the
perturbation's maximum ``D``: the unknowns are each organization's counted submissions per
month and outcome (>= 0). What it reads, under every filter: each shown count of submissions
(the true count within ``D`` of it; "fewer than 11": 1 to 10 + ``D``; 0: exactly 0); each
shown share with its shown count (the published "yes" to within the share's rounding, so the
true one within ``D`` more); each shown number of organizations (exact: a row with that many
organizations has at least that many submissions; a row with none has none).

Two programs: small counts (1-10) must not be pinned to one number from what is published;
the numbers of a cell with one or two organizations must not be worked out to within the
rule's width even by an attacker who knew the true value of every shown count (the
perturbation is not what protects an organization). The numbers of organizations are
attacked with their own program (per period, the pairs' contributing organizations >= 0), as
an organization count is not a sum over months.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import math
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from scipy.optimize import linprog

from hopeful.framework import get_instrument
from hopeful.web.families.models import ConsentPurpose, ConsentRecord, Family
from hopeful.web.insights import protection as cell_key
from hopeful.web.network import selectors
from hopeful.web.organizations.models import OrganizationKind, Role
from hopeful.web.surveys.models import InstrumentScore, Submission
from tests.web import factories as f

YEAR = 2025
URL = "/network/"
THRESHOLD = 11
PCE7 = get_instrument("pce7")
TOP = "6-7"
BLOCKS = [o.id for o in PCE7.block_count_outputs]
MEASURES = [selectors.TOP_BAND, *BLOCKS]
KIND_CODE = {str(label): value for value, label in OrganizationKind.choices}
TOTAL_LABEL = "All network organizations"

#: (state, kind, submissions per month of MONTHS)
OrgSpec = tuple[str, str, list[int]]


@dataclass
class Network:
    orgs: list[tuple[int, str, str]] = field(default_factory=list)
    """(pk, state, kind) of every network organization."""
    truth: dict[tuple[int, int, int], int] = field(default_factory=lambda: defaultdict(int))
    """(organization index, month 0-11, outcome) -> counted submissions with an answer."""


def build(spec: list[OrgSpec], months: list[int], seed: int, measure: str) -> Network:
    """Organizations with families, consent (some never asked, some revoked later) and scored
    pce7 submissions in the given months of YEAR, made in bulk."""
    rng = np.random.default_rng(seed)
    net = Network()
    key = "band" if measure == selectors.TOP_BAND else measure
    for i, (state, kind, counts) in enumerate(spec):
        org = f.make_org(
            f"Org {i} {uuid.uuid4().hex[:6]}", state=state, kind=kind, network_member=True
        )
        program = f.make_program(org, "Main")
        admin = f.make_member(org, Role.ORG_ADMIN, f"admin{i}.{uuid.uuid4().hex[:6]}@example.org")
        campaign = f.make_campaign(org, program, admin)
        link, _token = f.make_link(campaign, admin)
        net.orgs.append((org.pk, state, kind))
        total = sum(counts)
        if not total:
            continue
        families = Family.objects.bulk_create(
            [
                Family(organization=org, program=program, display_name=f"Family {i}-{j}")
                for j in range(total)
            ]
        )
        consents, submissions, scores = [], [], []
        j = 0
        for month, count in zip(months, counts, strict=True):
            for _ in range(count):
                family = families[j]
                j += 1
                when = timezone.make_aware(
                    dt.datetime.combine(dt.date(YEAR, month, 1 + j % 27), dt.time(12))
                )
                draw = rng.random()
                records = [(ConsentPurpose.CARE, True, 0)]
                if draw < 0.8:
                    records.append((ConsentPurpose.PROGRAM_IMPROVEMENT, True, 0))
                elif draw < 0.9:  # agreed, then took it back: not counted
                    records.append((ConsentPurpose.PROGRAM_IMPROVEMENT, True, 0))
                    records.append((ConsentPurpose.PROGRAM_IMPROVEMENT, False, 1))
                counted = draw < 0.8
                for purpose, granted, later in records:
                    consents.append(
                        ConsentRecord(
                            organization=org,
                            family=family,
                            purpose=purpose,
                            granted=granted,
                            text_version="2026-1",
                            language="en",
                            recorded_at=when + dt.timedelta(days=later),
                        )
                    )
                values: dict[str, Any] = {
                    "band": rng.choice([TOP, "3-5", "0-2", None], p=[0.45, 0.3, 0.1, 0.15]),
                    **{b: rng.choice([0, 1, 2, None], p=[0.3, 0.3, 0.3, 0.1]) for b in BLOCKS},
                }
                values = {
                    k: (None if v is None else (v if isinstance(v, str) else int(v)))
                    for k, v in values.items()
                }
                submissions.append(
                    Submission(
                        client_uuid=uuid.uuid4(),
                        payload_hash="0" * 64,
                        organization=org,
                        program=program,
                        campaign=campaign,
                        link=link,
                        family=family,
                        language="en",
                        answers={"pce7": {}},
                        submitted_at=when,
                    )
                )
                scores.append(values)
                answer = values[key]
                if counted and answer is not None:
                    outcome = int(answer == TOP) if key == "band" else int(answer >= 1)
                    net.truth[(i, month - 1, outcome)] += 1
        ConsentRecord.objects.bulk_create(consents)
        made = Submission.objects.bulk_create(submissions)
        InstrumentScore.objects.bulk_create(
            [
                InstrumentScore(
                    organization=org,
                    submission=s,
                    instrument_id="pce7",
                    instrument_version=PCE7.version,
                    values=v,
                )
                for s, v in zip(made, scores, strict=True)
            ]
        )
    return net


# -- reading what is published -------------------------------------------------------------------

Slice = tuple[Any, ...]
"""("total",), ("state", "WI"), ("kind", "clinic") or ("cell", "WI", "clinic")."""
Period = tuple[Any, ...]
"""("year",), ("month", 0-11) or ("quarter", 0-3)."""


@dataclass
class Shown:
    organizations: int | None
    submissions: int | None
    share: float | None
    few: bool = False
    """The submissions are shown as "fewer than 11"."""


@dataclass
class Published:
    cells: dict[tuple[Slice, Period], Shown] = field(default_factory=dict)
    renders: int = 0

    def add(self, key: tuple[Slice, Period], shown: Shown) -> None:
        before = self.cells.get(key)
        if before is None:
            self.cells[key] = shown
            return
        # the same cell must be published the same way under every filter
        assert before == shown, (key, before, shown)


def _number(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _share(text: str) -> float | None:
    text = text.strip()
    return float(text.rstrip("%")) / 100 if text.endswith("%") else None


def _period(label: str) -> Period:
    if match := re.fullmatch(r"(\d{4})-(\d{2})", label):
        assert int(match.group(1)) == YEAR
        return ("month", int(match.group(2)) - 1)
    match = re.fullmatch(r"(\d{4}) Q(\d)", label)
    assert match, label
    return ("quarter", int(match.group(2)) - 1)


def _slice_of(filters: dict[str, str]) -> Slice:
    if filters.get("state") and filters.get("kind"):
        return ("cell", filters["state"], filters["kind"])
    if filters.get("state"):
        return ("state", filters["state"])
    if filters.get("kind"):
        return ("kind", filters["kind"])
    return ("total",)


def read_csv(body: bytes, filters: dict[str, str]) -> list[tuple[tuple[Slice, Period], Shown]]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    out = []
    for section, state, kind, group, orgs, subs, share, _ci, _note in rows[1:]:
        shown = Shown(_number(orgs), _number(subs), _share(share), subs.startswith("fewer"))
        if section.startswith("Trend"):
            if not group:
                assert shown == Shown(None, None, None)  # the note that there is no trend
                continue
            out.append(((_slice_of(filters), _period(group)), shown))
            continue
        if state and kind:
            key: Slice = ("cell", state, KIND_CODE[kind])
        elif state:
            key = ("state", state)
        elif kind:
            key = ("kind", KIND_CODE[kind])
        else:
            assert group == TOTAL_LABEL, group
            key = ("total",)
        out.append(((key, ("year",)), shown))
    return out


_ROW = re.compile(r'<tr class="row-\w+">(.*?)</tr>', re.S)
_CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def read_html(body: str) -> list[tuple[str, str, str, str]]:
    """(label, organizations, submissions, share) of every table row, as text."""
    out = []
    for row in _ROW.findall(body):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in _CELL.findall(row)]
        label, orgs, subs, share = cells[0], cells[1], cells[2], cells[3]
        out.append((label, orgs.rstrip("*"), subs.rstrip("*"), share))
    return out


def _numbers(row: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
    label, orgs, subs, share = row
    return (
        label,
        orgs if orgs.isdigit() else "",
        subs if subs.isdigit() else "",
        share if share.endswith("%") else "",
    )


def read_xlsx(body: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    assert sheet is not None
    return [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]


def publish_everything(
    client: Client, net: Network, measure: str, *, xlsx: bool = True
) -> Published:
    """Render the page and the CSV for every filter the view offers for YEAR (and the other
    years once), check the page shows the CSV's numbers, and collect them."""
    published = Published()
    states = sorted({s for _pk, s, _k in net.orgs})
    kinds = [k for k, _label in OrganizationKind.choices if k in {k for _pk, _s, k in net.orgs}]
    base = {"instrument": "pce7", "measure": measure, "year": str(YEAR)}
    other_year = {**base, "year": str(YEAR + 1)}
    for filters in [
        *(
            {**base, "unit": unit, "state": state, "kind": kind}
            for unit in (selectors.MONTH, selectors.QUARTER)
            for state in ["", *states]
            for kind in ["", *kinds]
        ),
        other_year,
    ]:
        page = client.get(URL, filters)
        assert page.status_code == 200
        export = client.get(URL, {**filters, "format": "csv"})
        assert export.status_code == 200
        published.renders += 1
        if filters["year"] != str(YEAR):
            continue
        rows = read_csv(export.content, filters)
        # the page shows exactly the CSV's numbers
        text_rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))[1:]
        on_page = read_html(page.content.decode())
        in_csv = [(r[3], r[4], r[5], r[6]) for r in text_rows if r[4] or r[5] or r[6]]
        assert [_numbers(r) for r in on_page] == [_numbers(r) for r in in_csv]
        for key, shown in rows:
            published.add(key, shown)
    if xlsx:
        query = {**base, "unit": selectors.QUARTER, "state": "", "kind": ""}
        as_csv = list(
            csv.reader(
                io.StringIO(client.get(URL, {**query, "format": "csv"}).content.decode("utf-8-sig"))
            )
        )
        as_xlsx = read_xlsx(client.get(URL, {**query, "format": "xlsx"}).content)
        assert as_xlsx == as_csv
    return published


# -- the attacker's linear programs -------------------------------------------------------------


def family(net: Network) -> list[tuple[Slice, Period]]:
    """Every cell the view can publish for YEAR under some filter."""
    states = sorted({s for _pk, s, _k in net.orgs})
    kinds = sorted({k for _pk, _s, k in net.orgs})
    pairs = sorted({(s, k) for _pk, s, k in net.orgs})
    slices: list[Slice] = [
        ("total",),
        *(("state", s) for s in states),
        *(("kind", k) for k in kinds),
    ]
    out: list[tuple[Slice, Period]] = [(("cell", s, k), ("year",)) for s, k in pairs]
    out += [(sl, ("year",)) for sl in slices]
    out += [(sl, ("month", m)) for sl in slices for m in range(12)]
    out += [(sl, ("quarter", q)) for sl in slices for q in range(4)]
    return out


def _orgs_in(net: Network, sl: Slice) -> list[int]:
    out = []
    for i, (_pk, state, kind) in enumerate(net.orgs):
        if sl[0] == "cell" and (state, kind) != (sl[1], sl[2]):
            continue
        if sl[0] == "state" and state != sl[1]:
            continue
        if sl[0] == "kind" and kind != sl[1]:
            continue
        out.append(i)
    return out


def _months(period: Period) -> list[int]:
    if period[0] == "year":
        return list(range(12))
    if period[0] == "quarter":
        return [3 * period[1] + m for m in range(3)]
    return [period[1]]


def variables(net: Network, key: tuple[Slice, Period], outcome: int | None) -> list[int]:
    """The unknowns (organization x month x outcome) a cell sums."""
    outcomes = (0, 1) if outcome is None else (outcome,)
    return [
        (i * 12 + m) * 2 + o
        for i in _orgs_in(net, key[0])
        for m in _months(key[1])
        for o in outcomes
    ]


def true_values(net: Network, key: tuple[Slice, Period]) -> tuple[int, int, int, int]:
    """(organizations, submissions, yes, no) of a cell."""
    months = _months(key[1])
    yes = sum(net.truth.get((i, m, 1), 0) for i in _orgs_in(net, key[0]) for m in months)
    no = sum(net.truth.get((i, m, 0), 0) for i in _orgs_in(net, key[0]) for m in months)
    orgs = sum(
        1
        for i in _orgs_in(net, key[0])
        if any(net.truth.get((i, m, o), 0) for m in months for o in (0, 1))
    )
    return orgs, yes + no, yes, no


class Attack:
    """Bounds of any cell's count given everything published: as published (``truth``
    false), or as if every shown count's true value were known (``truth`` true)."""

    def __init__(self, net: Network, published: Published, *, truth: bool = False) -> None:
        self.net = net
        n = len(net.orgs) * 12 * 2
        eq_rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []
        upper = np.full(n, np.inf)
        max_noise = cell_key.ptable_parameters()[0]

        def row(indices: list[int], sign: float = 1.0) -> np.ndarray[Any, Any]:
            r = np.zeros(n)
            r[indices] = sign
            return r

        def between(indices: list[int], low: float, high: float) -> None:
            ub_rows.extend([row(indices), row(indices, -1.0)])
            ub_rhs.extend([high, -low])

        for key, shown in published.cells.items():
            everything = variables(net, key, None)
            yes = variables(net, key, 1)
            _orgs, true_n, true_yes, _no = true_values(net, key)
            if shown.submissions is not None or shown.few:
                if truth:
                    eq_rows.append(row(everything))
                    eq_rhs.append(true_n)
                elif shown.few:
                    between(everything, 1, THRESHOLD - 1 + max_noise)
                elif shown.submissions == 0:
                    upper[everything] = 0.0
                else:
                    assert shown.submissions is not None
                    between(
                        everything,
                        max(1, shown.submissions - max_noise),
                        shown.submissions + max_noise,
                    )
            if shown.share is not None and shown.submissions is not None:
                if truth:
                    eq_rows.append(row(yes))
                    eq_rhs.append(true_yes)
                else:
                    low = math.ceil((shown.share - 0.0005) * shown.submissions - 1e-9)
                    high = math.floor((shown.share + 0.0005) * shown.submissions + 1e-9)
                    between(yes, max(0, low - max_noise), high + max_noise)
            if shown.organizations == 0:
                upper[everything] = 0.0
            elif shown.organizations is not None:
                ub_rows.append(row(everything, -1.0))
                ub_rhs.append(-shown.organizations)
        self.kw: dict[str, Any] = {
            "A_eq": np.array(eq_rows) if eq_rows else None,
            "b_eq": np.array(eq_rhs, dtype=float) if eq_rows else None,
            "A_ub": np.array(ub_rows) if ub_rows else None,
            "b_ub": np.array(ub_rhs, dtype=float) if ub_rows else None,
            "bounds": list(zip(np.zeros(n), upper, strict=True)),
            "method": "highs",
        }
        self.n = n

    def bounds(self, indices: list[int]) -> tuple[float, float]:
        c = np.zeros(self.n)
        c[indices] = 1.0
        low = linprog(c, **self.kw)
        high = linprog(-c, **self.kw)
        assert low.status == 0, low.message  # the truth is always feasible
        return float(low.fun), float(-high.fun) if high.status == 0 else math.inf


def org_bounds(
    net: Network, published: Published, key: tuple[Slice, Period]
) -> tuple[float, float]:
    """Bounds of a cell's number of organizations from the numbers of organizations shown
    for the same period (unknowns: contributing organizations per state x kind pair)."""
    pairs = sorted({(s, k) for _pk, s, k in net.orgs})
    period = key[1]

    def members(sl: Slice) -> list[int]:
        return [
            j
            for j, (s, k) in enumerate(pairs)
            if sl[0] == "total"
            or (sl[0] == "state" and s == sl[1])
            or (sl[0] == "kind" and k == sl[1])
            or (sl[0] == "cell" and (s, k) == (sl[1], sl[2]))
        ]

    eq_rows, eq_rhs = [], []
    for (sl, p), shown in published.cells.items():
        if p != period:
            continue
        for value in (shown.organizations, 0 if shown.submissions == 0 else None):
            if value is not None:
                r = np.zeros(len(pairs))
                r[members(sl)] = 1.0
                eq_rows.append(r)
                eq_rhs.append(value)
    c = np.zeros(len(pairs))
    c[members(key[0])] = 1.0
    kw: dict[str, Any] = {
        "A_eq": np.array(eq_rows) if eq_rows else None,
        "b_eq": np.array(eq_rhs, dtype=float) if eq_rows else None,
        "bounds": (0, None),
        "method": "highs",
    }
    low, high = linprog(c, **kw), linprog(-c, **kw)
    assert low.status == 0
    return float(low.fun), float(-high.fun) if high.status == 0 else math.inf


def check(net: Network, published: Published) -> dict[str, int]:
    """Every count of the family: what is shown is within the perturbation of the truth, and
    the same whatever the filter (:meth:`Published.add`); no count 1-10 is pinned to one number;
    every number of a cell with one or two organizations: never shown, and not worked out to
    within the required width even from the true values of everything shown. Returns what was
    checked."""
    attack = Attack(net, published)
    knowing = Attack(net, published, truth=True)
    max_noise = cell_key.ptable_parameters()[0]
    checked = {"small": 0, "organizations": 0, "shown": 0}
    for key in family(net):
        orgs, n, yes, no = true_values(net, key)
        shown = published.cells.get(key, Shown(None, None, None))
        # what is shown is true, to within the perturbation
        if shown.organizations is not None:
            assert shown.organizations == orgs, key
        if shown.submissions is not None:
            checked["shown"] += 1
            assert abs(shown.submissions - n) <= max_noise, key
            assert (shown.submissions == 0) == (n == 0), key
            assert not 1 <= shown.submissions < THRESHOLD, key
        if shown.few:
            assert 1 <= n < THRESHOLD + max_noise, key
        if shown.share is not None:
            assert n, key
            assert shown.submissions is not None
            assert abs(shown.share * shown.submissions - yes) <= (
                max_noise + 0.0005 * shown.submissions + 1e-9
            ), key
        few = 1 <= orgs < selectors.MIN_ORGANIZATIONS
        if few:
            # a cell with one or two organizations: none of its numbers, anywhere
            assert shown == Shown(None, None, None), (key, shown)
            low, high = org_bounds(net, published, key)
            assert not (low >= 1 - 1e-6 and high <= selectors.MIN_ORGANIZATIONS - 1 + 1e-6), (
                key,
                low,
                high,
            )
            checked["organizations"] += 1
        for outcome, value in ((None, n), (1, yes), (0, no)):
            if 1 <= value < THRESHOLD:
                low, high = attack.bounds(variables(net, key, outcome))
                checked["small"] += 1
                assert math.isinf(high) or math.ceil(low - 1e-6) < math.floor(high + 1e-6), (
                    key,
                    outcome,
                    value,
                    low,
                    high,
                )
            if few:
                low, high = knowing.bounds(variables(net, key, outcome))
                width = selectors.org_rule_width(value, THRESHOLD)
                assert high - low >= width - 1e-6, (key, outcome, value, low, high, width)
    return checked
