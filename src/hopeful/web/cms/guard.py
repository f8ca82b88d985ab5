"""Spam protection and rate limits for the public site's forms (contact, newsletter).

Three checks, none of them needing JavaScript or a third-party service:

- a **honeypot** field people never see or fill (``website``): a form that fills it is
  answered as if it had worked and nothing is kept;
- a **signed start time** (``started``): a form sent back within :data:`MIN_SECONDS` of being
  shown, or with a tampered or day-old stamp, is refused with a plain message;
- a **rate limit** per client address and form, counted by the site's one rate-limit engine
  (:mod:`hopeful.web.core.ratelimit`, in the database, so shared by every web process): at
  most ``HOPEFUL_PUBLIC_FORM_LIMIT`` posts an hour (a sliding hour). Addresses are kept only
  as keyed hashes, and only for two hours. A refused post answers 429 with ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hopeful.web.accounts.selectors import client_ip
from hopeful.web.core import ratelimit

MIN_SECONDS = 3
MAX_AGE = dt.timedelta(days=1)
WINDOW = dt.timedelta(hours=1)
SALT = "hopeful.public-form"


class GuardedForm(forms.Form):
    """A public form with the honeypot and the signed start time."""

    website = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(timezone.now().timestamp(), salt=SALT)

    @property
    def is_spam(self) -> bool:
        """Whether the honeypot was filled (check after ``is_valid``)."""
        return bool(self.cleaned_data.get("website", "").strip())

    def clean_started(self) -> str:
        value: str = self.cleaned_data["started"]
        try:
            started = float(signing.loads(value, salt=SALT, max_age=MAX_AGE))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                _("This form is too old. Please send it again."), code="stale"
            ) from None
        if timezone.now().timestamp() - started < MIN_SECONDS:
            raise forms.ValidationError(
                _("That was very quick. Please check the form and send it again."), code="fast"
            )
        return value


@dataclass(frozen=True, slots=True)
class RateLimit:
    allowed: bool
    wait_minutes: int
    retry_after: int = 0


def _scope(form: str) -> str:
    return f"form:{form}"


def _rate() -> ratelimit.Rate:
    return ratelimit.Rate(settings.HOPEFUL_PUBLIC_FORM_LIMIT, int(WINDOW.total_seconds()))


def _address(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def rate_limit_check(request: HttpRequest, *, form: str) -> RateLimit:
    """Whether this client may post ``form`` now (without counting this post)."""
    decision = ratelimit.check(_scope(form), _address(request), _rate())
    if decision.allowed:
        return RateLimit(allowed=True, wait_minutes=0)
    return RateLimit(
        allowed=False,
        wait_minutes=max(1, math.ceil(decision.retry_after / 60)),
        retry_after=decision.retry_after,
    )


def rate_limit_record(request: HttpRequest, *, form: str) -> None:
    """Count one post of ``form`` from this client."""
    ratelimit.hit(_scope(form), _address(request), _rate())


def guard_post(request: HttpRequest, form: GuardedForm, *, name: str, limited: str) -> int | None:
    """The public forms' checks on a bound ``form`` posted as ``name``, in their order: the
    rate limit (``limited``, with ``%(n)d`` for the minutes to wait, is added to the form),
    then the form's own validation. Returns the status to answer with (429, 400), or None
    when the post is accepted and counted; then ``form.is_spam`` says whether to keep it."""
    limit = rate_limit_check(request, form=name)
    if not limit.allowed:
        form.add_error(None, limited % {"n": limit.wait_minutes})
        ratelimit.note_retry_after(request, limit.retry_after)
        return 429
    if not form.is_valid():
        return 400
    rate_limit_record(request, form=name)
    return None
