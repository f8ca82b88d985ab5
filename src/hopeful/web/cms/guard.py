"""Spam protection and rate limits for the public site's forms (contact, newsletter).

Three checks, none of them needing JavaScript or a third-party service:

- a **honeypot** field people never see or fill (``website``): a form that fills it is
  answered as if it had worked and nothing is kept;
- a **signed start time** (``started``): a form sent back within :data:`MIN_SECONDS` of being
  shown, or with a tampered or day-old stamp, is refused with a plain message;
- a **rate limit** per client address and form, counted in the database (so shared by every
  web process) like sign-in attempts: at most ``HOPEFUL_PUBLIC_FORM_LIMIT`` posts an hour.
  Addresses are kept only as keyed hashes, and only for the hour.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hopeful.web.accounts.selectors import client_ip
from hopeful.web.cms.models.contact import PublicFormPost

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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not self.is_bound:
            self.initial["started"] = signing.dumps(timezone.now().timestamp(), salt=SALT)

    @property
    def is_spam(self) -> bool:
        """Whether the honeypot was filled (check after ``is_valid``)."""
        return bool(self.cleaned_data.get("website", "").strip())

    def clean_started(self) -> str:
        value = self.cleaned_data["started"]
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


def _address_key(request: HttpRequest) -> str:
    address = client_ip(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def rate_limit_check(request: HttpRequest, *, form: str) -> RateLimit:
    """Whether this client may post ``form`` now (without counting this post)."""
    now = timezone.now()
    PublicFormPost.objects.filter(created_at__lt=now - WINDOW).delete()
    times = list(
        PublicFormPost.objects.filter(form=form, address_key=_address_key(request))
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: settings.HOPEFUL_PUBLIC_FORM_LIMIT]
    )
    if len(times) < settings.HOPEFUL_PUBLIC_FORM_LIMIT:
        return RateLimit(allowed=True, wait_minutes=0)
    ends = times[-1] + WINDOW
    return RateLimit(
        allowed=False, wait_minutes=max(1, int((ends - now).total_seconds() // 60) + 1)
    )


def rate_limit_record(request: HttpRequest, *, form: str) -> None:
    """Count one post of ``form`` from this client."""
    PublicFormPost.objects.create(form=form, address_key=_address_key(request))


def guard_post(request: HttpRequest, form: GuardedForm, *, name: str, limited: str) -> int | None:
    """The public forms' checks on a bound ``form`` posted as ``name``, in their order: the
    rate limit (``limited``, with ``%(n)d`` for the minutes to wait, is added to the form),
    then the form's own validation. Returns the status to answer with (429, 400), or None
    when the post is accepted and counted; then ``form.is_spam`` says whether to keep it."""
    limit = rate_limit_check(request, form=name)
    if not limit.allowed:
        form.add_error(None, limited % {"n": limit.wait_minutes})
        return 429
    if not form.is_valid():
        return 400
    rate_limit_record(request, form=name)
    return None
