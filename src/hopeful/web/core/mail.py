"""The one way HOPEful writes an email: paragraphs of plain text with an HTML alternative in
the active language, from ``DEFAULT_FROM_EMAIL``. Callers translate the paragraphs (under
``translation.override`` of the recipient's language) and add attachments when they need them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.html import escape, urlize


def paragraphs_email(
    *,
    to: list[str],
    subject: str,
    paragraphs: list[str],
    reply_to: list[str] | None = None,
    links: bool = True,
) -> EmailMultiAlternatives:
    """An email of ``paragraphs`` (blank lines between them in the text, ``<p>`` in the HTML).

    ``links`` turns addresses in the text into links in the HTML; pass ``False`` for text a
    stranger wrote. The subject is kept to one line (a header cannot hold a line break).
    """
    text = "\n\n".join(paragraphs) + "\n"
    html = "".join(
        "<p>" + (urlize(escape(p)) if links else escape(p)).replace("\n", "<br>") + "</p>"
        for p in paragraphs
    )
    message = EmailMultiAlternatives(
        subject=subject.replace("\r", " ").replace("\n", " "),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    message.attach_alternative(
        f'<!DOCTYPE html><html lang="{language}"><body>{html}</body></html>', "text/html"
    )
    return message
