"""The one exception the credentials package raises."""

from __future__ import annotations

__all__ = ["CredentialError"]


class CredentialError(ValueError):
    """A credential, key file, status list or bundle that cannot be used.

    The message is one plain sentence meant for the person checking the credential (for
    example "the signature does not match"), so callers can show it as it is.
    """
