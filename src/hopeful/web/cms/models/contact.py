"""What the public forms leave behind: contact messages, and posts counted for rate limits."""

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


class PublicFormPost(models.Model):
    """One post of a public form, for its rate limit (kept for an hour; hashed address)."""

    form = models.CharField(max_length=32)
    address_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["form", "address_key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.form} at {self.created_at:%Y-%m-%d %H:%M}"
