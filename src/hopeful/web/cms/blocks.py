"""The pieces staff build pages from (Wagtail StreamField blocks). Every image carries its
alternative text: a block without it does not validate, so a page with it cannot be saved."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

#: What staff may format in running text: no raw HTML, no embeds, no colours.
TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class FigureBlock(blocks.StructBlock):  # type: ignore[misc]  # wagtail ships no type information
    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        max_length=250,
        label=_("Alternative text"),
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "cms/blocks/figure.html"


class ActionBlock(blocks.StructBlock):  # type: ignore[misc]  # wagtail ships no type information
    """A call to action: a short text and one link (a page of the site or an address)."""

    title = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False)
    label = blocks.CharBlock(max_length=60)

    class Meta:
        icon = "link"
        template = "cms/blocks/action.html"


class QuoteBlock(blocks.StructBlock):  # type: ignore[misc]  # wagtail ships no type information
    quote = blocks.TextBlock(max_length=600)
    source = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote.html"


class BodyBlock(blocks.StreamBlock):  # type: ignore[misc]  # wagtail ships no type information
    heading = blocks.CharBlock(
        max_length=120, form_classname="title", template="cms/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(features=TEXT_FEATURES)
    figure = FigureBlock()
    action = ActionBlock()
    quote = QuoteBlock()
