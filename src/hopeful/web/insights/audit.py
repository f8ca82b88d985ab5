"""Play the attacker against everything the dashboard publishes (tests and the benchmark).

:func:`recording` writes down, while dashboards are computed, every cell made from respondent
rows (which records it counts, by their record keys) and every value published for a cell.
:func:`audit` then takes everything a user could have requested and asks:

1. **Consistency.** Does the same set of records always get the same published number,
   whichever view, filter or section it came through?
2. **Exact recovery** (linear programming). The attacker knows the perturbation's maximum
   ``D``: a number shown as ``y`` means a true count in ``[y - D, y + D]``, "fewer than 11"
   one in ``[1, 10 + D]``, a 0 exactly 0 (a positive count is never published as 0). The unknowns are the counts of the
   *atoms*: records that every published cell counts together (the finest split the
   published cells allow; the attacker is even told which atoms are not empty). For every
   cell whose true count is 1-10: can its count be pinned to one whole number?
3. **Averaging** (the attacker's best linear unbiased estimate over every differencing path
   the published cells offer, :func:`hopeful.stats.blue_standard_errors`): the standard
   error with which each true count 1-10 can be estimated, with the perturbation's variance.

Cells that are not made from respondent rows (the reach's submission counts, grouped in the
database) are not in the audit; they count submissions, and the audit's records are
respondents of one questionnaire.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from hopeful.stats import blue_standard_errors, count_bounds
from hopeful.web.insights import model, protection


class Ledger:
    """What :func:`recording` writes down."""

    def __init__(self) -> None:
        self.records: dict[tuple[int, int], npt.NDArray[np.int64]] = {}
        self.values: dict[tuple[int, int], set[int]] = {}
        #: every share published: (its cells) -> (the request, the estimate)
        self.published_shares: dict[Any, tuple[Any, Any]] = {}
        #: every estimate shown for the same cells (one, if shares are consistent)
        self.share_values: dict[Any, set[float]] = {}
        #: what each cell is: (instrument, breakdown, outcome, program, period, key, part)
        self.tags: dict[tuple[int, int], set[tuple[Any, ...]]] = {}
        #: the view being published (set by the caller): instrument, breakdown, outcome,
        #: program, period
        self.context: tuple[Any, ...] | None = None

    def tag(self, cell: protection.Tally, *tag: Any) -> None:
        """Say what a cell is (for the averaging attack's model); the view is added."""
        if cell.n:
            self.tags.setdefault((cell.n, cell.key), set()).add((*(self.context or ()), *tag))

    def mark(self, cell: protection.Tally, *tag: Any) -> None:
        """Say what a cell is, whatever the view (e.g. a questionnaire's respondents)."""
        if cell.n:
            self.tags.setdefault((cell.n, cell.key), set()).add(tag)

    def cell(self, cell: protection.Tally, keys: npt.NDArray[np.int64]) -> None:
        if cell.n:
            self.records[(cell.n, cell.key)] = np.sort(np.asarray(keys, dtype=np.int64))

    def shares(self, requests: Any, estimates: Any) -> None:
        for request, estimate in zip(requests, estimates, strict=True):
            key = (request.yes.n, request.yes.key, request.n.n, request.n.key, request.sizes)
            self.published_shares[key] = (request, estimate)
            if estimate.shown and request.label:
                # to 1e-9: the same share from two tables of the same records (an item and a
                # building block made of it alone) can differ in the last bits
                self.share_values.setdefault(key, set()).add(round(float(estimate.estimate), 9))
            self.tag(request.yes, request.key, "yes")
            self.tag(request.n, request.key, "n")

    def published(self, counts: Any, sums: Any, values: Any) -> None:
        for n, key, value in zip(
            np.ravel(counts).tolist(),
            np.ravel(sums).tolist(),
            np.ravel(values).tolist(),
            strict=True,
        ):
            if n:
                self.values.setdefault((int(n), int(key)), set()).add(int(value))


@contextlib.contextmanager
def recording() -> Iterator[Ledger]:
    ledger = Ledger()
    token = protection.LEDGER.set(ledger)
    try:
        yield ledger
    finally:
        protection.LEDGER.reset(token)


@dataclass
class Finding:
    true_count: int
    records: tuple[int, ...]
    low: float = 0.0
    high: float = 0.0
    se: float = float("inf")
    space: tuple[str, str, str] | None = None
    """The (questionnaire, breakdown, outcome) space of the averaging attack that found it."""


@dataclass
class AuditResult:
    cells: int
    """Distinct published cells with their records known."""
    atoms: int
    small: int
    """Cells with a true count 1-10."""
    inconsistent: list[tuple[int, ...]] = field(default_factory=list)
    """Record sets published with more than one value."""
    recoverable: list[Finding] = field(default_factory=list)
    """Small counts the linear program pins to one whole number."""
    worst: Finding | None = None
    """The small count the averaging attack estimates best."""
    standard_errors: list[float] = field(default_factory=list)


def inconsistent_shares(ledger: Ledger) -> list[Any]:
    """The shares (their cells) shown with more than one estimate across the views."""
    return [key for key, values in ledger.share_values.items() if len(values) > 1]


def _published(ledger: Ledger) -> list[tuple[npt.NDArray[np.int64], int, int]]:
    out = []
    for key, records in ledger.records.items():
        values = ledger.values.get(key)
        if values:
            out.append((records, key[0], min(values)))
    return out


def audit(
    ledger: Ledger,
    *,
    max_noise: int,
    variance: float,
    threshold: int = 11,
    bounds: bool = True,
    limit: int | None = None,
) -> AuditResult:
    """The three checks of the module docstring over everything ``ledger`` saw.

    ``bounds``: run the linear programs (one pair per small cell; the slow part);
    ``limit``: at most this many small cells for them (the smallest counts first)."""
    by_set: dict[tuple[int, ...], set[int]] = {}
    for (n, key), records in ledger.records.items():
        values = ledger.values.get((n, key))
        if values:
            by_set.setdefault(tuple(records.tolist()), set()).update(values)
    inconsistent = [s for s, values in by_set.items() if len(values) > 1]
    cells = _published(ledger)
    universe = np.unique(np.concatenate([c[0] for c in cells])) if cells else np.array([])
    position = {int(k): i for i, k in enumerate(universe.tolist())}
    # Each record's membership across every cell: records with the same membership are one
    # atom (nothing published can tell them apart).
    rows: list[int] = []
    cols: list[int] = []
    for c, (records, _n, _v) in enumerate(cells):
        rows.extend([c] * len(records))
        cols.extend(position[int(k)] for k in records.tolist())
    membership = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(cells), len(universe))
    ).tocsc()
    signatures: dict[bytes, int] = {}
    atom_of = np.zeros(len(universe), dtype=np.int64)
    for r in range(len(universe)):
        column = membership.indices[membership.indptr[r] : membership.indptr[r + 1]]
        atom_of[r] = signatures.setdefault(np.sort(column).tobytes(), len(signatures))
    atoms = len(signatures)
    x = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, atom_of[np.asarray(cols, dtype=np.int64)])),
        shape=(len(cells), atoms),
    )
    x.sum_duplicates()
    true = np.array([c[1] for c in cells], dtype=np.int64)
    shown = np.array([c[2] for c in cells], dtype=np.int64)
    small = np.flatnonzero((true >= 1) & (true < threshold))
    result = AuditResult(cells=len(cells), atoms=atoms, small=len(small), inconsistent=inconsistent)
    if len(small) == 0:
        return result
    targets = x[small]
    precise = np.flatnonzero(shown >= threshold)
    ses = blue_standard_errors(x[precise], targets, variance) if len(precise) else None
    if ses is None:
        ses = np.full(len(small), np.inf)
    result.standard_errors = [float(s) for s in ses]
    best = int(np.argmin(ses))
    result.worst = Finding(
        int(true[small[best]]), tuple(cells[small[best]][0].tolist()), se=float(ses[best])
    )
    if bounds:
        lower, upper = protection.known_bounds(shown, threshold, max_noise)
        order = small[np.argsort(true[small], kind="stable")]
        if limit is not None:
            order = order[:limit]
        low, high = count_bounds(x, lower, upper, x[order])
        for i, lo, hi in zip(order.tolist(), np.ravel(low), np.ravel(high), strict=True):
            if np.ceil(lo - 1e-7) >= np.floor(hi + 1e-7):
                result.recoverable.append(
                    Finding(int(true[i]), tuple(cells[i][0].tolist()), float(lo), float(hi))
                )
    return result


# -- the averaging attack, in the space of what the cells are defined by ------------------------


def _in_space(tag: tuple[Any, ...], instrument: str, breakdown: str, outcome: str) -> bool:
    """Whether a cell is defined by program, period, the breakdown's groups and the outcome's
    values only (so every identity among such cells holds whatever the data)."""
    if tag[:1] == ("respondents",):
        respondents_of: str = tag[1]
        return respondents_of == instrument
    if len(tag) < 7 or tag[0] != instrument:
        return False
    b: str
    o: str
    key: str
    _i, b, o, _program, _period, key, _part = tag
    if key.startswith("equity:"):
        return b == breakdown and o == outcome
    if outcome == "top_band":
        return key.startswith(("band:", "trend:"))
    return key == f"block:{outcome}"


def _atom_matrix(
    sets: list[tuple[npt.NDArray[np.int64], float]],
    atom_of: npt.NDArray[np.int64],
    position: dict[int, int],
    atoms: int,
) -> sparse.csr_matrix:
    """Rows of (records, weight) as rows over atoms."""
    r: list[int] = []
    c: list[int] = []
    d: list[float] = []
    for i, (records, weight) in enumerate(sets):
        found = np.unique(atom_of[[position[int(x)] for x in records.tolist()]])
        r.extend([i] * len(found))
        c.extend(found.tolist())
        d.extend([weight] * len(found))
    return sparse.csr_matrix((d, (r, c)), shape=(len(sets), atoms))


@dataclass
class Attack:
    """What :func:`averaging_attack` found."""

    se: float
    """The smallest standard error of a true count 1-10 (inf: none can be estimated)."""
    worst: Finding | None
    measured: int
    """Small cells measured."""
    spaces: int
    recoverable: list[Finding] = field(default_factory=list)
    """Small counts a linear program pins to one whole number in their space."""


def averaging_attack(
    ledger: Ledger,
    *,
    variance: float,
    threshold: int = 11,
    max_noise: int | None = None,
) -> Attack:
    """The attacker's best linear unbiased estimate of every true count 1-10, in each space of
    (questionnaire, breakdown, outcome): the unknowns are the counts of program x quarter x
    the breakdown's answer pattern x the outcome's value (those not empty; the attacker is
    told which), and every published cell defined by those alone is an observation (the
    group cells, everyone's, the outcome's profile cells in every view, the trend, the
    headline, the respondents). Each other single-choice breakdown's groups, added up, are
    one more observation of everyone's count (with the summed noise). A cell shown as
    "fewer than" is not an observation. With ``max_noise``, each small cell is also bounded
    by linear programming in its space, every published cell (shown, "fewer than" or 0)
    being known within the perturbation's maximum, to find any pinned to one number."""
    published = {k: min(v) for k, v in ledger.values.items()}
    spaces: set[tuple[str, str, str]] = set()
    for tags in ledger.tags.values():
        for tag in tags:
            if len(tag) == 7 and str(tag[5]).startswith("equity:"):
                spaces.add((tag[0], tag[1], tag[2]))
    worst: Finding | None = None
    measured = 0
    recoverable: list[Finding] = []
    for instrument, breakdown, outcome in sorted(spaces):
        cells = [
            key
            for key, tags in ledger.tags.items()
            if key in published
            and key in ledger.records
            and any(_in_space(t, instrument, breakdown, outcome) for t in tags)
        ]
        # other breakdowns' groups, added up per view and part
        sums: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
        for key, tags in ledger.tags.items():
            for t in tags:
                if (
                    len(t) == 7
                    and t[0] == instrument
                    and t[2] == outcome
                    and t[1] != breakdown
                    and t[1] in model.SINGLE_CHOICE  # its groups add up to everyone
                    and str(t[5]).startswith("equity:")
                    and t[5] != "equity:overall"
                ):
                    sums.setdefault((t[1], t[3], t[4], t[6]), []).append(key)
        rows: list[tuple[npt.NDArray[np.int64], float]] = [
            (ledger.records[key], 1.0) for key in cells if published[key] >= threshold
        ]
        # for the linear programs: every cell of the space, within its published bounds
        bounded = [
            (ledger.records[key], *_bounds(published[key], threshold, max_noise or 0))
            for key in cells
        ]
        for parts in sums.values():
            if all(k in ledger.records for k in parts):
                union = np.unique(np.concatenate([ledger.records[k] for k in parts]))
                lows, highs = zip(
                    *(_bounds(published[k], threshold, max_noise or 0) for k in parts),
                    strict=True,
                )
                bounded.append((union, float(sum(lows)), float(sum(highs))))
                if all(published.get(k, 0) >= threshold for k in parts):
                    rows.append((union, 1.0 / np.sqrt(len(parts))))
        targets = [key for key in cells if 1 <= key[0] < threshold]
        if not targets or not rows:
            continue
        universe = np.unique(np.concatenate([ledger.records[k] for k in cells]))
        inside = set(universe.tolist())
        rows = [(r, w) for r, w in rows if set(r.tolist()) <= inside]
        bounded = [b for b in bounded if set(b[0].tolist()) <= inside]
        position = {int(r): i for i, r in enumerate(universe.tolist())}
        membership = [[position[int(r)] for r in ledger.records[k].tolist()] for k in cells]
        signature: list[list[int]] = [[] for _ in universe]
        for c, members in enumerate(membership):
            for m in members:
                signature[m].append(c)
        atom_ids: dict[tuple[int, ...], int] = {}
        atom_of = np.array(
            [atom_ids.setdefault(tuple(sig), len(atom_ids)) for sig in signature], dtype=np.int64
        )

        x = _atom_matrix(rows, atom_of, position, len(atom_ids))
        t = _atom_matrix(
            [(ledger.records[k], 1.0) for k in targets], atom_of, position, len(atom_ids)
        )
        ses = blue_standard_errors(x, t, variance)
        measured += len(targets)
        best = int(np.argmin(ses))
        if worst is None or ses[best] < worst.se:
            key = targets[best]
            worst = Finding(
                key[0],
                tuple(ledger.records[key].tolist()),
                se=float(ses[best]),
                space=(instrument, breakdown, outcome),
            )
        if max_noise is not None:
            constraints = _atom_matrix(
                [(r, 1.0) for r, _lo, _hi in bounded], atom_of, position, len(atom_ids)
            )
            low, high = count_bounds(
                constraints,
                np.array([lo for _r, lo, _hi in bounded]),
                np.array([hi for _r, _lo, hi in bounded]),
                t,
            )
            for key, lo, hi in zip(targets, np.ravel(low), np.ravel(high), strict=True):
                if np.ceil(lo - 1e-7) >= np.floor(hi + 1e-7):
                    recoverable.append(
                        Finding(key[0], tuple(ledger.records[key].tolist()), float(lo), float(hi))
                    )
    return Attack(
        se=worst.se if worst else float("inf"),
        worst=worst,
        measured=measured,
        spaces=len(spaces),
        recoverable=recoverable,
    )


def _bounds(value: int, threshold: int, max_noise: int) -> tuple[float, float]:
    """What one published value tells of its true count (:func:`protection.known_bounds`)."""
    low, high = protection.known_bounds(value, threshold, max_noise)
    return float(low), float(high)
