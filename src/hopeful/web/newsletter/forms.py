"""The newsletter sign-up form (with the public forms' honeypot and signed start time)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from hopeful.web.cms.guard import GuardedForm
from hopeful.web.cms.vocab import AUDIENCES, BLOCKS, block_label

#: The text next to the consent checkbox. What the person saw is stored with their sign-up
#: (in the language of the page), so changing this text changes only later sign-ups.
CONSENT_TEXT = _(
    "I want to receive the HOPEful newsletter at this email address. HOPEful keeps my "
    "address and my choices only to send me the newsletter, and I can unsubscribe at any "
    "time with the link in every message."
)


def language_choices() -> list[tuple[str, str]]:
    """The newsletter's languages, each named in its own language (as people look for it)."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class SignupForm(GuardedForm):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    building_blocks = forms.MultipleChoiceField(
        label=_("The building blocks you are most interested in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audiences = forms.MultipleChoiceField(
        label=_("News for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(AUDIENCES.items()),
    )
    language = forms.ChoiceField(
        label=_("Newsletter language"),
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _("Please tick the box to agree, or we cannot send you the newsletter.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        page_language = get_language() or settings.LANGUAGE_CODE
        cast(forms.MultipleChoiceField, self.fields["building_blocks"]).choices = [
            (code, block_label(code, page_language)) for code in BLOCKS
        ]
        cast(forms.ChoiceField, self.fields["language"]).choices = language_choices()
        codes = {code for code, _name in settings.LANGUAGES}
        self.fields["language"].initial = page_language if page_language in codes else "en"

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()
