"""The optional "About your family" questions: their keys, codes and labels (no database).

Programs ask these so they can check that every family can access positive experiences:
whether some groups are reached less, or have fewer chances for the experiences that help
children grow. Every question can be skipped, and each has "Prefer not to say".

Two forms of the answers exist:

- **given** (what a family or a client sends): ``race_ethnicity`` (a list of codes),
  ``income``, ``gender``, ``child_gender``, ``disability`` (one code each) and ``zip`` (five
  digits, or ``prefer_not_to_say``);
- **stored** (a submission's snapshot, and what its payload hash covers): the same, except that
  ``zip`` becomes ``zip3``, the first three digits (``000`` for the sparsely populated areas of
  :data:`RESTRICTED_ZIP3`). Race and ethnicity are a sorted list. A missing key means "not
  answered". Nothing stored identifies a family: no full ZIP code, no free text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class DemographicsError(ValueError):
    """Answers that are not in the vocabulary (an unknown question, code or ZIP code)."""


PREFER_NOT = "prefer_not_to_say"


@dataclass(frozen=True)
class Question:
    """One multiple-choice question: its key, text, and ``(code, label)`` choices."""

    key: str
    text: StrPromise
    choices: tuple[tuple[str, StrPromise], ...]
    multiple: bool = False
    about_child: bool = False
    """Asked only when a questionnaire of the campaign is answered about a child."""

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for code, _label in self.choices)

    def label(self, code: str) -> str:
        for value, label in self.choices:
            if value == code:
                return str(label)
        return code


_PREFER_NOT_CHOICE = (PREFER_NOT, _("Prefer not to say"))

#: OMB-style categories (SPD 15, 2024 revision), plus "Another race or ethnicity". Several can
#: be chosen; they are stored as a sorted list of codes.
RACE_ETHNICITY = Question(
    key="race_ethnicity",
    text=_("What is your family's race or ethnicity? Choose all that apply."),
    choices=(
        ("american_indian_alaska_native", _("American Indian or Alaska Native")),
        ("asian", _("Asian")),
        ("black_african_american", _("Black or African American")),
        ("hispanic_latino", _("Hispanic or Latino/a")),
        ("middle_eastern_north_african", _("Middle Eastern or North African")),
        ("native_hawaiian_pacific_islander", _("Native Hawaiian or Pacific Islander")),
        ("white", _("White")),
        ("another", _("Another race or ethnicity")),
        _PREFER_NOT_CHOICE,
    ),
    multiple=True,
)

INCOME = Question(
    key="income",
    text=_("What was your household's income last year, before taxes?"),
    choices=(
        ("<25k", _("Less than $25,000")),
        ("25-50k", _("$25,000 to $49,999")),
        ("50-100k", _("$50,000 to $99,999")),
        ("100k+", _("$100,000 or more")),
        _PREFER_NOT_CHOICE,
    ),
)

GENDER = Question(
    key="gender",
    text=_("What is your gender?"),
    choices=(
        ("woman", _("Woman")),
        ("man", _("Man")),
        ("another_gender", _("Non-binary or another gender")),
        _PREFER_NOT_CHOICE,
    ),
)

CHILD_GENDER = Question(
    key="child_gender",
    text=_("What is the sex or gender of the child these questions are about?"),
    choices=(
        ("girl", _("Girl")),
        ("boy", _("Boy")),
        ("another_gender", _("Another gender")),
        _PREFER_NOT_CHOICE,
    ),
    about_child=True,
)

DISABILITY = Question(
    key="disability",
    text=_("Does your child (or you) have a disability or special health care need?"),
    choices=(("yes", _("Yes")), ("no", _("No")), _PREFER_NOT_CHOICE),
)

#: The multiple-choice questions, in the order they are asked.
QUESTIONS: tuple[Question, ...] = (RACE_ETHNICITY, INCOME, GENDER, CHILD_GENDER, DISABILITY)
QUESTIONS_BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}

#: The ZIP code question: five digits given, the first three stored.
ZIP_KEY = "zip"
ZIP3_KEY = "zip3"
ZIP_TEXT = _("What is your ZIP code?")
ZIP_HINT = _("5 digits. Only the first 3 digits are kept, to know the general area.")

#: ZIP3 areas with 20,000 people or fewer, which HIPAA's Safe Harbor method (45 CFR
#: 164.514(b)(2)(i)(B)) says to record as "000". Source: HHS, "Guidance Regarding Methods for
#: De-identification of Protected Health Information" (2012), section 2.4, the 17 restricted
#: three-digit ZIP codes from the 2000 Census (first published in 67 FR 53182, 53233-53234,
#: August 14, 2002).
SAFE_HARBOR_ZIP3_2000: frozenset[str] = frozenset(
    [
        "036",
        "059",
        "063",
        "102",
        "203",
        "556",
        "692",
        "790",
        "821",
        "823",
        "830",
        "831",
        "878",
        "879",
        "884",
        "890",
        "893",
    ]
)

#: Prefixes from the list this feature was specified with that are not on the HHS 2000 list
#: (202/204/205 are Washington DC government ZIP3s; 369, 753 and 772 appear on older,
#: 1990-Census-based lists). Blanking an extra area only loses a little detail, while missing
#: a restricted one would break Safe Harbor, so they are kept as "000" too.
EXTRA_RESTRICTED_ZIP3: frozenset[str] = frozenset(["202", "204", "205", "369", "753", "772"])

#: Every ZIP3 stored as "000".
RESTRICTED_ZIP3: frozenset[str] = SAFE_HARBOR_ZIP3_2000 | EXTRA_RESTRICTED_ZIP3
RESTRICTED_ZIP3_STORED = "000"

#: Keys a family or client may send, and keys a stored snapshot may hold.
GIVEN_KEYS: frozenset[str] = frozenset({*QUESTIONS_BY_KEY, ZIP_KEY})
STORED_KEYS: frozenset[str] = frozenset({*QUESTIONS_BY_KEY, ZIP3_KEY})

_ZIP_RE = re.compile(r"^\d{5}$")
_ZIP3_RE = re.compile(r"^\d{3}$")


def questions_for(*, about_child: bool) -> list[Question]:
    """The multiple-choice questions a campaign asks (the child's only when it is about one)."""
    return [q for q in QUESTIONS if about_child or not q.about_child]


def zip3_from_zip(value: str) -> str:
    """A five-digit ZIP code's first three digits, ``000`` for a restricted area."""
    if not isinstance(value, str) or not _ZIP_RE.match(value):
        raise DemographicsError("A ZIP code must be 5 digits.")
    zip3 = value[:3]
    return RESTRICTED_ZIP3_STORED if zip3 in RESTRICTED_ZIP3 else zip3


def _check_choice(question: Question, value: Any) -> Any:
    """A question's answer checked: a code (a sorted list of distinct codes when several can
    be chosen, "Prefer not to say" alone), or ``None`` for no answer."""
    if question.multiple:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise DemographicsError(f"{question.key} must be a list of codes.")
        codes = sorted(set(value))
        if len(codes) != len(value):
            raise DemographicsError(f"{question.key} lists a code twice.")
        unknown = [c for c in codes if c not in question.codes]
        if unknown:
            raise DemographicsError(f"{question.key} has an unknown code.")
        if PREFER_NOT in codes and len(codes) > 1:
            raise DemographicsError(f"{question.key}: 'prefer not to say' goes alone.")
        return codes or None
    if not isinstance(value, str) or value not in question.codes:
        raise DemographicsError(f"{question.key} has an unknown code.")
    return value


def _unknown_keys(data: Mapping[str, Any], allowed: frozenset[str]) -> None:
    if not isinstance(data, Mapping):
        raise DemographicsError("The answers about your family must be an object.")
    unknown = sorted(str(k) for k in set(data) - allowed)
    if unknown:
        raise DemographicsError(f"Unknown question(s): {', '.join(unknown)[:200]}.")


def demographics_clean(given: Mapping[str, Any]) -> dict[str, Any]:
    """The stored form of answers as given, or :class:`DemographicsError`.

    Every key must be a question of the vocabulary and every code one of its codes; ``None``
    (or an empty list) is "not answered" and is left out. ``zip`` must be five digits (or
    ``prefer_not_to_say``) and is kept only as ``zip3``.
    """
    _unknown_keys(given, GIVEN_KEYS)
    stored: dict[str, Any] = {}
    for key, value in given.items():
        if value is None:
            continue
        if key == ZIP_KEY:
            stored[ZIP3_KEY] = PREFER_NOT if value == PREFER_NOT else zip3_from_zip(value)
            continue
        checked = _check_choice(QUESTIONS_BY_KEY[key], value)
        if checked is not None:
            stored[key] = checked
    return stored


def demographics_check(stored: Mapping[str, Any]) -> dict[str, Any]:
    """A stored snapshot checked strictly (the same rules, ``zip3`` three digits), as a dict."""
    _unknown_keys(stored, STORED_KEYS)
    checked: dict[str, Any] = {}
    for key, value in stored.items():
        if key == ZIP3_KEY:
            if value != PREFER_NOT and not (isinstance(value, str) and _ZIP3_RE.match(value)):
                raise DemographicsError("zip3 must be 3 digits.")
            if value in RESTRICTED_ZIP3:
                raise DemographicsError("A restricted ZIP3 is stored as 000.")
            checked[key] = value
            continue
        answer = _check_choice(QUESTIONS_BY_KEY[key], value)
        if answer is None:
            raise DemographicsError(f"{key} is empty; leave it out instead.")
        if isinstance(answer, list) and answer != list(value):
            raise DemographicsError(f"{key} must be sorted.")
        checked[key] = answer
    return checked


def demographics_rows(given: Mapping[str, Any], *, about_child: bool) -> list[dict[str, str]]:
    """``{"question": ..., "answer": ...}`` per question, in the active language, for the
    review page (``answer`` is "" when not answered)."""
    rows = []
    for question in questions_for(about_child=about_child):
        value = given.get(question.key)
        if question.multiple:
            answer = ", ".join(question.label(code) for code in value or [])
        else:
            answer = question.label(value) if value else ""
        rows.append({"question": str(question.text), "answer": answer})
    zip_value = given.get(ZIP_KEY) or ""
    rows.append(
        {
            "question": str(ZIP_TEXT),
            "answer": str(_PREFER_NOT_CHOICE[1]) if zip_value == PREFER_NOT else zip_value,
        }
    )
    return rows
