"""The visit guide's vocabulary and frozen data model.

A :class:`VisitGuide` is one version of the guide: for every building block and every age
band, a :class:`GuideSection` with open conversation prompts and anticipatory-guidance ideas,
each a :class:`GuideItem` with a stable id and its text in every language.

>>> [band.id for band in AGE_BANDS]
['prenatal', 'under_1', 'age_1_4', 'age_5_11', 'age_12_17', 'caregiver']
>>> get_age_band("age_12_17").label.get_text("es")
'De 12 a 17 años'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from hopeful.framework.blocks import BLOCK_IDS
from hopeful.framework.errors import UnknownGuideEntryError
from hopeful.framework.text import Text

__all__ = [
    "AGE_BANDS",
    "AGE_BAND_IDS",
    "BLOCK_CODES",
    "IDEA_COUNT",
    "ITEM_ID_PATTERN",
    "PROMPT_COUNT",
    "GuideAgeBand",
    "GuideItem",
    "GuideSection",
    "ItemKind",
    "VisitGuide",
    "get_age_band",
    "item_id_prefix",
]

#: What a guide item is: an open question asked at a visit, or an idea for the family.
ItemKind = Literal["prompt", "idea"]

#: How many prompts and ideas every section has (inclusive bounds).
PROMPT_COUNT: tuple[int, int] = (3, 6)
IDEA_COUNT: tuple[int, int] = (2, 4)


@dataclass(frozen=True, slots=True)
class GuideAgeBand:
    """One age band of the visit guide.

    ``id`` names the band in the data files and in code; ``code`` is its short form inside
    item ids (``rel-u1-p1``); ``label`` is what people read.
    """

    id: str
    code: str
    label: Text


#: The age bands in display order: the pregnancy, the child by age, then the caregiver's own
#: experiences (supports today and positive experiences in their own childhood).
AGE_BANDS: tuple[GuideAgeBand, ...] = (
    GuideAgeBand("prenatal", "pre", Text(en="Pregnancy", es="Embarazo")),
    GuideAgeBand("under_1", "u1", Text(en="Under 1 year", es="Menos de 1 año")),
    GuideAgeBand("age_1_4", "1to4", Text(en="1 to 4 years", es="De 1 a 4 años")),
    GuideAgeBand("age_5_11", "5to11", Text(en="5 to 11 years", es="De 5 a 11 años")),
    GuideAgeBand("age_12_17", "12to17", Text(en="12 to 17 years", es="De 12 a 17 años")),
    GuideAgeBand(
        "caregiver",
        "cg",
        Text(
            en="The caregiver's own experiences",
            es="Las experiencias de la persona que cuida",
        ),
    ),
)

#: The age-band ids in display order.
AGE_BAND_IDS: tuple[str, ...] = tuple(band.id for band in AGE_BANDS)

_BANDS_BY_ID = {band.id: band for band in AGE_BANDS}

#: Short form of each building block inside item ids.
BLOCK_CODES: Mapping[str, str] = MappingProxyType(
    {"relationships": "rel", "environment": "env", "engagement": "eng", "emotional_growth": "emo"}
)

#: Every item id matches this: block code, band code, ``p`` (prompt) or ``i`` (idea) and a
#: number, e.g. ``rel-u1-p1`` or ``emo-cg-i3``. Ids are stable forever: never reused or
#: renumbered (a visit records the ids of the prompts it used).
ITEM_ID_PATTERN = (
    rf"^({'|'.join(BLOCK_CODES.values())})-({'|'.join(b.code for b in AGE_BANDS)})-[pi][1-9][0-9]*$"
)
_ITEM_ID = re.compile(ITEM_ID_PATTERN)


def get_age_band(band_id: str) -> GuideAgeBand:
    """Return the age band with this id.

    Raises
    ------
    UnknownGuideEntryError
        If ``band_id`` is not one of :data:`AGE_BAND_IDS`.
    """
    try:
        return _BANDS_BY_ID[band_id]
    except KeyError:
        raise UnknownGuideEntryError(
            f"unknown age band {band_id!r} (known: {', '.join(AGE_BAND_IDS)})"
        ) from None


def item_id_prefix(block: str, band: str, kind: ItemKind) -> str:
    """The start every item id of this place must have, before its number.

    >>> item_id_prefix("relationships", "under_1", "prompt")
    'rel-u1-p'
    """
    return f"{BLOCK_CODES[block]}-{_BANDS_BY_ID[band].code}-{kind[0]}"


@dataclass(frozen=True, slots=True)
class GuideItem:
    """One prompt or idea: a stable id, where it belongs, and its text in every language."""

    id: str
    kind: ItemKind
    block: str
    band: str
    text: Text

    def __post_init__(self) -> None:
        fits = (
            self.block in BLOCK_CODES
            and self.band in _BANDS_BY_ID
            and self.kind in ("prompt", "idea")
            and _ITEM_ID.match(self.id) is not None
            and self.id.startswith(item_id_prefix(self.block, self.band, self.kind))
        )
        if not fits:
            raise ValueError(
                f"item id {self.id!r} does not fit {self.block} / {self.band} / {self.kind}"
            )


@dataclass(frozen=True, slots=True)
class GuideSection:
    """The prompts and ideas for one building block and one age band."""

    block: str
    band: str
    prompts: tuple[GuideItem, ...]
    ideas: tuple[GuideItem, ...]

    @property
    def items(self) -> tuple[GuideItem, ...]:
        """The prompts, then the ideas."""
        return self.prompts + self.ideas


def _unknown_block(block: str) -> UnknownGuideEntryError:
    return UnknownGuideEntryError(
        f"unknown building block {block!r} (known: {', '.join(BLOCK_IDS)})"
    )


@dataclass(frozen=True, slots=True)
class VisitGuide:
    """One version of the visit guide, frozen.

    ``sections`` hold every building block (in :data:`~hopeful.framework.BLOCK_IDS` order)
    times every age band (in :data:`AGE_BAND_IDS` order). Build one with
    :func:`~hopeful.framework.visit_guide.get_visit_guide` (the shipped versions) or
    :func:`~hopeful.framework.visit_guide.load_visit_guide` (a file), which validate it.
    """

    version: str
    attribution: Text
    sections: tuple[GuideSection, ...]
    _by_place: Mapping[tuple[str, str], GuideSection] = field(init=False, repr=False, compare=False)
    _by_id: Mapping[str, GuideItem] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_place: dict[tuple[str, str], GuideSection] = {}
        by_id: dict[str, GuideItem] = {}
        for section in self.sections:
            place = (section.block, section.band)
            if place in by_place:
                raise ValueError(f"two sections for {section.block} / {section.band}")
            by_place[place] = section
            for item in section.items:
                if item.id in by_id:
                    raise ValueError(f"item id {item.id!r} is used twice")
                by_id[item.id] = item
        object.__setattr__(self, "_by_place", MappingProxyType(by_place))
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))

    def section(self, block: str, band: str) -> GuideSection:
        """The prompts and ideas for ``block`` (a building-block id) and ``band`` (an age band).

        Raises
        ------
        UnknownGuideEntryError
            If the block or the band is unknown.
        """
        if block not in BLOCK_IDS:
            raise _unknown_block(block)
        get_age_band(band)
        try:
            return self._by_place[(block, band)]
        except KeyError:
            raise UnknownGuideEntryError(
                f"visit guide {self.version} has no section {block} / {band}"
            ) from None

    def for_band(self, band: str) -> tuple[GuideSection, ...]:
        """The four sections of one age band, in building-block order (a visit's page)."""
        return tuple(self.section(block, band) for block in BLOCK_IDS)

    def item(self, item_id: str) -> GuideItem:
        """The prompt or idea with this id (as recorded by a visit).

        Raises
        ------
        UnknownGuideEntryError
            If this version has no item with that id.
        """
        try:
            return self._by_id[item_id]
        except KeyError:
            raise UnknownGuideEntryError(
                f"visit guide {self.version} has no prompt or idea {item_id!r}"
            ) from None

    @property
    def items(self) -> tuple[GuideItem, ...]:
        """Every prompt and idea, section by section."""
        return tuple(self._by_id.values())
