"""The network staff's page of periodic jobs: every job with its schedule, last run and next
queued run; one job's recent runs; and "Run now" (queued for the worker, audited).

Network staff only (everyone else, superusers included, gets 403; visitors not signed in
are sent to sign in)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hopeful.web.operations import registry, selectors, services
from hopeful.web.organizations.decorators import network_staff_view


@network_staff_view
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.jobs_overview()
    context = {"rows": rows, "failed": [row for row in rows if row.failed]}
    return render(request, "operations/job_list.html", context)


@network_staff_view
@require_GET
def job_detail(request: HttpRequest, name: str) -> HttpResponse:
    row = selectors.job_row(name)
    if row is None:
        raise Http404
    context = {"row": row, "runs": selectors.job_runs(name)}
    return render(request, "operations/job_detail.html", context)


@network_staff_view
@require_POST
def job_run_now(request: HttpRequest, name: str) -> HttpResponse:
    job = registry.BY_NAME.get(name)
    if job is None:
        raise Http404
    if services.job_run_request(job=job, actor=request.user):
        messages.success(
            request,
            _("A run of “%(job)s” is queued. The worker starts it as soon as it is free.")
            % {"job": job.title},
        )
    else:
        messages.info(
            request,
            _("A run of “%(job)s” was already queued to start now; no second run was added.")
            % {"job": job.title},
        )
    return redirect("operations:job_detail", name=name)
