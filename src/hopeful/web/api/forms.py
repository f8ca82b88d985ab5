from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hopeful.web.api.models import Scope
from hopeful.web.api.tokens import MAX_RATE_PER_MINUTE

LIFETIMES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("180", _("180 days")),
    ("365", _("One year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system or person uses it, e.g. “REDCap nightly import”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Give only what the integration needs."),
    )
    lifetime = forms.ChoiceField(label=_("Expires after"), choices=LIFETIMES, initial="90")
    rate_limit_per_minute = forms.IntegerField(
        label=_("Requests a minute, at most"),
        min_value=1,
        max_value=MAX_RATE_PER_MINUTE,
        initial=120,
    )

    def expires_at(self) -> dt.datetime:
        return timezone.now() + dt.timedelta(days=int(self.cleaned_data["lifetime"]))
