"""Reading and checking the visit guide's data files.

Each version of the guide is one TOML file in this package, ``guide-<version>.toml``
(``guide-2026.1.toml``), written for editors who are not programmers (see
``docs/visit-guide.md``). Loading checks everything an edit can break and stops at the first
problem with an error that names the file, the block, the band and the item id.

>>> GUIDE_VERSIONS[0]
'2026.1'
>>> get_visit_guide("2026.1") is get_visit_guide("2026.1")  # loaded once, then cached
True
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from hopeful.framework.blocks import BLOCK_IDS
from hopeful.framework.errors import GuideFileError, UnknownGuideVersionError
from hopeful.framework.text import LANGUAGES, Text
from hopeful.framework.visit_guide.model import (
    AGE_BAND_IDS,
    IDEA_COUNT,
    ITEM_ID_PATTERN,
    PROMPT_COUNT,
    GuideItem,
    GuideSection,
    ItemKind,
    VisitGuide,
    item_id_prefix,
)

__all__ = ["GUIDE_VERSIONS", "get_visit_guide", "load_visit_guide", "parse_visit_guide"]

_PACKAGE = "hopeful.framework.visit_guide"
_FILE_NAME = re.compile(r"^guide-(?P<version>[0-9]+(?:\.[0-9]+)*)\.toml$")
_VERSION = re.compile(r"^[0-9]+(?:\.[0-9]+)*$")
_ITEM_ID = re.compile(ITEM_ID_PATTERN)
_KINDS: tuple[tuple[str, ItemKind, tuple[int, int]], ...] = (
    ("prompts", "prompt", PROMPT_COUNT),
    ("ideas", "idea", IDEA_COUNT),
)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _shipped_files() -> dict[str, str]:
    """Version -> file name of every ``guide-<version>.toml`` in this package."""
    found: dict[str, str] = {}
    for entry in resources.files(_PACKAGE).iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            found[match["version"]] = entry.name
    return found


_FILES = _shipped_files()

#: The guide versions that ship with HOPEful, oldest first; the last one is the default.
GUIDE_VERSIONS: tuple[str, ...] = tuple(sorted(_FILES, key=_version_key))


def get_visit_guide(version: str | None = None) -> VisitGuide:
    """The visit guide in ``version``, the latest shipped version by default.

    Each version is read and checked once, on first use, then cached.

    Raises
    ------
    UnknownGuideVersionError
        If no guide ships in ``version``.
    GuideFileError
        If the file of that version is broken (the schema test keeps this from shipping).
    """
    if version is None and GUIDE_VERSIONS:
        version = GUIDE_VERSIONS[-1]
    if version is None or version not in _FILES:
        raise UnknownGuideVersionError(str(version), GUIDE_VERSIONS)
    return _load_shipped(version)


def _read_shipped(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


@functools.cache
def _load_shipped(version: str) -> VisitGuide:
    name = _FILES[version]
    source = f"hopeful/framework/visit_guide/{name}"
    guide = parse_visit_guide(_read_shipped(name), source=source)
    if guide.version != version:
        raise GuideFileError(
            source, f"says version = {guide.version!r}, but its file name says {version!r}"
        )
    return guide


def load_visit_guide(path: str | os.PathLike[str]) -> VisitGuide:
    """Read and check a visit guide file (a draft, or a copy outside the package).

    Raises
    ------
    GuideFileError
        If the file cannot be read or anything in it is wrong; the message names the file
        and, where it applies, the block, the band and the item id.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise GuideFileError(str(file), "is not UTF-8 text") from None
    except OSError as error:
        raise GuideFileError(str(file), f"cannot be read ({error.strerror})") from None
    return parse_visit_guide(text, source=str(file))


def parse_visit_guide(text: str, *, source: str = "<visit guide>") -> VisitGuide:
    """Check the TOML text of a visit guide and build it; ``source`` names it in errors.

    >>> parse_visit_guide("version = 1", source="draft.toml")
    Traceback (most recent call last):
      ...
    hopeful.framework.errors.GuideFileError: draft.toml: version must be text in quotes, like version = "2026.1"
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise GuideFileError(source, f"is not valid TOML: {error}") from None
    return _Checker(source).guide(data)


class _Checker:
    """Walks one parsed file, in file order, and raises at the first problem."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen: dict[str, tuple[str, str]] = {}

    def fail(
        self,
        problem: str,
        *,
        block: str | None = None,
        band: str | None = None,
        item_id: str | None = None,
        position: str | None = None,
    ) -> GuideFileError:
        return GuideFileError(
            self.source, problem, block=block, band=band, item_id=item_id, position=position
        )

    def guide(self, data: Mapping[str, object]) -> VisitGuide:
        version = data.get("version")
        if not isinstance(version, str):
            raise self.fail('version must be text in quotes, like version = "2026.1"')
        if not _VERSION.match(version):
            raise self.fail(f'version {version!r} must be numbers and dots, like "2026.1"')
        for key, value in data.items():
            if key in ("version", "attribution") or key in BLOCK_IDS:
                continue
            if isinstance(value, dict):
                raise self.fail(
                    f"unknown building block {key!r} (known: {', '.join(BLOCK_IDS)})", block=key
                )
            raise self.fail(f"unknown setting {key!r} (known: version, attribution)")
        attribution = self.text(data.get("attribution"), "attribution")
        sections: list[GuideSection] = []
        for block in BLOCK_IDS:
            bands = data.get(block)
            if not isinstance(bands, dict):
                raise self.fail("building block is missing", block=block)
            for band in bands:
                if band not in AGE_BAND_IDS:
                    raise self.fail(
                        f"unknown age band {band!r} (known: {', '.join(AGE_BAND_IDS)})",
                        block=block,
                        band=band,
                    )
            sections.extend(self.section(block, band, bands.get(band)) for band in AGE_BAND_IDS)
        return VisitGuide(version=version, attribution=attribution, sections=tuple(sections))

    def section(self, block: str, band: str, data: object) -> GuideSection:
        if not isinstance(data, dict):
            raise self.fail("age band is missing", block=block, band=band)
        for key in data:
            if key not in ("prompts", "ideas"):
                raise self.fail(
                    f"unknown list {key!r} (a band has [[...prompts]] and [[...ideas]])",
                    block=block,
                    band=band,
                )
        found: dict[str, tuple[GuideItem, ...]] = {}
        for key, kind, (low, high) in _KINDS:
            entries = data.get(key)
            if entries is None:
                raise self.fail(f"has no {key}", block=block, band=band)
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                raise self.fail(
                    f"{key} must be entries that each start with [[{block}.{band}.{key}]]",
                    block=block,
                    band=band,
                )
            if not low <= len(entries) <= high:
                raise self.fail(
                    f"has {len(entries)} {key}; a band needs {low} to {high}",
                    block=block,
                    band=band,
                )
            found[key] = tuple(
                self.item(block, band, kind, number, entry)
                for number, entry in enumerate(entries, start=1)
            )
        return GuideSection(block=block, band=band, prompts=found["prompts"], ideas=found["ideas"])

    def item(
        self, block: str, band: str, kind: ItemKind, number: int, entry: Mapping[str, object]
    ) -> GuideItem:
        where = {"block": block, "band": band}
        position = f"{kind} {number}"
        item_id = entry.get("id")
        if not isinstance(item_id, str) or not item_id.strip():
            raise self.fail(
                'has no id (add a line like id = "rel-u1-p1")', **where, position=position
            )
        prefix = item_id_prefix(block, band, kind)
        if not _ITEM_ID.match(item_id) or not item_id.startswith(prefix):
            raise self.fail(
                f"the id does not fit here: {'an' if kind == 'idea' else 'a'} {kind} in this "
                f"band needs an id like "
                f"'{prefix}<number>', e.g. '{prefix}1'",
                **where,
                item_id=item_id,
            )
        if item_id in self.seen:
            first_block, first_band = self.seen[item_id]
            raise self.fail(
                f"the id is used twice (first in block {first_block!r}, band {first_band!r}); "
                "every id is used once, forever",
                **where,
                item_id=item_id,
            )
        self.seen[item_id] = (block, band)
        for key in entry:
            if key != "id" and key not in LANGUAGES:
                raise self.fail(
                    f"unknown key {key!r} (an entry has id and {', '.join(LANGUAGES)})",
                    **where,
                    item_id=item_id,
                )
        text = self.text(entry, kind, block=block, band=band, item_id=item_id)
        for language in LANGUAGES:
            value = text[language]
            if kind == "prompt" and not value.endswith("?"):
                raise self.fail(
                    f"the {language!r} text of a prompt must be a question ending with '?'",
                    **where,
                    item_id=item_id,
                )
        if kind == "prompt" and not text["es"].startswith("¿"):
            raise self.fail(
                "the 'es' text of a prompt must open with '¿'", **where, item_id=item_id
            )
        return GuideItem(id=item_id, kind=kind, block=block, band=band, text=text)

    def text(
        self,
        data: object,
        what: str,
        *,
        block: str | None = None,
        band: str | None = None,
        item_id: str | None = None,
    ) -> Text:
        """A text in every language; runs of spaces and line breaks become one space."""
        where = {"block": block, "band": band, "item_id": item_id}
        if not isinstance(data, dict):
            raise self.fail(f"{what} is missing (it needs {', '.join(LANGUAGES)})", **where)
        texts: dict[str, str] = {}
        for language in LANGUAGES:
            value = data.get(language)
            if value is None:
                raise self.fail(f"the {language!r} text is missing", **where)
            if not isinstance(value, str):
                raise self.fail(f"the {language!r} text must be in quotes", **where)
            if not value.strip():
                raise self.fail(f"the {language!r} text is empty", **where)
            texts[language] = " ".join(value.split())
        if len(set(texts.values())) < len(texts):
            raise self.fail("the texts are the same in two languages (not translated?)", **where)
        if what == "attribution":
            extra = sorted(set(data) - set(LANGUAGES))
            if extra:
                raise self.fail(f"attribution has unknown keys: {', '.join(extra)}")
        return Text(texts)
