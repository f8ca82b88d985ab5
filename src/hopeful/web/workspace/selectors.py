"""Reads for the research workspace: the organization's files and analyses, one by its public
id (another organization's, or none, is 404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from hopeful.web.organizations.access import Access
from hopeful.web.workspace.models import Analysis, AnalysisQuerySet, ResearchFile, Status

#: The home page lists the latest files and analyses.
LIST_LIMIT = 50


def files_for(*, access: Access, done_only: bool = False) -> list[ResearchFile]:
    files = (
        ResearchFile.objects.for_org(access.organization)
        .select_related("uploaded_by")
        .defer("columns")
        .order_by("-created_at", "-id")
    )
    if done_only:
        files = files.filter(status=Status.DONE)
    return list(files[:LIST_LIMIT])


def file_for(*, access: Access, public_id: Any) -> ResearchFile:
    file = (
        ResearchFile.objects.for_org(access.organization)
        .select_related("uploaded_by", "organization")
        .filter(public_id=public_id)
        .first()
    )
    if file is None:
        raise Http404
    return file


def _analyses(access: Access) -> AnalysisQuerySet:
    return (
        Analysis.objects.for_org(access.organization)
        .select_related("file", "created_by")
        .defer("results", "spec_text", "file__columns")
        .order_by("-created_at", "-id")
    )


def analyses_for(*, access: Access, file: ResearchFile | None = None) -> list[Analysis]:
    analyses = _analyses(access)
    if file is not None:
        analyses = analyses.filter(file=file)
    return list(analyses[:LIST_LIMIT])


def analysis_for(*, access: Access, public_id: Any) -> Analysis:
    analysis = (
        Analysis.objects.for_org(access.organization)
        .select_related("file", "created_by", "organization")
        .filter(public_id=public_id)
        .first()
    )
    if analysis is None:
        raise Http404
    return analysis
