"""De-identification of a research export: Safe Harbor reductions and k-anonymity.

Pure: no Django, no database. The service (:mod:`hopeful.web.deidentified.services`) reads the
rows, this module makes them safe to release.

**Safe Harbor** (45 CFR 164.514(b)(2)) reductions are value functions: :func:`year_label`,
:func:`birth_year_label` (ages of 90 or more aggregated), :func:`zip3_label` (restricted
ZIP3s blank), :func:`answer_code` and :func:`score_value` (codes and numbers only, never
free text), :func:`pseudonyms` (random per export, so two exports cannot be linked).

**k-anonymity**: every combination of the quasi-identifiers (an *equivalence class*) must be
shared by at least ``k`` distinct families (not responses: a family that answered eleven
times is still one family). :func:`anonymize` applies full-domain generalization along
each quasi-identifier's ladder (:data:`DIMENSIONS`), one step at a time, greedily: the step
that loses the fewest bits of detail (Shannon entropy, over the records) for each record it
brings into a class of ``k`` or more families; when no step brings any record in, the step
that loses the fewest bits. It stops when the records still in small classes are within the
suppression budget, or when every ladder is at its end; the records still in small classes
are then left out (suppressed) and counted.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

BLANK = ""
PREFER_NOT = "prefer_not_to_say"
#: The smallest k any export may use.
MIN_K = 11

# -- Safe Harbor value reductions ----------------------------------------------------------------


def year_label(year: int) -> str:
    """A date reduced to its year."""
    return f"{int(year):04d}"


#: Ages of 90 and more are one category (Safe Harbor).
OLDEST_AGE = 89
AGE_90_PLUS = "90+"


def birth_year_label(birth_year: int, at_year: int) -> str:
    """A birth year, or ``90+`` when it says the person was 90 or older at ``at_year``."""
    if at_year - birth_year > OLDEST_AGE:
        return AGE_90_PLUS
    return year_label(birth_year)


_ZIP3 = re.compile(r"^\d{3}$")


def zip3_label(value: Any, restricted: Iterable[str] = ()) -> str:
    """A stored ZIP3 for release: three digits, ``prefer_not_to_say``, else blank. ``000``
    (sparsely populated areas) and any restricted prefix are blank."""
    if value == PREFER_NOT:
        return PREFER_NOT
    if not isinstance(value, str) or not _ZIP3.match(value):
        return BLANK
    if value == "000" or value in set(restricted):
        return BLANK
    return value


def answer_code(value: Any) -> str:
    """An item answer: its integer code, else blank (nothing that could be free text)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return BLANK
    return str(value)


_SCORE_TEXT = re.compile(r"^[0-9][0-9+\-]{0,11}$")


def score_value(value: Any) -> str:
    """A score: a number, ``true``/``false``, or a band code such as ``6-7`` or ``4+``;
    anything else (text) is blank."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.6g}"
    if isinstance(value, str) and _SCORE_TEXT.match(value):
        return value
    return BLANK


_VERSION = re.compile(r"^\d{1,4}(\.\d{1,4}){0,3}$")


def version_label(value: Any) -> str:
    """An instrument version such as ``1.0``, else blank."""
    return value if isinstance(value, str) and _VERSION.match(value) else BLANK


_KEY = re.compile(r"^[A-Za-z0-9_]{1,40}$")


def safe_key(value: Any) -> str:
    """An instrument, item or output id fit for a column name (letters, digits and ``_``),
    else blank: a key of stored JSON never brings text into the header."""
    return value if isinstance(value, str) and _KEY.match(value) else BLANK


def choice_code(value: Any, allowed: Iterable[str]) -> str:
    """One code of a closed vocabulary, else blank."""
    return value if isinstance(value, str) and value in set(allowed) else BLANK


def codes_label(values: Any, allowed: Iterable[str]) -> str:
    """A list of codes (several can be chosen) as one sorted ``;``-joined value; unknown
    codes are dropped."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        return BLANK
    known = set(allowed)
    return ";".join(sorted({v for v in values if isinstance(v, str) and v in known}))


def pseudonyms(keys: Iterable[Hashable], rng: random.Random) -> dict[Hashable, str]:
    """A random pseudonym per distinct key (``F`` and 8 hex digits), distinct from each other
    and drawn afresh for each export: nothing derived from the key, so two exports of the same
    families cannot be joined on it."""
    distinct = list(dict.fromkeys(keys))
    numbers = rng.sample(range(16**8), len(distinct))
    return {key: f"F{number:08x}" for key, number in zip(distinct, numbers, strict=True)}


# -- the generalization ladders ------------------------------------------------------------------

Values = tuple[str, ...]


@dataclass(frozen=True)
class Level:
    """One rung of a ladder: its name, what it means (for the data dictionary), and how the
    rung below's values become its values (so each rung coarsens the one below)."""

    name: str
    meaning: str
    step: Callable[[Values], Values]


@dataclass(frozen=True)
class Dimension:
    """One quasi-identifier: the export columns it covers and its ladder (level 0 is the
    Safe Harbor value; the last level is blank)."""

    name: str
    columns: tuple[str, ...]
    levels: tuple[Level, ...]


def _each(function: Callable[[str], str]) -> Callable[[Values], Values]:
    return lambda values: tuple(function(v) for v in values)


def _blank(values: Values) -> Values:
    return tuple(BLANK for _ in values)


def _keep_special(function: Callable[[str], str]) -> Callable[[str], str]:
    """Apply ``function`` to real codes; blank and prefer-not-to-say stay as they are."""
    return lambda v: v if v in (BLANK, PREFER_NOT) else function(v)


def _period(width: int) -> Callable[[str], str]:
    def to_period(value: str) -> str:
        first = value.split("-")[0]
        if not first.isdigit():
            return BLANK
        start = int(first) - int(first) % width
        return f"{start}-{start + width - 1}"

    return to_period


def _zip_area(value: str) -> str:
    return f"{value[0]}xx"


INCOME_COARSE = {"<25k": "<50k", "25-50k": "<50k", "50-100k": "50k+", "100k+": "50k+"}
GENDER_COARSE = {"woman": "woman", "man": "man", "another_gender": "another_or_not_said"}
RACE_MAJOR = frozenset({"asian", "black_african_american", "hispanic_latino", "white"})
CHILD_BANDS_COARSE = {"0": "0-5", "1-5": "0-5", "6-11": "6-17", "12-17": "6-17", "18+": "18+"}


def _race_single(value: str) -> str:
    return "multiple" if ";" in value else value


def _race_major(value: str) -> str:
    return value if value in RACE_MAJOR else "another_or_multiple"


def _gender_coarse(value: str) -> str:
    return GENDER_COARSE.get(value, "another_or_not_said")


def _bands_coarse(value: str) -> str:
    if not value:
        return BLANK
    return ";".join(sorted({CHILD_BANDS_COARSE.get(b, b) for b in value.split(";")}))


def _drop_birth_years(values: Values) -> Values:
    return (BLANK, *values[1:])


def _children_coarse(values: Values) -> Values:
    return (BLANK, _bands_coarse(values[1]))


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "year",
        ("year",),
        (
            Level("year", "the calendar year answered", _each(lambda v: v)),
            Level("two_year_period", "two calendar years, e.g. 2024-2025", _each(_period(2))),
            Level("four_year_period", "four calendar years, e.g. 2024-2027", _each(_period(4))),
            Level("removed", "removed (blank) to meet k", _blank),
        ),
    ),
    Dimension(
        "zip3",
        ("zip3",),
        (
            Level("zip3", "the first three digits of the ZIP code", _each(lambda v: v)),
            Level(
                "zip_area",
                "the USPS national area: the first digit of the ZIP code, e.g. 5xx",
                _each(_keep_special(_zip_area)),
            ),
            Level("removed", "removed (blank) to meet k", _blank),
        ),
    ),
    Dimension(
        "children",
        ("child_birth_years", "child_age_bands"),
        (
            Level("birth_year_and_age_band", "children's birth years and age bands", _each(str)),
            Level("age_band", "children's age bands only (birth years removed)", _drop_birth_years),
            Level(
                "coarse_age_band",
                "children's age groups 0-5, 6-17 and 18+ only, without how many",
                _children_coarse,
            ),
            Level("removed", "removed (blank) to meet k", _blank),
        ),
    ),
    Dimension(
        "race_ethnicity",
        ("race_ethnicity",),
        (
            Level("all_codes", "every race and ethnicity chosen", _each(str)),
            Level(
                "single_or_multiple",
                "one race or ethnicity, or 'multiple' when several were chosen",
                _each(_keep_special(_race_single)),
            ),
            Level(
                "major_groups",
                "asian, black_african_american, hispanic_latino or white when that alone "
                "was chosen, else another_or_multiple",
                _each(_keep_special(_race_major)),
            ),
            Level("removed", "removed (blank) to meet k", _blank),
        ),
    ),
    Dimension(
        "income",
        ("income",),
        (
            Level("income_band", "household income band", _each(str)),
            Level(
                "income_coarse",
                "household income below $50,000 (<50k) or $50,000 or more (50k+)",
                _each(_keep_special(lambda v: INCOME_COARSE.get(v, BLANK))),
            ),
            Level("removed", "removed (blank) to meet k", _blank),
        ),
    ),
    Dimension(
        "gender",
        ("gender",),
        (
            Level("gender", "the caregiver's gender", _each(str)),
            Level(
                "gender_coarse",
                "woman, man, or another_or_not_said (another gender, or preferred not to say)",
                _each(lambda v: v if v == BLANK else _gender_coarse(v)),
            ),
            Level("removed", "removed (blank) to meet k", _blank),
        ),
    ),
    Dimension(
        "language",
        ("language",),
        (
            Level("language", "the language the questionnaire was answered in", _each(str)),
            Level("removed", "removed (blank) to meet k", _blank),
        ),
    ),
    Dimension(
        "program",
        ("program",),
        (
            Level("program_code", "the program's code in this organization", _each(str)),
            Level("removed", "removed (blank) to meet k", _blank),
        ),
    ),
)

#: Every export column that is a quasi-identifier.
QUASI_IDENTIFIERS: tuple[str, ...] = tuple(c for d in DIMENSIONS for c in d.columns)

#: The only level of a quasi-identifier the researcher did not ask for: removed from the start,
#: so the ones asked for can stay more detailed at the same k.
NOT_ASKED = Level("not_asked_for", "removed: not asked for in this export", _blank)


def chosen(keep: Iterable[str], dimensions: Sequence[Dimension] = DIMENSIONS) -> list[Dimension]:
    """The ladders of an export that releases only the quasi-identifiers named in ``keep``
    (dimension names); every other one is :data:`NOT_ASKED`. Raises ValueError for an
    unknown name."""
    wanted = set(keep)
    unknown = wanted - {d.name for d in dimensions}
    if unknown:
        raise ValueError(f"unknown quasi-identifiers: {', '.join(sorted(unknown))}")
    return [
        d if d.name in wanted else Dimension(d.name, d.columns, (NOT_ASKED,)) for d in dimensions
    ]


# -- k-anonymity ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One generalization applied: the dimension, the level it went to, the bits of detail
    it cost per record, and the records it brought into classes of k or more families."""

    dimension: str
    level: str
    bits_lost: float
    records_rescued: int
    restored: bool = False

    @property
    def label(self) -> str:
        return f"{self.dimension}:{self.level}"


@dataclass
class Result:
    """The released frame (small classes left out) and what was done to it."""

    frame: pd.DataFrame
    k: int
    levels: dict[str, str]
    steps: list[Step]
    suppressed_rows: int
    suppressed_entities: int
    smallest_class: int | None
    entities: int
    meanings: dict[str, str] = field(default_factory=dict)
    base: dict[str, str] = field(default_factory=dict)

    @property
    def generalized(self) -> list[str]:
        """The generalizations in the released file: each quasi-identifier not released at
        its own level, as ``dimension:level``."""
        return [
            f"{name}:{level}" for name, level in self.levels.items() if level != self.base[name]
        ]


def _entropy(codes: np.ndarray) -> float:
    if codes.size == 0:
        return 0.0
    counts = np.bincount(codes)
    p = counts[counts > 0] / codes.size
    return float(-(p * np.log2(p)).sum())


def _class_sizes(code_columns: Sequence[np.ndarray], entity: np.ndarray) -> np.ndarray:
    """Per record, the number of distinct entities in its equivalence class."""
    n = entity.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    for codes in code_columns:
        key, _ = pd.factorize(key * (int(codes.max()) + 1) + codes)
        key = np.asarray(key, dtype=np.int64)
    # distinct (class, entity) pairs, counted per class
    pairs = np.unique(key * (int(entity.max()) + 1) + entity)
    per_class = np.bincount(pairs // (int(entity.max()) + 1), minlength=int(key.max()) + 1)
    return np.asarray(per_class[key], dtype=np.int64)


def smallest_class(frame: pd.DataFrame, columns: Sequence[str], entity: str) -> int | None:
    """The fewest distinct ``entity`` values sharing one combination of ``columns`` (None for
    no rows): what k-anonymity bounds below."""
    if frame.empty:
        return None
    sizes = frame.groupby(list(columns), dropna=False)[entity].nunique()
    return int(sizes.min())


def _ladder_values(frame: pd.DataFrame, dimension: Dimension) -> list[list[Values]]:
    """Each level's values per record (level 0: its step applied to the frame's own, the
    identity for the Safe Harbor level and blank for :data:`NOT_ASKED`)."""
    first = dimension.levels[0].step
    current: list[Values] = [
        first(tuple(str(v) for v in row))
        for row in frame[list(dimension.columns)].itertuples(index=False, name=None)
    ]
    out = [current]
    for level in dimension.levels[1:]:
        current = [level.step(values) for values in current]
        out.append(current)
    return out


class _Search:
    """The greedy searches over the ladders' levels (see :func:`anonymize`)."""

    def __init__(
        self,
        dimensions: Sequence[Dimension],
        codes: Mapping[str, list[np.ndarray]],
        entropy: Mapping[str, list[float]],
        entity_codes: np.ndarray,
        k: int,
        budget: int,
    ) -> None:
        self.dimensions, self.codes, self.entropy = dimensions, codes, entropy
        self.entity_codes, self.k, self.budget = entity_codes, k, budget

    def small(self, levels: Mapping[str, int]) -> int:
        """Records in classes of fewer than k families at these levels."""
        columns = [self.codes[d.name][levels[d.name]] for d in self.dimensions]
        return int((_class_sizes(columns, self.entity_codes) < self.k).sum())

    def retained(self, levels: Mapping[str, int]) -> float:
        """Bits of quasi-identifier detail kept: per record, times the records kept."""
        bits = sum(self.entropy[d.name][levels[d.name]] for d in self.dimensions)
        return bits * (self.entity_codes.size - self.small(levels))

    def climb(self, start: Mapping[str, int]) -> tuple[dict[str, int], list[Step]]:
        """Generalize one step at a time: the step losing the fewest bits per record it
        brings into a class of k or more families (the fewest bits when none does), until
        the records left in small classes fit the budget or every ladder is at its end."""
        level, steps = dict(start), []
        now_small = self.small(level)
        while now_small > self.budget:
            best: tuple[tuple[float, float, int], Dimension, int, float] | None = None
            for order, d in enumerate(self.dimensions):
                at = level[d.name]
                if at + 1 >= len(d.levels):
                    continue
                rescued = now_small - self.small({**level, d.name: at + 1})
                bits = self.entropy[d.name][at] - self.entropy[d.name][at + 1]
                key = (0.0 if rescued else 1.0, bits / rescued if rescued else bits, order)
                if best is None or key < best[0]:
                    best = (key, d, rescued, bits)
            if best is None:
                break  # every ladder is at its end
            _key, d, rescued, bits = best
            level[d.name] += 1
            now_small -= rescued
            steps.append(Step(d.name, d.levels[level[d.name]].name, round(bits, 4), rescued))
        return level, steps

    def descend(
        self, start: Mapping[str, int], steps: list[Step]
    ) -> tuple[dict[str, int], list[Step]]:
        """Give detail back one level at a time, the dimension regaining the most bits first,
        while the records in small classes still fit the budget."""
        level, steps = dict(start), list(steps)
        while True:
            back: tuple[float, Dimension] | None = None
            for d in self.dimensions:
                at = level[d.name]
                if at == 0 or self.small({**level, d.name: at - 1}) > self.budget:
                    continue
                gained = self.entropy[d.name][at - 1] - self.entropy[d.name][at]
                if back is None or gained > back[0]:
                    back = (gained, d)
            if back is None:
                return level, steps
            gained, d = back
            level[d.name] -= 1
            name = d.levels[level[d.name]].name
            steps.append(Step(d.name, name, -round(gained, 4), 0, restored=True))


def anonymize(
    frame: pd.DataFrame,
    *,
    k: int,
    entity: str,
    dimensions: Sequence[Dimension] = DIMENSIONS,
    max_suppressed_share: float = 0.0,
) -> Result:
    """Generalize ``frame``'s quasi-identifiers (greedily, see the module docstring) until at
    most ``max_suppressed_share`` of its records are in classes of fewer than ``k`` distinct
    ``entity`` values, then leave those out. Raises ValueError for k below :data:`MIN_K`."""
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K} (got {k})")
    n = len(frame)
    entity_codes = np.asarray(pd.factorize(frame[entity].astype(str))[0], dtype=np.int64)
    ladders = {d.name: _ladder_values(frame, d) for d in dimensions}
    codes: dict[str, list[np.ndarray]] = {}
    entropy: dict[str, list[float]] = {}
    for d in dimensions:
        codes[d.name] = [
            np.asarray(pd.factorize(pd.Series(values, dtype=object))[0], dtype=np.int64)
            if values
            else np.zeros(0, dtype=np.int64)
            for values in ladders[d.name]
        ]
        entropy[d.name] = [_entropy(c) for c in codes[d.name]]
    search = _Search(
        dimensions, codes, entropy, entity_codes, k, math.floor(max_suppressed_share * n)
    )
    # Two greedy paths on the same ladders; the release keeps the one that keeps more detail
    # (bits per record, times the records kept). Both stop within the suppression budget.
    climbed = search.climb({d.name: 0 for d in dimensions})
    descended = search.descend({d.name: len(d.levels) - 1 for d in dimensions}, [])
    level, steps = max(
        (search.descend(*climbed), descended), key=lambda found: search.retained(found[0])
    )

    released = frame.copy()
    for d in dimensions:
        values = ladders[d.name][level[d.name]]
        for position, column in enumerate(d.columns):
            released[column] = [v[position] for v in values] if values else []
    sizes = _class_sizes([codes[d.name][level[d.name]] for d in dimensions], entity_codes)
    keep = sizes >= k if n else np.zeros(0, dtype=bool)
    kept = released[keep].reset_index(drop=True)
    entities = int(released[entity].nunique())
    columns = [c for d in dimensions for c in d.columns]
    return Result(
        frame=kept,
        k=k,
        levels={d.name: d.levels[level[d.name]].name for d in dimensions},
        steps=steps,
        suppressed_rows=int(n - int(keep.sum())),
        suppressed_entities=entities - int(kept[entity].nunique()),
        smallest_class=smallest_class(kept, columns, entity),
        entities=int(kept[entity].nunique()),
        meanings={d.name: d.levels[level[d.name]].meaning for d in dimensions},
        base={d.name: d.levels[0].name for d in dimensions},
    )


def equivalence_classes(frame: pd.DataFrame, columns: Sequence[str], entity: str) -> Counter[Any]:
    """Distinct entities per combination of ``columns`` (for tests and the summary)."""
    out: Counter[Any] = Counter()
    for key, group in frame.groupby(list(columns), dropna=False):
        out[key] = int(group[entity].nunique())
    return out
