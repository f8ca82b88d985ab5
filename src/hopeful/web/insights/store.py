"""What the dashboard counts, kept up to date incrementally in each web process.

Submissions, consent records, children and invitation links are only ever added (consent is
an append-only history), so an organization's rows can be kept and brought up to date by
reading only what is new: the submissions, links and scores with an id above the highest one
seen, and, for the families whose consent or children changed, their current state. A new
submission therefore costs the next view one small query per kind of row, not a rebuild; no
submission ever waits for it (the work happens on the next dashboard request).

:func:`rows_for` returns the organization's :class:`OrgRows` for the data version
(:func:`hopeful.web.insights.data.data_version`): the same object, updated in place, as long
as nothing was removed (counts grow by exactly what was read); otherwise a fresh one. Whole
dashboards are remembered too, per filters, language, protection settings and data version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.utils import timezone

from hopeful.web.accounts.models import Language
from hopeful.web.families.models import age_band
from hopeful.web.insights import data
from hopeful.web.insights.model import ProgramOption
from hopeful.web.insights.periods import Horizon
from hopeful.web.insights.protection import Tally
from hopeful.web.organizations.access import Access

IntArray = npt.NDArray[np.int64]


class Recent:
    """The last ``size`` results by key (a process-local cache; the key says everything the
    result depends on, the data version included, so nothing stale is ever returned)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


#: Organizations' rows (a few MB each at 20,000 responses) and whole dashboards (small).
ROWS = Recent(16)
DASHBOARDS = Recent(256)
#: The tables shares are estimated in (hopeful.web.insights.smoothing), per questionnaire.
TABLES = Recent(64)


def clear_caches() -> None:
    ROWS.clear()
    DASHBOARDS.clear()
    TABLES.clear()


_LANGUAGES = [lang.value for lang in Language]


@dataclass
class OrgRows:
    """An organization's rows over a horizon, with the highest id read of each kind."""

    horizon: Horizon
    programs: tuple[ProgramOption, ...]
    version: tuple[int, ...] = ()
    submission_max: int = 0
    consent_max: int = 0
    child_max: int = 0
    link_max: int = 0
    consent_seen: int = 0
    children_seen: int = 0
    links_seen: int = 0
    counted: dict[int, bool] = field(default_factory=dict)
    """family -> agreed to be counted for program improvement (its latest record)."""
    children: dict[int, Any] = field(default_factory=dict)
    """family -> birth month of its most recently added child."""
    # submissions: one entry per row, in id order
    s_id: list[int] = field(default_factory=list)
    s_family: list[int] = field(default_factory=list)
    s_program: list[int] = field(default_factory=list)
    s_quarter: list[int] = field(default_factory=list)
    s_language: list[int] = field(default_factory=list)
    s_link: list[int] = field(default_factory=list)
    s_key: list[int] = field(default_factory=list)
    # personal invitation links
    l_id: list[int] = field(default_factory=list)
    l_program: list[int] = field(default_factory=list)
    l_quarter: list[int] = field(default_factory=list)
    l_key: list[int] = field(default_factory=list)
    tables: dict[tuple[str, str | None], tuple[pd.DataFrame, int]] = field(default_factory=dict)
    """(instrument, demographics key) -> (every family's respondent rows, highest id read)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    # -- bringing it up to date -------------------------------------------------------------

    def update(self, access: Access, version: tuple[int, ...]) -> bool:
        """Read what is new since the last update. False when what was read does not add up
        to the organization's numbers of rows (a row removed, or one committed late with a
        lower id than one already read): the caller then starts afresh."""
        organization = access.organization
        horizon = self.horizon
        if self.version and self.version[4:] != version[4:]:
            return False  # a family was deleted at its request: its rows are gone
        counts = data.row_counts(organization)  # before the rows: what follows is no fewer
        program_index = {p.id: i for i, p in enumerate(self.programs)}
        for sid, family, program, when, language, link, key in data.submission_rows(
            access, self.submission_max
        ):
            local = timezone.localtime(when)
            self.s_id.append(sid)
            self.s_family.append(family)
            self.s_program.append(program_index.get(program, -1))
            self.s_quarter.append(horizon.quarter_index(local.year, local.month))
            self.s_language.append(_LANGUAGES.index(language) if language in _LANGUAGES else -1)
            self.s_link.append(link)
            self.s_key.append(int(key))
            self.submission_max = max(self.submission_max, sid)
        for lid, personal, program, when, key in data.link_rows(access, self.link_max):
            self.links_seen += 1
            self.link_max = max(self.link_max, lid)
            if not personal:
                continue
            local = timezone.localtime(when)
            self.l_id.append(lid)
            self.l_program.append(program_index.get(program, -1))
            self.l_quarter.append(horizon.quarter_index(local.year, local.month))
            self.l_key.append(int(key))
        first = self.consent_max == 0
        new_consent = data.consent_rows(organization, self.consent_max)
        improvement = [(f, g) for _id, f, counts, g in new_consent if counts]
        if first:
            for family, granted in improvement:
                self.counted[family] = bool(granted)
        elif improvement:
            # A record may be dated before one already read: read those families whole.
            self.counted.update(data.latest_consent(sorted({f for f, _g in improvement})))
        self.consent_seen += len(new_consent)
        self.consent_max = max([self.consent_max, *(row[0] for row in new_consent)])
        first = self.child_max == 0
        new_children = data.child_rows(organization, self.child_max)
        if first:
            for _id, family, born in new_children:
                self.children[family] = born
        elif new_children:
            self.children.update(_latest_children(sorted({f for _i, f, _b in new_children})))
        self.children_seen += len(new_children)
        self.child_max = max([self.child_max, *(i for i, _f, _b in new_children)])
        self.version = version
        # The counts (read before these rows) can only be at most what was read.
        return (
            len(self.s_id) >= counts[0]
            and self.consent_seen >= counts[1]
            and self.children_seen >= counts[2]
            and self.links_seen >= counts[3]
        )

    # -- what the dashboard reads -------------------------------------------------------------

    def counted_mask(self, families: Any) -> npt.NDArray[np.bool_]:
        """Which of ``families`` (ids; NaN: none) are counted for program improvement."""
        ids = np.asarray(families, dtype=np.float64)
        counted = np.fromiter((f for f, ok in self.counted.items() if ok), dtype=np.float64)
        return np.asarray(np.isin(ids, counted), dtype=bool)

    def table(self, access: Access, instrument_id: str, demographic: str | None) -> pd.DataFrame:
        """The respondent rows of families counted for program improvement (every family's
        rows are kept; consent is applied here, so a change of consent needs no reading)."""
        key = (instrument_id, demographic)
        with self.lock:
            kept, read = self.tables.get(key, (None, 0))
            if kept is None or read < self.submission_max:
                fresh = data.respondent_table(
                    access,
                    instrument_id,
                    list(self.programs),
                    self.horizon,
                    demographic,
                    counted_only=False,
                    after=read,
                    upto=self.submission_max,
                )
                kept = fresh if kept is None else pd.concat([kept, fresh], ignore_index=True)
                self.tables[key] = (kept, self.submission_max)
        mask = self.counted_mask(kept["family"].to_numpy()) if len(kept) else np.zeros(0, bool)
        table = kept[mask].reset_index(drop=True)
        if demographic in (None, data.ALL_DEMOGRAPHICS) and len(table):
            table = table.assign(child_band=pd.Series(self.child_bands(table), index=table.index))
        return table

    def child_bands(self, table: pd.DataFrame) -> list[str | None]:
        """The age band, in the month of answering, of the family's most recently added
        child."""
        out: list[str | None] = []
        for family, when in zip(table["family"], table["submitted"], strict=True):
            born = self.children.get(int(family)) if family == family else None
            out.append(None if born is None else str(age_band(born, when)))
        return out

    def reach(self) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """Program x quarter x language: counts and key sums of the counted submissions, then
        of every submission."""
        shape = (max(len(self.programs), 1), self.horizon.current_quarter + 1, len(_LANGUAGES))
        program = np.asarray(self.s_program, dtype=np.int64)
        quarter = np.asarray(self.s_quarter, dtype=np.int64)
        language = np.asarray(self.s_language, dtype=np.int64)
        keys = np.asarray(self.s_key, dtype=np.int64)
        valid = (program >= 0) & (quarter >= 0) & (quarter < shape[1]) & (language >= 0)
        counted = self.counted_mask(self.s_family) & valid
        out = []
        for keep in (counted, valid):
            counts = np.zeros(shape, dtype=np.int64)
            sums = np.zeros(shape, dtype=np.int64)
            index = (program[keep], quarter[keep], language[keep])
            np.add.at(counts, index, 1)
            np.add.at(sums, index, keys[keep])
            out += [counts, sums]
        return out[0], out[1], out[2], out[3]

    def invitations(self) -> tuple[IntArray, IntArray]:
        """Program x quarter x (not answered, answered by a counted family): counts and key
        sums of the personal invitation links."""
        shape = (max(len(self.programs), 1), self.horizon.current_quarter + 1, 2)
        counted = self.counted_mask(self.s_family)
        answered_links = {link for link, ok in zip(self.s_link, counted, strict=True) if ok}
        program = np.asarray(self.l_program, dtype=np.int64)
        quarter = np.asarray(self.l_quarter, dtype=np.int64)
        keys = np.asarray(self.l_key, dtype=np.int64)
        answered = np.fromiter(
            (lid in answered_links for lid in self.l_id), dtype=np.int64, count=len(self.l_id)
        )
        valid = (program >= 0) & (quarter >= 0) & (quarter < shape[1])
        counts = np.zeros(shape, dtype=np.int64)
        sums = np.zeros(shape, dtype=np.int64)
        index = (program[valid], quarter[valid], answered[valid])
        np.add.at(counts, index, 1)
        np.add.at(sums, index, keys[valid])
        return counts, sums


def _latest_children(families: list[int]) -> dict[int, Any]:
    from hopeful.web.families.models import Child

    # ordered by creation: the last one per family wins
    return dict(
        Child.objects.filter(family_id__in=families)
        .order_by("family_id", "created_at", "id")
        .values_list("family_id", "birth_month")
    )


def rows_for(
    access: Access, programs: list[ProgramOption], horizon: Horizon, version: tuple[int, ...]
) -> OrgRows:
    """The organization's rows, up to date with ``version``."""
    key = (access.organization.pk, tuple(programs), horizon)
    rows: OrgRows | None = ROWS.get(key)
    if rows is None:
        rows = OrgRows(horizon=horizon, programs=tuple(programs))
        ROWS.put(key, rows)
    with rows.lock:
        if rows.version == version:
            return rows
        if not rows.update(access, version):
            rows = OrgRows(horizon=horizon, programs=tuple(programs))
            rows.update(access, version)
            ROWS.put(key, rows)
    return rows


def cell(counts: IntArray, sums: IntArray, index: Any) -> Tally:
    return Tally(int(counts[index].sum()), int(sums[index].sum()))
