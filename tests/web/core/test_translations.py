"""The committed Spanish catalog is complete and its compiled .mo matches the .po."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

import hopeful.web

MESSAGES = Path(hopeful.web.__file__).parent / "locale" / "es" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"


def catalog(mo_path: Path) -> dict[object, str]:
    with mo_path.open("rb") as fp:
        return dict(gettext.GNUTranslations(fp)._catalog)  # type: ignore[attr-defined]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
def test_it_commits_a_compiled_catalog_that_matches_the_po_file(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO)], check=True)
    assert catalog(MO) == catalog(fresh), (
        "django.mo is out of date: run `python -m hopeful.web compilemessages` in src/hopeful/web"
    )


def po_entries(text: str) -> list[dict[str, str]]:
    """A minimal .po reader: each entry's keywords (msgid, msgstr, msgstr[0] ...) -> text."""
    entries = []
    for block in text.strip().split("\n\n"):
        entry: dict[str, str] = {}
        keyword = ""
        for line in block.splitlines():
            if line.startswith("#"):
                entry.setdefault("flags", "")
                entry["flags"] += line
                continue
            if not line.startswith('"'):
                keyword, line = line.split(" ", 1)
            entry[keyword] = entry.get(keyword, "") + line.strip()[1:-1]
        entries.append(entry)
    return entries


def test_it_translates_every_interface_string_to_spanish() -> None:
    entries = [e for e in po_entries(PO.read_text(encoding="utf-8")) if e.get("msgid")]
    assert entries
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    untranslated = [
        e["msgid"]
        for e in entries
        if any(not value for key, value in e.items() if key.startswith("msgstr"))
    ]
    assert not fuzzy, fuzzy
    assert not untranslated, untranslated
