"""The public site's content types (Wagtail pages, the library's files, contact messages)."""

from hopeful.web.cms.models.contact import ContactMessage
from hopeful.web.cms.models.contact_page import ContactPage
from hopeful.web.cms.models.documents import ResourceDocument
from hopeful.web.cms.models.library import Facet, ResourceFile, ResourcePage
from hopeful.web.cms.models.library_pages import ResourceIndexPage, ToolkitPage
from hopeful.web.cms.models.news import NewsIndexPage, NewsPage, NewsPageTag
from hopeful.web.cms.models.pages import BuildingBlockPage, HomePage, StandardPage, SupportPage

__all__ = [
    "BuildingBlockPage",
    "ContactMessage",
    "ContactPage",
    "Facet",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "ResourceDocument",
    "ResourceFile",
    "ResourceIndexPage",
    "ResourcePage",
    "StandardPage",
    "SupportPage",
    "ToolkitPage",
]
