"""The visit guide: the schema of every shipped version, the loader's errors, age bands."""

from __future__ import annotations

import datetime as dt
import doctest
import json
import re
import types
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hopeful.framework as framework
from hopeful.framework import (
    AGE_BAND_IDS,
    AGE_BANDS,
    BLOCK_IDS,
    GUIDE_VERSIONS,
    LANGUAGES,
    AgeBandError,
    GuideFileError,
    GuideItem,
    HopefulError,
    Text,
    UnknownGuideEntryError,
    UnknownGuideVersionError,
    VisitGuide,
    age_band,
    get_visit_guide,
    load_visit_guide,
)
from hopeful.framework.visit_guide import (
    IDEA_COUNT,
    ITEM_ID_PATTERN,
    PROMPT_COUNT,
    ages,
    loader,
    model,
)

GUIDES = [get_visit_guide(version) for version in GUIDE_VERSIONS]
ALL_ITEMS = [(guide.version, item) for guide in GUIDES for item in guide.items]
PROMPTS = [(v, item) for v, item in ALL_ITEMS if item.kind == "prompt"]
IDEAS = [(v, item) for v, item in ALL_ITEMS if item.kind == "idea"]


def _item_id(param: tuple[str, GuideItem]) -> str:
    return f"{param[0]}:{param[1].id}"


# -- the schema of every shipped version --------------------------------------------------------


def test_at_least_one_version_ships_and_every_data_file_is_a_version() -> None:
    assert GUIDE_VERSIONS
    assert GUIDE_VERSIONS[0] == "2026.1"
    names = sorted(
        entry.name
        for entry in resources.files("hopeful.framework.visit_guide").iterdir()
        if entry.name.endswith(".toml")
    )
    assert names == sorted(f"guide-{version}.toml" for version in GUIDE_VERSIONS)
    keys = [tuple(int(part) for part in version.split(".")) for version in GUIDE_VERSIONS]
    assert keys == sorted(set(keys)), "two file names spell the same version"


def test_the_latest_version_is_the_default_and_each_version_is_loaded_once() -> None:
    assert get_visit_guide() is get_visit_guide(GUIDE_VERSIONS[-1])
    assert get_visit_guide().version == GUIDE_VERSIONS[-1]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda g: g.version)
def test_every_block_and_band_has_its_section_in_order_with_counts_in_range(
    guide: VisitGuide,
) -> None:
    places = [(section.block, section.band) for section in guide.sections]
    assert places == [(block, band) for block in BLOCK_IDS for band in AGE_BAND_IDS]
    for section in guide.sections:
        assert PROMPT_COUNT == (3, 6)
        assert IDEA_COUNT == (2, 4)
        assert 3 <= len(section.prompts) <= 6, (section.block, section.band)
        assert 2 <= len(section.ideas) <= 4, (section.block, section.band)
        assert all(item.kind == "prompt" for item in section.prompts)
        assert all(item.kind == "idea" for item in section.ideas)


@pytest.mark.parametrize("guide", GUIDES, ids=lambda g: g.version)
def test_ids_are_unique_and_follow_the_documented_pattern(guide: VisitGuide) -> None:
    ids = [item.id for item in guide.items]
    assert len(ids) == len(set(ids))
    short_block = {"relationships": "rel", "environment": "env", "engagement": "eng"}
    short_block["emotional_growth"] = "emo"
    short_band = dict(
        zip(AGE_BAND_IDS, ["pre", "u1", "1to4", "5to11", "12to17", "cg"], strict=True)
    )
    for section in guide.sections:
        for kind, items in (("p", section.prompts), ("i", section.ideas)):
            for item in items:
                assert re.fullmatch(ITEM_ID_PATTERN, item.id)
                prefix = f"{short_block[section.block]}-{short_band[section.band]}-{kind}"
                assert re.fullmatch(rf"{prefix}[1-9][0-9]*", item.id), item.id
                assert (item.block, item.band) == (section.block, section.band)
                assert guide.item(item.id) is item


@pytest.mark.parametrize("guide", GUIDES, ids=lambda g: g.version)
def test_the_guide_is_credited_to_hopeful_and_not_presented_as_a_hope_tool(
    guide: VisitGuide,
) -> None:
    assert set(guide.attribution.languages) == set(LANGUAGES)
    assert "HOPEful" in guide.attribution["en"]
    assert "HOPEful" in guide.attribution["es"]
    assert "not an official HOPE tool" in guide.attribution["en"]
    assert "No es una herramienta oficial de HOPE" in guide.attribution["es"]


@pytest.mark.parametrize(("version", "item"), ALL_ITEMS, ids=map(_item_id, ALL_ITEMS))
def test_every_text_is_there_in_every_language_trimmed_and_translated(
    version: str, item: GuideItem
) -> None:
    assert set(item.text.languages) == set(LANGUAGES) == {"en", "es"}
    for language in LANGUAGES:
        value = item.text[language]
        assert value.strip() == value
        assert value
        assert "  " not in value
    assert item.text["es"] != item.text["en"]


@pytest.mark.parametrize(("version", "item"), PROMPTS, ids=map(_item_id, PROMPTS))
def test_every_prompt_is_an_open_question_in_both_languages(version: str, item: GuideItem) -> None:
    en, es = item.text["en"], item.text["es"]
    assert en.endswith("?")
    assert es.startswith("¿")
    assert es.endswith("?")
    # open questions: English ones start with a question word, never with "Do you ...",
    # "Is ...", "Have you ..." (yes/no); Spanish ones ask with a question word early on.
    assert en.split()[0] in {"What", "Who", "Which", "How", "Where", "When"}, en
    interrogative = re.compile(r"\b(qué|quién|quiénes|cómo|cuál|cuáles|cuándo|dónde)\b")
    assert interrogative.search(" ".join(es.lower().split()[:4])), es
    assert len(en) <= 150
    assert len(es) <= 150


@pytest.mark.parametrize(("version", "item"), IDEAS, ids=map(_item_id, IDEAS))
def test_every_idea_is_one_short_suggestion(version: str, item: GuideItem) -> None:
    for language in LANGUAGES:
        value = item.text[language]
        assert value[-1] in ".»'", value
        assert len(value) <= 200, value
    assert not item.text["es"].startswith("¿")


@pytest.mark.parametrize(("version", "item"), ALL_ITEMS, ids=map(_item_id, ALL_ITEMS))
def test_the_guide_never_speaks_of_adversity_scores_risk_or_money(
    version: str, item: GuideItem
) -> None:
    words = re.compile(
        r"\b(ACEs?|risk|riesgo|score|puntaje|adverse|adversas?|deficit|déficit|buy|compre|"
        r"pay|pague|problems?|problemas?)\b",
        re.IGNORECASE,
    )
    for language in LANGUAGES:
        assert not words.search(item.text[language]), item.text[language]


def test_spanish_speaks_to_the_family_as_usted_and_names_children_inclusively() -> None:
    for _, item in ALL_ITEMS:
        es = item.text["es"]
        # tú belongs only inside quotes (words said to a child); the family is "usted"
        outside_quotes = re.sub(r"«[^»]*»", "", es)
        assert not re.search(r"\b(tu|tus|tienes|puedes|quieres)\b", outside_quotes), es
        # "su hijo" alone leaves daughters out: always "su hijo o hija"
        assert not re.search(r"\bsu hijo\b(?! o hija)", es), es


def test_an_id_that_left_the_guide_never_comes_back() -> None:
    left: set[str] = set()
    previous: set[str] = set()
    for guide in GUIDES:
        current = {item.id for item in guide.items}
        assert not current & left, f"{guide.version} reuses {sorted(current & left)}"
        left |= previous - current
        previous = current


def test_sections_items_and_bands_are_looked_up_by_id() -> None:
    guide = get_visit_guide("2026.1")
    section = guide.section("relationships", "under_1")
    assert section.prompts[0].id == "rel-u1-p1"
    assert section.items == section.prompts + section.ideas
    assert [s.block for s in guide.for_band("age_12_17")] == list(BLOCK_IDS)
    assert guide.item("emo-cg-i3").band == "caregiver"
    assert [band.id for band in AGE_BANDS] == list(AGE_BAND_IDS)
    assert framework.get_age_band("prenatal").label["es"] == "Embarazo"
    with pytest.raises(UnknownGuideEntryError, match="unknown building block 'resilience'"):
        guide.section("resilience", "under_1")
    with pytest.raises(UnknownGuideEntryError, match="unknown age band 'toddler'"):
        guide.section("relationships", "toddler")
    with pytest.raises(UnknownGuideEntryError, match="no prompt or idea 'rel-u1-p99'"):
        guide.item("rel-u1-p99")


def test_an_unknown_version_is_a_clear_framework_error() -> None:
    with pytest.raises(UnknownGuideVersionError, match=r"no visit guide version '1999\.1'") as e:
        get_visit_guide("1999.1")
    assert "known versions: 2026.1" in str(e.value)
    assert isinstance(e.value, HopefulError)
    assert isinstance(e.value, LookupError)


def test_the_public_names_are_exported_from_the_framework() -> None:
    for name in (
        "get_visit_guide",
        "age_band",
        "VisitGuide",
        "GuideSection",
        "GuideItem",
        "AGE_BANDS",
        "GUIDE_VERSIONS",
        "GuideFileError",
        "load_visit_guide",
    ):
        assert name in framework.__all__
        assert hasattr(framework, name)
    # the subpackage stays reachable under its own name (no function shadows it)
    assert isinstance(framework.visit_guide, types.ModuleType)


@pytest.mark.parametrize("module", [model, loader, ages, framework.errors])
def test_the_docstring_examples_hold(module: Any) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_the_package_docstring_example_holds() -> None:
    import hopeful.framework.visit_guide as package

    result = doctest.testmod(package)
    assert (result.failed, result.attempted > 0) == (0, True)


# -- the loader rejects broken files ------------------------------------------------------------


def _valid() -> dict[str, Any]:
    """A small valid guide: 3 prompts and 2 ideas in every section."""
    doc: dict[str, Any] = {
        "version": "9.1",
        "attribution": {"en": "Written by HOPEful.", "es": "Escrito por HOPEful."},
    }
    codes = {"relationships": "rel", "environment": "env", "engagement": "eng"}
    codes["emotional_growth"] = "emo"
    for block in BLOCK_IDS:
        doc[block] = {}
        for band in AGE_BANDS:
            prefix = f"{codes[block]}-{band.code}"
            doc[block][band.id] = {
                "prompts": [
                    {"id": f"{prefix}-p{n}", "en": f"What {n}?", "es": f"¿Qué {n}?"}
                    for n in (1, 2, 3)
                ],
                "ideas": [
                    {"id": f"{prefix}-i{n}", "en": f"Try {n}.", "es": f"Pruebe {n}."}
                    for n in (1, 2)
                ],
            }
    return doc


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _toml(doc: dict[str, Any]) -> str:
    """Write ``doc`` the way the shipped files are laid out (arrays of tables)."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    for key, value in doc.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_value(value)}")
    for key, table in tables:
        if key == "attribution" or not all(isinstance(v, dict) for v in table.values()):
            lines.append(f"[{key}]")
            lines.extend(f"{k} = {_value(v)}" for k, v in table.items())
            continue
        for band, section in table.items():
            plain = {k: v for k, v in section.items() if not isinstance(v, list)}
            if plain:
                lines.append(f"[{key}.{band}]")
                lines.extend(f"{k} = {_value(v)}" for k, v in plain.items())
            for kind, entries in section.items():
                if isinstance(entries, list):
                    for entry in entries:
                        lines.append(f"[[{key}.{band}.{kind}]]")
                        lines.extend(f"{k} = {_value(v)}" for k, v in entry.items())
    return "\n".join(lines) + "\n"


def _write(tmp_path: Path, doc: dict[str, Any] | str) -> Path:
    path = tmp_path / "guide-9.1.toml"
    path.write_text(doc if isinstance(doc, str) else _toml(doc), encoding="utf-8")
    return path


def _rejected(tmp_path: Path, doc: dict[str, Any] | str) -> GuideFileError:
    path = _write(tmp_path, doc)
    with pytest.raises(GuideFileError) as caught:
        load_visit_guide(path)
    assert str(path) in str(caught.value)
    assert isinstance(caught.value, HopefulError)
    return caught.value


def test_the_small_valid_file_loads(tmp_path: Path) -> None:
    guide = load_visit_guide(_write(tmp_path, _valid()))
    assert guide.version == "9.1"
    assert len(guide.sections) == len(BLOCK_IDS) * len(AGE_BAND_IDS)
    assert guide.item("emo-cg-i2").text == Text(en="Try 2.", es="Pruebe 2.")


def test_line_breaks_and_runs_of_spaces_inside_a_text_become_one_space(tmp_path: Path) -> None:
    doc = _valid()
    doc["relationships"]["under_1"]["prompts"][0]["en"] = "  What \n makes   your baby smile? "
    guide = load_visit_guide(_write(tmp_path, doc))
    assert guide.item("rel-u1-p1").text["en"] == "What makes your baby smile?"


def test_a_missing_language_names_the_block_band_and_id(tmp_path: Path) -> None:
    doc = _valid()
    del doc["environment"]["age_5_11"]["ideas"][1]["es"]
    error = _rejected(tmp_path, doc)
    assert (error.block, error.band, error.item_id) == ("environment", "age_5_11", "env-5to11-i2")
    assert "block 'environment', band 'age_5_11', id 'env-5to11-i2'" in str(error)
    assert "the 'es' text is missing" in str(error)


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_an_empty_or_blank_text_is_rejected(tmp_path: Path, blank: str) -> None:
    doc = _valid()
    doc["engagement"]["prenatal"]["prompts"][2]["en"] = blank
    error = _rejected(tmp_path, doc)
    assert error.item_id == "eng-pre-p3"
    assert "the 'en' text is empty" in str(error)


def test_a_duplicate_id_is_rejected_naming_where_it_was_first_used(tmp_path: Path) -> None:
    doc = _valid()
    doc["relationships"]["under_1"]["prompts"][2]["id"] = "rel-u1-p1"
    error = _rejected(tmp_path, doc)
    assert error.item_id == "rel-u1-p1"
    assert "used twice (first in block 'relationships', band 'under_1')" in str(error)


def test_an_id_from_another_section_or_of_the_wrong_form_is_rejected(tmp_path: Path) -> None:
    doc = _valid()
    doc["relationships"]["under_1"]["ideas"][0]["id"] = "rel-u1-p9"
    error = _rejected(tmp_path, doc)
    assert "an idea in this band needs an id like 'rel-u1-i<number>'" in str(error)
    doc = _valid()
    doc["environment"]["caregiver"]["prompts"][0]["id"] = "env-cg-p01"
    assert _rejected(tmp_path, doc).item_id == "env-cg-p01"
    doc = _valid()
    del doc["environment"]["caregiver"]["prompts"][1]["id"]
    error = _rejected(tmp_path, doc)
    assert "block 'environment', band 'caregiver', prompt 2: has no id" in str(error)


def test_an_unknown_block_or_band_is_rejected(tmp_path: Path) -> None:
    doc = _valid()
    doc["relationship"] = doc.pop("relationships")
    error = _rejected(tmp_path, doc)
    assert "unknown building block 'relationship'" in str(error)
    doc = _valid()
    doc["engagement"]["toddler"] = doc["engagement"].pop("age_1_4")
    error = _rejected(tmp_path, doc)
    assert (error.block, error.band) == ("engagement", "toddler")
    assert "unknown age band 'toddler'" in str(error)


def test_a_missing_block_or_band_is_rejected(tmp_path: Path) -> None:
    doc = _valid()
    del doc["emotional_growth"]
    assert "block 'emotional_growth': building block is missing" in str(_rejected(tmp_path, doc))
    doc = _valid()
    del doc["environment"]["age_12_17"]
    error = _rejected(tmp_path, doc)
    assert "block 'environment', band 'age_12_17': age band is missing" in str(error)


@pytest.mark.parametrize(
    ("kind", "count", "message"),
    [
        ("prompts", 2, "has 2 prompts; a band needs 3 to 6"),
        ("prompts", 7, "has 7 prompts; a band needs 3 to 6"),
        ("ideas", 1, "has 1 ideas; a band needs 2 to 4"),
        ("ideas", 5, "has 5 ideas; a band needs 2 to 4"),
    ],
)
def test_counts_outside_the_ranges_are_rejected(
    tmp_path: Path, kind: str, count: int, message: str
) -> None:
    doc = _valid()
    letter = kind[0]
    doc["engagement"]["age_5_11"][kind] = [
        {"id": f"eng-5to11-{letter}{n}", "en": f"What {n}?", "es": f"¿Qué {n}?"}
        for n in range(1, count + 1)
    ]
    error = _rejected(tmp_path, doc)
    assert (error.block, error.band) == ("engagement", "age_5_11")
    assert message in str(error)


def test_a_prompt_must_be_a_question_in_both_languages(tmp_path: Path) -> None:
    doc = _valid()
    doc["relationships"]["prenatal"]["prompts"][0]["en"] = "Tell me about your support."
    assert "'en' text of a prompt must be a question" in str(_rejected(tmp_path, doc))
    doc = _valid()
    doc["relationships"]["prenatal"]["prompts"][0]["es"] = "Qué le alegra?"
    assert "'es' text of a prompt must open with '¿'" in str(_rejected(tmp_path, doc))


def test_untranslated_text_and_unknown_keys_are_rejected(tmp_path: Path) -> None:
    doc = _valid()
    doc["environment"]["under_1"]["ideas"][0]["es"] = "Try 1."
    assert "same in two languages" in str(_rejected(tmp_path, doc))
    doc = _valid()
    doc["environment"]["under_1"]["ideas"][0]["sp"] = "Pruebe."
    assert "unknown key 'sp'" in str(_rejected(tmp_path, doc))
    doc = _valid()
    doc["environment"]["under_1"]["notes"] = "draft"
    assert "unknown list 'notes'" in str(_rejected(tmp_path, doc))
    doc = _valid()
    doc["environment"]["under_1"]["ideas"] = "Try."
    error = _rejected(tmp_path, doc)
    assert "ideas must be entries that each start with [[environment.under_1.ideas]]" in str(error)
    doc = _valid()
    del doc["environment"]["under_1"]["prompts"]
    assert "band 'under_1': has no prompts" in str(_rejected(tmp_path, doc))


def test_a_bad_version_attribution_or_toml_syntax_is_rejected(tmp_path: Path) -> None:
    doc = _valid()
    del doc["version"]
    assert "version must be text in quotes" in str(_rejected(tmp_path, doc))
    doc = _valid()
    doc["version"] = "2026 spring"
    assert "must be numbers and dots" in str(_rejected(tmp_path, doc))
    doc = _valid()
    del doc["attribution"]["es"]
    assert "the 'es' text is missing" in str(_rejected(tmp_path, doc))
    error = _rejected(tmp_path, _toml(_valid()).replace('en = "Try 1."', 'en = "Try 1.', 1))
    assert "is not valid TOML" in str(error)
    assert "line" in str(error)


def test_a_missing_or_undecodable_file_is_rejected_clearly(tmp_path: Path) -> None:
    with pytest.raises(GuideFileError, match="cannot be read"):
        load_visit_guide(tmp_path / "nowhere.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes('version = "9.1" # año'.encode("latin-1"))
    with pytest.raises(GuideFileError, match="is not UTF-8 text"):
        load_visit_guide(path)


def test_a_shipped_file_whose_version_disagrees_with_its_name_is_rejected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _toml(_valid())
    monkeypatch.setattr(loader, "_FILES", {"9.2": "guide-9.2.toml"})
    monkeypatch.setattr(loader, "_read_shipped", lambda _name: text)
    loader._load_shipped.cache_clear()
    try:
        with pytest.raises(GuideFileError, match=r"says version = '9\.1', but its file name"):
            loader.get_visit_guide("9.2")
    finally:
        loader._load_shipped.cache_clear()


# -- age bands ----------------------------------------------------------------------------------

D = dt.date


@pytest.mark.parametrize(
    ("born", "today", "band"),
    [
        # born this month, and the first birthday (HOPEful stores a birth month as the 1st)
        (D(2025, 6, 1), D(2025, 6, 1), "under_1"),
        (D(2024, 3, 1), D(2025, 2, 28), "under_1"),
        (D(2024, 3, 1), D(2025, 3, 1), "age_1_4"),
        # when the day is known, it counts
        (D(2024, 3, 15), D(2025, 3, 14), "under_1"),
        (D(2024, 3, 15), D(2025, 3, 15), "age_1_4"),
        # 5th, 12th and 18th birthdays
        (D(2020, 6, 1), D(2025, 5, 31), "age_1_4"),
        (D(2020, 6, 1), D(2025, 6, 1), "age_5_11"),
        (D(2013, 6, 1), D(2025, 5, 31), "age_5_11"),
        (D(2013, 6, 1), D(2025, 6, 1), "age_12_17"),
        (D(2007, 6, 1), D(2025, 5, 31), "age_12_17"),
        (D(2007, 6, 1), D(2025, 6, 1), None),
        # born on a leap day: the birthday is 28 February in other years
        (D(2020, 2, 29), D(2021, 2, 27), "under_1"),
        (D(2020, 2, 29), D(2021, 2, 28), "age_1_4"),
        (D(2020, 2, 29), D(2025, 2, 27), "age_1_4"),
        (D(2020, 2, 29), D(2025, 2, 28), "age_5_11"),
        # today is a leap day
        (D(2023, 3, 1), D(2024, 2, 29), "under_1"),
        (D(2023, 2, 1), D(2024, 2, 29), "age_1_4"),
        # born on the 31st: a month is complete on the last day of a shorter month
        (D(2024, 1, 31), D(2025, 1, 30), "under_1"),
        (D(2024, 1, 31), D(2025, 1, 31), "age_1_4"),
    ],
)
def test_the_age_band_changes_on_the_birthday(born: dt.date, today: dt.date, band: str) -> None:
    assert age_band(born, today) == band


def test_a_child_not_yet_born_is_prenatal_whatever_the_due_month() -> None:
    today = D(2025, 6, 15)
    assert age_band(None, today, expected=True) == "prenatal"
    assert age_band(D(2025, 11, 1), today, expected=True) == "prenatal"
    assert age_band(D(2025, 6, 1), today, expected=True) == "prenatal"


def test_a_future_or_missing_birth_month_of_a_born_child_is_an_error() -> None:
    with pytest.raises(AgeBandError, match="2025-11-01 is after 2025-06-15: use expected=True"):
        age_band(D(2025, 11, 1), D(2025, 6, 15))
    with pytest.raises(AgeBandError, match="needs a birth month"):
        age_band(None, D(2025, 6, 15))
    assert issubclass(AgeBandError, HopefulError)
    assert issubclass(AgeBandError, ValueError)


@given(
    born=st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=30 * 366),
    more=st.integers(min_value=0, max_value=800),
)
def test_the_age_band_never_moves_back_as_the_child_grows(
    born: dt.date, days: int, more: int
) -> None:
    order = [*AGE_BAND_IDS, None]
    earlier = age_band(born, born + dt.timedelta(days=days))
    later = age_band(born, born + dt.timedelta(days=days + more))
    assert order.index(earlier) <= order.index(later)
    assert earlier in order
    assert earlier not in ("prenatal", "caregiver")
