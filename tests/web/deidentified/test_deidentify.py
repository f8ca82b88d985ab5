"""The pure de-identification module: Safe Harbor reductions, the ladders, and k-anonymity
with generalization and suppression (synthetic frames, seeded generators)."""

from __future__ import annotations

import itertools
import random

import pandas as pd
import pytest

from hopeful.web.deidentified import deidentify as deid

K = 11
FIRST = ("year", "zip3", "child_birth_years", "child_age_bands", "race_ethnicity")
RACES = ("white", "black_african_american", "asian", "hispanic_latino", "another")


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - synthetic data, not a secret


def frame_of(rows: list[dict[str, str]]) -> pd.DataFrame:
    columns = ["family_id", *deid.QUASI_IDENTIFIERS, "item.pce7.pce1"]
    return pd.DataFrame.from_records(
        [{c: row.get(c, "") for c in columns} for row in rows], columns=columns
    ).astype(str)


def random_rows(rng: random.Random, families: int, *, sparse: bool) -> list[dict[str, str]]:
    """Families with one to three responses and demographics drawn from small or wide
    vocabularies (``sparse``: many rare combinations, so generalization must happen)."""
    zips = [f"{rng.randint(100, 999)}" for _ in range(40 if sparse else 3)]
    rows = []
    for family in range(families):
        born = rng.randint(2008, 2025)
        race = ";".join(sorted(rng.sample(RACES, rng.choice((1, 1, 1, 2)))))
        fixed = {
            "family_id": f"F{family:08x}",
            "zip3": rng.choice(zips),
            "race_ethnicity": race if sparse else "white",
            "income": rng.choice(("<25k", "25-50k", "50-100k", "100k+", "prefer_not_to_say")),
            "gender": rng.choice(("woman", "man", "another_gender")),
            "program": rng.choice(("P01", "P02", "P03")),
        }
        for _ in range(rng.randint(1, 3)):
            year = rng.randint(2022, 2026)
            rows.append(
                {
                    **fixed,
                    "year": str(year),
                    "language": rng.choice(("en", "es")),
                    "child_birth_years": str(born),
                    "child_age_bands": "1-5" if year - born <= 5 else "6-11",
                    "item.pce7.pce1": str(rng.randint(1, 5)),
                }
            )
    return rows


# -- Safe Harbor reductions ----------------------------------------------------------------------


def test_values_are_reduced_as_safe_harbor_says() -> None:
    assert deid.year_label(2025) == "2025"
    assert deid.birth_year_label(2020, 2026) == "2020"
    assert deid.birth_year_label(1930, 2026) == "90+"  # 96: aggregated
    assert deid.birth_year_label(1937, 2026) == "1937"  # 89: kept
    assert deid.zip3_label("537") == "537"
    assert deid.zip3_label("000") == ""  # restricted areas are stored as 000
    assert deid.zip3_label("036", {"036"}) == ""
    assert deid.zip3_label("53703") == ""  # never a full ZIP code
    assert deid.zip3_label("prefer_not_to_say") == "prefer_not_to_say"
    assert deid.answer_code(3) == "3"
    assert deid.answer_code("Maria Lopez") == ""  # no free text
    assert deid.answer_code(True) == ""
    assert deid.score_value(7) == "7"
    assert deid.score_value(True) == "true"
    assert deid.score_value("6-7") == "6-7"
    assert deid.score_value("4+") == "4+"
    assert deid.score_value("call me at 555") == ""
    assert deid.version_label("1.0") == "1.0"
    assert deid.version_label("1.0 by Bob") == ""
    assert deid.safe_key("pce1") == "pce1"
    assert deid.safe_key("my name is Bob") == ""
    assert deid.codes_label(["white", "asian", "Bob"], {"white", "asian"}) == "asian;white"


def test_pseudonyms_are_random_distinct_and_differ_between_exports() -> None:
    keys = [f"family:{i}" for i in range(500)]
    first = deid.pseudonyms(keys, seeded(1))
    second = deid.pseudonyms(keys, seeded(2))
    assert len(set(first.values())) == 500
    assert all(len(v) == 9 and v.startswith("F") for v in first.values())
    assert sum(first[k] == second[k] for k in keys) == 0


@pytest.mark.parametrize("seed", range(4))
def test_each_level_coarsens_the_one_below(seed: int) -> None:
    """A level's value is a function of the level below's: generalizing only merges classes."""
    frame = frame_of(random_rows(seeded(seed), 200, sparse=True))
    for dimension in deid.DIMENSIONS:
        ladder = deid._ladder_values(frame, dimension)
        for below, above in itertools.pairwise(ladder):
            mapping: dict[tuple[str, ...], tuple[str, ...]] = {}
            for b, a in zip(below, above, strict=True):
                assert mapping.setdefault(b, a) == a, (dimension.name, b)
        assert set(ladder[-1]) <= {tuple("" for _ in dimension.columns)}


# -- k-anonymity ---------------------------------------------------------------------------------


def test_k_below_eleven_is_refused() -> None:
    frame = frame_of(random_rows(seeded(0), 30, sparse=False))
    with pytest.raises(ValueError, match="at least 11"):
        deid.anonymize(frame, k=10, entity="family_id")


def test_data_built_to_fail_is_generalized_until_every_class_has_k_families() -> None:
    rows = random_rows(seeded(42), 300, sparse=True)
    frame = frame_of(rows)
    # as given, most families are alone in their class
    assert deid.smallest_class(frame, deid.QUASI_IDENTIFIERS, "family_id") == 1

    result = deid.anonymize(frame, k=K, entity="family_id")

    assert result.generalized  # generalization had to happen
    assert all(":" in g for g in result.generalized)
    assert result.smallest_class is not None
    assert result.smallest_class >= K
    classes = deid.equivalence_classes(result.frame, deid.QUASI_IDENTIFIERS, "family_id")
    assert min(classes.values()) >= K
    assert result.suppressed_rows == len(frame) - len(result.frame)
    assert result.entities == result.frame["family_id"].nunique()
    # the answers travel with their rows untouched
    kept = result.frame.merge(frame[["family_id"]].drop_duplicates(), on="family_id")
    assert len(kept) == len(result.frame)


def test_records_one_family_repeats_do_not_make_a_class() -> None:
    """Twelve responses of one family are one family: k counts families."""
    lonely = [
        {
            "family_id": "Fonly",
            "year": "2025",
            "zip3": "999",
            "race_ethnicity": "asian",
            "program": "P09",
            "language": "es",
            "item.pce7.pce1": "1",
        }
    ] * 12
    crowd = [
        {"family_id": f"F{i}", "year": "2025", "zip3": "537", "program": "P01", "language": "en"}
        for i in range(40)
    ]
    frame = frame_of(lonely + crowd)
    result = deid.anonymize(frame, k=K, entity="family_id", max_suppressed_share=0.25)
    assert "Fonly" not in set(result.frame["family_id"])
    assert result.suppressed_rows == 12
    assert result.suppressed_entities == 1
    assert result.generalized == []  # cheaper to leave one family out within the budget


def test_too_few_families_leaves_nothing() -> None:
    frame = frame_of(random_rows(seeded(5), 8, sparse=False))
    result = deid.anonymize(frame, k=K, entity="family_id")
    assert result.frame.empty
    assert result.suppressed_rows == len(frame)
    assert result.smallest_class is None


def test_an_empty_frame_is_released_empty() -> None:
    result = deid.anonymize(frame_of([]), k=K, entity="family_id")
    assert result.frame.empty
    assert result.suppressed_rows == 0


@pytest.mark.parametrize("seed", [1, 7, 19, 23, 101, 2026])
@pytest.mark.parametrize("sparse", [True, False])
@pytest.mark.parametrize("k", [11, 15])
def test_property_every_release_is_k_anonymous(seed: int, sparse: bool, k: int) -> None:
    """Over synthetic data sets from a seeded generator: every class of the release has at
    least k distinct families, and what is left out is counted."""
    rng = seeded(seed)
    frame = frame_of(random_rows(rng, rng.randint(20, 400), sparse=sparse))
    budget = rng.choice((0.0, 0.02, 0.05))
    result = deid.anonymize(frame, k=k, entity="family_id", max_suppressed_share=budget)
    if not result.frame.empty:
        classes = deid.equivalence_classes(result.frame, deid.QUASI_IDENTIFIERS, "family_id")
        assert min(classes.values()) >= k
    assert len(result.frame) + result.suppressed_rows == len(frame)
    assert result.suppressed_rows <= max(int(budget * len(frame)), 0) or all(
        result.levels[d.name] == d.levels[-1].name for d in deid.DIMENSIONS
    )


def test_the_module_imports_no_django() -> None:
    import ast
    from pathlib import Path

    tree = ast.parse(Path(deid.__file__).read_text(encoding="utf-8"))
    names = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [n for n in names if n.startswith(("django", "hopeful.web"))]


def test_both_searches_end_k_anonymous_and_the_release_keeps_the_better() -> None:
    frame = frame_of(random_rows(seeded(3), 250, sparse=True))
    result = deid.anonymize(frame, k=K, entity="family_id", max_suppressed_share=0.02)
    assert result.suppressed_rows <= 5
    restored = [s for s in result.steps if s.restored]
    assert all(s.bits_lost <= 0 for s in restored)
    # no quasi-identifier could go one level finer without breaking k within the budget
    by_name = {d.name: d for d in deid.DIMENSIONS}
    levels = {
        name: [lvl.name for lvl in by_name[name].levels].index(level)
        for name, level in result.levels.items()
    }
    codes = {
        d.name: [pd.factorize(pd.Series(v, dtype=object))[0] for v in deid._ladder_values(frame, d)]
        for d in deid.DIMENSIONS
    }
    entity = pd.factorize(frame["family_id"])[0]
    for name, at in levels.items():
        if at == 0:
            continue
        finer = {**levels, name: at - 1}
        sizes = deid._class_sizes([codes[d.name][finer[d.name]] for d in deid.DIMENSIONS], entity)
        assert int((sizes < K).sum()) > 5, name


def test_asking_for_fewer_quasi_identifiers_keeps_those_more_detailed() -> None:
    """A study that needs income only: the others are removed from the start, and income is
    released at its own level, where asking for everything had to coarsen or remove it."""
    frame = frame_of(random_rows(seeded(42), 300, sparse=True))
    everything = deid.anonymize(frame, k=K, entity="family_id")
    income_only = deid.anonymize(frame, k=K, entity="family_id", dimensions=deid.chosen(["income"]))

    assert everything.levels["income"] != "income_band"
    assert income_only.levels["income"] == "income_band"
    assert income_only.generalized == []  # nothing asked for had to be coarsened
    for name, level in income_only.levels.items():
        assert level == ("income_band" if name == "income" else "not_asked_for"), name
    for column in deid.QUASI_IDENTIFIERS:
        if column != "income":
            assert set(income_only.frame[column]) == {""}, column
    classes = deid.equivalence_classes(income_only.frame, deid.QUASI_IDENTIFIERS, "family_id")
    assert min(classes.values()) >= K
    with pytest.raises(ValueError, match="unknown quasi-identifiers: shoe_size"):
        deid.chosen(["income", "shoe_size"])
