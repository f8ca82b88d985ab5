"""The contact form's posts: checked (honeypot, signed start time, rate limit), kept as a
ContactMessage for network staff to read in the CMS, and emailed to ``HOPEFUL_CONTACT_EMAIL``
by the background worker."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tasks import task

from hopeful.web.cms.forms import ContactForm
from hopeful.web.cms.guard import guard_post
from hopeful.web.cms.models.contact import ContactMessage

FORM = "contact"


def contact_serve(page: Any, request: HttpRequest) -> HttpResponse:
    """GET shows the page with an empty form; POST checks and keeps the message."""
    if request.method != "POST":
        return _page(page, request, ContactForm())
    form = ContactForm(request.POST)
    status = guard_post(
        request,
        form,
        name=FORM,
        limited=_(
            "Too many messages were sent from here just now. Please try again in %(n)d minutes."
        ),
    )
    if status is not None:
        return _page(page, request, form, status=status)
    if not form.is_spam:
        with transaction.atomic():
            message = ContactMessage.objects.create(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
                language=get_language() or "en",
            )
            transaction.on_commit(lambda: contact_forward.enqueue(message.pk))
    return _page(page, request, None, sent=True)


def _page(
    page: Any,
    request: HttpRequest,
    form: ContactForm | None,
    *,
    sent: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = page.get_context(request)
    context.update({"form": form, "sent": sent})
    return TemplateResponse(request, page.get_template(request), context, status=status)


@task()
def contact_forward(message_id: int) -> None:
    """Email a contact message to the site's contact address (run by ``hopeful worker``)."""
    message = ContactMessage.objects.filter(pk=message_id).first()
    if message is None:
        return
    to = settings.HOPEFUL_CONTACT_EMAIL or settings.DEFAULT_FROM_EMAIL
    send_mail(
        subject=f"HOPEful contact form: {message.name}",
        message=f"From: {message.name} <{message.email}>\nLanguage: {message.language}\n\n"
        f"{message.message}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[to],
    )
