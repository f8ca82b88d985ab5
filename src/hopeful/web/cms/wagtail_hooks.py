"""What HOPEful adds to the CMS admin: contact messages to read, and the newsletter's
subscribers (their page, with the CSV export, lives in hopeful.web.newsletter)."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from hopeful.web.cms.models import ContactMessage


class ContactMessageViewSet(SnippetViewSet):  # type: ignore[misc]  # wagtail ships no type information
    """Messages from the contact form: listed and read, never written in the admin."""

    model = ContactMessage
    icon = "mail"
    menu_label = _("Contact messages")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "email", "created_at", "language"]
    list_filter = ["language"]
    search_fields = ["name", "email", "message"]
    inspect_view_enabled = True
    copy_view_enabled = False


register_snippet(ContactMessageViewSet)


def admin_choosers_js() -> str:
    """Starts the admin's date pickers and gives the translation editor its choosers without
    inline scripts (HOPEful's CSP forbids them)."""
    return format_html(
        '<script src="{}" data-image-chooser="{}" data-document-chooser="{}" '
        'data-page-chooser="{}"></script>',
        static("cms/admin-choosers.js"),
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtailadmin_choose_page"),
    )


def newsletter_menu_item() -> MenuItem:
    return MenuItem(
        _("Newsletter subscribers"), reverse("newsletter:subscribers"), icon_name="group", order=310
    )


# Registered by call, not as decorators: Wagtail is untyped, and its decorator would hide these
# functions' types.
hooks.register("insert_global_admin_js", admin_choosers_js)
hooks.register("register_admin_menu_item", newsletter_menu_item)
