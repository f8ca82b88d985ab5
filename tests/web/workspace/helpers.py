"""Synthetic survey files for the workspace tests (seeded numpy; no real survey data), and
small steps: sign in, upload, run the real database worker."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from hopeful.web.workspace.models import Analysis, ResearchFile
from tests.research.brfss import VALUE_LABELS, brfss_frame
from tests.web import factories as f

COLUMN_LABELS = {
    "STSTR": "Sample design stratification variable",
    "PSU": "Primary sampling unit",
    "LLCPWT": "Final weight",
    "SEXVAR": "Sex of respondent",
    "AGEG5YR": "Age group",
    "ADDEPEV3": "Ever told you had a depressive disorder",
    "WTKG3": "Computed weight in kilograms",
}

SPEC = """\
[data]
path = "brfss.sav"

[data.missing]
ADDEPEV3 = [7, 9]

[design]
weights = "LLCPWT"
strata = "STSTR"
psu = "PSU"
nest = true
lonely_psu = "adjust"

[recode.depressed]
map = "ADDEPEV3"
values = { 1 = 1, 2 = 0 }

[[estimate]]
id = "depression"
kind = "proportion"
variable = "ADDEPEV3"
by = ["SEXVAR"]

[[estimate]]
id = "weight"
kind = "mean"
variable = "WTKG3"

[[model]]
id = "aor"
family = "binomial"
formula = "depressed ~ C(SEXVAR) + WTKG3"
"""


def frame(rows: int = 600) -> pd.DataFrame:
    data = brfss_frame(rows=rows, seed=7, strata=6)
    # SPSS names cannot start with "_": BRFSS's _STSTR is STSTR here
    return data.rename(columns=lambda c: c.lstrip("_"))[list(COLUMN_LABELS)]


def value_labels(data: pd.DataFrame) -> dict[str, dict[float | int | str, str]]:
    return {k.lstrip("_"): v for k, v in VALUE_LABELS.items() if k.lstrip("_") in data.columns}


def sav_bytes(tmp: Path, rows: int = 600) -> bytes:
    path = tmp / "brfss.sav"
    data = frame(rows)
    pyreadstat.write_sav(
        data,
        str(path),
        column_labels=[COLUMN_LABELS[c] for c in data.columns],
        variable_value_labels=value_labels(data),
    )
    return path.read_bytes()


def dta_bytes(tmp: Path) -> bytes:
    path = tmp / "brfss.dta"
    data = frame(200)
    pyreadstat.write_dta(
        data,
        str(path),
        column_labels=[COLUMN_LABELS[c] for c in data.columns],
        variable_value_labels=value_labels(data),
    )
    return path.read_bytes()


def xpt_bytes(tmp: Path) -> bytes:
    path = tmp / "brfss.xpt"
    data = frame(200)
    pyreadstat.write_xport(data, str(path), column_labels=[COLUMN_LABELS[c] for c in data.columns])
    return path.read_bytes()


def run_worker() -> None:
    """The database queue's real worker: every task waiting now, then exit."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())


def as_member(client: Client, user: Any) -> Client:
    f.login_verified(client, user)
    return client


def url(name: str, org: Any, *args: Any) -> str:
    return reverse(f"workspace:{name}", args=[org.public_id, *args])


def upload(
    client: Client, org: Any, name: str, content: bytes, *, catalogue: Any = None
) -> ResearchFile:
    data: dict[str, Any] = {"datafile": SimpleUploadedFile(name, content)}
    if catalogue is not None:
        data["catalogue"] = catalogue
    response = client.post(url("upload", org), data)
    assert response.status_code == 302, response.content[:2000]
    file = ResearchFile.objects.latest("created_at")
    assert response["Location"] == url("file_detail", org, file.public_id)
    return file


def run_spec_text(client: Client, org: Any, file: ResearchFile, text: str) -> Analysis:
    response = client.post(url("analysis_new", org, file.public_id), {"step": "run", "spec": text})
    assert response.status_code == 302, response.content.decode()[:3000]
    analysis = Analysis.objects.latest("created_at")
    assert response["Location"] == url("analysis_detail", org, analysis.public_id)
    return analysis
