"""Reads for the core pages: display data prepared for templates, which only format it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.urls import translate_url

from hopeful.framework import BUILDING_BLOCKS, LANGUAGES


@dataclass(frozen=True, slots=True)
class BlockDisplay:
    id: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class LanguageLink:
    code: str
    name: str
    """The language's name in that language ("Español"), as language pickers should show it."""
    url: str
    is_current: bool


def building_blocks_for_display(*, language: str) -> list[BlockDisplay]:
    """The Four Building Blocks in their canonical order, in ``language``."""
    return [
        BlockDisplay(
            id=block.id,
            name=block.name.get_text(language),
            description=block.description.get_text(language),
        )
        for block in sorted(BUILDING_BLOCKS, key=lambda b: b.order)
    ]


def language_links(*, path: str, current: str) -> list[LanguageLink]:
    """Links to this same page in every UI language (plain links: no JavaScript, no POST)."""
    return [
        LanguageLink(
            code=code,
            name=LANGUAGES.get(code, str(name)),
            url=translate_url(path, code),
            is_current=code == current,
        )
        for code, name in settings.LANGUAGES
    ]


def database_is_reachable() -> bool:
    """Whether a trivial query succeeds on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True
