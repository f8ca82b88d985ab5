"""Reads for the core pages: display data prepared for templates, which only format it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.urls import ResolverMatch, reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from hopeful.framework import BUILDING_BLOCKS, LANGUAGES
from hopeful.web.organizations.selectors import platform_pages


@dataclass(frozen=True, slots=True)
class BlockDisplay:
    id: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class LanguageLink:
    code: str
    name: str
    """The language's name in that language ("Español"), as language pickers should show it."""
    url: str
    is_current: bool


@dataclass(frozen=True, slots=True)
class NavLink:
    label: str
    url: str
    is_current: bool


def site_nav(
    *,
    user: Any,
    path: str,
    match: ResolverMatch | None,
    menu: Sequence[tuple[str, str]] = (),
) -> list[NavLink]:
    """The header's links for this person: everyone gets the home page, the public site's
    pages staff put in its menu (``menu``: title, url), the questionnaires and the learning
    hub (courses and trainings); signed-in
    people their organizations (where sign-in lands), network staff the network view, and
    their account's security (passkeys, recovery codes, sessions);
    everyone else the sign-in page."""
    view_name = match.view_name if match else ""
    namespace = match.namespace if match else ""
    links = [
        NavLink(_("Home"), reverse("core:home"), view_name == "core:home"),
        *(NavLink(title, url, path.startswith(url)) for title, url in menu),
        NavLink(_("Questionnaires"), reverse("instruments:list"), namespace == "instruments"),
        NavLink(
            _("Learn"),
            reverse("learning:catalogue"),
            view_name in {"learning:catalogue", "trainings:list", "trainings:detail"},
        ),
        NavLink(
            _("Find a trainer"),
            reverse("directory:search"),
            view_name in {"directory:search", "directory:detail"},
        ),
        NavLink(_("Events"), reverse("events:list"), namespace == "events"),
    ]
    if not getattr(user, "is_authenticated", False):
        links.append(
            NavLink(_("Sign in"), reverse("accounts:login"), view_name == "accounts:login")
        )
        return links
    links.append(
        NavLink(
            _("My organizations"),
            reverse("practice:organizations"),
            view_name == "practice:organizations",
        )
    )
    links.extend(
        NavLink(page.label, page.url, path == page.url) for page in platform_pages(user=user)
    )
    links.append(
        NavLink(
            _("Account security"),
            reverse("accounts:security"),
            view_name == "accounts:security",
        )
    )
    return links


def building_blocks_for_display(*, language: str) -> list[BlockDisplay]:
    """The Four Building Blocks in their canonical order, in ``language``."""
    return [
        BlockDisplay(
            id=block.id,
            name=block.name.get_text(language),
            description=block.description.get_text(language),
        )
        for block in sorted(BUILDING_BLOCKS, key=lambda b: b.order)
    ]


def language_links(*, path: str, current: str) -> list[LanguageLink]:
    """Links to this same page in every UI language (plain links: no JavaScript, no POST)."""
    return [
        LanguageLink(
            code=code,
            name=LANGUAGES.get(code, str(name)),
            url=translate_url(path, code),
            is_current=code == current,
        )
        for code, name in settings.LANGUAGES
    ]


def home_language_links(*, current: str) -> list[LanguageLink]:
    """Links to the home page in every UI language: for pages that must not echo their own
    address (404) or cannot resolve it (400, 500)."""
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            url = reverse("core:home")
        links.append(LanguageLink(code, LANGUAGES.get(code, str(name)), url, code == current))
    return links


def database_is_reachable() -> bool:
    """Whether a trivial query succeeds on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True
