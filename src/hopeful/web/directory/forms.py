"""Forms of the directory: the trainer search (GET), the contact form (a guarded public form),
the listing a person or an organization keeps, and the Innovation Network's filters."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hopeful import geo
from hopeful.web.cms.guard import GuardedForm
from hopeful.web.core.places import zip_error_message
from hopeful.web.learning.vocab import LANGUAGE_CHOICES, US_STATES, Sector
from hopeful.web.organizations.models import OrganizationKind

#: Modalities a search may ask for (the listing's ``in_person`` / ``virtual``).
MODALITIES = [("in_person", _("In person")), ("virtual", _("Online"))]
#: Who a search looks for.
KINDS = [
    ("both", _("Trainers and organizations")),
    ("person", _("Trainers")),
    ("organization", _("HOPE-informed organizations")),
]
PER_PAGE = 20


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *list(choices)]


class ZipField(forms.CharField):
    """A US ZIP code that ``hopeful.geo`` knows; cleans to its :class:`geo.Place`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("label", _("ZIP code"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        try:
            return geo.zip_place(text)
        except geo.ZipError as error:
            raise forms.ValidationError(
                zip_error_message(error), code=error.problem.value
            ) from None


class SearchForm(forms.Form):
    """The search of ``/trainers/`` (GET, so every search is a link)."""

    zip = ZipField(required=False)
    radius = forms.TypedChoiceField(
        label=_("Within"),
        required=False,
        coerce=int,
        empty_value=geo.DEFAULT_RADIUS,  # type: ignore[arg-type]  # stubs say str | None; Django returns it as is
        choices=[(r, str(r)) for r in geo.RADII],
        initial=geo.DEFAULT_RADIUS,
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=_any(LANGUAGE_CHOICES)
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=_any(Sector.choices))
    modality = forms.ChoiceField(label=_("Presents"), required=False, choices=_any(MODALITIES))
    kind = forms.ChoiceField(label=_("Show"), required=False, choices=KINDS, initial="both")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # labelled in the language of the request, not of the import
        cast(forms.TypedChoiceField, self.fields["radius"]).choices = [
            (r, ngettext("%(n)d mile", "%(n)d miles", r) % {"n": r}) for r in geo.RADII
        ]

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or "both"


class ContactForm(GuardedForm):
    """A message to a trainer or an organization, emailed to them (their address is never
    shown; the sender's address is the email's Reply-To)."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The trainer answers you at this address."),
    )
    organization = forms.CharField(
        label=_("Your organization (optional)"), max_length=200, required=False
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Up to 3,000 characters: who you are, your audience, and what you need."),
    )


class _ListingForm(forms.Form):
    display_name = forms.CharField(label=_("Name shown"), max_length=150)
    about = forms.CharField(
        label=_("About"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you offer and to whom, in a few sentences."),
    )
    zip_code = ZipField(
        label=_("ZIP code"),
        help_text=_("Searches measure the distance from this ZIP code. Only its town is shown."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        required=False,
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    in_person = forms.BooleanField(label=_("Presents in person"), required=False)
    virtual = forms.BooleanField(label=_("Presents online"), required=False)


class PersonListingForm(_ListingForm):
    opted_in = forms.BooleanField(
        label=_("Show me in the public directory"),
        required=False,
        help_text=_(
            "When ticked, anyone can find on /trainers/ the name shown, your certification, "
            "your town and state (from the ZIP code), languages, sectors, how you present and "
            "what you wrote above. Never your email address or phone: people write to you "
            "through a form, and you answer them if you wish."
        ),
    )


class OrganizationListingForm(_ListingForm):
    field_order = (
        "display_name",
        "about",
        "implements",
        "website",
        "zip_code",
    )

    implements = forms.CharField(
        label=_("What we implement"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the organization's Innovation Network page when it is a member."),
    )
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    opted_in = forms.BooleanField(
        label=_("Show the organization in the public directory"),
        required=False,
        help_text=_(
            "When ticked and while the organization's certification is valid, anyone can find "
            "on /trainers/ the name shown, the certification, the town and state (from the ZIP "
            "code), languages, sectors, how it presents, what it implements, the website and "
            "the text above. Never an email address or phone: people write through a form "
            "that emails the organization's admins."
        ),
    )


class MembersFilterForm(forms.Form):
    """The Innovation Network directory's filters (GET); unknown values are ignored."""

    state = forms.ChoiceField(label=_("State"), required=False, choices=_any(US_STATES))
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=_any(OrganizationKind.choices)
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {
                name: value
                for name, value in self.data.items()
                if name in self.fields and name not in self.errors and value
            }
        return {name: value for name, value in self.cleaned_data.items() if value}
