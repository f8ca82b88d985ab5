"""The research workspace end to end: upload, the real database worker's import, a spec
(from the form or as text), the run, the results page with its forest plot, downloads,
deletion; every step audited."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.test import Client
from openpyxl import load_workbook

from hopeful.research import read_table
from hopeful.web.audit.models import AuditEvent
from hopeful.web.organizations.models import Role
from hopeful.web.workspace import storage
from hopeful.web.workspace.models import Analysis, ResearchFile, Status
from tests.web.workspace.helpers import (
    SPEC,
    as_member,
    dta_bytes,
    run_spec_text,
    run_worker,
    sav_bytes,
    upload,
    url,
    xpt_bytes,
)

pytestmark = pytest.mark.django_db(transaction=True)


def imported(client: Client, t: dict[str, Any], tmp_path: Path) -> ResearchFile:
    file = upload(client, t["org_a"], "BRFSS 2022 extract.sav", sav_bytes(tmp_path))
    run_worker()
    file.refresh_from_db()
    assert file.status == Status.DONE, file.error
    return file


def test_an_upload_is_imported_by_the_worker_with_its_labels(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path, research_dir: Path
) -> None:
    t = two_tenants
    researcher = t["members_a"][Role.RESEARCHER]
    as_member(client, researcher)
    content = sav_bytes(tmp_path)
    file = upload(client, t["org_a"], "../../BRFSS 2022 extract.sav", content)

    # queued with its task; the name is only a display name; the bytes are under our names
    assert file.status == Status.QUEUED
    assert file.name == "BRFSS 2022 extract.sav"
    assert file.size == len(content)
    directory = research_dir / str(t["org_a"].public_id) / str(file.public_id)
    assert sorted(p.name for p in directory.iterdir()) == ["upload.sav"]
    assert (directory / "upload.sav").read_bytes() == content
    assert not list((research_dir / ".incoming").iterdir())  # nothing left half-way
    uploaded = AuditEvent.objects.get(verb="research_file.upload")
    assert uploaded.actor == researcher
    assert uploaded.object_id == str(file.public_id)

    page = client.get(url("file_detail", t["org_a"], file.public_id))
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="3">' in page.content.decode()
    assert page["Cache-Control"] == "no-store"

    run_worker()

    file.refresh_from_db()
    assert file.status == Status.DONE, file.error
    assert file.progress == 100
    assert file.rows == 600
    import hashlib

    assert file.sha256 == hashlib.sha256(content).hexdigest()
    sex = next(c for c in file.columns if c["name"] == "SEXVAR")
    assert sex["label"] == "Sex of respondent"
    assert sex["numeric"] is True
    assert sex["value_labels"] == 2
    assert sex["examples"] == [[1, "Male"], [2, "Female"]]
    # the Parquet copy carries the labels read_table reads back
    copy = read_table(directory / "analysis.parquet")
    assert copy.variable_labels["ADDEPEV3"] == "Ever told you had a depressive disorder"
    assert copy.value_labels["ADDEPEV3"][7] == "Don't know"
    assert len(copy.frame) == 600
    assert pq.read_schema(directory / "analysis.parquet").field("SEXVAR").metadata[b"label"]
    assert AuditEvent.objects.filter(verb="research_file.import_done").count() == 1

    page = client.get(url("file_detail", t["org_a"], file.public_id)).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Sex of respondent" in page
    assert "1 = Male; 2 = Female" in page

    # idempotent: the task again changes nothing
    from hopeful.web.workspace.services import file_import

    file_import(file_id=file.pk)
    assert AuditEvent.objects.filter(verb="research_file.import_done").count() == 1


@pytest.mark.parametrize(("name", "make"), [("extract.dta", dta_bytes), ("LLCP.XPT ", xpt_bytes)])
def test_stata_and_sas_transport_files_import_with_variable_labels(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path, name: str, make: Any
) -> None:
    t = two_tenants
    as_member(client, t["members_a"][Role.ORG_ADMIN])
    file = upload(client, t["org_a"], name, make(tmp_path))
    run_worker()
    file.refresh_from_db()
    assert file.status == Status.DONE, file.error
    labels = {c["name"]: c["label"] for c in file.columns}
    assert labels["SEXVAR"] == "Sex of respondent"
    assert file.rows == 200


def test_a_corrupt_file_fails_with_the_readers_message_and_nothing_is_kept(
    client: Client, two_tenants: dict[str, Any], research_dir: Path
) -> None:
    t = two_tenants
    as_member(client, t["members_a"][Role.RESEARCHER])
    file = upload(client, t["org_a"], "broken.sav", b"this is not an SPSS file at all")
    run_worker()
    file.refresh_from_db()
    assert file.status == Status.FAILED
    assert file.error.startswith("broken.sav: cannot read this as a .sav file")
    assert str(research_dir) not in file.error  # no server path in the message
    assert not (research_dir / str(t["org_a"].public_id) / str(file.public_id)).exists()
    assert AuditEvent.objects.filter(verb="research_file.import_failed").count() == 1
    page = client.get(url("file_detail", t["org_a"], file.public_id)).content.decode()
    assert "could not be imported" in page
    assert "broken.sav: cannot read this as a .sav file" in page


def test_a_wrong_suffix_or_a_too_big_file_is_400_and_nothing_is_kept(
    client: Client, two_tenants: dict[str, Any], settings: Any, research_dir: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    t = two_tenants
    as_member(client, t["members_a"][Role.RESEARCHER])
    response = client.post(
        url("upload", t["org_a"]), {"datafile": SimpleUploadedFile("survey.xlsx", b"PK...")}
    )
    assert response.status_code == 400
    assert "is not a file type the workspace reads" in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()

    settings.HOPEFUL_RESEARCH_MAX_BYTES = 1000
    response = client.post(
        url("upload", t["org_a"]),
        {"datafile": SimpleUploadedFile("big.csv", b"x,y\n" + b"1,2\n" * 400)},
    )
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    # declared larger than the limit: refused before the body is read
    response = client.post(
        url("upload", t["org_a"]),
        {"datafile": SimpleUploadedFile("big.csv", b"x,y\n" + b"1,2\n" * 40_000)},
    )
    assert response.status_code == 400
    # a catalogue for a non-SAS file
    settings.HOPEFUL_RESEARCH_MAX_BYTES = 10_000
    response = client.post(
        url("upload", t["org_a"]),
        {
            "datafile": SimpleUploadedFile("a.csv", b"x\n1\n"),
            "catalogue": SimpleUploadedFile("formats.sas7bcat", b"..."),
        },
    )
    assert response.status_code == 400
    assert "only labels SAS files" in response.content.decode()
    assert not ResearchFile.objects.exists()
    assert not AuditEvent.objects.filter(verb="research_file.upload").exists()
    leftovers = [p for p in research_dir.rglob("*") if p.is_file()]
    assert leftovers == []


def test_an_upload_without_the_csrf_token_is_refused(
    two_tenants: dict[str, Any], research_dir: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    t = two_tenants
    client = as_member(Client(enforce_csrf_checks=True), t["members_a"][Role.RESEARCHER])
    response = client.post(
        url("upload", t["org_a"]), {"datafile": SimpleUploadedFile("a.csv", b"x\n1\n")}
    )
    assert response.status_code == 403
    assert not ResearchFile.objects.exists()


def test_the_form_writes_a_spec_that_runs_and_shows_estimates_and_a_forest_plot(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path
) -> None:
    t = two_tenants
    researcher = t["members_a"][Role.RESEARCHER]
    as_member(client, researcher)
    file = imported(client, t, tmp_path)
    new = url("analysis_new", t["org_a"], file.public_id)
    page = client.get(new).content.decode()
    assert '<datalist id="variables">' in page
    assert '<option value="SEXVAR">Sex of respondent</option>' in page
    answers = {
        "design": "taylor",
        "weights": "LLCPWT",
        "strata": "STSTR",
        "psu": "PSU",
        "nest": "on",
        "lonely_psu": "adjust",
        "replicate_type": "JK1",
        "missing": "ADDEPEV3 = 7, 9",
        "est1_kind": "proportion",
        "est1_variable": "ADDEPEV3",
        "est1_by": "SEXVAR",
        "est1_ci": "korn-graubard",
        "est2_kind": "mean",
        "est2_variable": "WTKG3",
        "est2_by": "SEXVAR, AGEG5YR",
        "model1_family": "gaussian",
        "model1_formula": "WTKG3 ~ C(SEXVAR) + C(AGEG5YR)",
    }
    shown = client.post(new, {**answers, "step": "build"})
    assert shown.status_code == 200
    text = shown.context["text_form"].initial["spec"]
    assert 'path = "BRFSS 2022 extract.sav"' in text
    assert "ADDEPEV3 = [7, 9]" in text
    assert 'by = ["SEXVAR", "AGEG5YR"]' in text
    assert not Analysis.objects.exists()  # shown, not saved

    response = client.post(new, {**answers, "step": "build_run"})
    assert response.status_code == 302
    analysis = Analysis.objects.get()
    assert analysis.spec_text == text
    assert analysis.counts == {"estimates": 2, "models": 1, "tests": 0}
    assert AuditEvent.objects.filter(verb="research_analysis.run").count() == 1
    detail = url("analysis_detail", t["org_a"], analysis.public_id)
    assert 'http-equiv="refresh"' in client.get(detail).content.decode()

    run_worker()

    analysis.refresh_from_db()
    assert analysis.status == Status.DONE, analysis.error
    page = client.get(detail).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "ADDEPEV3-proportion: proportion of ADDEPEV3" in page
    assert "SEXVAR=Female" in page
    assert '<svg class="forest-plot" role="img" aria-label="Forest plot of model model-1' in page
    assert page.count('class="forest-point"') == 4  # Female, 3 age groups; no intercept
    assert "C(AGEG5YR)[T.30-44]" in page
    prov = analysis.results["provenance"]
    assert prov["data"] == "BRFSS 2022 extract.sav"
    assert prov["data_sha256"] == file.sha256
    assert prov["spec_sha256"] == analysis.spec_sha256
    assert file.sha256 in page
    assert analysis.spec_sha256 in page
    assert "hopeful_version" in page


def test_a_spec_as_text_runs_a_logistic_model_with_odds_ratios_and_downloads(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path
) -> None:
    t = two_tenants
    admin = t["members_a"][Role.ORG_ADMIN]
    as_member(client, admin)
    file = imported(client, t, tmp_path)
    analysis = run_spec_text(client, t["org_a"], file, SPEC)
    run_worker()
    analysis.refresh_from_db()
    assert analysis.status == Status.DONE, analysis.error
    page = client.get(url("analysis_detail", t["org_a"], analysis.public_id)).content.decode()
    assert "odds ratios of its terms" in page
    assert "Odds ratio CI" in page
    rows = analysis.results["estimates"]
    assert {r["domain"] for r in rows if r["id"] == "depression"} == {
        "SEXVAR=Male",
        "SEXVAR=Female",
    }

    # the same numbers as hopeful analyze on the original file
    from hopeful.research import analyze, parse_spec
    from hopeful.research.output import results_bytes

    original = tmp_path / "offline"
    original.mkdir()
    (original / "brfss.sav").write_bytes(sav_bytes(tmp_path))
    offline = analyze(parse_spec(SPEC, original / "spec.toml"))
    expected = results_bytes(offline, "csv")

    for kind, start in (
        ("csv", b"id,kind,variable,domain"),
        ("models-csv", b"id,term,estimate"),
        ("json", b"{"),
        ("html", b"<!DOCTYPE html>"),
        ("xlsx", b"PK"),
        ("toml", b"[data]"),
    ):
        response = client.get(url("analysis_download", t["org_a"], analysis.public_id, kind))
        assert response.status_code == 200, kind
        assert response["Cache-Control"] == "no-store"
        assert "attachment" in response["Content-Disposition"]
        assert response.content.startswith(start), kind
        if kind == "csv":
            assert response.content == expected
        if kind == "json":
            assert json.loads(response.content)["provenance"]["data_sha256"] == file.sha256
        if kind == "xlsx":
            book = load_workbook(io.BytesIO(response.content))
            assert book.sheetnames == ["estimates", "models", "tests", "provenance"]
        if kind == "toml":
            assert response.content.decode() == SPEC
    events = AuditEvent.objects.filter(verb="research_analysis.download")
    assert sorted(e.extra["format"] for e in events) == sorted(
        ["csv", "models-csv", "json", "html", "xlsx", "toml"]
    )
    assert {e.actor for e in events} == {admin}
    assert (
        client.get(url("analysis_download", t["org_a"], analysis.public_id, "pdf")).status_code
        == 404
    )

    # edit and run again: the spec comes back in the text area
    again = client.get(
        url("analysis_new", t["org_a"], file.public_id) + f"?from={analysis.public_id}"
    )
    assert again.context["text_form"].initial["spec"] == SPEC


def test_a_spec_error_is_400_with_its_line_and_nothing_is_saved(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path
) -> None:
    t = two_tenants
    as_member(client, t["members_a"][Role.RESEARCHER])
    file = imported(client, t, tmp_path)
    new = url("analysis_new", t["org_a"], file.public_id)
    for text, message in (
        (SPEC.replace('kind = "mean"', 'kind = "median"'), 'Line 26: [[estimate]] kind "median"'),
        (SPEC.replace('variable = "WTKG3"', 'variable = "WTKG"'), "no column 'WTKG'"),
        (SPEC.replace("nest = true", "nest = "), "not valid TOML"),
    ):
        response = client.post(new, {"step": "run", "spec": text})
        assert response.status_code == 400
        page = response.content.decode()
        assert 'class="error-summary"' in page
        assert "Nothing was saved" in page
        assert message in html.unescape(page)
    response = client.post(
        new,
        {
            "step": "build",
            "design": "taylor",
            "lonely_psu": "adjust",
            "replicate_type": "JK1",
            "est1_kind": "mean",
            "est1_variable": "NOPE",
        },
    )
    assert response.status_code == 400
    assert "NOPE is not a variable of this file" in response.content.decode()
    assert not Analysis.objects.exists()
    assert not AuditEvent.objects.filter(verb="research_analysis.run").exists()


@pytest.mark.parametrize("path", ["/etc/passwd", "../../x", "..\\\\x", "C:/x", "sub/x.sav", ".."])
def test_a_spec_naming_another_path_on_the_server_is_refused(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path, path: str, monkeypatch: Any
) -> None:
    t = two_tenants
    as_member(client, t["members_a"][Role.RESEARCHER])
    file = imported(client, t, tmp_path)
    opened: list[str] = []
    import hopeful.research.io as research_io

    real = research_io.read_table
    monkeypatch.setattr(
        research_io, "read_table", lambda p, **kw: opened.append(str(p)) or real(p, **kw)
    )
    text = SPEC.replace('path = "brfss.sav"', f"path = {json.dumps(path)}")
    response = client.post(
        url("analysis_new", t["org_a"], file.public_id), {"step": "run", "spec": text}
    )
    assert response.status_code == 400
    assert "must be a file name without a folder" in response.content.decode()
    assert not Analysis.objects.exists()
    assert opened == []


def test_a_bare_name_never_reads_anything_but_the_files_copy(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path, monkeypatch: Any
) -> None:
    t = two_tenants
    as_member(client, t["members_a"][Role.RESEARCHER])
    file = imported(client, t, tmp_path)
    text = SPEC.replace('path = "brfss.sav"', 'path = "passwd"')
    analysis = run_spec_text(client, t["org_a"], file, text)
    opened: list[str] = []
    import hopeful.research.prepare as prepare

    real = prepare.read_table
    monkeypatch.setattr(
        prepare, "read_table", lambda p, **kw: opened.append(str(p)) or real(p, **kw)
    )
    run_worker()
    analysis.refresh_from_db()
    assert analysis.status == Status.DONE, analysis.error
    assert [Path(p).name for p in opened] == ["analysis.parquet"]
    assert str(file.public_id) in opened[0]
    # labels are refused as well
    text = SPEC.replace('path = "brfss.sav"', 'path = "x.xpt"\nlabels = "/etc/formats.sas7bcat"')
    response = client.post(
        url("analysis_new", t["org_a"], file.public_id), {"step": "run", "spec": text}
    )
    assert response.status_code == 400
    assert "[data] labels is not used in the workspace" in response.content.decode()


def test_an_analysis_the_data_refuses_fails_with_its_line(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path, research_dir: Path
) -> None:
    t = two_tenants
    as_member(client, t["members_a"][Role.RESEARCHER])
    file = imported(client, t, tmp_path)
    text = SPEC.replace("ADDEPEV3 = [7, 9]", 'ADDEPEV3 = ["seven"]')
    analysis = run_spec_text(client, t["org_a"], file, text)
    run_worker()
    analysis.refresh_from_db()
    assert analysis.status == Status.FAILED
    assert analysis.error.startswith("spec.toml, line 5:")
    assert str(research_dir) not in analysis.error
    page = client.get(url("analysis_detail", t["org_a"], analysis.public_id)).content.decode()
    assert "could not be run" in page


def test_deleting_a_file_removes_its_bytes_copy_rows_and_analyses(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path, research_dir: Path
) -> None:
    t = two_tenants
    researcher = t["members_a"][Role.RESEARCHER]
    as_member(client, researcher)
    file = imported(client, t, tmp_path)
    analysis = run_spec_text(client, t["org_a"], file, SPEC)
    run_worker()
    directory = storage.file_dir(t["org_a"].public_id, file.public_id)
    upload_path, copy = directory / "upload.sav", directory / "analysis.parquet"
    assert upload_path.exists()
    assert copy.exists()

    confirm = client.get(url("file_delete", t["org_a"], file.public_id))
    assert confirm.status_code == 200
    assert "Delete for good" in confirm.content.decode()
    response = client.post(url("file_delete", t["org_a"], file.public_id))
    assert response.status_code == 302
    assert not upload_path.exists()
    assert not copy.exists()
    assert not directory.exists()
    assert not ResearchFile.objects.filter(pk=file.pk).exists()
    assert not Analysis.objects.filter(pk=analysis.pk).exists()
    deleted = AuditEvent.objects.get(verb="research_file.delete")
    assert deleted.actor == researcher
    assert deleted.object_id == str(file.public_id)
    assert deleted.extra["analyses"] == 1
    run_worker()  # the purge task finds nothing left
    assert not AuditEvent.objects.filter(verb="research_file.purge_failed").exists()


def test_a_directory_that_cannot_be_removed_is_retried_and_reported(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path, monkeypatch: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    t = two_tenants
    as_member(client, t["members_a"][Role.ORG_ADMIN])
    file = imported(client, t, tmp_path)
    directory = storage.file_dir(t["org_a"].public_id, file.public_id)
    monkeypatch.setattr(storage, "remove_dir", lambda path: False)
    response = client.post(url("file_delete", t["org_a"], file.public_id))
    assert response.status_code == 302
    assert not ResearchFile.objects.exists()  # the user was told it is deleted ...
    assert directory.exists()
    run_worker()  # ... the purge fails, is reported and queued again
    assert AuditEvent.objects.filter(verb="research_file.purge_failed").count() == 1
    assert (
        DBTaskResult.objects.filter(task_path__endswith="purge_file", status="READY").count() == 1
    )
    monkeypatch.undo()
    from hopeful.web.workspace.services import file_purge

    file_purge(org_id=str(t["org_a"].public_id), file_id=str(file.public_id), attempt=2)
    assert not directory.exists()


def test_a_failing_delete_changes_nothing(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path, monkeypatch: Any
) -> None:
    t = two_tenants
    as_member(client, t["members_a"][Role.ORG_ADMIN])
    file = imported(client, t, tmp_path)
    directory = storage.file_dir(t["org_a"].public_id, file.public_id)
    import hopeful.web.workspace.services as services

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    client.raise_request_exception = False
    response = client.post(url("file_delete", t["org_a"], file.public_id))
    assert response.status_code == 500
    assert ResearchFile.objects.filter(pk=file.pk).exists()
    assert (directory / "analysis.parquet").exists()


def test_home_lists_files_and_analyses_and_explains_an_empty_workspace(
    client: Client, two_tenants: dict[str, Any], tmp_path: Path
) -> None:
    t = two_tenants
    as_member(client, t["members_a"][Role.RESEARCHER])
    page = client.get(url("home", t["org_a"])).content.decode()
    assert "No files yet." in page
    assert "No analyses yet." in page
    assert url("upload", t["org_a"]) in page
    choose = client.get(url("analysis_choose", t["org_a"])).content.decode()
    assert "No imported file yet." in choose
    file = imported(client, t, tmp_path)
    page = client.get(url("home", t["org_a"])).content.decode()
    assert url("file_detail", t["org_a"], file.public_id) in page
    choose = client.get(url("analysis_choose", t["org_a"])).content.decode()
    assert url("analysis_new", t["org_a"], file.public_id) in choose


def test_the_example_file_imports_and_its_spec_runs(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    as_member(client, t["members_a"][Role.RESEARCHER])
    home = client.get(url("home", t["org_a"])).content.decode()
    assert url("example", t["org_a"]) in home
    assert client.get(url("example", t["org_a"])).status_code == 405
    response = client.post(url("example", t["org_a"]))
    assert response.status_code == 302
    file = ResearchFile.objects.get()
    assert AuditEvent.objects.filter(verb="research_file.upload").count() == 1
    run_worker()
    file.refresh_from_db()
    assert file.status == Status.DONE, file.error
    assert file.rows == 2000
    page = client.get(url("analysis_new", t["org_a"], file.public_id))
    from hopeful.web.workspace import example

    assert page.context["text_form"].initial["spec"] == example.SPEC
    analysis = run_spec_text(client, t["org_a"], file, example.SPEC)
    run_worker()
    analysis.refresh_from_db()
    assert analysis.status == Status.DONE, analysis.error
    page = client.get(url("analysis_detail", t["org_a"], analysis.public_id)).content.decode()
    assert "pce_band=0-2" in page
    assert "C(pce_band)[T.0-2]" in page
