"""The family outreach kit: a poster and hand-out cards that carry a public survey link.

An organization admin downloads the kit from the page that shows a new public link once
(:func:`hopeful.web.surveys.views_admin.link_kit`); the link is printed as a QR code and as
text, with the organization's name and what families get from answering. The PDF is laid out
by WeasyPrint from a self-contained HTML document (the QR code is inline SVG, fonts are the
locally installed DejaVu family) through :func:`hopeful.web.reports.render.report_pdf`, whose
URL fetcher fetches nothing.

The words printed for families live here, per language, rather than in the ``.po`` catalogs:
print material is proofread as a whole, in each language, and must not change with a catalog
update. Nothing here touches the database; :func:`kit_pdf` is a pure function of its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypedDict

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

POSTER, CARD = "poster", "card"
KINDS = (POSTER, CARD)
LANGUAGES = ("en", "es")
LETTER, A4 = "letter", "a4"
PAPERS = (LETTER, A4)

#: The CSS ``@page`` size of each paper.
PAGE_SIZES = {LETTER: "letter", A4: "A4"}


@dataclass(frozen=True, slots=True)
class KitText:
    """Everything the kit says to families, in one language (``{org}`` is the organization)."""

    headline: str
    card_headline: str
    invitation: str
    benefits: tuple[str, ...]
    card_benefits: tuple[str, ...]
    scan: str
    type_address: str
    tagline: str


class OwnChildhoodText(TypedDict):
    """The words :data:`OWN_CHILDHOOD` changes: headlines, and the subject (long, short)."""

    headline: str
    card_headline: str
    subject: tuple[str, str]


TEXTS: dict[str, KitText] = {
    "en": KitText(
        headline="Tell us about the good things in your child's life",
        card_headline="Share the good things in your child's life",
        invitation="{org} invites your family to answer a short questionnaire.",
        benefits=(
            "It takes just a few minutes, on your phone.",
            "The questions are about the good things in your child's life: the people, "
            "places and activities that help them grow.",
            "At the end, you can see a summary of your family's strengths.",
            "Your answers are private and are handled by {org}.",
        ),
        card_benefits=(
            "Just a few minutes, on your phone.",
            "Questions about the good things in your child's life.",
            "At the end, see a summary of your family's strengths.",
            "Private answers, handled by {org}.",
        ),
        scan="Scan the code with your phone's camera",
        type_address="or type this address:",
        tagline="Healthy Outcomes from Positive Experiences",
    ),
    "es": KitText(
        headline="Cuéntenos sobre las cosas buenas en la vida de su hijo o hija",
        card_headline="Comparta las cosas buenas en la vida de su hijo o hija",
        invitation="{org} invita a su familia a responder un cuestionario breve.",
        benefits=(
            "Solo toma unos minutos, desde su teléfono.",
            "Las preguntas son sobre las cosas buenas en la vida de su hijo o hija: las "
            "personas, los lugares y las actividades que le ayudan a crecer.",
            "Al final, podrá ver un resumen de las fortalezas de su familia.",
            "Sus respuestas son privadas y {org} se encarga de ellas.",
        ),
        card_benefits=(
            "Solo unos minutos, desde su teléfono.",
            "Preguntas sobre las cosas buenas en la vida de su hijo o hija.",
            "Al final, vea un resumen de las fortalezas de su familia.",
            "Respuestas privadas, a cargo de {org}.",
        ),
        scan="Escanee el código con la cámara de su teléfono",
        type_address="o escriba esta dirección:",
        tagline="Resultados saludables a partir de experiencias positivas",
    ),
}

#: What changes when the questionnaires are about the adult's own childhood (PCEs, BCEs,
#: ACEs), not about a child: the questions' subject, nothing else.
OWN_CHILDHOOD: dict[str, OwnChildhoodText] = {
    "en": {
        "headline": "Tell us about the good things in your own childhood",
        "card_headline": "Share the good things in your own childhood",
        "subject": (
            "The questions are about the good things in your own childhood: the people and "
            "places that helped you grow.",
            "Questions about the good things in your own childhood.",
        ),
    },
    "es": {
        "headline": "Cuéntenos sobre las cosas buenas de su propia infancia",
        "card_headline": "Comparta las cosas buenas de su propia infancia",
        "subject": (
            "Las preguntas son sobre las cosas buenas de su propia infancia: las personas y "
            "los lugares que le ayudaron a crecer.",
            "Preguntas sobre las cosas buenas de su propia infancia.",
        ),
    },
}


def kit_text(language: str, *, about_child: bool) -> KitText:
    """The kit's words in ``language``: about the family's child, or about the adult's own
    childhood when no questionnaire of the campaign asks about a child."""
    words = TEXTS[language]
    if about_child:
        return words
    own = OWN_CHILDHOOD[language]
    long_subject, short_subject = own["subject"]
    return replace(
        words,
        headline=own["headline"],
        card_headline=own["card_headline"],
        benefits=(words.benefits[0], long_subject, *words.benefits[2:]),
        card_benefits=(words.card_benefits[0], short_subject, *words.card_benefits[2:]),
    )


#: Hand-out cards printed on each sheet (cut along the dashed lines).
CARDS_PER_SHEET = 4


def kit_filename(*, kind: str, language: str, paper: str) -> str:
    """The download's file name, e.g. ``hopeful-poster-en-letter.pdf`` (never the token)."""
    return f"hopeful-{kind}-{language}-{paper}.pdf"


def qr_svg(url: str) -> SafeString:
    """``url`` as a QR code, inline SVG sized by CSS (a quiet zone of four modules).

    Error correction level M survives a crease or a smudge on paper and keeps the modules of
    a ~70-character link large enough to scan from a printed card."""
    code = segno.make_qr(url, error="m")
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None)
    # segno writes only the modules' path: markup of our own making, with the URL encoded
    # as geometry, never as text.
    return mark_safe(svg)  # noqa: S308


def _text(language: str, organization_name: str, *, about_child: bool) -> dict[str, object]:
    words = kit_text(language, about_child=about_child)
    # str.replace, not format: a brace in an organization's name must not break the text
    org = organization_name

    def fill(text: str) -> str:
        return text.replace("{org}", org)

    return {
        "headline": words.headline,
        "card_headline": words.card_headline,
        "invitation": fill(words.invitation),
        "benefits": [fill(line) for line in words.benefits],
        "card_benefits": [fill(line) for line in words.card_benefits],
        "scan": words.scan,
        "type_address": words.type_address,
        "tagline": words.tagline,
    }


def kit_html(
    *,
    kind: str,
    language: str,
    paper: str,
    url: str,
    organization_name: str,
    about_child: bool = True,
) -> str:
    """The kit as one self-contained HTML document (styles inline, the QR code inline SVG)."""
    if kind not in KINDS or language not in LANGUAGES or paper not in PAPERS:
        raise ValueError(f"no such kit: {kind!r}, {language!r}, {paper!r}")
    context = {
        "language": language,
        "page_size": PAGE_SIZES[paper],
        "url": url,
        "organization_name": organization_name,
        "qr": qr_svg(url),
        "text": _text(language, organization_name, about_child=about_child),
        "cards": range(CARDS_PER_SHEET),
    }
    with translation.override(language):
        return render_to_string(f"surveys/kit/{kind}.html", context)


def kit_pdf(
    *,
    kind: str,
    language: str,
    paper: str,
    url: str,
    organization_name: str,
    about_child: bool = True,
) -> bytes:
    """The poster (one page) or a sheet of hand-out cards, as PDF bytes.

    ``kind`` is ``poster`` or ``card``, ``language`` ``en`` or ``es``, ``paper`` ``letter`` or
    ``a4``; ``url`` is the survey's start address in that language; ``about_child``: whether
    the questionnaires ask about a child (else about the adult's own childhood). Raises
    ``ValueError`` for any other choice."""
    # imported here: the survey's forms import this module, and the family's pages need not
    # load the report stack (WeasyPrint, the dashboard) to show a question
    from hopeful.web.reports.render import report_pdf

    html = kit_html(
        kind=kind,
        language=language,
        paper=paper,
        url=url,
        organization_name=organization_name,
        about_child=about_child,
    )
    return report_pdf(html)
