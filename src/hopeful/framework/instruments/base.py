"""The declarative model of an instrument (questionnaire) and its scoring rules.

An instrument definition is data: items with stable ids and response codes, which codes count
as affirmative (the experience is present, the item is met), how items group into indicators,
and which outputs (counts, all-met flags, bands) are computed from the indicators. The scoring
engine in :mod:`hopeful.framework.scoring` interprets that data, one response at a time or
vectorized over a table, so every instrument is scored by the same code.

All classes here are frozen; collections are tuples or read-only mappings.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from hopeful.framework.blocks import BLOCK_IDS, get_building_block
from hopeful.framework.errors import (
    DefinitionError,
    UnknownItemError,
    UnknownLanguageError,
)
from hopeful.framework.text import DEFAULT_LANGUAGE, Text

__all__ = [
    "MISSING_CODES",
    "AgeRange",
    "AllMet",
    "Audience",
    "Band",
    "Count",
    "Indicator",
    "Instrument",
    "Item",
    "OptionKind",
    "Output",
    "ResponseOption",
    "ScoringOption",
    "Translation",
    "TranslationStatus",
]

#: Codes that mean "no usable answer" on every instrument: 7 don't know / not sure, 9 refused.
#: A blank (no answer at all) is missing too.
MISSING_CODES: frozenset[int] = frozenset({7, 9})

#: Codes are small non-negative integers; the vectorized scorer uses lookup tables this long.
MAX_CODE = 63


class Audience(enum.StrEnum):
    """Who answers, about whom."""

    ADULT_RETROSPECTIVE = "adult_retrospective"
    """An adult reports on their own childhood (before age 18)."""

    PARENT_REPORT_CHILD = "parent_report_child"
    """A parent or caregiver reports about a child in an age range."""


class TranslationStatus(enum.StrEnum):
    """Whether a language version was published by the instrument's owner."""

    OFFICIAL = "official"
    UNOFFICIAL = "unofficial"


class OptionKind(enum.StrEnum):
    """A response option is an answer, or a way of not answering (scored as missing)."""

    ANSWER = "answer"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Translation:
    """The status of one language version of an instrument."""

    status: TranslationStatus
    note: str = ""


@dataclass(frozen=True, slots=True)
class AgeRange:
    """An inclusive age range in completed months (6 months to 5 years = 6..71)."""

    min_months: int
    max_months: int

    def __post_init__(self) -> None:
        if not 0 <= self.min_months <= self.max_months:
            raise DefinitionError(f"bad age range {self.min_months}..{self.max_months} months")

    def contains(self, age_months: int) -> bool:
        """Whether a child of ``age_months`` completed months is in the range."""
        return self.min_months <= age_months <= self.max_months


@dataclass(frozen=True, slots=True)
class ResponseOption:
    """One response option of an item: an integer code and its label."""

    code: int
    label: Text
    kind: OptionKind = OptionKind.ANSWER

    @property
    def is_missing(self) -> bool:
        """Whether choosing this option leaves the item missing (don't know, refused)."""
        return self.kind is OptionKind.MISSING


@dataclass(frozen=True, slots=True)
class Item:
    """One question of an instrument.

    Parameters
    ----------
    id
        Stable item id, never reused (for BRFSS and NSCH items, the survey's variable name).
    text
        The question as shown to the respondent, per language.
    options
        Response options, in display order, including the missing options (codes 7 and 9).
    affirmative
        Answer codes that count as affirmative / met / exposed for scoring.
    block
        Primary HOPE building block, or ``None`` for items that are not positive experiences
        (the adversity items of the ACE module).
    construct
        A short plain-language name of what the item asks about, per language.
    required
        Whether the instrument's main score needs the item (complete-case rule). Optional
        items (the ACE module's protective items) only feed their own outputs.
    note
        A note shown with the item (for example what code 8 means), per language.
    """

    id: str
    text: Text
    options: tuple[ResponseOption, ...]
    affirmative: frozenset[int]
    block: str | None
    construct: Text
    required: bool = True
    note: Text | None = None

    @property
    def codes(self) -> tuple[int, ...]:
        """Every code the item accepts (answers and missing codes), in display order."""
        return tuple(o.code for o in self.options)

    @property
    def answer_codes(self) -> frozenset[int]:
        """Codes that are real answers (scored), as opposed to missing codes."""
        return frozenset(o.code for o in self.options if not o.is_missing)

    @property
    def missing_codes(self) -> frozenset[int]:
        """Codes that leave the item missing."""
        return frozenset(o.code for o in self.options if o.is_missing)

    def option(self, code: int) -> ResponseOption:
        """Return the option with this code (``KeyError`` if there is none)."""
        for o in self.options:
            if o.code == code:
                return o
        raise KeyError(f"item {self.id} has no code {code}")


@dataclass(frozen=True, slots=True)
class Indicator:
    """A yes/no fact derived from items: present when *any* of its items is affirmative.

    Complete case: the indicator is known only when all of its items are answered.
    """

    id: str
    items: tuple[str, ...]
    label: Text | None = None
    output: bool = False
    """Whether the indicator is an output column (the ACE categories) or internal."""


@dataclass(frozen=True, slots=True)
class Count:
    """An output: how many of the given indicators are present."""

    id: str
    indicators: tuple[str, ...]
    label: Text | None = None


@dataclass(frozen=True, slots=True)
class AllMet:
    """An output: ``True`` when every one of the given indicators is present."""

    id: str
    indicators: tuple[str, ...]
    label: Text | None = None


@dataclass(frozen=True, slots=True)
class Band:
    """An output: the label of the range a count falls in.

    ``cuts`` is a tuple of ``(low, high, label)`` with inclusive bounds that cover the count's
    whole range without gaps or overlaps.
    """

    id: str
    source: str
    cuts: tuple[tuple[int, int, str], ...]
    label: Text | None = None

    def label_for(self, value: int) -> str:
        """Return the band label for a count."""
        for low, high, name in self.cuts:
            if low <= value <= high:
                return name
        raise ValueError(f"{value} is outside every band of {self.id}")


Output = Indicator | Count | AllMet | Band


@dataclass(frozen=True, slots=True)
class ScoringOption:
    """A documented, switchable scoring rule: which codes of one item count as affirmative.

    The ACE module's emotional-abuse item (``ACESWEAR``) is the example: by default "once" and
    "more than once" count; some analyses count only "more than once".
    """

    id: str
    item: str
    choices: Mapping[str, frozenset[int]]
    default: str
    description: Text

    def __post_init__(self) -> None:
        object.__setattr__(self, "choices", MappingProxyType(dict(self.choices)))
        if self.default not in self.choices:
            raise DefinitionError(f"option {self.id}: default {self.default!r} is not a choice")


@dataclass(frozen=True, slots=True)
class Instrument:
    """A versioned, frozen instrument definition. Build one per file and register it."""

    id: str
    version: str
    title: Text
    short_title: Text
    description: Text
    instructions: Text
    audience: Audience
    items: tuple[Item, ...]
    indicators: tuple[Indicator, ...]
    outputs: tuple[Output, ...]
    translations: Mapping[str, Translation]
    source: str
    citation: str
    licence: str
    wording_note: str = ""
    age_range: AgeRange | None = None
    content_note: Text | None = None
    block_counts: bool = False
    """Add ``bb_<block>`` counts of affirmative items per building block to the outputs."""
    options: tuple[ScoringOption, ...] = ()
    block_count_outputs: tuple[Count, ...] = field(init=False, repr=False, compare=False)
    """The generated ``bb_<block>`` counts (empty unless ``block_counts``)."""
    _items_by_id: Mapping[str, Item] = field(init=False, repr=False, compare=False)
    _outputs_by_id: Mapping[str, Output] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "translations", MappingProxyType(dict(self.translations)))
        # Generated, not stored in ``outputs``, so dataclasses.replace() does not add them twice.
        generated = self._block_count_outputs() if self.block_counts else ()
        object.__setattr__(self, "block_count_outputs", generated)
        object.__setattr__(self, "_items_by_id", MappingProxyType({i.id: i for i in self.items}))
        object.__setattr__(
            self, "_outputs_by_id", MappingProxyType({o.id: o for o in self.all_outputs})
        )
        self._validate()

    # -- lookups ---------------------------------------------------------------------------

    @property
    def key(self) -> tuple[str, str]:
        """``(id, version)``, the registry key."""
        return (self.id, self.version)

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages the instrument has texts in."""
        return tuple(self.translations)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Item ids in order."""
        return tuple(i.id for i in self.items)

    @property
    def required_item_ids(self) -> tuple[str, ...]:
        """Ids of the items the main score needs (the columns a scoring file must have)."""
        return tuple(i.id for i in self.items if i.required)

    @property
    def all_outputs(self) -> tuple[Output, ...]:
        """Every output in column order: declared outputs, block counts, output indicators."""
        indicators = tuple(i for i in self.indicators if i.output)
        return self.outputs + self.block_count_outputs + indicators

    @property
    def output_ids(self) -> tuple[str, ...]:
        """Output column names in order (``reason`` is added by the scorer)."""
        return tuple(o.id for o in self.all_outputs)

    def item(self, item_id: str) -> Item:
        """Return the item with this id, or raise :class:`UnknownItemError`."""
        try:
            return self._items_by_id[item_id]
        except KeyError:
            raise UnknownItemError(self.id, item_id) from None

    def output(self, output_id: str) -> Output:
        """Return the output (count, flag, band or indicator) with this id."""
        return self._outputs_by_id[output_id]

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the indicator with this id."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(f"instrument {self.id} has no indicator {indicator_id!r}")

    def translation(self, language: str) -> Translation:
        """Return the translation status for ``language`` or raise UnknownLanguageError."""
        try:
            return self.translations[language]
        except KeyError:
            raise UnknownLanguageError(self.id, language, self.languages) from None

    def items_needed(self, output_id: str) -> tuple[str, ...]:
        """The item ids an output depends on (its complete-case set), in item order."""
        needed = set(self._indicator_ids_of(self.output(output_id)))
        items = {i for ind in self.indicators if ind.id in needed for i in ind.items}
        return tuple(i for i in self.item_ids if i in items)

    def affirmative_codes(
        self, item_id: str, choices: Mapping[str, str] | None = None
    ) -> frozenset[int]:
        """Affirmative codes of an item under the chosen scoring options."""
        codes = self.item(item_id).affirmative
        for opt in self.options:
            if opt.item == item_id:
                choice = (choices or {}).get(opt.id, opt.default)
                codes = opt.choices[choice]
        return codes

    # -- internals -------------------------------------------------------------------------

    def _indicator_ids_of(self, output: Output) -> tuple[str, ...]:
        if isinstance(output, Indicator):
            return (output.id,)
        if isinstance(output, Band):
            return self._indicator_ids_of(self.output(output.source))
        return output.indicators

    def _block_count_outputs(self) -> tuple[Count, ...]:
        by_block: dict[str, list[str]] = {}
        single = {ind.items[0]: ind.id for ind in self.indicators if len(ind.items) == 1}
        for item in self.items:
            if item.block is not None and item.required:
                if item.id not in single:
                    raise DefinitionError(
                        f"{self.id}: block counts need a one-item indicator for {item.id}"
                    )
                by_block.setdefault(item.block, []).append(single[item.id])
        return tuple(
            Count(
                id=f"bb_{block}",
                indicators=tuple(by_block[block]),
                label=get_building_block(block).name,
            )
            for block in BLOCK_IDS
            if block in by_block
        )

    def _validate(self) -> None:
        where = f"instrument {self.id} {self.version}"
        if DEFAULT_LANGUAGE not in self.translations:
            raise DefinitionError(f"{where}: needs a {DEFAULT_LANGUAGE!r} translation entry")
        if len(self._items_by_id) != len(self.items):
            raise DefinitionError(f"{where}: duplicate item ids")
        texts: list[Text] = [self.title, self.short_title, self.description, self.instructions]
        if self.content_note is not None:
            texts.append(self.content_note)
        for item in self.items:
            item_codes = item.codes
            if len(set(item_codes)) != len(item_codes):
                raise DefinitionError(f"{where}: item {item.id} repeats a code")
            if any(not 0 <= c <= MAX_CODE for c in item_codes):
                raise DefinitionError(f"{where}: item {item.id} has a code outside 0..{MAX_CODE}")
            if item.missing_codes != MISSING_CODES:
                raise DefinitionError(f"{where}: item {item.id} must offer missing codes 7 and 9")
            if not item.affirmative or not item.affirmative <= item.answer_codes:
                raise DefinitionError(f"{where}: item {item.id} affirmative codes must be answers")
            if item.block is not None and item.block not in BLOCK_IDS:
                raise DefinitionError(f"{where}: item {item.id} has unknown block {item.block!r}")
            texts.extend([item.text, item.construct, *(o.label for o in item.options)])
            if item.note is not None:
                texts.append(item.note)
        for text in texts:
            absent = [lang for lang in self.translations if lang not in text]
            if absent:
                raise DefinitionError(f"{where}: text {text[DEFAULT_LANGUAGE]!r} lacks {absent}")
        indicator_ids = {ind.id for ind in self.indicators}
        if len(indicator_ids) != len(self.indicators):
            raise DefinitionError(f"{where}: duplicate indicator ids")
        for ind in self.indicators:
            for item_id in ind.items:
                if item_id not in self._items_by_id:
                    raise DefinitionError(f"{where}: indicator {ind.id} names unknown {item_id}")
        ids = [o.id for o in self.all_outputs]
        if len(set(ids)) != len(ids) or "reason" in ids:
            raise DefinitionError(f"{where}: output ids must be unique and not 'reason'")
        if "score" not in ids or not isinstance(self._outputs_by_id["score"], Count):
            raise DefinitionError(f"{where}: needs a Count output named 'score'")
        for out in self.outputs:
            if isinstance(out, Count | AllMet):
                unknown = set(out.indicators) - indicator_ids
                if unknown:
                    raise DefinitionError(f"{where}: output {out.id} names {sorted(unknown)}")
            elif isinstance(out, Band):
                source = self._outputs_by_id.get(out.source)
                if not isinstance(source, Count):
                    raise DefinitionError(f"{where}: band {out.id} needs a count source")
                covered = sorted(v for low, high, _ in out.cuts for v in range(low, high + 1))
                if covered != list(range(len(source.indicators) + 1)):
                    raise DefinitionError(
                        f"{where}: band {out.id} must cover 0..{len(source.indicators)}"
                    )
        required = set(self.required_item_ids)
        if set(self.items_needed("score")) != required:
            raise DefinitionError(f"{where}: 'score' must need exactly the required items")
        for opt in self.options:
            item = self.item(opt.item)
            for choice, codes in opt.choices.items():
                if not codes or not codes <= item.answer_codes:
                    raise DefinitionError(f"{where}: option {opt.id}={choice} has bad codes")
