"""The built-in instrument definitions match ``shared/spec/instruments.md``.

Every expectation below is written out literally from the spec (codes, affirmative codes,
blocks, required flags, output ids), never derived from the definitions under test.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from hopeful.framework import (
    AgeRange,
    AllMet,
    Audience,
    Band,
    Count,
    DefinitionError,
    Indicator,
    Instrument,
    Item,
    OptionKind,
    ScoringOption,
    Text,
    TranslationStatus,
    UnknownInstrumentError,
    UnknownVersionError,
    get_instrument,
    list_instruments,
    register,
)
from hopeful.framework.instruments.scales import YES_NO

OFFICIAL = TranslationStatus.OFFICIAL
UNOFFICIAL = TranslationStatus.UNOFFICIAL

YN = (1, 2, 7, 9)
FIVE = (1, 2, 3, 4, 5, 7, 9)
FOUR = (1, 2, 3, 4, 7, 9)
FREQ = (1, 2, 3, 7, 9)

# item id -> (codes in display order, affirmative codes, block, required)
ItemSpec = tuple[tuple[int, ...], frozenset[int], str | None, bool]

TOP2 = frozenset({4, 5})
YES = frozenset({1})
ONCE_OR_MORE = frozenset({2, 3})
MET = frozenset({1, 2})

EXPECTED_ITEMS: dict[str, dict[str, ItemSpec]] = {
    "pce7": {
        "pce1": (FIVE, TOP2, "emotional_growth", True),
        "pce2": (FIVE, TOP2, "relationships", True),
        "pce3": (FIVE, TOP2, "engagement", True),
        "pce4": ((1, 2, 3, 4, 5, 8, 7, 9), TOP2, "engagement", True),
        "pce5": (FIVE, TOP2, "relationships", True),
        "pce6": (FIVE, TOP2, "relationships", True),
        "pce7": (FIVE, TOP2, "environment", True),
    },
    "bce10": {
        "bce1": (YN, YES, "relationships", True),
        "bce2": (YN, YES, "relationships", True),
        "bce3": (YN, YES, "emotional_growth", True),
        "bce4": (YN, YES, "environment", True),
        "bce5": (YN, YES, "relationships", True),
        "bce6": (YN, YES, "environment", True),
        "bce7": (YN, YES, "relationships", True),
        "bce8": (YN, YES, "engagement", True),
        "bce9": (YN, YES, "emotional_growth", True),
        "bce10": (YN, YES, "environment", True),
    },
    "ace_brfss": {
        "ACEDEPRS": (YN, YES, None, True),
        "ACEDRINK": (YN, YES, None, True),
        "ACEDRUGS": (YN, YES, None, True),
        "ACEPRISN": (YN, YES, None, True),
        "ACEDIVRC": ((1, 2, 8, 7, 9), YES, None, True),
        "ACEPUNCH": (FREQ, ONCE_OR_MORE, None, True),
        "ACEHURT1": (FREQ, ONCE_OR_MORE, None, True),
        "ACESWEAR": (FREQ, ONCE_OR_MORE, None, True),
        "ACETOUCH": (FREQ, ONCE_OR_MORE, None, True),
        "ACETTHEM": (FREQ, ONCE_OR_MORE, None, True),
        "ACEHVSEX": (FREQ, ONCE_OR_MORE, None, True),
        "ACEADSAF": (FIVE, TOP2, "environment", False),
        "ACEADNED": (FIVE, TOP2, "environment", False),
    },
    "nsch_flourishing_0_5": {
        "K6Q70_R": (FOUR, MET, "relationships", True),
        "K6Q73_R": (FOUR, MET, "emotional_growth", True),
        "K6Q71_R": (FOUR, MET, "engagement", True),
        "K6Q72_R": (FOUR, MET, "emotional_growth", True),
    },
    "nsch_flourishing_6_17": {
        "K6Q71_R": (FOUR, MET, "engagement", True),
        "K7Q84_R": (FOUR, MET, "emotional_growth", True),
        "K7Q85_R": (FOUR, MET, "emotional_growth", True),
    },
    "nsch_family_resilience": {
        "TALKABOUT": (FOUR, MET, "relationships", True),
        "WKTOSOLVE": (FOUR, MET, "relationships", True),
        "STRENGTHS": (FOUR, MET, "emotional_growth", True),
        "HOPEFUL": (FOUR, MET, "emotional_growth", True),
    },
}

EXPECTED_OUTPUT_IDS: dict[str, tuple[str, ...]] = {
    "pce7": (
        "score",
        "band",
        "family",
        "community",
        "bb_relationships",
        "bb_environment",
        "bb_engagement",
        "bb_emotional_growth",
    ),
    "bce10": (
        "score",
        "bb_relationships",
        "bb_environment",
        "bb_engagement",
        "bb_emotional_growth",
    ),
    "ace_brfss": (
        "score",
        "band",
        "household_mental_illness",
        "household_substance_use",
        "household_incarceration",
        "parental_separation",
        "witnessed_ipv",
        "physical_abuse",
        "emotional_abuse",
        "sexual_abuse",
        "protective_safe_adult",
        "protective_basic_needs",
    ),
    "nsch_flourishing_0_5": (
        "score",
        "flourishing",
        "bb_relationships",
        "bb_engagement",
        "bb_emotional_growth",
    ),
    "nsch_flourishing_6_17": ("score", "flourishing", "bb_engagement", "bb_emotional_growth"),
    "nsch_family_resilience": (
        "score",
        "band",
        "resilient",
        "bb_relationships",
        "bb_emotional_growth",
    ),
}

# output id -> the item ids it needs (complete-case set), in item order
EXPECTED_ITEMS_NEEDED: dict[str, dict[str, tuple[str, ...]]] = {
    "pce7": {
        "family": ("pce1", "pce2", "pce7"),
        "community": ("pce3", "pce4", "pce5", "pce6"),
        "bb_relationships": ("pce2", "pce5", "pce6"),
        "bb_environment": ("pce7",),
        "bb_engagement": ("pce3", "pce4"),
        "bb_emotional_growth": ("pce1",),
    },
    "bce10": {
        "bb_relationships": ("bce1", "bce2", "bce5", "bce7"),
        "bb_environment": ("bce4", "bce6", "bce10"),
        "bb_engagement": ("bce8",),
        "bb_emotional_growth": ("bce3", "bce9"),
    },
    "ace_brfss": {
        "household_mental_illness": ("ACEDEPRS",),
        "household_substance_use": ("ACEDRINK", "ACEDRUGS"),
        "household_incarceration": ("ACEPRISN",),
        "parental_separation": ("ACEDIVRC",),
        "witnessed_ipv": ("ACEPUNCH",),
        "physical_abuse": ("ACEHURT1",),
        "emotional_abuse": ("ACESWEAR",),
        "sexual_abuse": ("ACETOUCH", "ACETTHEM", "ACEHVSEX"),
        "protective_safe_adult": ("ACEADSAF",),
        "protective_basic_needs": ("ACEADNED",),
    },
    "nsch_flourishing_0_5": {
        "flourishing": ("K6Q70_R", "K6Q73_R", "K6Q71_R", "K6Q72_R"),
        "bb_relationships": ("K6Q70_R",),
        "bb_engagement": ("K6Q71_R",),
        "bb_emotional_growth": ("K6Q73_R", "K6Q72_R"),
    },
    "nsch_flourishing_6_17": {
        "flourishing": ("K6Q71_R", "K7Q84_R", "K7Q85_R"),
        "bb_engagement": ("K6Q71_R",),
        "bb_emotional_growth": ("K7Q84_R", "K7Q85_R"),
    },
    "nsch_family_resilience": {
        "resilient": ("TALKABOUT", "WKTOSOLVE", "STRENGTHS", "HOPEFUL"),
        "bb_relationships": ("TALKABOUT", "WKTOSOLVE"),
        "bb_emotional_growth": ("STRENGTHS", "HOPEFUL"),
    },
}

EXPECTED_BANDS: dict[str, tuple[tuple[int, int, str], ...]] = {
    "pce7": ((0, 2, "0-2"), (3, 5, "3-5"), (6, 7, "6-7")),
    "ace_brfss": ((0, 0, "0"), (1, 1, "1"), (2, 3, "2-3"), (4, 8, "4+")),
    "nsch_family_resilience": ((0, 1, "0-1"), (2, 3, "2-3"), (4, 4, "4")),
}

EXPECTED_TRANSLATIONS = {
    "pce7": (UNOFFICIAL, UNOFFICIAL),
    "bce10": (UNOFFICIAL, UNOFFICIAL),
    "ace_brfss": (OFFICIAL, UNOFFICIAL),
    "nsch_flourishing_0_5": (OFFICIAL, UNOFFICIAL),
    "nsch_flourishing_6_17": (OFFICIAL, UNOFFICIAL),
    "nsch_family_resilience": (OFFICIAL, UNOFFICIAL),
}

EXPECTED_AUDIENCE = {
    "pce7": (Audience.ADULT_RETROSPECTIVE, None),
    "bce10": (Audience.ADULT_RETROSPECTIVE, None),
    "ace_brfss": (Audience.ADULT_RETROSPECTIVE, None),
    "nsch_flourishing_0_5": (Audience.PARENT_REPORT_CHILD, AgeRange(6, 71)),
    "nsch_flourishing_6_17": (Audience.PARENT_REPORT_CHILD, AgeRange(72, 215)),
    "nsch_family_resilience": (Audience.PARENT_REPORT_CHILD, AgeRange(0, 215)),
}

INSTRUMENT_IDS = tuple(EXPECTED_ITEMS)


def _texts(inst: Instrument) -> Iterator[tuple[str, Text]]:
    """Every Text of a definition, with where it is (for failure messages)."""
    yield "title", inst.title
    yield "short_title", inst.short_title
    yield "description", inst.description
    yield "instructions", inst.instructions
    if inst.content_note is not None:
        yield "content_note", inst.content_note
    for item in inst.items:
        yield f"{item.id}.text", item.text
        yield f"{item.id}.construct", item.construct
        if item.note is not None:
            yield f"{item.id}.note", item.note
        for opt in item.options:
            yield f"{item.id}.option{opt.code}", opt.label
    for ind in inst.indicators:
        if ind.label is not None:
            yield f"indicator {ind.id}", ind.label
    for out in inst.all_outputs:
        if out.label is not None:
            yield f"output {out.id}", out.label
    for sopt in inst.options:
        yield f"option {sopt.id}", sopt.description


def _replace_item(inst: Instrument, item_id: str, **changes: Any) -> tuple[Item, ...]:
    return tuple(dataclasses.replace(i, **changes) if i.id == item_id else i for i in inst.items)


# -- registry -------------------------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_registered_and_retrievable(instrument_id: str) -> None:
    latest = get_instrument(instrument_id)
    pinned = get_instrument(instrument_id, "1.0")
    assert latest is pinned
    assert latest.id == instrument_id
    assert latest.version == "1.0"
    assert latest.key == (instrument_id, "1.0")


def test_list_instruments_has_every_builtin() -> None:
    ids = {inst.id for inst in list_instruments()}
    assert set(INSTRUMENT_IDS) <= ids


def test_unknown_instrument() -> None:
    with pytest.raises(UnknownInstrumentError):
        get_instrument("nope")


def test_unknown_version() -> None:
    with pytest.raises(UnknownVersionError):
        get_instrument("pce7", "9.9")


def test_register_different_definition_under_used_key() -> None:
    ace = get_instrument("ace_brfss")
    changed = dataclasses.replace(ace, title=Text(en="Something else", es="Otra cosa"))
    assert changed.key == ace.key
    assert changed != ace
    with pytest.raises(DefinitionError, match="already registered"):
        register(changed)
    assert get_instrument("ace_brfss") is ace


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_register_block_count_instrument_differently(instrument_id: str) -> None:
    inst = get_instrument(instrument_id)
    changed = dataclasses.replace(inst, short_title=Text(en="Changed", es="Cambiado"))
    assert changed.output_ids == inst.output_ids
    with pytest.raises(DefinitionError, match="already registered"):
        register(changed)
    assert get_instrument(instrument_id) is inst


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_reregistering_the_same_definition_is_allowed(instrument_id: str) -> None:
    inst = get_instrument(instrument_id)
    copy = dataclasses.replace(inst)
    assert copy == inst
    assert copy.output_ids == inst.output_ids  # generated block counts are not doubled
    assert register(inst) is inst


# -- items, codes, blocks -------------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_items_match_spec(instrument_id: str) -> None:
    inst = get_instrument(instrument_id)
    expected = EXPECTED_ITEMS[instrument_id]
    assert inst.item_ids == tuple(expected)
    for item in inst.items:
        codes, affirmative, block, required = expected[item.id]
        assert item.codes == codes, item.id
        assert item.affirmative == affirmative, item.id
        assert item.block == block, item.id
        assert item.required is required, item.id
        assert item.missing_codes == frozenset({7, 9}), item.id
        assert item.answer_codes == frozenset(codes) - {7, 9}, item.id
        assert item.option(7).kind is OptionKind.MISSING
        assert item.option(9).kind is OptionKind.MISSING
    assert inst.required_item_ids == tuple(i for i, spec in expected.items() if spec[3])


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_output_ids(instrument_id: str) -> None:
    assert get_instrument(instrument_id).output_ids == EXPECTED_OUTPUT_IDS[instrument_id]


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_items_needed_per_output(instrument_id: str) -> None:
    inst = get_instrument(instrument_id)
    assert inst.items_needed("score") == inst.required_item_ids
    for output_id, items in EXPECTED_ITEMS_NEEDED[instrument_id].items():
        assert inst.items_needed(output_id) == items, output_id


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_output_kinds_and_bands(instrument_id: str) -> None:
    inst = get_instrument(instrument_id)
    assert isinstance(inst.output("score"), Count)
    band = inst.output("band") if "band" in inst.output_ids else None
    if instrument_id in EXPECTED_BANDS:
        assert isinstance(band, Band)
        assert band.source == "score"
        assert band.cuts == EXPECTED_BANDS[instrument_id]
    else:
        assert band is None
    for flag in ("flourishing", "resilient"):
        if flag in inst.output_ids:
            assert isinstance(inst.output(flag), AllMet)


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_audience_and_age_range(instrument_id: str) -> None:
    inst = get_instrument(instrument_id)
    audience, age_range = EXPECTED_AUDIENCE[instrument_id]
    assert inst.audience is audience
    assert inst.age_range == age_range


def test_flourishing_age_ranges_in_months() -> None:
    young = get_instrument("nsch_flourishing_0_5").age_range
    older = get_instrument("nsch_flourishing_6_17").age_range
    assert young is not None
    assert older is not None
    assert not young.contains(5)
    assert young.contains(6)
    assert young.contains(71)
    assert not young.contains(72)
    assert older.contains(72)
    assert older.contains(215)
    assert not older.contains(216)


def test_flourishing_shares_one_curiosity_item() -> None:
    young = get_instrument("nsch_flourishing_0_5").item("K6Q71_R")
    older = get_instrument("nsch_flourishing_6_17").item("K6Q71_R")
    assert young is older


# -- ACE specifics --------------------------------------------------------------------------


def test_ace_categories_are_output_indicators_with_labels() -> None:
    ace = get_instrument("ace_brfss")
    for ind in ace.indicators:
        assert ind.output is True
        assert isinstance(ind, Indicator)
        assert ind.label is not None
    score = ace.output("score")
    assert isinstance(score, Count)
    assert score.indicators == (
        "household_mental_illness",
        "household_substance_use",
        "household_incarceration",
        "parental_separation",
        "witnessed_ipv",
        "physical_abuse",
        "emotional_abuse",
        "sexual_abuse",
    )


def test_ace_divorce_code_8_is_an_answer_not_affirmative() -> None:
    item = get_instrument("ace_brfss").item("ACEDIVRC")
    option = item.option(8)
    assert option.kind is OptionKind.ANSWER
    assert option.label["en"] == "Parents not married"
    assert 8 not in item.affirmative
    assert item.note is not None


def test_ace_emotional_abuse_option() -> None:
    ace = get_instrument("ace_brfss")
    (opt,) = ace.options
    assert opt.id == "ace_emotional_abuse"
    assert opt.item == "ACESWEAR"
    assert dict(opt.choices) == {
        "once-or-more": frozenset({2, 3}),
        "more-than-once": frozenset({3}),
    }
    assert opt.default == "once-or-more"
    assert ace.affirmative_codes("ACESWEAR") == frozenset({2, 3})
    assert ace.affirmative_codes(
        "ACESWEAR", {"ace_emotional_abuse": "more-than-once"}
    ) == frozenset({3})


def test_ace_content_note_and_instructions() -> None:
    ace = get_instrument("ace_brfss")
    assert ace.instructions["en"] == "Now, looking back before you were 18 years of age—"
    note = ace.content_note
    assert note is not None
    assert "988" in note["en"]
    assert "988" in note["es"]
    assert "Prefer not to answer" in note["en"]
    assert "Prefiero no responder" in note["es"]
    assert "practitioners" in ace.description["en"]


def test_ace_exact_codebook_wording() -> None:
    ace = get_instrument("ace_brfss")
    assert ace.item("ACEHURT1").text["en"] == (
        "Not including spanking, (before age 18), how often did a parent or adult in your "
        "home ever hit, beat, kick, or physically hurt you in any way?"
    )
    assert ace.item("ACEADNED").text["en"] == (
        "For how much of your childhood was there an adult in your household who tried hard "
        "to make sure your basic needs were met?"
    )


def test_only_ace_has_a_content_note_and_options() -> None:
    for instrument_id in INSTRUMENT_IDS:
        inst = get_instrument(instrument_id)
        has = instrument_id == "ace_brfss"
        assert (inst.content_note is not None) is has, instrument_id
        assert bool(inst.options) is has, instrument_id


# -- texts and metadata ---------------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_every_text_in_english_and_spanish(instrument_id: str) -> None:
    inst = get_instrument(instrument_id)
    seen = 0
    for where, text in _texts(inst):
        assert set(text.languages) == {"en", "es"}, where
        assert text["en"].strip(), where
        assert text["es"].strip(), where
        seen += 1
    assert seen > 4 * len(inst.items)


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_output_labels_exist(instrument_id: str) -> None:
    inst = get_instrument(instrument_id)
    for out in inst.all_outputs:
        assert out.label is not None, out.id


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_translation_statuses(instrument_id: str) -> None:
    inst = get_instrument(instrument_id)
    en, es = EXPECTED_TRANSLATIONS[instrument_id]
    assert inst.languages == ("en", "es")
    assert inst.translation("en").status is en
    assert inst.translation("es").status is es
    assert inst.translation("es").note


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_provenance_filled(instrument_id: str) -> None:
    inst = get_instrument(instrument_id)
    for name in ("source", "citation", "licence", "wording_note"):
        assert getattr(inst, name).strip(), name


def test_bce10_marks_the_stem_unverified() -> None:
    bce = get_instrument("bce10")
    assert bce.instructions["en"] == "When you were growing up, during the first 18 years of life:"
    assert "unverified" in bce.wording_note
    assert "Narayan" in bce.citation
    assert "78:19-30" in bce.citation


def test_ace_licence_says_not_copyrighted() -> None:
    assert "not copyrighted" in get_instrument("ace_brfss").licence


# -- immutability ---------------------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_definitions_are_frozen(instrument_id: str) -> None:
    inst = get_instrument(instrument_id)
    with pytest.raises(dataclasses.FrozenInstanceError):
        inst.version = "2.0"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        inst.items[0].affirmative = frozenset({1, 2, 3})  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        inst.items[0].options[0].code = 42  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        inst.outputs[0].id = "renamed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        inst.translations["xx"] = inst.translations["en"]  # type: ignore[index]
    with pytest.raises(TypeError):
        inst.title["en"] = "changed"  # type: ignore[index]
    assert isinstance(inst.items, tuple)
    assert isinstance(inst.outputs, tuple)


def test_scoring_option_choices_are_read_only() -> None:
    (opt,) = get_instrument("ace_brfss").options
    with pytest.raises(TypeError):
        opt.choices["any"] = frozenset({1})  # type: ignore[index]


# -- broken definitions ---------------------------------------------------------------------


def test_affirmative_code_not_an_answer_code() -> None:
    pce7 = get_instrument("pce7")
    with pytest.raises(DefinitionError, match="affirmative"):
        dataclasses.replace(pce7, items=_replace_item(pce7, "pce3", affirmative=frozenset({4, 6})))


def test_affirmative_missing_code() -> None:
    bce = get_instrument("bce10")
    with pytest.raises(DefinitionError, match="affirmative"):
        dataclasses.replace(bce, items=_replace_item(bce, "bce2", affirmative=frozenset({1, 7})))


def test_empty_affirmative() -> None:
    fr = get_instrument("nsch_family_resilience")
    with pytest.raises(DefinitionError, match="affirmative"):
        dataclasses.replace(fr, items=_replace_item(fr, "HOPEFUL", affirmative=frozenset()))


@pytest.mark.parametrize(
    "cuts",
    [
        ((0, 0, "0"), (1, 1, "1"), (2, 3, "2-3"), (4, 7, "4+")),  # 8 not covered
        ((0, 0, "0"), (2, 3, "2-3"), (4, 8, "4+")),  # gap at 1
        ((0, 1, "0-1"), (1, 3, "1-3"), (4, 8, "4+")),  # overlap at 1
        ((0, 0, "0"), (1, 1, "1"), (2, 3, "2-3"), (4, 9, "4+")),  # beyond the range
    ],
)
def test_band_not_covering_the_range(cuts: tuple[tuple[int, int, str], ...]) -> None:
    ace = get_instrument("ace_brfss")
    score, _band = ace.outputs
    with pytest.raises(DefinitionError, match="band"):
        dataclasses.replace(ace, outputs=(score, Band("band", "score", cuts)))


def test_band_without_count_source() -> None:
    fr = get_instrument("nsch_family_resilience")
    score = fr.output("score")
    resilient = fr.output("resilient")
    band = Band("band", "resilient", ((0, 1, "0-1"),))
    with pytest.raises(DefinitionError, match="band"):
        dataclasses.replace(fr, outputs=(score, resilient, band))


def test_item_without_missing_codes() -> None:
    bce = get_instrument("bce10")
    with pytest.raises(DefinitionError, match="7 and 9"):
        dataclasses.replace(bce, items=_replace_item(bce, "bce1", options=YES_NO[:2]))


def test_item_with_only_one_missing_code() -> None:
    bce = get_instrument("bce10")
    with pytest.raises(DefinitionError, match="7 and 9"):
        dataclasses.replace(bce, items=_replace_item(bce, "bce1", options=YES_NO[:3]))


def test_item_repeating_a_code() -> None:
    bce = get_instrument("bce10")
    options = (YES_NO[0], YES_NO[0], *YES_NO[1:])
    with pytest.raises(DefinitionError, match="repeats"):
        dataclasses.replace(bce, items=_replace_item(bce, "bce1", options=options))


def test_duplicate_item_ids() -> None:
    ace = get_instrument("ace_brfss")
    with pytest.raises(DefinitionError, match="duplicate item"):
        dataclasses.replace(ace, items=(*ace.items, ace.items[0]))


def test_unknown_block() -> None:
    pce7 = get_instrument("pce7")
    with pytest.raises(DefinitionError, match="block"):
        dataclasses.replace(pce7, items=_replace_item(pce7, "pce1", block="spirituality"))


def test_text_missing_spanish() -> None:
    fr = get_instrument("nsch_family_resilience")
    english_only = Text(en="Talk together about what to do")
    with pytest.raises(DefinitionError, match="lacks"):
        dataclasses.replace(fr, items=_replace_item(fr, "TALKABOUT", text=english_only))


def test_indicator_naming_an_unknown_item() -> None:
    ace = get_instrument("ace_brfss")
    broken = Indicator("physical_abuse", ("ACEHURT2",), ace.indicator("physical_abuse").label, True)
    indicators = tuple(broken if i.id == "physical_abuse" else i for i in ace.indicators)
    with pytest.raises(DefinitionError, match="unknown"):
        dataclasses.replace(ace, indicators=indicators)


def test_output_naming_an_unknown_indicator() -> None:
    pce7 = get_instrument("pce7")
    outputs = (*pce7.outputs[:4], Count("extra", ("pce1", "pce99")))
    with pytest.raises(DefinitionError, match="extra"):
        dataclasses.replace(pce7, outputs=outputs)


def test_no_score_output() -> None:
    fr = get_instrument("nsch_family_resilience")
    with pytest.raises(DefinitionError, match="score"):
        dataclasses.replace(fr, outputs=(fr.output("resilient"),))


def test_output_named_reason() -> None:
    bce = get_instrument("bce10")
    outputs = (bce.output("score"), Count("reason", ("bce1",)))
    with pytest.raises(DefinitionError, match="reason"):
        dataclasses.replace(bce, outputs=outputs)


def test_score_must_need_exactly_the_required_items() -> None:
    ace = get_instrument("ace_brfss")
    with pytest.raises(DefinitionError, match="required"):
        dataclasses.replace(ace, items=_replace_item(ace, "ACEADSAF", required=True))
    with pytest.raises(DefinitionError, match="required"):
        dataclasses.replace(ace, items=_replace_item(ace, "ACEDEPRS", required=False))


def test_scoring_option_with_bad_codes() -> None:
    ace = get_instrument("ace_brfss")
    (opt,) = ace.options
    bad = dataclasses.replace(
        opt, choices={"once-or-more": frozenset({2, 3}), "odd": frozenset({9})}
    )
    with pytest.raises(DefinitionError, match="option"):
        dataclasses.replace(ace, options=(bad,))


def test_scoring_option_default_not_a_choice() -> None:
    with pytest.raises(DefinitionError, match="default"):
        ScoringOption(
            id="x",
            item="ACESWEAR",
            choices={"a": frozenset({3})},
            default="b",
            description=Text(en="x", es="x"),
        )


def test_block_counts_need_one_item_indicators() -> None:
    bce = get_instrument("bce10")
    merged = (Indicator("bce1_2", ("bce1", "bce2")), *bce.indicators[2:])
    outputs = (Count("score", tuple(i.id for i in merged)),)
    with pytest.raises(DefinitionError, match="one-item indicator"):
        dataclasses.replace(bce, indicators=merged, outputs=outputs)


def test_no_english_translation_entry() -> None:
    pce7 = get_instrument("pce7")
    with pytest.raises(DefinitionError, match="'en'"):
        dataclasses.replace(pce7, translations={"es": pce7.translation("es")})
