"""A program PDF report is written in the language it was asked in (Spanish, and English).

The report is asked for through the page (under ``/es/`` for Spanish: the report keeps the
request's language), made by the real database worker, and the text of the PDF it produced is
read back with pypdf. Expected words come from the compiled catalogue (``gettext`` of the
English msgids the report's templates and ``render.py`` use, in the report's language), never
from guesses typed here; expected numbers come from the dashboard page for the same filters,
and its counts are the published (perturbed) counts of exactly the submissions made here.
Time is frozen in 2026 Q3.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from pypdf import PdfReader

from hopeful.web.insights import formatting, protection
from hopeful.web.insights import selectors as insights
from hopeful.web.insights.periods import Period, quarter_label
from hopeful.web.organizations.models import Role
from hopeful.web.reports import render
from hopeful.web.reports.models import Report, ReportKind, ReportStatus
from tests.web import factories as f
from tests.web.insights.factories import add_submissions, expected_count, tenant

pytestmark = pytest.mark.django_db(transaction=True)

TEMPLATE = "reports/report_pdf.html"

#: English msgids of labels this report shows for the data made below (its headings, table
#: headings and fixed notes), looked up in the catalogue in the report's language.
LABELS = (
    "Program report",
    "Program",
    "Period",
    "Questionnaire",
    "Prepared",
    "Summary",
    "Reach",
    "Submissions by program",
    "Submissions by language",
    "Language",
    "Submissions counted",
    "Not counted: no consent to program improvement",
    "Respondents",
    "Share of respondents with each building block met (at least one experience)",
    "Building block",
    "Share of respondents with each experience",
    "Experience",
    "The table below has the same numbers.",
    "Share",
    "95% confidence interval",
    "Answers (n)",
    "Note",
    "not shown",
    "Groups",
    "Share of respondents in each group",
    "Group",
    "Trend",
    "Who has access to positive experiences",
    "Gap to everyone",
    "Larger than chance?",
    "Methods and notes",
    "Who is counted",
    "Only submissions of families whose consent covers program improvement are counted; the "
    "report holds group totals, never a family's answers.",
    "How the numbers are estimated",
    "Methods: each percentage is estimated treating the program's respondents as a simple "
    "random sample, with a 95% Korn–Graubard confidence interval.",
    "These are the dashboard's numbers for the same filters, with the same protection.",
    "What is hidden, and why",
    "Numbers not shown in this report",
    "Section",
    "Measure",
    "Why",
    "Published figures",
)

#: The note the report's hidden numbers point to (a ``blocktranslate`` msgid of the template).
PROTECT_NOTE = (
    "How numbers are protected: every published count is the true count plus a small change "
    "(at most %(noise)s either way) drawn from a fixed table by the families it counts, so the "
    "same families always give the same number however the view is chosen, and comparing "
    'views gives no exact count. Counts below %(below)s are shown as "fewer than '
    '%(below)s", and a percentage whose count is fewer than %(below)s is not shown. A 0 '
    "always means none. Percentages and their intervals are estimated from all the changed "
    "counts of their table together (programs, periods and groups add up to one another), "
    "which is more precise than their own two counts alone, so a percentage can differ a "
    "little from the ratio of the counts shown. Pooling a longer period or all programs may "
    "show hidden numbers."
)

#: Msgids of ``render.py`` that the catalogue does not have (none now).
NOT_IN_CATALOGUE: set[str] = set()


# -- the report's msgids, read from its templates and render.py --------------------------------

TRANSLATE = re.compile(r'{%\s*translate\s+"([^"]*)"')
BLOCK = re.compile(r"{%\s*blocktranslate\b[^%]*%}(.*?){%\s*endblocktranslate\s*%}", re.S)
PLURAL = re.compile(r"{%\s*plural\s*%}")
INCLUDE = re.compile(r'{%\s*include\s+"([^"]+)"')
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def template_sources(name: str) -> list[str]:
    """The report template and every template it includes."""
    source = get_template(name).template.source
    out = [source]
    for included in INCLUDE.findall(source):
        out.extend(template_sources(included))
    return out


def report_messages() -> list[tuple[str, str | None]]:
    """(msgid, msgid_plural or None) of every text the report template, its includes and
    ``render.py`` translate, written as in the catalogue."""
    found: list[tuple[str, str | None]] = []
    for source in template_sources(TEMPLATE):
        # Django looks up `translate` literals and blocktranslate text with '%' doubled.
        found.extend((text.replace("%", "%%"), None) for text in TRANSLATE.findall(source))
        for body in BLOCK.findall(source):
            forms = [
                VARIABLE.sub(r"%(\1)s", part.replace("%", "%%")) for part in PLURAL.split(body)
            ]
            found.append((forms[0], forms[1] if len(forms) > 1 else None))
    tree = ast.parse(Path(render.__file__).read_text(encoding="utf-8"))
    found.extend((msgid, None) for node in ast.walk(tree) if (msgid := gettext_literal(node)))
    return list(dict.fromkeys(found))


def gettext_literal(node: ast.AST) -> str | None:
    """The msgid of a ``_("...")`` call (render.py imports gettext as ``_``)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None


def shown_text(msgid: str, plural: str | None = None, count: int = 2) -> str:
    """A message in the active language, with its placeholders left in."""
    return ngettext(msgid, plural, count) if plural else gettext(msgid)


def tr(msgid: str) -> str:
    """A ``{% translate %}`` label as the template shows it in the active language."""
    return gettext(msgid.replace("%", "%%")).replace("%%", "%")


def fragments(text: str) -> set[str]:
    """The words of a message around its placeholders, long enough to be telling."""
    out = set()
    for part in PLACEHOLDER.split(text):
        piece = part.replace("%%", "%").strip(" .,:;()")
        if sum(c.isalpha() for c in piece) >= 3:
            out.add(piece)
    return out


def report_words(language: str) -> set[str]:
    """Every telling fragment of the report's messages in ``language``."""
    out: set[str] = set()
    with translation.override(language):
        for msgid, plural in report_messages():
            if msgid in NOT_IN_CATALOGUE:
                continue
            out |= fragments(shown_text(msgid, plural, 1))
            if plural:
                out |= fragments(shown_text(msgid, plural, 2))
    return out


# -- reading the PDF ---------------------------------------------------------------------------


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class PdfText:
    """The text of a PDF's pages. Lines wrap anywhere in a table cell, so phrases are looked
    for with whitespace removed; single words are looked for as whole words."""

    def __init__(self, pdf: bytes) -> None:
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
        self.pages = [" ".join(page.split()) for page in pages]
        self.words = " ".join(self.pages)
        self.squashed = squash(self.words)

    def has(self, text: str) -> bool:
        if " " not in text.strip():
            return self.has_word(text)
        return squash(text) in self.squashed

    def has_word(self, word: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(word.strip())}(?!\w)", self.words) is not None

    def has_row(self, *cells: str) -> bool:
        """Cells of one table row, read in order."""
        return squash("".join(cells)) in self.squashed


# -- the data, the request and the worker ------------------------------------------------------


def this_quarter() -> Period:
    today = timezone.localdate()
    return Period(today.year, (today.month - 1) // 3 + 1)


def this_quarter_pair() -> tuple[int, int]:
    period = this_quarter()
    assert period.year is not None
    assert period.quarter is not None
    return period.year, period.quarter


#: The moment the tests run at (2026 Q3): the report's period is this quarter.
TODAY = dt.datetime(2026, 8, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> None:
    # ticking, so the worker's own timing goes on
    time_machine.move_to(TODAY, tick=True)


def make_data(client: Client, t: dict[str, Any]) -> dict[str, str]:
    """120 English and 5 Spanish submissions this quarter (5: published as 1 to 9, "fewer
    than 11", whatever their keys; 120: every share of the trend's one point shown);
    signed in as an analyst. Returns the dashboard filters
    of the report: all programs, this quarter, the language breakdown."""
    program, campaign, link = tenant(t)
    now = timezone.now()
    english = add_submissions(program, campaign, link, 120, when=now)
    spanish = add_submissions(program, campaign, link, 5, language="es", when=now, start=120)
    f.login_verified(client, t["members_a"][Role.ANALYST])
    t["submissions"] = english + spanish
    return {"period": this_quarter().key, "instrument": "pce7", "breakdown": "language"}


def url(name: str, language: str, *args: Any) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def ask(client: Client, t: dict[str, Any], language: str, query: dict[str, str]) -> Report:
    """Ask for a PDF report on the reports page in ``language`` (``/es/...`` for Spanish)."""
    page = url("reports:list", language, t["org_a"].public_id)
    assert page.startswith("/es/") == (language == "es")
    response = client.post(page, {"kind": ReportKind.PDF, **query})
    assert response.status_code == 302, response.content[:500]
    return Report.objects.latest("created_at")


def run_worker() -> None:
    """The database queue's real worker: every task waiting now, then exit."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())


def page_dashboard(
    client: Client, t: dict[str, Any], language: str, report: Report
) -> insights.Dashboard:
    """The dashboard the page shows, in ``language``, for the report's stored filters."""
    names = ("program", "period", "instrument", "breakdown", "outcome")
    query = urlencode({name: report.filters.get(name, "") for name in names})
    response = client.get(url("insights:dashboard", language, t["org_a"].public_id) + "?" + query)
    assert response.status_code == 200
    dashboard: insights.Dashboard = response.context["dashboard"]
    return dashboard


def numbers(dashboard: insights.Dashboard) -> list[object]:
    """Every count and estimate of a dashboard, in order (no words: a trend point by its
    month, since its key carries its label)."""
    reach = dashboard.reach
    counts = [r.count.value for r in [*reach.by_program, *reach.by_language]]
    counts += [reach.total.value, reach.left_out.value, dashboard.respondents.value]
    counts += [reach.invited.value, reach.answered.value]
    trend = [p.month for p in dashboard.trend.points] if dashboard.trend else []
    estimates = [
        (e.key if not e.key.startswith("trend:") else "trend", e.estimate, e.ci_low, e.ci_high, e.n)
        for e in dashboard.all_estimates
    ]
    return [*counts, *trend, *estimates]


def made_report(
    client: Client, t: dict[str, Any], language: str
) -> tuple[Report, PdfText, insights.Dashboard]:
    query = make_data(client, t)
    report = ask(client, t, language, query)
    assert report.language == language
    assert report.status == ReportStatus.QUEUED
    run_worker()
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    return report, PdfText(bytes(report.content)), page_dashboard(client, t, language, report)


# -- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_pdf_report_is_written_in_the_language_it_was_asked_in(
    client: Client, two_tenants: dict[str, Any], language: str
) -> None:
    t = two_tenants
    report, text, dashboard = made_report(client, t, language)
    other = "es" if language == "en" else "en"
    # the same view in the other language: the same numbers, other words
    elsewhere = page_dashboard(client, t, other, report)
    assert numbers(elsewhere) == numbers(dashboard)

    with translation.override(language):
        # the report's labels, in the catalogue's words for the language
        missing = [msgid for msgid in LABELS if not text.has(tr(msgid))]
        assert not missing, missing
        assert text.has_row(dashboard.organization, tr("Program report"))
        # the period is this quarter, named as the language names quarters ("T3 2026")
        year, quarter = this_quarter_pair()
        assert dashboard.filters.period_label == quarter_label(year, quarter)
        assert text.has(dashboard.filters.period_label)
        # the trend spans the quarters with answers: only this one
        assert dashboard.trend is not None
        assert [p.estimate.label for p in dashboard.trend.points] == [quarter_label(year, quarter)]
        for point in dashboard.trend.points:
            e = point.estimate
            assert e.shown
            assert text.has_row(e.label, formatting.value_text(e.estimate), formatting.ci_text(e))
        if language == "es":
            assert quarter_label(year, quarter) == f"T{quarter} {year}"
            assert not re.search(rf"\b{year} Q[1-4]\b", text.words)
            # the catalogue answered: every label looked for above was in Spanish
            assert not [msgid for msgid in LABELS if tr(msgid) == msgid]
        else:
            assert not re.search(rf"\bT[1-4] {year}\b", text.words)

        # the dashboard's numbers for the same filters, with the same words around them
        assert dashboard.reach.total == expected_count(t["submissions"])
        for line in render.summary(dashboard):
            assert text.has(line), line
        for row in [*dashboard.reach.by_program, *dashboard.reach.by_language]:
            assert text.has_row(row.label, formatting.count_text(row.count)), row
        shown = [e for e in [*dashboard.blocks, *dashboard.items, *dashboard.bands] if e.shown]
        assert len(shown) >= 5
        for e in shown:
            value = formatting.value_text(e.estimate, e.kind)
            ci = formatting.ci_text(e)
            assert text.has_row(value, ci, formatting.count_text(e.n)), e.label
            assert text.has(e.label), e.label

        # every hidden number is listed with its reason, in the language of the report
        notes = render.hidden_notes(dashboard)
        assert any(note.reason == formatting.hidden_count_text() for note in notes)
        # the Spanish-speaking group of the language breakdown: hidden to protect it
        assert any(note.reason == protection.protected_reason(11) for note in notes)
        for note in notes:
            assert text.has_row(note.section, note.label, note.reason), note
        assert text.has(
            gettext(PROTECT_NOTE) % {"below": dashboard.threshold, "noise": dashboard.max_noise}
        )
        language_note = f"{gettext('Language')}: {gettext('Spanish')}"
        assert text.has_row(gettext("Reach"), language_note, formatting.hidden_count_text())
    with translation.override(other):
        other_notes = render.hidden_notes(elsewhere)
    assert len(other_notes) == len(notes)
    for note, other_note in zip(notes, other_notes, strict=True):
        for ours, theirs in ((note.section, other_note.section), (note.reason, other_note.reason)):
            assert ours != theirs, note
            assert not text.has(theirs), other_note

    # and nothing of the report's own wording in the other language
    foreign = report_words(other) - report_words(language)
    assert len(foreign) > 50
    leaked = sorted(words for words in foreign if text.has(words))
    assert not leaked, leaked


def test_every_text_of_the_report_has_a_spanish_translation() -> None:
    messages = [(m, p) for m, p in report_messages() if m not in NOT_IN_CATALOGUE]
    assert len(messages) > 80
    with translation.override("es"):
        untranslated = [m for m, p in messages if shown_text(m, p) == (p or m)]
    assert not untranslated, untranslated


def test_the_page_numbers_of_a_spanish_report_are_in_spanish(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    _, text, _ = made_report(client, two_tenants, "es")
    with translation.override("es"):
        page, of = gettext("Page"), gettext("of")
    assert (page, of) != ("Page", "of")
    assert re.search(rf"{re.escape(page)} 1 {re.escape(of)} \d+", text.pages[0])
    assert not re.search(r"\bPage \d+ of \d+", text.words)
