"""Display data for the instrument pages, prepared in one language.

The templates only format what is here: every text is already chosen for the language, every
label already translated, every URL already reversed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hopeful.framework import (
    DEFAULT_LANGUAGE,
    AgeRange,
    Audience,
    Instrument,
    Text,
    TranslationStatus,
    get_building_block,
    get_instrument,
    list_instruments,
)


@dataclass(frozen=True, slots=True)
class LanguageStatus:
    code: str
    name: str
    """The language's name in the page's language ("Spanish" / "Español")."""
    status: str
    """How the text came about, e.g. "unofficial translation"."""
    note: str
    """The definition's note, in English only."""


@dataclass(frozen=True, slots=True)
class InstrumentSummary:
    id: str
    version: str
    title: str
    short_title: str
    description: str
    text_language: str
    audience: str
    ages: str
    item_count: int
    languages: tuple[LanguageStatus, ...]
    url: str


@dataclass(frozen=True, slots=True)
class OptionDisplay:
    code: int
    label: str
    is_missing: bool


@dataclass(frozen=True, slots=True)
class ItemDisplay:
    number: int
    id: str
    text: str
    note: str
    options: tuple[OptionDisplay, ...]
    block_id: str
    block: str
    """The primary building block's name, or "" for items that are not positive experiences."""


@dataclass(frozen=True, slots=True)
class VersionLink:
    version: str
    url: str
    is_current: bool


@dataclass(frozen=True, slots=True)
class InstrumentPage:
    id: str
    version: str
    title: str
    description: str
    instructions: str
    content_note: str
    text_language: str
    """The language the instrument texts are in: the page's, or English when it has none."""
    is_fallback: bool
    audience: str
    ages: str
    items: tuple[ItemDisplay, ...]
    languages: tuple[LanguageStatus, ...]
    versions: tuple[VersionLink, ...]
    source: str
    citation: str
    licence: str
    wording_note: str


def instrument_summaries(*, language: str) -> list[InstrumentSummary]:
    """The latest version of every registered instrument, for the catalogue page."""
    summaries = []
    for instrument in list_instruments():
        text_language = _text_language(instrument, language)
        summaries.append(
            InstrumentSummary(
                id=instrument.id,
                version=instrument.version,
                title=instrument.title.get_text(text_language),
                short_title=instrument.short_title.get_text(text_language),
                description=instrument.description.get_text(text_language),
                text_language=text_language,
                audience=_audience_label(instrument.audience),
                ages=_ages_label(instrument.age_range),
                item_count=len(instrument.items),
                languages=_language_statuses(instrument),
                url=reverse("instruments:detail", args=[instrument.id]),
            )
        )
    return summaries


def instrument_page(*, instrument_id: str, version: str | None, language: str) -> InstrumentPage:
    """The paper form of one instrument version (the latest when ``version`` is ``None``).

    Raises ``UnknownInstrumentError`` / ``UnknownVersionError`` from the registry.
    """
    instrument = get_instrument(instrument_id, version)
    lang = _text_language(instrument, language)
    return InstrumentPage(
        id=instrument.id,
        version=instrument.version,
        title=instrument.title.get_text(lang),
        description=instrument.description.get_text(lang),
        instructions=instrument.instructions.get_text(lang),
        content_note=_text_or_blank(instrument.content_note, lang),
        text_language=lang,
        is_fallback=lang != language,
        audience=_audience_label(instrument.audience),
        ages=_ages_label(instrument.age_range),
        items=tuple(
            ItemDisplay(
                number=number,
                id=item.id,
                text=item.text.get_text(lang),
                note=_text_or_blank(item.note, lang),
                options=tuple(
                    OptionDisplay(
                        code=option.code,
                        label=option.label.get_text(lang),
                        is_missing=option.is_missing,
                    )
                    for option in item.options
                ),
                block_id=item.block or "",
                block=(
                    get_building_block(item.block).name.get_text(language) if item.block else ""
                ),
            )
            for number, item in enumerate(instrument.items, start=1)
        ),
        languages=_language_statuses(instrument),
        versions=_version_links(instrument),
        source=instrument.source,
        citation=instrument.citation,
        licence=instrument.licence,
        wording_note=instrument.wording_note,
    )


# -- helpers ---------------------------------------------------------------------------------


def _text_language(instrument: Instrument, language: str) -> str:
    return language if language in instrument.languages else DEFAULT_LANGUAGE


def _text_or_blank(text: Text | None, language: str) -> str:
    return text.get_text(language) if text is not None else ""


def _audience_label(audience: Audience) -> str:
    labels = {
        Audience.ADULT_RETROSPECTIVE: _("Adults, about their own childhood"),
        Audience.PARENT_REPORT_CHILD: _("Parents and caregivers, about a child"),
    }
    return labels.get(audience, str(audience))


def _months_label(months: int) -> str:
    if months < 24 and months % 12:
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    years = months // 12
    return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}


def _ages_label(age_range: AgeRange | None) -> str:
    if age_range is None:
        return ""
    return _("Children aged %(low)s to %(high)s") % {
        "low": _months_label(age_range.min_months),
        "high": _months_label(age_range.max_months),
    }


def _language_name(code: str) -> str:
    names = {lang: str(name) for lang, name in settings.LANGUAGES}
    return names.get(code, code)


def _status_label(code: str, status: TranslationStatus) -> str:
    if code == DEFAULT_LANGUAGE:
        if status is TranslationStatus.OFFICIAL:
            return _("original wording")
        return _("adapted wording (unofficial)")
    if status is TranslationStatus.OFFICIAL:
        return _("official translation")
    return _("unofficial translation")


def _language_statuses(instrument: Instrument) -> tuple[LanguageStatus, ...]:
    return tuple(
        LanguageStatus(
            code=code,
            name=_language_name(code),
            status=_status_label(code, translation.status),
            note=translation.note,
        )
        for code, translation in instrument.translations.items()
    )


def _version_links(instrument: Instrument) -> tuple[VersionLink, ...]:
    versions = [i for i in list_instruments(all_versions=True) if i.id == instrument.id]
    return tuple(
        VersionLink(
            version=other.version,
            url=reverse("instruments:version", args=[other.id, other.version]),
            is_current=other.version == instrument.version,
        )
        for other in versions
    )
