"""What the public forms leave behind: contact messages (their rate limit is counted by
:mod:`hopeful.web.core.ratelimit`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactMessage(models.Model):
    """A message sent through the contact form. Read by network staff in the CMS."""

    name = models.CharField(max_length=120)
    email = models.EmailField()
    message = models.TextField(max_length=4000)
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact message")

    def __str__(self) -> str:
        return f"{self.name} ({self.created_at:%Y-%m-%d})"
