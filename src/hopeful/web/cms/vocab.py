"""The resource library's fixed vocabularies: what a resource is tagged with, and the GET
parameters that filter by them (``/resources/?block=relationships&audience=families``).

Codes are stable (they are in links people share); labels are translated here, so one code
reads right on the English and the Spanish site.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hopeful.framework import BUILDING_BLOCKS

#: kind -> the GET parameter that filters by it.
PARAMETERS = {
    "block": "block",
    "audience": "audience",
    "language": "language",
    "age": "age",
}

BLOCKS = {block.id: block for block in sorted(BUILDING_BLOCKS, key=lambda b: b.order)}

AUDIENCES = {
    "families": _("Families"),
    "practitioners": _("Clinicians and home visitors"),
    "educators": _("Educators"),
    "community": _("Community leaders"),
    "policymakers": _("Policymakers"),
}

MATERIAL_LANGUAGES = {
    "en": _("English"),
    "es": _("Spanish"),
}

AGE_BANDS = {
    "prenatal": _("Before birth"),
    "0-2": _("Birth to 2 years"),
    "3-5": _("3 to 5 years"),
    "6-12": _("6 to 12 years"),
    "13-18": _("13 to 18 years"),
}

FORMATS = {
    "handout": _("Handout"),
    "toolkit": _("Toolkit"),
    "video": _("Video"),
    "research": _("Research summary"),
    "slides": _("Slide deck"),
    "flyer": _("Flyer"),
    "guide": _("Guide"),
}


def block_label(code: str, language: str) -> str:
    block = BLOCKS.get(code)
    return block.name.get_text(language) if block else code


def facet_choices() -> list[tuple[str, str]]:
    """Every (kind, code) the library's facets hold, for seeding them."""
    return [
        *(("block", code) for code in BLOCKS),
        *(("audience", code) for code in AUDIENCES),
        *(("language", code) for code in MATERIAL_LANGUAGES),
        *(("age", code) for code in AGE_BANDS),
    ]


def facet_label(kind: str, code: str, language: str = "en") -> str:
    if kind == "block":
        return block_label(code, language)
    table = {"audience": AUDIENCES, "language": MATERIAL_LANGUAGES, "age": AGE_BANDS}[kind]
    return str(table.get(code, code))
