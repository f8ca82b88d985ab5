"""Forms of the community strengths: the map's search (GET) and the asset form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from hopeful import geo
from hopeful.framework import BUILDING_BLOCKS
from hopeful.web.assets.models import AssetKind, CommunityAsset, Visibility
from hopeful.web.assets.services import ASSET_FIELDS
from hopeful.web.core.places import zip_error_message
from hopeful.web.learning.vocab import LANGUAGE_CHOICES


def block_choices(language: str | None = None) -> list[tuple[str, str]]:
    """The building blocks as (id, name in ``language``), in their order."""
    language = language or get_language() or "en"
    ordered = sorted(BUILDING_BLOCKS, key=lambda b: b.order)
    return [(b.id, b.name.get_text(language)) for b in ordered]


def block_names(language: str | None = None) -> dict[str, str]:
    return dict(block_choices(language))


class SearchForm(forms.Form):
    """The map's search: a ZIP code and a radius, optionally a building block and a kind."""

    zip = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        error_messages={"required": _("Enter a 5-digit ZIP code, for example 02111.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    radius = forms.TypedChoiceField(
        label=_("Within"),
        coerce=int,
        choices=[(r, str(r)) for r in geo.RADII],
        initial=geo.DEFAULT_RADIUS,
        required=False,
        empty_value=geo.DEFAULT_RADIUS,  # type: ignore[arg-type]  # stubs say str | None; Django returns it as is
    )
    block = forms.ChoiceField(label=_("Building block"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of place"), required=False, choices=[("", _("Any")), *AssetKind.choices]
    )

    #: No field of this form is a group of choices (see :class:`AssetForm`).
    GROUPED: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["block"]).choices = [("", _("Any")), *block_choices()]
        cast(forms.TypedChoiceField, self.fields["radius"]).choices = [
            (r, gettext("%(miles)s miles") % {"miles": r}) for r in geo.RADII
        ]
        self.place: geo.Place | None = None

    def clean_zip(self) -> str:
        value = self.cleaned_data.get("zip", "")
        try:
            self.place = geo.zip_place(value)
        except geo.ZipError as error:
            raise ValidationError(zip_error_message(error)) from error
        return self.place.zip_code


class AssetForm(forms.Form):
    """What a person records about a place or program; the service checks it again."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of place"), choices=AssetKind.choices)
    blocks = forms.MultipleChoiceField(
        label=_("Building blocks"),
        help_text=_("The positive experiences it offers children. Choose at least one."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one building block.")},
    )
    description = forms.CharField(
        label=_("What happens there"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    address = forms.CharField(
        label=_("Street address"),
        max_length=200,
        required=False,
        help_text=_("A public place's address; leave empty for a program without one."),
    )
    zip_code = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    schedule = forms.CharField(
        label=_("When"),
        max_length=200,
        required=False,
        help_text=_("For example: Saturdays 10–12."),
    )
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )

    #: Fields shown as a group of choices (a fieldset with a legend).
    GROUPED = frozenset({"blocks", "languages", "visibility"})

    def __init__(self, *args: Any, asset: CommunityAsset | None = None, **kwargs: Any) -> None:
        if asset is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(asset, name) for name in ASSET_FIELDS}
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["blocks"]).choices = block_choices()

    def asset_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's refusal on the fields it names."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
