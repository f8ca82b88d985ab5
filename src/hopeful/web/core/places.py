"""What a person is told about a ZIP code ``hopeful.geo`` cannot place: the same words on
every form and search that takes one (the trainer directory, the community strengths map,
the presentation requests, the listings)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hopeful import geo


def zip_error_message(error: geo.ZipError) -> str:
    """The message for a malformed ZIP code, or for one that is not a US ZIP code."""
    if error.problem is geo.ZipProblem.UNKNOWN:
        return _("We don't know the ZIP code %(zip_code)s. Check it and try again.") % {
            "zip_code": error.value
        }
    return _("Enter a 5-digit ZIP code, for example 02111.")
