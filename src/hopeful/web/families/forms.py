"""The family's confirmation that it wants its information deleted."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this deletes our information and cannot be undone."),
        required=True,
        error_messages={"required": _("Tick the box to confirm, or go back to keep your data.")},
    )
