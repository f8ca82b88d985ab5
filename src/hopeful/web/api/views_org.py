"""``/orgs/<org_id>/api-tokens/``: org admins make, see and revoke the organization's API
tokens. A new token is shown once, on the page that made it; afterwards only its first
characters. Support access may look, never make or revoke."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hopeful.web.api.forms import TokenForm
from hopeful.web.api.models import ApiToken
from hopeful.web.api.tokens import TokenError, token_create, token_revoke
from hopeful.web.core.responses import private
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.decorators import org_view
from hopeful.web.organizations.models import Role
from hopeful.web.organizations.selectors import page_url


def _context(access: Access, form: TokenForm) -> dict[str, object]:
    return {
        "organization": access.organization,
        "org_id": access.organization.public_id,
        "tokens": ApiToken.objects.for_org(access.organization).select_related(
            "created_by", "revoked_by"
        ),
        "form": form,
        "can_change": not access.via_support,
        "imports_url": page_url(access, "imports:list"),
        "data_files_url": page_url(access, "labelled:list"),
        "webhooks_url": page_url(access, "webhooks:list"),
    }


@org_view(Role.ORG_ADMIN)
def token_list(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method == "POST":
        access.require_own_access()
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, plaintext = token_create(
                    organization=access.organization,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_at=form.expires_at(),
                    rate_limit_per_minute=form.cleaned_data["rate_limit_per_minute"],
                )
            except TokenError as exc:
                form.add_error(None, str(exc))
            else:
                # Shown once: this response is the only place the token ever appears.
                return private(
                    render(
                        request,
                        "api/token_created.html",
                        {
                            "organization": access.organization,
                            "org_id": access.organization.public_id,
                            "token": token,
                            "plaintext": plaintext,
                        },
                    )
                )
        return render(request, "api/token_list.html", _context(access, form), status=400)
    return render(request, "api/token_list.html", _context(access, TokenForm()))


@org_view(Role.ORG_ADMIN)
@require_POST
def token_revoke_view(request: HttpRequest, access: Access, token_id: str) -> HttpResponse:
    access.require_own_access()
    token = ApiToken.objects.for_org(access.organization).filter(public_id=token_id).first()
    if token is None:
        raise Http404
    token_revoke(token=token, actor=request.user)
    return redirect("api_tokens:list", org_id=access.organization.public_id)
