"""HOPEful's pure core: the HOPE vocabulary, the instrument registry, scoring, the visit guide.

This package never imports Django (a test enforces it), so it can score a file from the
command line, a notebook or a web request alike.

>>> from hopeful.framework import get_instrument, score_response
>>> pce7 = get_instrument("pce7")
>>> score_response(pce7, {"pce1": 5, "pce2": 4, "pce3": 2, "pce4": 8, "pce5": 4,
...                       "pce6": 3, "pce7": 5}).values["band"]
'3-5'
"""

from __future__ import annotations

from hopeful.framework.blocks import (
    BLOCK_IDS,
    BUILDING_BLOCKS,
    ECOLOGICAL_LEVELS,
    PATHWAYS,
    BuildingBlock,
    Term,
    get_building_block,
)
from hopeful.framework.errors import (
    AgeBandError,
    DefinitionError,
    GuideError,
    GuideFileError,
    HopefulError,
    InstrumentError,
    InvalidCodeError,
    UnknownGuideEntryError,
    UnknownGuideVersionError,
    UnknownInstrumentError,
    UnknownItemError,
    UnknownLanguageError,
    UnknownVersionError,
)
from hopeful.framework.instruments import (
    MISSING_CODES,
    AgeRange,
    AllMet,
    Audience,
    Band,
    Count,
    Indicator,
    Instrument,
    Item,
    OptionKind,
    Output,
    ResponseOption,
    ScoringOption,
    Translation,
    TranslationStatus,
    get_instrument,
    list_instruments,
    register,
)
from hopeful.framework.scoring import (
    Score,
    ScoreTable,
    ScoringOptions,
    score_response,
    score_table,
)
from hopeful.framework.text import DEFAULT_LANGUAGE, LANGUAGES, Text
from hopeful.framework.visit_guide import (
    AGE_BAND_IDS,
    AGE_BANDS,
    GUIDE_VERSIONS,
    GuideAgeBand,
    GuideItem,
    GuideSection,
    VisitGuide,
    age_band,
    get_age_band,
    get_visit_guide,
    load_visit_guide,
)

__all__ = [
    "AGE_BANDS",
    "AGE_BAND_IDS",
    "BLOCK_IDS",
    "BUILDING_BLOCKS",
    "DEFAULT_LANGUAGE",
    "ECOLOGICAL_LEVELS",
    "GUIDE_VERSIONS",
    "LANGUAGES",
    "MISSING_CODES",
    "PATHWAYS",
    "AgeBandError",
    "AgeRange",
    "AllMet",
    "Audience",
    "Band",
    "BuildingBlock",
    "Count",
    "DefinitionError",
    "GuideAgeBand",
    "GuideError",
    "GuideFileError",
    "GuideItem",
    "GuideSection",
    "HopefulError",
    "Indicator",
    "Instrument",
    "InstrumentError",
    "InvalidCodeError",
    "Item",
    "OptionKind",
    "Output",
    "ResponseOption",
    "Score",
    "ScoreTable",
    "ScoringOption",
    "ScoringOptions",
    "Term",
    "Text",
    "Translation",
    "TranslationStatus",
    "UnknownGuideEntryError",
    "UnknownGuideVersionError",
    "UnknownInstrumentError",
    "UnknownItemError",
    "UnknownLanguageError",
    "UnknownVersionError",
    "VisitGuide",
    "age_band",
    "get_age_band",
    "get_building_block",
    "get_instrument",
    "get_visit_guide",
    "list_instruments",
    "load_visit_guide",
    "register",
    "score_response",
    "score_table",
]
