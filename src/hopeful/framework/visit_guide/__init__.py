"""The visit guide: conversation prompts and anticipatory guidance by building block and age.

For each of the Four Building Blocks and each age band (the pregnancy, under 1, 1-4, 5-11,
12-17, and the caregiver's own experiences) the guide has 3-6 open questions a clinician or
home visitor can ask to invite a family to name its strengths and positive experiences, and
2-4 small ideas for the family: concrete, free and doable this week.

The content is HOPEful's own, in English and Spanish, written in the spirit of the HOPE
framework; it is not an official HOPE tool (every guide carries its ``attribution``). It
lives in versioned data files next to this module (``guide-2026.1.toml``) that editors change
without touching code; ``docs/visit-guide.md`` explains how. Item ids are stable forever, so a
visit can record which prompts it used and show them again later.

>>> import datetime as dt
>>> from hopeful.framework.visit_guide import age_band, get_visit_guide
>>> guide = get_visit_guide()
>>> band = age_band(dt.date(2025, 1, 1), dt.date(2025, 6, 15))
>>> [section.block for section in guide.for_band(band)]
['relationships', 'environment', 'engagement', 'emotional_growth']
>>> guide.item("rel-u1-p1").text.get_text("es").startswith("¿")
True
"""

from __future__ import annotations

from hopeful.framework.visit_guide.ages import age_band, age_in_months
from hopeful.framework.visit_guide.loader import (
    GUIDE_VERSIONS,
    get_visit_guide,
    load_visit_guide,
    parse_visit_guide,
)
from hopeful.framework.visit_guide.model import (
    AGE_BAND_IDS,
    AGE_BANDS,
    BLOCK_CODES,
    IDEA_COUNT,
    ITEM_ID_PATTERN,
    PROMPT_COUNT,
    GuideAgeBand,
    GuideItem,
    GuideSection,
    ItemKind,
    VisitGuide,
    get_age_band,
)

__all__ = [
    "AGE_BANDS",
    "AGE_BAND_IDS",
    "BLOCK_CODES",
    "GUIDE_VERSIONS",
    "IDEA_COUNT",
    "ITEM_ID_PATTERN",
    "PROMPT_COUNT",
    "GuideAgeBand",
    "GuideItem",
    "GuideSection",
    "ItemKind",
    "VisitGuide",
    "age_band",
    "age_in_months",
    "get_age_band",
    "get_visit_guide",
    "load_visit_guide",
    "parse_visit_guide",
]
