"""The data dictionary of an export: every column, what it holds and how it was generalized,
then a summary (k, counts, the steps). Fixed English, like the column names, so scripts and
reviewers read every export the same way."""

from __future__ import annotations

from hopeful.web.deidentified import deidentify as deid
from hopeful.web.deidentified.selectors import Source

KIND_ID, KIND_QI, KIND_ITEM, KIND_SCORE, KIND_VERSION, KIND_SUMMARY = (
    "pseudonym",
    "quasi_identifier",
    "item_answer",
    "score",
    "instrument_version",
    "summary",
)

#: What each fixed column holds (before generalization).
COLUMN_TEXT = {
    "family_id": (
        "A pseudonym drawn at random for this export (F and 8 hex digits): the same family "
        "has the same pseudonym in every row of this file, and a different one in any other "
        "export. Each response a deleted family released for research has its own pseudonym."
    ),
    "program": (
        "The program's code in this organization (P01, P02 ... in the order the programs "
        "were made; the key is on the export's page, not in the file)."
    ),
    "year": "The calendar year the questionnaire was answered (no month or day).",
    "language": "The language the questionnaire was answered in (en, es).",
    "child_birth_years": (
        "The birth years of the family's children born by the day of the response, "
        "separated by ';' (90+ would stand for an age of 90 or more). Blank for the "
        "responses of deleted families, which keep nothing about children."
    ),
    "child_age_bands": (
        "The children's age bands on the day of the response (0, 1-5, 6-11, 12-17, 18+), "
        "separated by ';'."
    ),
    "zip3": (
        "The first three digits of the ZIP code the caregiver gave; blank when not given "
        "and for the sparsely populated areas HIPAA's Safe Harbor restricts (stored as 000)."
    ),
    "race_ethnicity": (
        "The race and ethnicity codes chosen, separated by ';' (OMB SPD 15 categories), or "
        "prefer_not_to_say; blank when not answered."
    ),
    "income": "The household's income band last year (<25k, 25-50k, 50-100k, 100k+).",
    "gender": (
        "The caregiver's own gender (woman, man, another_gender). Never the child's gender "
        "or disability."
    ),
}


def data_dictionary(result: deid.Result, source: Source) -> list[list[str]]:
    """``[name, kind, description]`` per column of the released file, then the summary."""
    by_column = {column: d for d in deid.DIMENSIONS for column in d.columns}
    lines: list[list[str]] = []
    for column in result.frame.columns:
        name = str(column)
        if name == "family_id":
            lines.append([name, KIND_ID, COLUMN_TEXT[name]])
        elif name in by_column:
            dimension = by_column[name]
            released = result.meanings.get(dimension.name, "")
            level = result.levels.get(dimension.name, "")
            text = COLUMN_TEXT.get(name, "")
            lines.append([name, KIND_QI, f"{text} Released as: {released} ({level})."])
        elif name.startswith("version."):
            instrument = name.split(".", 1)[1]
            lines.append([name, KIND_VERSION, f"The version of {instrument} answered."])
        elif name.startswith("item."):
            _kind, instrument, item = name.split(".", 2)
            lines.append(
                [
                    name,
                    KIND_ITEM,
                    f"The answer code to item {item} of {instrument} (see the instrument's "
                    "definition for what each code means); blank when not answered.",
                ]
            )
        elif name.startswith("score."):
            _kind, instrument, output = name.split(".", 2)
            lines.append(
                [name, KIND_SCORE, f"The score {output} of {instrument}, as HOPEful computes it."]
            )
    generalized = ", ".join(result.generalized) or "none"
    summary = [
        (
            "k",
            f"{result.k}: every combination of the quasi-identifiers is shared by at least "
            f"{result.k} families.",
        ),
        ("quasi_identifiers", ", ".join(deid.QUASI_IDENTIFIERS)),
        ("rows", str(len(result.frame))),
        ("families", str(result.entities)),
        ("deleted_families_records_available", str(source.research_records)),
        ("generalizations", generalized),
        ("suppressed_rows", str(result.suppressed_rows)),
        ("suppressed_families", str(result.suppressed_entities)),
        ("smallest_class", "" if result.smallest_class is None else str(result.smallest_class)),
    ]
    lines += [[name, KIND_SUMMARY, text] for name, text in summary]
    return lines
