"""The signed-in person of a request, typed as the user model.

``request.user`` is a user or an ``AnonymousUser``. A view that a sign-in check guards (the
login-required middleware, :func:`hopeful.web.organizations.decorators.org_view`...) only
ever sees a signed-in person; :func:`signed_in_user` says so to the type checker, and refuses
the request should an anonymous one ever reach it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from hopeful.web.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """``request.user``, which must be signed in (else :class:`PermissionDenied`, a 403)."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user
