"""The learning hub's pages (the courses and lessons themselves are CMS pages).

Public (no sign-in): the catalogue, the learner sign-up and its emailed link's page (GET
shows a button, POST activates: mail scanners open links). Signed in: the learner's home,
the profile, and the quiz and "mark complete" posts of a lesson (lesson pages are GET-only
CMS pages, so their forms post here). Network staff: the staff hub and the learners.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hopeful.web.cms.guard import guard_post
from hopeful.web.core.responses import private
from hopeful.web.learning import selectors, services
from hopeful.web.learning.forms import JoinForm, LearnerSearchForm, ProfileForm
from hopeful.web.learning.models import CourseIndexPage, LessonPage
from hopeful.web.learning.tokens import MAX_AGE
from hopeful.web.learning.vocab import LANGUAGE_CHOICES, Audience, Sector
from hopeful.web.organizations.decorators import network_staff_view

#: The rate limit's name for the sign-up form (see :mod:`hopeful.web.cms.guard`).
JOIN_FORM = "learner-join"


# --- public ----------------------------------------------------------------------------------


@login_not_required
@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """Courses, filtered by audience and language with plain GET parameters (repeatable)."""
    result = selectors.catalogue(
        audiences=request.GET.getlist("audience"), languages=request.GET.getlist("language")
    )
    chosen_audiences = set(request.GET.getlist("audience"))
    chosen_languages = set(request.GET.getlist("language"))
    language_names = {"en": _("English"), "es": _("Spanish")}
    context = {
        "catalogue": result,
        "audiences": [
            {
                "code": code,
                "label": label,
                "count": result.audience_counts[code],
                "checked": code in chosen_audiences,
            }
            for code, label in Audience.choices
        ],
        "languages": [
            {
                "code": code,
                "label": language_names.get(code, code),
                "count": count,
                "checked": code in chosen_languages,
            }
            for code, count in result.language_counts.items()
        ],
        "filtered": bool(chosen_audiences or chosen_languages),
    }
    return render(request, "learning/catalogue.html", context)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """The learner sign-up; a valid post answers "check your email" whatever the address."""
    if request.user.is_authenticated:
        return redirect("learning:home")
    if request.method != "POST":
        return render(request, "learning/join.html", {"form": JoinForm()})
    form = JoinForm(request.POST)
    status = guard_post(
        request,
        form,
        name=JOIN_FORM,
        limited=_(
            "Too many sign-ups were sent from here just now. Please try again in %(n)d minutes."
        ),
    )
    if status is not None:
        return render(request, "learning/join.html", {"form": form}, status=status)
    if not form.is_spam:
        data = form.cleaned_data
        services.learner_join(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            organization_name=data["organization_name"],
            sector=data["sector"],
            state=data["state"],
            zip_code=data["zip_code"],
            languages=data["languages"],
            language=get_language() or "en",
        )
    return render(request, "learning/join_sent.html", {"days": MAX_AGE.days})


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def join_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the "Activate my account" button; its POST activates the account."""
    if request.method != "POST":
        return private(render(request, "learning/join_confirm.html", {"done": False}))
    try:
        services.learner_join_confirm(token=token)
    except services.LearningError as error:
        return private(
            render(request, "learning/join_confirm.html", {"error": str(error)}, status=400)
        )
    return private(render(request, "learning/join_confirm.html", {"done": True}))


# --- learners --------------------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The learner's home: courses in progress and completed, CE hours, links onward."""
    user = request.user
    context = {
        "profile": selectors.learner_profile(user=user),
        "courses": selectors.learner_courses(user=user),
        "ce_records": list(selectors.ce_records(user=user)),
        "ce_total": selectors.ce_hours(user=user),
    }
    return render(request, "learning/home.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Edit one's learner profile (made on the first visit)."""
    learner = services.learner_profile_ensure(user=request.user)
    form = ProfileForm.for_profile(learner, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.learner_profile_update(
                profile=learner, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("learning:profile")
    status = 400 if form.is_bound else 200
    return render(request, "learning/profile.html", {"form": form}, status=status)


def _live_lesson(page_id: int) -> LessonPage:
    lesson: LessonPage = get_object_or_404(LessonPage.objects.live().public(), pk=page_id)
    return lesson


def _lesson_again(
    request: HttpRequest, lesson: LessonPage, *, status: int, **extra: object
) -> HttpResponse:
    """The lesson page again, with the quiz's problem (its page is served by Wagtail)."""
    context = {**lesson.get_context(request), **extra}
    response = TemplateResponse(request, lesson.get_template(request), context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def quiz_submit(request: HttpRequest, page_id: int) -> HttpResponse:
    lesson = _live_lesson(page_id)
    questions = lesson.questions()
    if not questions:
        raise Http404
    answers = {q.id: request.POST.getlist(f"q-{q.id}") for q in questions}
    picked = [choice for chosen in answers.values() for choice in chosen]
    missing = [qid for qid, chosen in answers.items() if not chosen]
    if missing:
        return _lesson_again(
            request,
            lesson,
            status=400,
            quiz_error=_("Please answer every question."),
            quiz_missing=missing,
            quiz_picked=picked,
        )
    try:
        services.quiz_submit(
            user=request.user,
            lesson=lesson,
            answers=answers,
            attempt_token=request.POST.get("attempt_token", ""),
        )
    except services.QuizRefusedError as error:
        return _lesson_again(request, lesson, status=409, quiz_error=str(error))
    except services.LearningError as error:
        return _lesson_again(request, lesson, status=400, quiz_error=str(error), quiz_picked=picked)
    return redirect(lesson.get_url(request) + "#quiz")


@require_POST
def lesson_complete(request: HttpRequest, page_id: int) -> HttpResponse:
    lesson = _live_lesson(page_id)
    try:
        services.lesson_complete(user=request.user, lesson=lesson)
    except services.LearningError as error:
        messages.error(request, str(error))
    return redirect(lesson.get_url(request) + "#quiz")


# --- network staff ---------------------------------------------------------------------------


@require_safe
@network_staff_view
def staff_home(request: HttpRequest) -> HttpResponse:
    """The network staff area's hub: courses (the CMS), learners, trainings,
    certifications and organization reviews."""
    index = CourseIndexPage.objects.filter(depth__gt=1).order_by("path").first()
    courses_url = (
        reverse("wagtailadmin_explore", args=[index.pk]) if index else reverse("wagtailadmin_home")
    )
    return render(request, "learning/staff_home.html", {"courses_url": courses_url})


@require_safe
@network_staff_view
def staff_learners(request: HttpRequest) -> HttpResponse:
    form = LearnerSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    learners = selectors.staff_learners(
        q=filters.get("q", ""), state=filters.get("state", ""), sector=filters.get("sector", "")
    )
    page = Paginator(learners, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "learning/staff_learners.html", context)


@require_safe
@network_staff_view
def staff_learner(request: HttpRequest, public_id: str) -> HttpResponse:
    learner = get_object_or_404(selectors.staff_learners(), public_id=public_id)
    language_names = dict(LANGUAGE_CHOICES)
    context = {
        "learner": learner,
        "languages": [language_names.get(code, code) for code in learner.languages],
        "sector": Sector(learner.sector).label if learner.sector else "",
        "completions": list(selectors.staff_learner_completions(user=learner.user)),
        "ce_records": list(selectors.ce_records(user=learner.user)),
    }
    return render(request, "learning/staff_learner.html", context)
