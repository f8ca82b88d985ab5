"""Security headers (docs/security.md): the strict Content-Security-Policy on every HTML page
of the URL inventory, the Permissions-Policy, security.txt, and ``check --deploy`` clean with
production settings (run for real in a subprocess, as tests/web/config/test_settings.py)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from hopeful.web.core.views import security_contact, security_txt_body
from hopeful.web.organizations.models import Role
from tests.web import factories as f
from tests.web.test_url_inventory import OUTSIDER_CASES, iter_urls

#: The directives every page carries, whatever else a page's policy says.
STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
#: What the CMS admin's scoped policy changes (hopeful.web.cms.middleware.ADMIN_CSP).
ADMIN_PREFIX = "/cms/"
ADMIN = {
    "script-src": "'self' 'unsafe-inline'",
    "style-src-elem": "'self' 'unsafe-inline'",
    "frame-ancestors": "'self'",
}


def directives(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, _sep, value = part.strip().partition(" ")
        out[name] = value
    return out


def assert_strict(path: str, header: str) -> None:
    """The site's strict policy; under /cms/, only the admin's named exceptions."""
    assert "unsafe-eval" not in header, (path, header)
    assert "unsafe-hashes" not in header, (path, header)
    policy = directives(header)
    expected = {**STRICT, "frame-ancestors": "'none'"}
    if path.startswith(ADMIN_PREFIX):
        expected.update(ADMIN)
    else:
        assert "unsafe-inline" not in header, (path, header)
    for name, value in expected.items():
        assert policy.get(name) == value, (path, name, header)
    # style attributes are refused everywhere, the admin included
    assert "style-src-attr" not in policy, (path, header)


def _inventory_paths(t: dict[str, Any]) -> list[str]:
    """One address for each GET page of the inventory that needs no object: the pages
    without parameters and organization A's pages (from the outsider registry)."""
    paths = []
    for entry in iter_urls():
        if entry.name is None or entry.name.startswith(("admin:", "wagtail", "cms:")):
            continue
        if entry.kind == "tenant" and entry.name in OUTSIDER_CASES:
            paths.append(reverse(entry.name, kwargs=OUTSIDER_CASES[entry.name](t)))
        elif not entry.params:
            paths.append(reverse(entry.name))
    paths += ["/cms/", "/cms/pages/", "/admin/", "/admin/accounts/user/"]
    return sorted(set(paths))


@pytest.mark.one_database  # response headers set by middleware; every page's queries run on both databases in the URL inventory
@pytest.mark.django_db
def test_every_html_page_of_the_inventory_has_the_strict_policy(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    admin = two_tenants["members_a"][Role.ORG_ADMIN]
    admin.is_network_staff = True
    admin.is_superuser = admin.is_staff = True  # every page, both admins included
    admin.save()
    f.login_verified(client, admin)
    html = 0
    for path in _inventory_paths(two_tenants):
        if "logout" in path:
            continue
        response = client.get(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html += 1
        assert_strict(path, response["Content-Security-Policy"])
        permissions = response["Permissions-Policy"]
        assert "camera=()" in permissions, path
        assert "geolocation=()" in permissions, path
        assert "publickey-credentials-get=(self)" in permissions, path
    assert html > 80


@pytest.mark.django_db
def test_the_library_files_keep_their_narrower_policy(client: Client) -> None:
    response = client.get("/media/images/nothing.png")  # a 404 page: the site's policy
    assert_strict("/media/images/", response["Content-Security-Policy"])


# -- security.txt ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_security_txt_is_public_plain_text_with_the_fields_rfc_9116_asks_for(
    client: Client, settings: Any
) -> None:
    settings.HOPEFUL_SECURITY_CONTACT = "mailto:security@hope.example.org"
    settings.SITE_URL = "https://hopeful.example.org"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@hope.example.org"
    assert fields["Preferred-Languages"] == "en, es"
    assert fields["Canonical"] == "https://hopeful.example.org/.well-known/security.txt"
    expires = dt.datetime.fromisoformat(fields["Expires"])
    now = dt.datetime.now(dt.UTC)
    assert now + dt.timedelta(days=150) < expires < now + dt.timedelta(days=365)
    # not under a language prefix
    assert client.get("/es/.well-known/security.txt").status_code == 404


def test_security_txt_expires_half_a_year_after_the_start_of_the_day() -> None:
    body = security_txt_body(now=dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC))
    assert "Expires: 2027-06-29T00:00:00Z\n" in body
    assert body.endswith("\n")


@pytest.mark.parametrize(
    ("security", "contact", "from_email", "expected"),
    [
        ("https://hope.example.org/report", "", "x@y.org", "https://hope.example.org/report"),
        ("sec@hope.example.org", "", "x@y.org", "mailto:sec@hope.example.org"),
        ("", "hello@hope.example.org", "x@y.org", "mailto:hello@hope.example.org"),
        ("", "", "HOPEful <noreply@hope.example.org>", "mailto:noreply@hope.example.org"),
    ],
)
def test_the_security_contact_is_a_uri(
    settings: Any, security: str, contact: str, from_email: str, expected: str
) -> None:
    settings.HOPEFUL_SECURITY_CONTACT = security
    settings.HOPEFUL_CONTACT_EMAIL = contact
    settings.DEFAULT_FROM_EMAIL = from_email
    assert security_contact() == expected


@pytest.mark.parametrize("bad", ["http://hope.example.org/report", "call us", "tel:+15550100"])
def test_a_security_contact_that_is_not_mailto_or_https_is_refused(settings: Any, bad: str) -> None:
    settings.HOPEFUL_SECURITY_CONTACT = bad
    with pytest.raises(ImproperlyConfigured, match="HOPEFUL_SECURITY_CONTACT"):
        security_contact()


# -- production settings ----------------------------------------------------------------------

PRODUCTION_CHECK = """
import django
from django.core.management import call_command
from django.test import Client
django.setup()
call_command("check", deploy=True, fail_level="WARNING")
host = {"HTTP_HOST": "hopeful.example.org"}
client = Client()
health = client.get("/health/", **host)
assert health.status_code == 200, health.status_code
assert "Strict-Transport-Security" not in health
page = client.get("/accounts/login/", **host)
assert page.status_code == 301, page.status_code
assert page["Location"] == "https://hopeful.example.org/accounts/login/", page["Location"]
secure = client.get("/.well-known/security.txt", secure=True, **host)
assert secure.status_code == 200, secure.status_code
hsts = secure["Strict-Transport-Security"]
assert hsts == "max-age=3600; includeSubDomains; preload", hsts
print("clean")
"""


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    """DEBUG off, a long secret key, HTTPS on (the defaults when DEBUG is off): no warning;
    the health check still answers over plain http, for load balancers."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "hopeful.web.config.settings",
        "HOPEFUL_DATA_DIR": str(tmp_path / "data"),
        "HOPEFUL_SECRET_KEY": "production-like-secret-key-for-this-test-only-" + "x7Qp2" * 8,
        "HOPEFUL_ALLOWED_HOSTS": "hopeful.example.org",
        "HOPEFUL_SITE_URL": "https://hopeful.example.org",
        "HOPEFUL_SECURITY_CONTACT": "mailto:security@hope.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_CHECK],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("clean"), (result.stdout, result.stderr[-2000:])
