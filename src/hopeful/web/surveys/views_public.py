"""The family survey at ``/s/<token>/`` (``/es/s/<token>/`` in Spanish).

Short pages, one step each, that work without JavaScript: language, consent, a name (public
links), the child's birth month (when a questionnaire is about a child), each questionnaire
(after a notice for sensitive topics), optional questions about the family, review, then the
strengths summary. Every step after consent saves a draft the family can resume with a code
(the session side of it is in :mod:`~hopeful.web.surveys.flow`; the pages for a lost session or
a refused form in :mod:`~hopeful.web.surveys.views_expired`). Link pages send
``Referrer-Policy: same-origin``, so the token in the path never reaches another site (and there
are no third parties on these pages), and are never cached. Not ``no-referrer``: with it
browsers send ``Origin: null`` on the family's own form posts, which CSRF checking rightly
refuses.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, RawPostDataException
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hopeful.framework import UnknownInstrumentError, get_instrument
from hopeful.web.core.ratelimit import note_retry_after
from hopeful.web.core.sqlite import sqlite_serialised
from hopeful.web.families.models import ConsentPurpose
from hopeful.web.families.selectors import consent_current
from hopeful.web.families.services import CONSENT_TEXT_VERSION
from hopeful.web.surveys import drafts, services
from hopeful.web.surveys.demographics import demographics_rows
from hopeful.web.surveys.flow import (
    display_code,
    error_page,
    flow_key,
    open_link,
    private,
    remember,
    session_code,
    session_draft,
    step_url,
    survey_language,
    survey_page,
)
from hopeful.web.surveys.forms import (
    ABOUT_PREFIX,
    AboutForm,
    ChildForm,
    CodeForm,
    ConsentForm,
    NameForm,
    instrument_form_class,
    parse_submission,
)
from hopeful.web.surveys.models import AttemptKind, CampaignLink, Draft, LinkKind
from hopeful.web.surveys.selectors import (
    birth_month_label,
    child_age_notes,
    flow_steps,
    link_for_token,
    review_for,
    strengths_summary,
)
from hopeful.web.surveys.views_expired import require_draft

SUMMARY_SALT = "hopeful.surveys.summary"
SUMMARY_MAX_AGE = 24 * 60 * 60

# -- the family's place in the flow -----------------------------------------------------------


def _after(link: CampaignLink, step: str) -> str:
    steps = flow_steps(link)
    return steps[min(steps.index(step) + 1, len(steps) - 1)]


def _before(link: CampaignLink, step: str) -> str:
    steps = flow_steps(link)
    return steps[max(steps.index(step) - 1, 0)]


def _context(
    link: CampaignLink, token: str, step: str, request: HttpRequest, **extra: Any
) -> dict[str, Any]:
    steps = flow_steps(link)
    return {
        "link": link,
        "token": token,
        "step_number": steps.index(step) + 1,
        "step_total": len(steps),
        "back_url": step_url(token, _before(link, step)) if step != "language" else "",
        "resume_code": display_code(session_code(request, link)),
        **extra,
    }


# -- steps -------------------------------------------------------------------------------------


@survey_page
@require_http_methods(["GET"])
def start(request: HttpRequest, link: CampaignLink, token: str) -> HttpResponse:
    choices = []
    for code, name in (("en", "English"), ("es", "Español")):
        if link.campaign.languages and code not in link.campaign.languages:
            continue
        with translation.override(code):
            url = reverse("survey:agree", args=[token])
        choices.append({"code": code, "name": name, "url": url})
    return render(
        request,
        "surveys/public/start.html",
        _context(link, token, "language", request, languages=choices),
    )


@survey_page
@require_http_methods(["GET", "POST"])
def agree(request: HttpRequest, link: CampaignLink, token: str) -> HttpResponse:
    draft = session_draft(request, link)
    language = survey_language()
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            choices = form.choices()
            if not any(choices.values()):
                if draft is not None:
                    Draft.objects.filter(pk=draft.pk).delete()
                request.session.pop(flow_key(link), None)
                return render(
                    request,
                    "surveys/public/nothing_stored.html",
                    _context(link, token, "consent", request),
                )
            if draft is None:
                draft, code = drafts.draft_start(link=link, language=language, consent=choices)
                remember(request, link, draft, code)
            else:
                drafts.draft_save(draft=draft, language=language, step="consent", consent=choices)
            return redirect(step_url(token, _after(link, "consent")))
    else:
        initial = [p for p, v in (draft.state.get("consent", {}) if draft else {}).items() if v]
        form = ConsentForm(initial={"purposes": initial})
    return render(
        request,
        "surveys/public/consent_step.html",
        _context(link, token, "consent", request, form=form, text_version=CONSENT_TEXT_VERSION),
        status=400 if request.method == "POST" else 200,
    )


@survey_page
@require_http_methods(["GET", "POST"])
def name(request: HttpRequest, link: CampaignLink, token: str) -> HttpResponse:
    if link.kind != LinkKind.PUBLIC:
        raise Http404
    draft = require_draft(request, link, token)
    if isinstance(draft, HttpResponse):
        return draft
    if request.method == "POST":
        form = NameForm(request.POST)
        if form.is_valid():
            drafts.draft_save(
                draft=draft, language=survey_language(), step="name", name=form.cleaned_data["name"]
            )
            return redirect(step_url(token, _after(link, "name")))
    else:
        form = NameForm(initial={"name": draft.state.get("name", "")})
    return render(
        request, "surveys/public/name_step.html", _context(link, token, "name", request, form=form)
    )


@survey_page
@require_http_methods(["GET", "POST"])
def child(request: HttpRequest, link: CampaignLink, token: str) -> HttpResponse:
    """The child's birth month and year and a nickname, all optional. When a questionnaire's
    age range does not include the child's age, the step says so once (a note, not an error)
    before the family continues."""
    if "child" not in flow_steps(link):
        raise Http404
    draft = require_draft(request, link, token)
    if isinstance(draft, HttpResponse):
        return draft
    language = survey_language()
    today = timezone.localdate()
    status = 200
    if request.method == "POST":
        if request.POST.get("skip"):
            drafts.draft_save(
                draft=draft,
                language=language,
                step="child",
                child_birth_month="",
                child_nickname="",
            )
            return redirect(step_url(token, _after(link, "child")))
        form = ChildForm(request.POST, today=today)
        if form.is_valid():
            birth_month = form.birth_month_value()
            drafts.draft_save(
                draft=draft,
                language=language,
                step="child",
                child_birth_month=birth_month,
                child_nickname=form.cleaned_data["nickname"].strip() if birth_month else "",
            )
            noted = request.POST.get("noted", "")
            if birth_month and birth_month != noted and _age_notes(link, birth_month, language):
                return redirect(step_url(token, "child"))
            return redirect(step_url(token, _after(link, "child")))
        status = 400
    else:
        form = ChildForm(initial=ChildForm.initial_from(draft.state), today=today)
    saved = str(draft.state.get("child_birth_month") or "")
    return render(
        request,
        "surveys/public/child_step.html",
        _context(
            link,
            token,
            "child",
            request,
            form=form,
            age_notes=_age_notes(link, saved, language) if saved else [],
            noted=saved,
        ),
        status=status,
    )


def _age_notes(link: CampaignLink, birth_month: str, language: str) -> list[Any]:
    try:
        birth = services.child_birth_month_parse(birth_month)
    except services.InvalidSubmissionError:
        return []
    return child_age_notes(link.campaign, birth, timezone.localdate(), language)


def _pinned(link: CampaignLink, instrument_id: str) -> Any:
    for entry in link.campaign.instruments:
        if entry["id"] == instrument_id:
            try:
                return get_instrument(entry["id"], entry.get("version"))
            except UnknownInstrumentError:
                break
    raise Http404


@survey_page
@require_http_methods(["GET"])
def notice(
    request: HttpRequest, link: CampaignLink, token: str, instrument_id: str
) -> HttpResponse:
    instrument = _pinned(link, instrument_id)
    if instrument.content_note is None:
        raise Http404
    draft = require_draft(request, link, token)
    if isinstance(draft, HttpResponse):
        return draft
    language = survey_language()
    step = f"notice:{instrument.id}"
    return render(
        request,
        "surveys/public/notice.html",
        _context(
            link,
            token,
            step,
            request,
            note=instrument.content_note.get_text(language),
            continue_url=step_url(token, f"items:{instrument.id}"),
            skip_url=step_url(token, _after(link, f"items:{instrument.id}")),
        ),
    )


@survey_page
@require_http_methods(["GET", "POST"])
def items(request: HttpRequest, link: CampaignLink, token: str, instrument_id: str) -> HttpResponse:
    instrument = _pinned(link, instrument_id)
    draft = require_draft(request, link, token)
    if isinstance(draft, HttpResponse):
        return draft
    language = survey_language()
    step = f"items:{instrument.id}"
    form_class = instrument_form_class(instrument, language)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            drafts.draft_save(
                draft=draft,
                language=language,
                step=step,
                answers={instrument.id: dict(form.cleaned_data.items())},
            )
            return redirect(step_url(token, _after(link, step)))
        status = 400
    else:
        saved = draft.state.get("answers", {}).get(instrument.id, {})
        form = form_class(initial={k: str(v) for k, v in saved.items() if v is not None})
    return render(
        request,
        "surveys/public/items.html",
        _context(
            link,
            token,
            step,
            request,
            form=form,
            title=instrument.title.get_text(language),
            instructions=instrument.instructions.get_text(language),
            notes={i.id: i.note.get_text(language) for i in instrument.items if i.note},
        ),
        status=status,
    )


@survey_page
@require_http_methods(["GET", "POST"])
def about(request: HttpRequest, link: CampaignLink, token: str) -> HttpResponse:
    """Optional questions about the family, for the program's equity checks; every one can be
    skipped, and "Skip" leaves them all unanswered."""
    draft = require_draft(request, link, token)
    if isinstance(draft, HttpResponse):
        return draft
    about_child = "child" in flow_steps(link)
    status = 200
    if request.method == "POST":
        if request.POST.get("skip"):
            drafts.draft_save(
                draft=draft, language=survey_language(), step="about", demographics={}
            )
            return redirect(step_url(token, _after(link, "about")))
        form = AboutForm(request.POST, about_child=about_child)
        if form.is_valid():
            drafts.draft_save(
                draft=draft,
                language=survey_language(),
                step="about",
                demographics=form.cleaned_answers(),
            )
            return redirect(step_url(token, _after(link, "about")))
        status = 400
    else:
        form = AboutForm(initial=AboutForm.initial_from(draft.state), about_child=about_child)
    return render(
        request,
        "surveys/public/about_step.html",
        _context(link, token, "about", request, form=form),
        status=status,
    )


def _about_hidden(given: dict[str, Any]) -> list[tuple[str, str]]:
    """The answers about the family as the review form's hidden ``about_*`` fields."""
    return [
        (ABOUT_PREFIX + key, str(one))
        for key, value in sorted(given.items())
        for one in (value if isinstance(value, list) else [value])
    ]


@survey_page
@require_http_methods(["GET"])
def review(request: HttpRequest, link: CampaignLink, token: str) -> HttpResponse:
    draft = require_draft(request, link, token)
    if isinstance(draft, HttpResponse):
        return draft
    language = survey_language()
    state = dict(draft.state)
    if not state.get("client_uuid"):
        # One UUID per version of the answers: a double tap or a retry sends the same one.
        state["client_uuid"] = str(uuid.uuid4())
        draft.state = state
        draft.save(update_fields=["state"])
    consent = state.get("consent", {})
    child_birth_month = str(state.get("child_birth_month") or "")
    about_child = "child" in flow_steps(link)
    given = dict(state.get("demographics") or {})
    purposes = [
        {"value": p.value, "label": p.label, "granted": bool(consent.get(p.value))}
        for p in ConsentPurpose
    ]
    return render(
        request,
        "surveys/public/review.html",
        _context(
            link,
            token,
            "review",
            request,
            instruments=review_for(
                link,
                state.get("answers", {}),
                language,
                edit_urls={
                    s.split(":", 1)[1]: step_url(token, s)
                    for s in flow_steps(link)
                    if s.startswith("items:")
                },
            ),
            purposes=purposes,
            family_name=state.get("name", ""),
            asks_about_child=about_child,
            about_rows=demographics_rows(given, about_child=about_child),
            about_hidden=_about_hidden(given),
            child_birth_month=child_birth_month,
            child_birth_label=birth_month_label(child_birth_month),
            child_nickname=str(state.get("child_nickname") or "") if child_birth_month else "",
            client_uuid=state["client_uuid"],
            language=language,
            submit_url=reverse("survey:submit", args=[token]),
        ),
    )


@login_not_required
@require_POST
def submit(request: HttpRequest, token: str) -> HttpResponse:
    """The final POST: store once (idempotent on client_uuid), then show the summary (PRG)."""
    with sqlite_serialised():
        link = open_link(request, token)
        if isinstance(link, HttpResponse):
            return private(link)
        return private(_submit(request, link, token))


def _body_size(request: HttpRequest) -> int:
    """The body's size; 0 when a multipart body was already read as a stream (to check the
    CSRF token), which only its Content-Length and Django's upload limits then bound."""
    try:
        return len(request.body)
    except RawPostDataException:
        return 0


def _submit(request: HttpRequest, link: CampaignLink, token: str) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if (
        length > services.MAX_SUBMISSION_BYTES
        or _body_size(request) > services.MAX_SUBMISSION_BYTES
    ):
        return error_page(request, link, token, 413, _("The answers sent were too large."))
    try:
        payload = parse_submission(request.POST, link.campaign)
        draft = session_draft(request, link)
        result = services.submission_create(link=link, payload=payload, draft=draft)
    except services.SurveyError as exc:
        if isinstance(exc, services.RateLimitedError):
            note_retry_after(request, exc.retry_after)
        return error_page(request, link, token, exc.status, _message(exc))
    code = session_code(request, link)
    if result.created:
        request.session.pop(flow_key(link), None)
        if code:
            request.session[f"survey:code:{result.submission.public_id}"] = code
    signed = signing.dumps(
        {"s": str(result.submission.public_id), "l": str(link.public_id)}, salt=SUMMARY_SALT
    )
    return redirect(reverse("survey:summary", args=[token, signed]), permanent=False)


def _message(exc: services.SurveyError) -> str:
    if isinstance(exc, services.SubmissionConflictError):
        return _(
            "These answers were already sent once with different content, so they were not "
            "stored again. Nothing was changed."
        )
    if isinstance(exc, services.RateLimitedError):
        return _(
            "Many answers were sent through this link just now. Please wait a minute and "
            "try again. Nothing was stored."
        )
    if isinstance(exc, services.LinkGoneError):
        return _("This survey link is closed.")
    return _("Some answers could not be read, so nothing was stored. Please go back and try again.")


# -- after submitting --------------------------------------------------------------------------


def _submission_from(link: CampaignLink, signed: str) -> Any:
    try:
        data = signing.loads(signed, salt=SUMMARY_SALT, max_age=SUMMARY_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    submission_id = data.get("s") if isinstance(data, dict) else None
    if submission_id is None or data.get("l") != str(link.public_id):
        raise Http404
    submission = (
        link.submissions.filter(public_id=submission_id)
        .select_related("family")
        .prefetch_related("scores")
        .first()
    )
    if submission is None:
        raise Http404
    return submission


def _consent_rows(family: Any) -> list[dict[str, Any]]:
    current = consent_current(family)
    return [
        {"value": p.value, "label": p.label, "granted": current[p.value]} for p in ConsentPurpose
    ]


@login_not_required
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, token: str, signed: str) -> HttpResponse:
    # The summary stays readable after a campaign closes (for its one day), so it does not
    # use survey_page's 410 rule; the token and the signature must still match.
    link = link_for_token(token)
    if link is None:
        return private(render(request, "surveys/public/not_found.html", status=404))
    submission = _submission_from(link, signed)
    language = survey_language()
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                services.family_consent_change(
                    family=submission.family, choices=form.choices(), language=language
                )
            messages.success(request, _("Your choices were saved."))
            return private(redirect(reverse("survey:summary", args=[token, signed])))
    code = request.session.get(f"survey:code:{submission.public_id}", "")
    return private(
        render(
            request,
            "surveys/public/summary.html",
            {
                "link": link,
                "token": token,
                "summary": strengths_summary(submission, language),
                "purposes": _consent_rows(submission.family),
                "family_code": display_code(code),
                "consent_url": reverse("survey:consent", args=[token]),
            },
        )
    )


@survey_page
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, link: CampaignLink, token: str) -> HttpResponse:
    """A family changes its consent later, with the code it kept."""
    form = CodeForm(request.POST or None)
    family = None
    if request.method == "POST":
        if drafts.code_attempts_exceeded(link=link, kind=AttemptKind.CONSENT):
            return error_page(
                request,
                link,
                token,
                429,
                _("Too many codes were tried. Please wait 10 minutes and try again."),
            )
        if form.is_valid():
            family = drafts.family_for_code(link=link, code=form.cleaned_data["code"])
            if family is None:
                drafts.code_attempt_record(link=link, kind=AttemptKind.CONSENT)
                form.add_error("code", _("We could not find a family with this code."))
            elif request.POST.get("save"):
                choices = ConsentForm(request.POST)
                if choices.is_valid():
                    with transaction.atomic():
                        services.family_consent_change(
                            family=family, choices=choices.choices(), language=survey_language()
                        )
                    return render(
                        request,
                        "surveys/public/consent_saved.html",
                        {"link": link, "token": token, "purposes": _consent_rows(family)},
                    )
    return render(
        request,
        "surveys/public/consent_change.html",
        {
            "link": link,
            "token": token,
            "form": form,
            "family_found": family is not None,
            "purposes": _consent_rows(family) if family is not None else [],
            "code": form.cleaned_data.get("code", "") if family is not None else "",
        },
    )
