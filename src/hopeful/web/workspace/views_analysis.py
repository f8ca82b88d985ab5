"""Analyses in the workspace: write or edit a spec (a form or the TOML itself), run it in the
background, follow it, see the results and download them."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from hopeful.research import SpecError
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.workspace import example, presenters, selectors, services_analysis, specs
from hopeful.web.workspace.forms import SpecBuilderForm, SpecTextForm
from hopeful.web.workspace.models import Analysis, ResearchFile, Status
from hopeful.web.workspace.services import WORKSPACE_ROLES
from hopeful.web.workspace.views import REFRESH_SECONDS, _base, _page


@org_view(*WORKSPACE_ROLES)
@require_GET
def analysis_choose(request: HttpRequest, access: Access) -> HttpResponse:
    access.require_own_access()
    context = {**_base(access), "files": selectors.files_for(access=access, done_only=True)}
    return _page(request, "workspace/analysis_choose.html", context)


def _new_page(
    request: HttpRequest,
    access: Access,
    file: ResearchFile,
    *,
    builder: SpecBuilderForm,
    text_form: SpecTextForm,
    spec_error: SpecError | None = None,
    built: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {
        **_base(access),
        "file": file,
        "builder": builder,
        "text_form": text_form,
        "spec_error": spec_error,
        "built": built,
    }
    return _page(request, "workspace/analysis_new.html", context, status=status)


def _earlier(access: Access, source: str) -> Analysis | None:
    """An earlier analysis of the organization to start from (``?from=``), else None."""
    try:
        public_id = uuid.UUID(source)
    except ValueError:
        return None
    try:
        return selectors.analysis_for(access=access, public_id=public_id)
    except Http404:
        return None


@org_view(*WORKSPACE_ROLES)
@require_http_methods(["GET", "POST"])
def analysis_new(request: HttpRequest, access: Access, file_id: Any) -> HttpResponse:
    access.require_own_access()
    file = selectors.file_for(access=access, public_id=file_id)
    if file.status != Status.DONE:
        return redirect("workspace:file_detail", access.organization.public_id, file.public_id)
    variables = file.column_names
    if request.method == "GET":
        text = (
            example.SPEC
            if file.name == example.NAME
            else specs.starter_spec(file.name, file.columns)
        )
        earlier = _earlier(access, request.GET.get("from", ""))
        if earlier is not None and earlier.file_id == file.pk:
            text = earlier.spec_text
        return _new_page(
            request,
            access,
            file,
            builder=SpecBuilderForm(variables=variables),
            text_form=SpecTextForm(initial={"spec": text}),
        )
    step = request.POST.get("step", "")
    if step in ("build", "build_run"):
        builder = SpecBuilderForm(request.POST, variables=variables)
        if not builder.is_valid():
            return _new_page(
                request,
                access,
                file,
                builder=builder,
                text_form=SpecTextForm(
                    initial={"spec": specs.starter_spec(file.name, file.columns)}
                ),
                status=400,
            )
        text = specs.build_spec(builder.cleaned_data["answers"], file_name=file.name)
        if step == "build":
            return _new_page(
                request,
                access,
                file,
                builder=builder,
                text_form=SpecTextForm(initial={"spec": text}),
                built=True,
            )
        text_form = SpecTextForm({"spec": text})
    else:
        builder = SpecBuilderForm(variables=variables)
        text_form = SpecTextForm(request.POST)
    if not text_form.is_valid():
        return _new_page(request, access, file, builder=builder, text_form=text_form, status=400)
    try:
        analysis = services_analysis.analysis_create(
            access=access, actor=request.user, file=file, spec_text=text_form.cleaned_data["spec"]
        )
    except SpecError as exc:
        return _new_page(
            request,
            access,
            file,
            builder=builder,
            text_form=text_form,
            spec_error=exc,
            status=400,
        )
    return redirect("workspace:analysis_detail", access.organization.public_id, analysis.public_id)


@org_view(*WORKSPACE_ROLES)
@require_GET
def analysis_detail(request: HttpRequest, access: Access, analysis_id: Any) -> HttpResponse:
    analysis = services_analysis.analysis_sync(
        analysis=selectors.analysis_for(access=access, public_id=analysis_id)
    )
    results = analysis.results or {}
    levels = dict(analysis.levels or {})
    context = {
        **_base(access),
        "analysis": analysis,
        "file": analysis.file,
        "refresh_seconds": None if analysis.finished else REFRESH_SECONDS,
        "estimate_tables": presenters.estimate_tables(results, levels) if results else [],
        "model_tables": presenters.model_tables(results, levels) if results else [],
        "tests": results.get("tests", []),
        "provenance": sorted(results.get("provenance", {}).items()),
        "downloads": [k for k in services_analysis.DOWNLOADS if _offered(k, analysis.counts)],
    }
    return _page(request, "workspace/analysis_detail.html", context)


def _offered(kind: str, counts: dict[str, int]) -> bool:
    if kind == "models-csv":
        return bool(counts.get("models"))
    if kind == "tests-csv":
        return bool(counts.get("tests"))
    return True


@org_view(*WORKSPACE_ROLES)
@require_GET
def analysis_download(
    request: HttpRequest, access: Access, analysis_id: Any, kind: str
) -> HttpResponse:
    access.require_own_access()
    analysis = selectors.analysis_for(access=access, public_id=analysis_id)
    if kind not in services_analysis.DOWNLOADS:
        raise Http404
    if kind != "toml" and analysis.status != Status.DONE:
        return redirect(
            "workspace:analysis_detail", access.organization.public_id, analysis.public_id
        )
    body = services_analysis.analysis_download(
        access=access, actor=request.user, analysis=analysis, kind=kind
    )
    _, content_type, suffix = services_analysis.DOWNLOADS[kind]
    response = HttpResponse(body, content_type=content_type)
    name = f"analysis-{str(analysis.public_id)[:8]}-{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


__all__ = [
    "REFRESH_SECONDS",
    "analysis_choose",
    "analysis_detail",
    "analysis_download",
    "analysis_new",
]
