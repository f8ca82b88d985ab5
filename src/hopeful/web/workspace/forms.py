"""The workspace's forms: an upload, the spec builder (no JavaScript), the spec as text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from hopeful.research.io import FORMATS
from hopeful.research.spec import CI_METHODS, LONELY_PSU
from hopeful.web.workspace.services import suffix_of

SAS_FORMATS = (".xpt", ".sas7bdat")
ESTIMATE_ROWS = 5
MODEL_ROWS = 3
KINDS = ("mean", "total", "proportion", "quantile", "ratio")
REPLICATE_TYPES = ("JK1", "JKn", "BRR", "Fay", "bootstrap", "ACS", "successive-difference")
_NAME = re.compile(r"[^,\s][^,]*")


class UploadForm(forms.Form):
    datafile = forms.FileField(
        label=_("Survey data file"),
        help_text=_(
            "SAS transport (.xpt), SAS (.sas7bdat), SPSS (.sav, .zsav), Stata (.dta), CSV or "
            "Parquet. It stays private to your organization."
        ),
    )
    catalogue = forms.FileField(
        label=_("SAS format catalogue (optional)"),
        required=False,
        help_text=_("A .sas7bcat file with the value labels of a .xpt or .sas7bdat file."),
    )

    def __init__(self, *args: Any, max_bytes: int, too_big: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.too_big = too_big
        self.fields["datafile"].widget.attrs["accept"] = ",".join(FORMATS)
        self.fields["catalogue"].widget.attrs["accept"] = ".sas7bcat"
        for name in ("datafile", "catalogue"):
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_hint"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.too_big:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s, the largest the workspace accepts.")
                % {"limit": filesizeformat(self.max_bytes)}
            )
        return cleaned

    def clean_datafile(self) -> Any:
        data = self.cleaned_data.get("datafile")
        if data is None:
            return data
        if not suffix_of(data.name or ""):
            raise forms.ValidationError(
                _("%(name)s is not a file type the workspace reads. Use one of: %(types)s.")
                % {"name": data.name, "types": ", ".join(FORMATS)}
            )
        if not data.size:
            raise forms.ValidationError(_("The file is empty."))
        return data

    def clean_catalogue(self) -> Any:
        catalogue = self.cleaned_data.get("catalogue")
        if catalogue is None:
            return None
        if not (catalogue.name or "").strip().lower().endswith(".sas7bcat"):
            raise forms.ValidationError(_("A format catalogue is a .sas7bcat file."))
        data = self.cleaned_data.get("datafile")
        if data is not None and suffix_of(data.name or "") not in SAS_FORMATS:
            raise forms.ValidationError(
                _("A format catalogue only labels SAS files (.xpt, .sas7bdat).")
            )
        return catalogue


class SpecTextForm(forms.Form):
    spec = forms.CharField(
        label=_("The analysis spec (TOML)"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "spec-text"}),
        max_length=100_000,
        strip=False,
    )

    def clean_spec(self) -> str:
        text = str(self.cleaned_data["spec"]).replace("\r\n", "\n")
        if not text.strip():
            raise forms.ValidationError(_("The spec is empty."))
        return text


def _names(text: str) -> list[str]:
    return [m.group(0).strip() for m in _NAME.finditer(text or "") if m.group(0).strip()]


def _code(text: str) -> int | float | str:
    text = text.strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text.strip("\"'")


class SpecBuilderForm(forms.Form):
    """The spec as questions. ``variables`` are the file's columns (offered in a datalist)."""

    design = forms.ChoiceField(
        label=_("Survey design"),
        choices=[
            ("taylor", _("Weights, strata and PSUs")),
            ("replicates", _("Replicate weights")),
        ],
        initial="taylor",
    )
    weights = forms.CharField(label=_("Weights"), required=False, max_length=200)
    strata = forms.CharField(label=_("Strata"), required=False, max_length=200)
    psu = forms.CharField(label=_("PSUs (clusters)"), required=False, max_length=200)
    nest = forms.BooleanField(
        label=_("PSU codes repeat across strata (nest)"), required=False, initial=True
    )
    fpc = forms.CharField(
        label=_("Finite population correction (optional)"), required=False, max_length=200
    )
    lonely_psu = forms.ChoiceField(
        label=_("A stratum with one PSU"),
        choices=[(v, v) for v in LONELY_PSU],
        initial="adjust",
    )
    replicate_weights = forms.CharField(
        label=_("Replicate weight columns (a pattern such as ^REPWT[0-9]+$)"),
        required=False,
        max_length=200,
    )
    replicate_type = forms.ChoiceField(
        label=_("Replicate type"), choices=[(v, v) for v in REPLICATE_TYPES], initial="JK1"
    )
    missing = forms.CharField(
        label=_("Missing codes, one variable a line (GENHLTH = 7, 9)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        max_length=5000,
    )

    def __init__(self, *args: Any, variables: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.variables = list(variables)
        for i in range(1, ESTIMATE_ROWS + 1):
            self.fields[f"est{i}_kind"] = forms.ChoiceField(
                label=_("Kind"),
                required=False,
                choices=[("", _("(none)")), *[(k, k) for k in KINDS]],
            )
            self.fields[f"est{i}_variable"] = forms.CharField(
                label=_("Variable"), required=False, max_length=200
            )
            self.fields[f"est{i}_by"] = forms.CharField(
                label=_("By (comma list, optional)"), required=False, max_length=500
            )
            self.fields[f"est{i}_ci"] = forms.ChoiceField(
                label=_("Interval (proportions)"),
                required=False,
                choices=[(k, k) for k in CI_METHODS],
                initial="korn-graubard",
            )
            self.fields[f"est{i}_denominator"] = forms.CharField(
                label=_("Denominator (ratios)"), required=False, max_length=200
            )
        for i in range(1, MODEL_ROWS + 1):
            self.fields[f"model{i}_family"] = forms.ChoiceField(
                label=_("Family"),
                required=False,
                choices=[
                    ("", _("(none)")),
                    ("binomial", _("binomial (logistic)")),
                    ("gaussian", _("gaussian (linear)")),
                ],
            )
            self.fields[f"model{i}_formula"] = forms.CharField(
                label=_("Formula (y ~ x + C(group))"), required=False, max_length=1000
            )
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
                if name in ("replicate_weights",) or name.endswith("_formula"):
                    continue
                field.widget.attrs.update({"list": "variables", "autocomplete": "off"})

    # -- grouping for the template
    def rows(self, prefix: str, count: int, names: Sequence[str]) -> list[list[Any]]:
        return [[self[f"{prefix}{i}_{n}"] for n in names] for i in range(1, count + 1)]

    @property
    def estimate_rows(self) -> list[list[Any]]:
        return self.rows("est", ESTIMATE_ROWS, ("kind", "variable", "by", "ci", "denominator"))

    @property
    def model_rows(self) -> list[list[Any]]:
        return self.rows("model", MODEL_ROWS, ("family", "formula"))

    @property
    def design_fields(self) -> list[Any]:
        return [
            self[n]
            for n in (
                "design",
                "weights",
                "strata",
                "psu",
                "nest",
                "fpc",
                "lonely_psu",
                "replicate_weights",
                "replicate_type",
            )
        ]

    def _column(self, name: str, value: str) -> str:
        if value and value not in self.variables:
            self.add_error(name, _("%(name)s is not a variable of this file.") % {"name": value})
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answers: dict[str, Any] = {
            k: cleaned.get(k)
            for k in ("design", "nest", "lonely_psu", "replicate_type", "replicate_weights")
        }
        for name in ("weights", "strata", "psu", "fpc"):
            answers[name] = self._column(name, (cleaned.get(name) or "").strip())
        if answers["design"] == "replicates":
            if not answers["weights"]:
                self.add_error("weights", _("Replicate weights need the full-sample weights."))
            if not (answers["replicate_weights"] or "").strip():
                self.add_error("replicate_weights", _("Name the replicate weight columns."))
        missing: dict[str, list[int | float | str]] = {}
        for number, line in enumerate((cleaned.get("missing") or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, codes = line.partition("=")
            name = name.strip()
            values = [_code(c) for c in codes.split(",") if c.strip()]
            if not sep or not name or not values:
                self.add_error(
                    "missing",
                    _("Line %(line)s: write a variable, =, then its codes (GENHLTH = 7, 9).")
                    % {"line": number},
                )
                continue
            missing[self._column("missing", name)] = values
        answers["missing"] = missing
        estimates = []
        for i in range(1, ESTIMATE_ROWS + 1):
            kind = cleaned.get(f"est{i}_kind")
            variable = (cleaned.get(f"est{i}_variable") or "").strip()
            if not kind:
                continue
            if not variable:
                self.add_error(f"est{i}_variable", _("Choose the variable to estimate."))
                continue
            by = [self._column(f"est{i}_by", b) for b in _names(cleaned.get(f"est{i}_by", ""))]
            denominator = (cleaned.get(f"est{i}_denominator") or "").strip()
            if kind == "ratio" and not denominator:
                self.add_error(f"est{i}_denominator", _("A ratio needs a denominator."))
            estimates.append(
                {
                    "kind": kind,
                    "variable": self._column(f"est{i}_variable", variable),
                    "by": by,
                    "ci": cleaned.get(f"est{i}_ci") or "korn-graubard",
                    "denominator": self._column(f"est{i}_denominator", denominator),
                }
            )
        models = []
        for i in range(1, MODEL_ROWS + 1):
            family = cleaned.get(f"model{i}_family")
            formula = (cleaned.get(f"model{i}_formula") or "").strip()
            if not family:
                continue
            if "~" not in formula:
                self.add_error(
                    f"model{i}_formula", _("Write a formula such as: depressed ~ C(sex) + age.")
                )
                continue
            models.append({"family": family, "formula": formula})
        if not estimates and not models:
            raise forms.ValidationError(_("Ask for at least one estimate or one model."))
        answers["estimates"] = estimates
        answers["models"] = models
        cleaned["answers"] = answers
        return cleaned
