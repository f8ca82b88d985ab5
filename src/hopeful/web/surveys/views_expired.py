"""Getting a family back into its survey when a page could not be taken as sent.

- A refused form (:func:`csrf_failure`): the browser did not send its security cookie, or the
  page was open for a long time. The project's ``CSRF_FAILURE_VIEW`` asks this module first; the
  family gets a page in the URL's language that says its earlier answers are kept (when the
  session still points at a live draft) and that this page's answers were not sent, with a plain
  GET link back to the same step. The refused POST is never read, let alone saved: taking it
  would undo what the CSRF check protects against.
- A lost session (:func:`require_draft`): the session cookie expired (12 hours) or the family
  came back in another browser. A step that needs the draft says so and points to the resume
  code (drafts are kept 14 days) instead of sending the family silently back to consent; a
  POSTed page is answered 409, so nothing looks saved.
- The resume page itself (:func:`resume`): the family types its code to continue at its first
  unfinished step.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hopeful.web.surveys import drafts
from hopeful.web.surveys.flow import (
    display_code,
    error_page,
    is_open,
    private,
    remember,
    session_code,
    session_draft,
    step_url,
    survey_page,
)
from hopeful.web.surveys.forms import CodeForm
from hopeful.web.surveys.models import AttemptKind, CampaignLink, Draft
from hopeful.web.surveys.selectors import flow_steps, link_for_token

logger = logging.getLogger(__name__)

#: Survey addresses that only take a POST: "Continue" opens this page instead.
POST_ONLY = {"submit": "survey:review"}
#: Pages outside the steps (typing a code, changing consent, the summary): "Continue" reopens
#: the same page and nothing is said about a draft.
OWN_PAGES = frozenset({"resume", "consent", "summary"})
#: Survey addresses that are not pages a person reads (the JSON API is CSRF-exempt anyway).
NOT_PAGES = frozenset({"api_submit"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse | None:
    """The survey's page for a form the CSRF check refused, or None when the address is not a
    page of a known survey link (the caller then shows the site's general page)."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if "survey" not in match.namespaces or match.url_name in NOT_PAGES:
            return None
        token = str(match.kwargs.get("token", ""))
        link = link_for_token(token)
        if link is None:
            return None
        # The reason is for operators; the token in the path is not logged.
        logger.info("A survey form was refused (%s): %s", match.url_name, reason)
        # The summary stays readable after its campaign closes; the other pages do not.
        if match.url_name != "summary" and not is_open(link):
            return private(render(request, "surveys/public/gone.html", status=410))
        return private(_refused(request, link, token, str(match.url_name)))


def _refused(request: HttpRequest, link: CampaignLink, token: str, url_name: str) -> HttpResponse:
    own_page = url_name in OWN_PAGES
    draft = None if own_page else session_draft(request, link)
    if url_name in POST_ONLY:
        continue_url = reverse(POST_ONLY[url_name], args=[token])
    else:
        continue_url = request.path
    return render(
        request,
        "surveys/public/form_refused.html",
        {
            "link": link,
            "token": token,
            "own_page": own_page,
            "draft_kept": draft is not None,
            "continue_url": continue_url if own_page or draft is not None else "",
            "resume_url": reverse("survey:resume", args=[token]),
            "start_url": reverse("survey:start", args=[token]),
            "resume_code": display_code(session_code(request, link)) if draft else "",
        },
        status=403,
    )


def require_draft(request: HttpRequest, link: CampaignLink, token: str) -> Draft | HttpResponse:
    """The draft of this browser's session, or the page that says it could not be found (200
    for a GET, 409 for a POST: the page's answers were not saved)."""
    draft = session_draft(request, link)
    if draft is not None:
        return draft
    posted = request.method == "POST"
    return render(
        request,
        "surveys/public/answers_not_found.html",
        {
            "link": link,
            "token": token,
            "posted": posted,
            "resume_url": reverse("survey:resume", args=[token]),
            "start_url": reverse("survey:start", args=[token]),
        },
        status=409 if posted else 200,
    )


def _resume_step(link: CampaignLink, draft: Draft) -> str:
    """The first step the family has not finished (its notice first, if it has one)."""
    done = set(draft.state.get("done", []))
    steps = flow_steps(link)
    for step in steps[2:]:
        if step in done or step.startswith("notice:"):
            continue
        notice = "notice:" + step.split(":", 1)[-1]
        return notice if step.startswith("items:") and notice in steps else step
    return "review"


@survey_page
@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest, link: CampaignLink, token: str) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if drafts.code_attempts_exceeded(link=link, kind=AttemptKind.RESUME):
            return error_page(
                request,
                link,
                token,
                429,
                _("Too many codes were tried. Please wait 10 minutes and try again."),
            )
        if form.is_valid():
            code = drafts.normalize_code(form.cleaned_data["code"])
            draft = drafts.draft_for_code(link=link, code=code)
            if draft is not None:
                remember(request, link, draft, code)
                return redirect(step_url(token, _resume_step(link, draft)))
            drafts.code_attempt_record(link=link, kind=AttemptKind.RESUME)
            form.add_error("code", _("We could not find answers saved with this code."))
    return render(
        request, "surveys/public/resume.html", {"link": link, "token": token, "form": form}
    )
