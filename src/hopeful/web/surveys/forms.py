"""Forms for campaigns, links and the family survey, and the submission parser."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast
from uuid import UUID

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from hopeful.framework import Instrument, list_instruments
from hopeful.web.families.models import ConsentPurpose, Family
from hopeful.web.organizations.models import Organization, Program
from hopeful.web.surveys import demographics as demo
from hopeful.web.surveys import kit
from hopeful.web.surveys.models import Campaign, LinkKind
from hopeful.web.surveys.selectors import instrument_label
from hopeful.web.surveys.services import (
    CHILD_NICKNAME_MAX,
    CONSENT_PURPOSES,
    InvalidSubmissionError,
    SubmissionPayload,
    child_birth_month_parse,
    child_nickname_check,
    demographics_parse,
)

LANGUAGE_CHOICES = [("en", "English"), ("es", "Español")]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Campaign name"), max_length=200)
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    instruments = forms.MultipleChoiceField(
        label=_("Questionnaires"), widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["en", "es"],
    )

    def __init__(self, *args: Any, organization: Organization, language: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        program = cast("forms.ModelChoiceField[Program]", self.fields["program"])
        program.queryset = organization.programs.order_by("name")
        cast(forms.MultipleChoiceField, self.fields["instruments"]).choices = [
            (inst.id, instrument_label(inst, language)) for inst in list_instruments()
        ]


class LinkForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of link"),
        choices=[(k, label) for k, label in LinkKind.choices if k != LinkKind.INTEGRATION],
        widget=forms.RadioSelect,
        initial=LinkKind.PUBLIC,
    )
    family = forms.ModelChoiceField(
        label=_("Family (personal links only)"), queryset=Family.objects.none(), required=False
    )
    expires_at = forms.DateTimeField(
        label=_("Expires (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    rate_limit_per_minute = forms.IntegerField(
        label=_("Most answers accepted per minute"), min_value=1, max_value=10_000, initial=60
    )

    def __init__(self, *args: Any, campaign: Campaign, **kw: Any) -> None:
        super().__init__(*args, **kw)
        family = cast("forms.ModelChoiceField[Family]", self.fields["family"])
        family.queryset = Family.objects.filter(
            organization=campaign.organization, program=campaign.program
        ).order_by("display_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == LinkKind.PERSONAL and not data.get("family"):
            self.add_error("family", _("Choose the family this personal link is for."))
        expires = data.get("expires_at")
        if expires is not None and expires <= timezone.now():
            self.add_error("expires_at", _("Choose a time in the future."))
        return data


class KitForm(forms.Form):
    """The outreach kit to download for a link just created (see :mod:`.kit`).

    ``token`` is the link's token, held by the page that shows it once; the view checks it
    belongs to an active public link of the campaign before this form is read."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    kind = forms.ChoiceField(
        label=_("What to print"),
        choices=[(kit.POSTER, _("A poster")), (kit.CARD, _("Hand-out cards, 4 to a page"))],
        widget=forms.RadioSelect,
        initial=kit.POSTER,
        error_messages={"invalid_choice": _("Choose a poster or hand-out cards.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=LANGUAGE_CHOICES,
        widget=forms.RadioSelect,
        initial="en",
        error_messages={"invalid_choice": _("Choose a language of the campaign.")},
    )
    paper = forms.ChoiceField(
        label=_("Paper"),
        choices=[(kit.LETTER, _("Letter (US)")), (kit.A4, _("A4"))],
        widget=forms.RadioSelect,
        initial=kit.LETTER,
        error_messages={"invalid_choice": _("Choose letter or A4 paper.")},
    )

    def __init__(self, *args: Any, campaign: Campaign, **kw: Any) -> None:
        super().__init__(*args, **kw)
        # only the campaign's languages: a Spanish poster must lead to a Spanish survey
        field = cast(forms.ChoiceField, self.fields["language"])
        offered = [c for c in LANGUAGE_CHOICES if c[0] in (campaign.languages or kit.LANGUAGES)]
        field.choices = offered
        field.initial = offered[0][0] if offered else "en"


class ConsentForm(forms.Form):
    purposes = forms.MultipleChoiceField(
        label=_("What may we do with your answers?"),
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def choices(self) -> dict[str, bool]:
        chosen = set(self.cleaned_data.get("purposes") or [])
        return {p: p in chosen for p in CONSENT_PURPOSES}


class NameForm(forms.Form):
    name = forms.CharField(
        label=_("A name or code for your family (optional)"),
        help_text=_("It does not need to be your real name."),
        max_length=80,
        required=False,
    )


#: The child step offers birth years from this year back this many years.
CHILD_YEARS_BACK = 17


class ChildForm(forms.Form):
    """The child's birth month and year and a nickname; all optional, but a month needs its
    year (and the other way round), and the date cannot be in the future."""

    birth_month = forms.TypedChoiceField(
        label=_("Birth month"), coerce=int, empty_value=None, required=False
    )
    birth_year = forms.TypedChoiceField(
        label=_("Birth year"), coerce=int, empty_value=None, required=False
    )
    nickname = forms.CharField(
        label=_("A nickname for your child (optional)"),
        help_text=_("It does not need to be their real name."),
        max_length=CHILD_NICKNAME_MAX,
        required=False,
    )

    def __init__(self, *args: Any, today: dt.date | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.today = today or timezone.localdate()
        cast(forms.TypedChoiceField, self.fields["birth_month"]).choices = [
            ("", _("Choose a month")),
            *((str(number), name) for number, name in MONTHS.items()),
        ]
        cast(forms.TypedChoiceField, self.fields["birth_year"]).choices = [
            ("", _("Choose a year")),
            *(
                (str(year), str(year))
                for year in range(self.today.year, self.today.year - CHILD_YEARS_BACK - 1, -1)
            ),
        ]

    @classmethod
    def initial_from(cls, state: dict[str, Any]) -> dict[str, Any]:
        """The form's initial values from a draft's state."""
        saved = str(state.get("child_birth_month") or "")
        year, _sep, month = saved.partition("-")
        return {
            "birth_month": str(int(month)) if month.isdigit() else "",
            "birth_year": year if year.isdigit() else "",
            "nickname": state.get("child_nickname", ""),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month, year = data.get("birth_month"), data.get("birth_year")
        if self.errors:
            return data
        if month is None and year is not None:
            self.add_error("birth_month", _("Choose the month too, or leave both empty."))
        elif year is None and month is not None:
            self.add_error("birth_year", _("Choose the year too, or leave both empty."))
        elif month is not None and year is not None:
            if (year, month) > (self.today.year, self.today.month):
                self.add_error("birth_month", _("This month has not come yet."))
        elif (data.get("nickname") or "").strip():
            self.add_error(
                "nickname", _("Add the birth month and year too, or leave the nickname empty.")
            )
        return data

    def birth_month_value(self) -> str:
        """The cleaned birth month as ``YYYY-MM``, or "" when left empty."""
        month, year = self.cleaned_data.get("birth_month"), self.cleaned_data.get("birth_year")
        if month is None or year is None:
            return ""
        return f"{year:04d}-{month:02d}"


class AboutForm(forms.Form):
    """The optional "About your family" questions (see :mod:`hopeful.web.surveys.demographics`).

    Every field is optional. The child's sex or gender is asked only when a questionnaire is
    about a child. ``cleaned_answers()`` gives the answers as given (``zip`` five digits, or
    ``prefer_not_to_say``), without the unanswered ones.
    """

    zip = forms.CharField(
        label=_("ZIP code"),
        help_text=demo.ZIP_HINT,
        max_length=10,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "postal-code",
                "pattern": "[0-9]{5}",
                "size": "6",
            }
        ),
    )
    zip_prefer_not = forms.BooleanField(label=_("Prefer not to say"), required=False)

    def __init__(self, *args: Any, about_child: bool, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.questions = demo.questions_for(about_child=about_child)
        fields: dict[str, forms.Field] = {}
        for question in self.questions:
            if question.multiple:
                fields[question.key] = forms.MultipleChoiceField(
                    label=question.text,
                    choices=question.choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
            else:
                fields[question.key] = forms.ChoiceField(
                    label=question.text,
                    choices=question.choices,
                    widget=forms.RadioSelect,
                    required=False,
                )
        self.fields = {
            **fields,
            "zip": self.fields["zip"],
            "zip_prefer_not": self.fields["zip_prefer_not"],
        }

    @classmethod
    def initial_from(cls, state: dict[str, Any]) -> dict[str, Any]:
        """The form's initial values from a draft's ``demographics``."""
        saved = dict(state.get("demographics") or {})
        zip_value = saved.pop(demo.ZIP_KEY, "")
        return {
            **saved,
            "zip": "" if zip_value == demo.PREFER_NOT else zip_value,
            "zip_prefer_not": zip_value == demo.PREFER_NOT,
        }

    def clean_zip(self) -> str:
        value = "".join(self.cleaned_data.get("zip", "").split())
        if value and not re.fullmatch(r"\d{5}", value):
            raise forms.ValidationError(
                _("Write the 5 digits of your ZIP code, or leave it empty.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for question in self.questions:
            chosen = data.get(question.key)
            if question.multiple and chosen and demo.PREFER_NOT in chosen and len(chosen) > 1:
                self.add_error(
                    question.key,
                    _("Choose “Prefer not to say” on its own, or leave it unchecked."),
                )
        if data.get("zip") and data.get("zip_prefer_not"):
            self.add_error("zip", _("Write a ZIP code or choose “Prefer not to say”, not both."))
        return data

    def cleaned_answers(self) -> dict[str, Any]:
        """The answers as given, without the unanswered ones."""
        answers: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.key)
            if value:
                answers[question.key] = sorted(value) if question.multiple else value
        if self.cleaned_data.get("zip_prefer_not"):
            answers[demo.ZIP_KEY] = demo.PREFER_NOT
        elif self.cleaned_data.get("zip"):
            answers[demo.ZIP_KEY] = self.cleaned_data["zip"]
        return answers


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        help_text=_("10 letters and numbers. Spaces and dashes do not matter."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


def instrument_form_class(instrument: Instrument, language: str) -> type[forms.Form]:
    """A form with one optional radio group per item, every option shown (7 and 9 too)."""
    fields: dict[str, forms.Field] = {}
    for item in instrument.items:
        fields[item.id] = forms.TypedChoiceField(
            label=item.text.get_text(language),
            choices=[(str(o.code), o.label.get_text(language)) for o in item.options],
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
        )
    return type(f"{instrument.id}Form", (forms.Form,), fields)


# -- the final submission ----------------------------------------------------------------------

_CODE_RE = re.compile(r"^\d{1,2}$")
_FIELD_RE = re.compile(r"^([A-Za-z0-9_]{1,64})\.([A-Za-z0-9_]{1,64})$")
_META_FIELDS = frozenset(
    {
        "csrfmiddlewaretoken",
        "client_uuid",
        "language",
        "consent",
        "name",
        "child_birth_month",
        "child_nickname",
    }
)

#: The review page posts the answers about the family as ``about_<key>`` (race and
#: ethnicity repeated, one field per code).
ABOUT_PREFIX = "about_"
_ABOUT_FIELDS = {ABOUT_PREFIX + key: key for key in demo.GIVEN_KEYS}
_ABOUT_MULTIPLE = frozenset(q.key for q in demo.QUESTIONS if q.multiple)


def _about(data: QueryDict) -> dict[str, Any]:
    """The answers about the family in the stored form, from the ``about_*`` fields."""
    given: dict[str, Any] = {}
    for field, key in _ABOUT_FIELDS.items():
        values = [v.strip() for v in data.getlist(field)]
        if not values:
            continue
        if key in _ABOUT_MULTIPLE:
            given[key] = values
        elif len(values) > 1:
            raise InvalidSubmissionError(f"{field} was sent more than once.")
        elif values[0]:
            given[key] = values[0]
    return demographics_parse(given)


def _one(data: QueryDict, key: str) -> str:
    values = data.getlist(key)
    if len(values) > 1:
        raise InvalidSubmissionError(f"{key} was sent more than once.")
    return values[0] if values else ""


def parse_submission(data: QueryDict, campaign: Campaign) -> SubmissionPayload:
    """Read the review page's POST into a payload, or raise :class:`InvalidSubmissionError`.

    Answers are fields named ``<instrument id>.<item id>`` holding a code or nothing; consent
    is the repeated ``consent`` field; ``client_uuid`` must be a UUID; ``child_birth_month``
    (``YYYY-MM``) and ``child_nickname`` are optional, and so are the answers about the family
    (``about_<key>``, checked against the vocabulary; the ZIP code reduced to ZIP3). Codes are
    checked against the instruments by the service.
    """
    raw_uuid = data.get("client_uuid", "")
    if len(data.getlist("client_uuid")) != 1 or not raw_uuid:
        raise InvalidSubmissionError("The form is missing its identifier.")
    try:
        client_uuid = UUID(raw_uuid)
    except (ValueError, AttributeError, TypeError):
        raise InvalidSubmissionError("The form identifier is not valid.") from None
    if str(client_uuid) != raw_uuid.strip().lower() and client_uuid.hex != raw_uuid.lower():
        raise InvalidSubmissionError("The form identifier is not valid.")
    language = data.get("language", "")
    if language not in {"en", "es"}:
        raise InvalidSubmissionError("Unknown language.")
    consent_values = data.getlist("consent")
    unknown = set(consent_values) - set(CONSENT_PURPOSES)
    if unknown:
        raise InvalidSubmissionError("Unknown consent purpose.")
    consent = {p: p in consent_values for p in CONSENT_PURPOSES}
    name = data.get("name", "")
    if len(data.getlist("name")) > 1 or len(name) > 80 or "\x00" in name:
        raise InvalidSubmissionError("The name or code is not valid.")
    raw_birth_month = _one(data, "child_birth_month").strip()
    if raw_birth_month:
        child_birth_month_parse(raw_birth_month)
    child_nickname = child_nickname_check(_one(data, "child_nickname"))
    about = _about(data)
    answers: dict[str, dict[str, int | None]] = {}
    for key in data:
        if key in _META_FIELDS or key in _ABOUT_FIELDS:
            continue
        match = _FIELD_RE.match(key)
        if match is None:
            raise InvalidSubmissionError(f"Unknown field {key[:80]!r}.")
        values = data.getlist(key)
        if len(values) != 1:
            raise InvalidSubmissionError(f"{key} has more than one answer.")
        value = values[0].strip()
        if value and not _CODE_RE.match(value):
            raise InvalidSubmissionError(f"{key} has an answer that is not a code.")
        answers.setdefault(match.group(1), {})[match.group(2)] = int(value) if value else None
    return SubmissionPayload(
        client_uuid=client_uuid,
        language=language,
        consent=consent,
        name=name.strip(),
        answers=answers,
        child_birth_month=raw_birth_month or None,
        child_nickname=child_nickname,
        demographics=about or None,
    )
