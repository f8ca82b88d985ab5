"""The form that adds a webhook: its URL and what it is for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hopeful.web.webhooks import guard


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Address (URL) to send to"),
        max_length=guard.URL_MAX,
        help_text=_(
            "An https:// address of your own system that accepts POST requests. HOPEful "
            "sends only to public addresses."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )
    description = forms.CharField(
        label=_("What it is for (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: the clinic's records system. Shown only on these pages."),
    )

    def clean_url(self) -> str:
        value: Any = self.cleaned_data["url"]
        try:
            guard.parse(str(value))
        except guard.AddressRefused as refused:
            raise forms.ValidationError(str(refused.message)) from None
        return str(value).strip()
