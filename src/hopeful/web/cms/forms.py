"""The contact form (with the public forms' honeypot and signed start time)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hopeful.web.cms.guard import GuardedForm


class ContactForm(GuardedForm):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We use it only to answer you."),
    )
    message = forms.CharField(label=_("Your message"), max_length=4000, widget=forms.Textarea)
