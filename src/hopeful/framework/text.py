"""Texts in several languages.

HOPEful speaks English and Spanish from the first day. A :class:`Text` holds one string per
language code and is immutable, so definitions that contain texts can be frozen.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Text"]

#: Languages the platform ships texts in, in display order (code -> own name).
LANGUAGES: Mapping[str, str] = MappingProxyType({"en": "English", "es": "Español"})

#: The language every text must have; others fall back to it.
DEFAULT_LANGUAGE = "en"


class Text(Mapping[str, str]):
    """An immutable mapping of language code to text, English required.

    >>> t = Text(en="Always", es="Siempre")
    >>> t["es"], t.get_text("fr")
    ('Siempre', 'Always')
    """

    __slots__ = ("_texts",)

    def __init__(self, texts: Mapping[str, str] | None = None, **by_language: str) -> None:
        merged = dict(texts or {}, **by_language)
        if not merged.get(DEFAULT_LANGUAGE, "").strip():
            raise ValueError(f"a Text needs a non-empty {DEFAULT_LANGUAGE!r} string: {merged!r}")
        for lang, value in merged.items():
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"text for {lang!r} must be a non-empty string: {value!r}")
        self._texts: Mapping[str, str] = MappingProxyType(merged)

    def __getitem__(self, language: str) -> str:
        return self._texts[language]

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._texts.items())))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return dict(self._texts) == dict(other._texts)
        return NotImplemented

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._texts.items())
        return f"Text({inner})"

    def get_text(self, language: str) -> str:
        """Return the text in ``language``, falling back to English."""
        return self._texts.get(language) or self._texts[DEFAULT_LANGUAGE]

    @property
    def languages(self) -> tuple[str, ...]:
        """The language codes this text is available in."""
        return tuple(self._texts)
