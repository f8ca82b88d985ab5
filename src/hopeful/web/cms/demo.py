"""The demo's public site: what `hopeful demo` publishes so a newcomer sees a living site.

:func:`site_load` fills the site the migrations created (an English home page at the site's
root, the Spanish locale, the library's facets): the home page's text and calls to action, the
about and get-involved pages, the Four Building Blocks, support and contact, the resource
library with its community toolkit (40 resources, with small PDFs made on the spot), and the
news (10 posts with drawn lead images). Every page is published in English and in Spanish
(translated with Wagtail's ``copy_for_translation``, so the two versions are linked), except
two resources and one post left in English only, so the site's "not translated yet" page has
something to show. Every page is marked as sample content, and says so to its readers.

The texts are data, in :mod:`hopeful.web.cms.demo_content` and the modules next to it.
Pages are published through revisions, as the CMS publishes them (revisions and log entries
exist, the audit trail records them); the search index is rebuilt at the end, so the library's
search works at once, without waiting for ``hopeful worker``.

Safe to run again: when the home page already has a resource library (the demo's, or one
staff made), nothing is changed; nor when it has pages at the addresses the demo's take.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import math
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from wagtail.images.models import Image
from wagtail.log_actions import log
from wagtail.models import Collection, Locale, Page, Site

from hopeful.web.cms.demo_content import (
    HOME_BODY,
    HOME_INTRO,
    HOME_TITLE_ES,
    SECTIONS,
    TOOLKIT,
    Body,
    Resource,
    Section,
)
from hopeful.web.cms.demo_content_files import ILLUSTRATIONS, LEAFLETS, Illustration, Leaflet
from hopeful.web.cms.demo_content_library import FAMILY_RESOURCES, TOOLKIT_RESOURCES
from hopeful.web.cms.demo_content_news import POSTS, Post
from hopeful.web.cms.demo_content_practice import PRACTICE_RESOURCES
from hopeful.web.cms.models import (
    BuildingBlockPage,
    ContactPage,
    Facet,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ResourceDocument,
    ResourceFile,
    ResourceIndexPage,
    ResourcePage,
    StandardPage,
    SupportPage,
    ToolkitPage,
)

EN, ES = 0, 1
#: The facet kinds of a resource's ``tags``, in their order there.
FACET_KINDS = (
    ("block", "blocks"),
    ("audience", "audiences"),
    ("language", "languages"),
    ("age", "age_bands"),
)
IMAGE_SIZE = (1200, 675)
#: The demo's pages and blocks have ids derived from this (and from their address), so that
#: loading the demo twice into empty databases gives the same rows.
NAMESPACE = uuid.UUID("5f1d7a52-4d0e-4c36-9a43-1b7c2f0e8d61")
SAMPLE_LINE = "Sample content — HOPEful demo · Contenido de muestra — demostración de HOPEful"


@dataclass
class SiteDemoResult:
    created: bool
    """Whether this run published the site (False: it was there already, left as it was)."""
    english: int = 0
    """Live English pages of the site, the home page included."""
    spanish: int = 0
    resources: int = 0
    """Live English resources."""
    posts: int = 0
    documents: int = 0
    images: int = 0
    untranslated: list[str] = field(default_factory=list)
    """Slugs of the pages left in English only."""
    seconds: float = 0.0

    def line(self) -> str:
        pages = f"{self.english} pages in English and {self.spanish} in Spanish"
        if not self.created:
            return f"Public site: {pages}, loaded before (left as it is)."
        return (
            f"Public site: {pages} ({self.resources} resources, {self.posts} posts), "
            f"published as sample content ({self.seconds:.1f} s)."
        )


# -- files -------------------------------------------------------------------------------------


def leaflet_pdf(leaflet: Leaflet) -> bytes:
    """A one-page PDF: the title in both languages, its points in English then Spanish."""
    from weasyprint import HTML  # slow to import: only when the demo makes its files

    def points(language: int) -> str:
        return "".join(f"<li>{html.escape(p[language])}</li>" for p in leaflet.points)

    page = f"""<html lang="en"><head><meta charset="utf-8"><style>
@page {{ size: letter; margin: 2cm; }}
body {{ font-family: sans-serif; color: #222; font-size: 12pt; }}
.bar {{ height: 10mm; background: {leaflet.color}; margin-bottom: 8mm; }}
h1 {{ color: {leaflet.color}; font-size: 22pt; margin: 0 0 2mm; }}
h2 {{ color: #555; font-size: 15pt; font-weight: normal; margin: 0 0 6mm; }}
li {{ margin: 0 0 3mm; }}
.language {{ color: #777; font-size: 9pt; letter-spacing: 0.1em; margin-top: 8mm; }}
footer {{ position: fixed; bottom: 0; color: #777; font-size: 9pt; }}
</style></head><body>
<div class="bar"></div>
<h1>{html.escape(leaflet.title[EN])}</h1>
<h2 lang="es">{html.escape(leaflet.title[ES])}</h2>
<p class="language">ENGLISH</p><ul>{points(EN)}</ul>
<p class="language">ESPAÑOL</p><ul lang="es">{points(ES)}</ul>
<footer>{html.escape(SAMPLE_LINE)}</footer>
</body></html>"""
    return cast(bytes, HTML(string=page).write_pdf())


def _rgb(color: str, alpha: int = 255) -> tuple[int, int, int, int]:
    return (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16), alpha)


def illustration_png(illustration: Illustration) -> bytes:
    """An abstract drawing in the building blocks' colours, 1200×675 (see its ``alt``)."""
    from PIL import Image as Picture
    from PIL import ImageDraw

    width, height = IMAGE_SIZE
    colors = illustration.colors
    canvas = Picture.new("RGBA", IMAGE_SIZE, _rgb("#f7f1e3"))
    if illustration.style == "circles":
        for (dx, dy), color in zip(((-1, -1), (1, -1), (-1, 1), (1, 1)), colors, strict=False):
            x, y, r = width / 2 + dx * 150, height / 2 + dy * 95, 205
            sheet = Picture.new("RGBA", IMAGE_SIZE, (0, 0, 0, 0))
            ImageDraw.Draw(sheet).ellipse((x - r, y - r, x + r, y + r), fill=_rgb(color, 170))
            canvas = Picture.alpha_composite(canvas, sheet)
    elif illustration.style == "hills":
        canvas = Picture.new("RGBA", IMAGE_SIZE, _rgb("#e6efe4"))
        draw = ImageDraw.Draw(canvas)
        for n, color in enumerate(reversed(colors)):
            base, amplitude, phase = 330 + n * 110, 60 - n * 10, n * 1.7
            outline = [
                (x, base + amplitude * math.sin(x / (170 + 40 * n) + phase))
                for x in range(0, width + 20, 20)
            ]
            draw.polygon([*outline, (width, height), (0, height)], fill=_rgb(color))
    elif illustration.style == "network":
        rng = random.Random(illustration.key)  # noqa: S311 - a drawing, not a secret
        dots = [(rng.uniform(80, width - 80), rng.uniform(70, height - 70)) for _ in range(22)]
        draw = ImageDraw.Draw(canvas)
        for i, (x1, y1) in enumerate(dots):
            for x2, y2 in dots[i + 1 :]:
                if math.dist((x1, y1), (x2, y2)) < 300:
                    draw.line((x1, y1, x2, y2), fill=_rgb(colors[1]), width=4)
        for x, y in dots:
            radius = rng.uniform(10, 34)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=_rgb(colors[0]))
    elif illustration.style == "rings":
        draw = ImageDraw.Draw(canvas)
        x, y = width * 0.35, height * 0.5
        for n, r in enumerate(range(760, 30, -60)):
            fill = _rgb(colors[n % 2]) if n % 2 else _rgb("#f7f1e3")
            draw.ellipse((x - r, y - r, x + r, y + r), fill=fill, outline=_rgb(colors[0]), width=6)
        draw.ellipse((x - 30, y - 30, x + 30, y + 30), fill=_rgb(colors[0]))
    else:  # arcs
        draw = ImageDraw.Draw(canvas)
        x, y, r = width / 2, height / 2, 260
        draw.arc((x + 40 - r, y - r, x + 40 + r, y + r), 120, 240, fill=_rgb(colors[0]), width=44)
        draw.arc((x - 40 - r, y - r, x - 40 + r, y + r), 300, 60, fill=_rgb(colors[0]), width=44)
        draw.ellipse((x - 48, y - 48, x + 48, y + 48), fill=_rgb(colors[1]))
    out = io.BytesIO()
    canvas.convert("RGB").save(out, format="PNG")
    return out.getvalue()


def _stored(field: Any, folder: str, stem: str, content: bytes, extension: str) -> str:
    """Where ``content`` is in the storage of the file field ``field``: named after its hash,
    so loading the demo again (into a new database) reuses the file instead of copying it,
    and the same content always has the same name."""
    name = f"{folder}/hopeful-demo-{stem}-{hashlib.sha256(content).hexdigest()[:12]}.{extension}"
    if not field.storage.exists(name):
        name = field.storage.save(name, ContentFile(content))
    return name


def _sha1(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324 - Wagtail's file hash, not a secret


def _documents() -> dict[str, ResourceDocument]:
    """The library's PDFs, made now (or found by their title, made by an earlier run)."""
    collection = Collection.get_first_root_node()
    field = ResourceDocument._meta.get_field("file")
    documents = {}
    for leaflet in LEAFLETS:
        title = f"{leaflet.title[EN]} (HOPEful demo)"
        document = ResourceDocument.objects.filter(title=title).first()
        if document is None:
            pdf = leaflet_pdf(leaflet)
            document = ResourceDocument.objects.create(
                title=title,
                file=_stored(field, "documents", leaflet.key, pdf, "pdf"),
                collection=collection,
                file_size=len(pdf),
                file_hash=_sha1(pdf),
            )
        documents[leaflet.key] = document
    return documents


def _images() -> dict[str, Image]:
    """The news's lead images, drawn now (or found by their title)."""
    collection = Collection.get_first_root_node()
    field = Image._meta.get_field("file")
    width, height = IMAGE_SIZE
    images = {}
    for illustration in ILLUSTRATIONS:
        image = Image.objects.filter(title=illustration.title).first()
        if image is None:
            png = illustration_png(illustration)
            image = Image.objects.create(
                title=illustration.title,
                file=_stored(field, "original_images", illustration.key, png, "png"),
                width=width,
                height=height,
                collection=collection,
                file_size=len(png),
                file_hash=_sha1(png),
            )
        images[illustration.key] = image
    return images


# -- pages -------------------------------------------------------------------------------------


def _paragraph(text: str) -> str:
    return text if text.startswith("<") else f"<p>{text}</p>"


class _SiteLoader:
    """Publishes the English pages, then their Spanish translations in the same order."""

    def __init__(self, *, today: dt.date, home: HomePage, spanish: Locale) -> None:
        self.today = today
        self.home = home
        self.spanish = spanish
        self.facets = {(f.kind, f.code): f for f in Facet.objects.all()}
        self.documents = _documents()
        self.images = _images()
        #: slug -> page, per language (for the links of the "action" blocks).
        self.pages: tuple[dict[str, Page], dict[str, Page]] = ({}, {})
        #: (English page, what its Spanish version gets), in tree order.
        self.translations: list[tuple[Page, Callable[[Any], None]]] = []
        self.untranslated: list[str] = []

    # publishing

    def publish(self, page: Page) -> Page:
        page.sample = True
        # Publishing saves the page, which validates it: no need to validate twice.
        page.save_revision(clean=False).publish()
        return type(page).objects.get(pk=page.pk)

    def add(self, parent: Page, page: Page, spanish: Callable[[Any], None] | None) -> Page:
        page.live = False
        page.translation_key = uuid.uuid5(NAMESPACE, f"{parent.url_path}{page.slug}/")
        parent.add_child(instance=page)
        log(instance=page, action="wagtail.create", content_changed=True)
        page = self.publish(page)
        self.pages[EN][page.slug] = page
        if spanish is None:
            self.untranslated.append(page.slug)
        else:
            self.translations.append((page, spanish))
        return page

    def translate(self) -> None:
        """The Spanish version of every page, parents first; the home page last, once the
        pages its calls to action link to are there."""
        draft = self.home.get_translation_or_none(self.spanish)
        if draft is None:
            draft = self.home.copy_for_translation(self.spanish)
        for english, fill in self.translations:
            page = english.copy_for_translation(self.spanish, copy_parents=True)
            fill(page)
            self.pages[ES][page.slug] = self.publish(page)
        # As it is now, with its children (a revision keeps the tree fields it was made from).
        home = HomePage.objects.get(pk=draft.pk)
        home.title = HOME_TITLE_ES
        home.intro = HOME_INTRO[ES]
        home.body = self.stream(HOME_BODY, ES, key="home")
        self.publish(home)

    def stream(self, body: Body, language: int, *, key: str) -> list[dict[str, Any]]:
        """A StreamField's value from a body of the demo's content (``key``: the page's)."""
        blocks: list[dict[str, Any]] = []
        for n, (kind, *parts) in enumerate(body):
            if kind == "heading":
                value: Any = parts[0][language]
            elif kind == "paragraph":
                value = _paragraph(parts[0][language])
            elif kind == "quote":
                value = {"quote": parts[0][language], "source": parts[1][language]}
            else:  # action
                title, text, label, slug = parts
                value = {
                    "title": title[language],
                    "text": text[language],
                    "page": self.pages[language][slug].pk,
                    "url": "",
                    "label": label[language],
                }
            block_id = uuid.uuid5(NAMESPACE, f"{key}/{language}/{n}")
            blocks.append({"type": kind, "value": value, "id": str(block_id)})
        return blocks

    # the site's pages

    def load(self) -> None:
        for section in SECTIONS:
            page = self.add(self.home, self.section_page(section, EN), self.section_fill(section))
            if section.kind == "library":
                self.library(page)
            elif section.kind == "news":
                for post in POSTS:
                    self.post(page, post)
        self.home.intro = HOME_INTRO[EN]
        self.home.body = self.stream(HOME_BODY, EN, key="home")
        self.home = self.publish(self.home)
        self.translate()

    def section_page(self, section: Section, language: int) -> Page:
        common = {
            "title": section.title[language],
            "slug": section.slug,
            "show_in_menus": section.menu,
        }
        intro = section.intro[language]
        body = self.stream(section.body, language, key=section.slug)
        match section.kind:
            case "standard":
                return StandardPage(**common, intro=intro, body=body)
            case "block":
                return BuildingBlockPage(**common, block=section.block, intro=intro, body=body)
            case "support":
                donate = section.donate[language]
                return SupportPage(**common, intro=intro, body=body, donate_label=donate)
            case "contact":
                return ContactPage(**common, intro=intro, thanks=section.thanks[language])
            case "library":
                return ResourceIndexPage(**common, intro=intro)
            case "news":
                return NewsIndexPage(**common, intro=intro)
            case "toolkit":
                return ToolkitPage(**common, intro=intro, body=body)
        raise ValueError(f"unknown kind of page: {section.kind}")

    def section_fill(self, section: Section) -> Callable[[Any], None]:
        def fill(page: Any) -> None:
            page.title = section.title[ES]
            page.intro = section.intro[ES]
            if hasattr(page, "body"):
                page.body = self.stream(section.body, ES, key=section.slug)
            if section.kind == "contact":
                page.thanks = section.thanks[ES]
            if section.kind == "support":
                page.donate_label = section.donate[ES]

        return fill

    # the library

    def library(self, index: Page) -> None:
        toolkit = self.add(index, self.section_page(TOOLKIT, EN), self.section_fill(TOOLKIT))
        for resource in TOOLKIT_RESOURCES:
            self.resource(toolkit, resource)
        for resource in (*FAMILY_RESOURCES, *PRACTICE_RESOURCES):
            self.resource(index, resource)

    def resource(self, parent: Page, resource: Resource) -> None:
        published_on = self.today - dt.timedelta(days=resource.days_ago)
        page = ResourcePage(
            title=resource.title[EN],
            slug=resource.slug,
            summary=resource.summary[EN],
            format=resource.format,
            published_on=published_on,
            body=_paragraph(resource.body[EN]),
            link=resource.link,
            citation=self.citation(resource, published_on, EN),
        )
        for (kind, attribute), codes in zip(FACET_KINDS, resource.tags.split(";"), strict=True):
            setattr(page, attribute, [self.facets[kind, code] for code in codes.split()])
        page.files = self.files(resource, EN)

        def fill(spanish: Any) -> None:
            spanish.title = resource.title[ES]
            spanish.summary = resource.summary[ES]
            spanish.body = _paragraph(resource.body[ES])
            spanish.citation = self.citation(resource, published_on, ES)
            spanish.files = self.files(resource, ES)

        self.add(parent, page, fill if resource.translated else None)

    def files(self, resource: Resource, language: int) -> list[ResourceFile]:
        return [
            ResourceFile(document=self.documents[key], label=label[language], sort_order=n)
            for n, (key, label) in enumerate(resource.files)
        ]

    @staticmethod
    def citation(resource: Resource, published_on: dt.date, language: int) -> str:
        if not resource.authors:
            return ""
        material = ("HOPEful demo material", "Material de demostración de HOPEful")[language]
        title = resource.title[language].rstrip(".")
        return f"{resource.authors} ({published_on.year}). {title}. {material}."

    # the news

    def post(self, index: Page, post: Post) -> None:
        image = self.images[post.image]
        alt = next(i.alt for i in ILLUSTRATIONS if i.key == post.image)
        page = NewsPage(
            title=post.title[EN],
            slug=post.slug,
            date=self.today - dt.timedelta(days=post.days_ago),
            authors=post.authors,
            summary=post.summary[EN],
            lead_image=image,
            lead_image_alt=alt[EN],
            body=self.stream(post.body, EN, key=post.slug),
        )
        page.tags.add(*(tag[EN] for tag in post.tags))

        def fill(spanish: Any) -> None:
            spanish.title = post.title[ES]
            spanish.summary = post.summary[ES]
            spanish.lead_image_alt = alt[ES]
            spanish.body = self.stream(post.body, ES, key=post.slug)
            spanish.tags.set([tag[ES] for tag in post.tags])

        self.add(index, page, fill if post.translated else None)


# -- loading -----------------------------------------------------------------------------------


def _count(result: SiteDemoResult, home: Page, spanish: Locale) -> SiteDemoResult:
    result.english = Page.objects.descendant_of(home, inclusive=True).live().count()
    spanish_home = home.get_translation_or_none(spanish)
    if spanish_home is not None:
        result.spanish = Page.objects.descendant_of(spanish_home, inclusive=True).live().count()
    result.resources = ResourcePage.objects.descendant_of(home).live().count()
    result.posts = NewsPage.objects.descendant_of(home).live().count()
    return result


@transaction.atomic
def site_load(*, today: dt.date, progress: Callable[[str], None] | None = None) -> SiteDemoResult:
    """Publish the demo's public site in English and Spanish (see the module's docstring).
    Does nothing (and says nothing) when the home page already has a resource library.
    ``today``: the day the resources' and posts' dates count back from. ``progress`` receives
    a line."""
    say = progress or (lambda line: None)
    started = time.monotonic()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site is not None else None
    if not isinstance(home, HomePage):
        say("Public site: the site has no home page of the public site, so no pages loaded.")
        return SiteDemoResult(created=False)
    spanish, _ = Locale.objects.get_or_create(language_code="es")
    if ResourceIndexPage.objects.child_of(home).exists():
        # Loaded before (or made by staff): left as it is, quietly, like the demo's accounts.
        return _count(SiteDemoResult(created=False), home, spanish)
    taken = sorted(
        set(home.get_children().values_list("slug", flat=True)) & {s.slug for s in SECTIONS}
    )
    if taken:
        addresses = ", ".join(f"/{slug}/" for slug in taken)
        say(f"Public site: not loaded, its home page already has pages at {addresses}.")
        return _count(SiteDemoResult(created=False), home, spanish)
    loader = _SiteLoader(today=today, home=home, spanish=spanish)
    loader.load()
    # The CMS queues index updates for the worker; the demo's search works at once.
    call_command("wagtail_update_index", stdout=io.StringIO(), stderr=io.StringIO())
    result = SiteDemoResult(
        created=True,
        documents=len(loader.documents),
        images=len(loader.images),
        untranslated=loader.untranslated,
    )
    _count(result, loader.home, spanish)
    result.seconds = time.monotonic() - started
    say(result.line())
    return result


__all__ = ["SiteDemoResult", "illustration_png", "leaflet_pdf", "site_load"]
