"""Where webhooks may be sent: the guard against server-side request forgery (SSRF).

A webhook URL is typed by an organization admin and then called by HOPEful's worker, from
inside the hosting network. So only ``https://`` URLs whose host resolves to public
addresses are accepted: never loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
link-local (169.254/16: the clouds' metadata service), shared, reserved or multicast
addresses, nor IPv6 forms that embed such an IPv4 address. The URL is checked when the
webhook is created and again at every delivery, and a delivery connects to the very address
that was checked (:mod:`hopeful.web.webhooks.sender`), so a name that resolves differently a
second later (DNS rebinding) cannot slip through.

``HOPEFUL_WEBHOOK_ALLOW_PRIVATE`` (default off) lets tests and the demo send to ``http://``
and private addresses, such as a receiver on the same machine.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: The longest URL accepted (the column's length).
URL_MAX = 500

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):  # noqa: N818 - a refusal, shown to the person as it is
    """A URL HOPEful will not send to, with the reason in plain language."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str


def allow_private() -> bool:
    """Whether ``http://`` and private addresses are allowed (tests and the demo only)."""
    return bool(getattr(settings, "HOPEFUL_WEBHOOK_ALLOW_PRIVATE", False))


def parse(url: str, *, private_ok: bool | None = None) -> Target:
    """The URL's parts, or :class:`AddressRefused` for a URL that is not acceptable as such
    (before any name is resolved)."""
    private_ok = allow_private() if private_ok is None else private_ok
    url = url.strip()
    if len(url) > URL_MAX:
        raise AddressRefused(
            _("The address is too long (at most %(n)d characters).") % {"n": URL_MAX}
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressRefused(_("This is not a web address.")) from None
    schemes = ("https", "http") if private_ok else ("https",)
    if parts.scheme.lower() not in schemes:
        raise AddressRefused(_("The address must start with https://."))
    if not parts.hostname:
        raise AddressRefused(_("The address has no host name."))
    if parts.username is not None or parts.password is not None:
        raise AddressRefused(
            _("The address may not hold a user name or password: use the signing secret.")
        )
    if parts.fragment:
        raise AddressRefused(_("The address may not have a # part."))
    scheme = parts.scheme.lower()
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(
        scheme=scheme,
        host=parts.hostname.lower(),
        port=port or (443 if scheme == "https" else 80),
        path=path,
    )


def is_public(address: IPAddress) -> bool:
    """Whether ``address`` is a public (globally reachable, unicast) address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not address.is_multicast


def resolve(target: Target, *, private_ok: bool | None = None) -> list[str]:
    """The addresses ``target``'s host resolves to, every one of them public (else
    :class:`AddressRefused`: one private answer is enough to refuse, since which answer a
    connection would use is not ours to choose)."""
    private_ok = allow_private() if private_ok is None else private_ok
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise AddressRefused(_("The host name could not be found.")) from None
    addresses: list[str] = []
    for info in infos:
        text = str(info[4][0]).split("%", 1)[0]  # an IPv6 zone is not part of the address
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            continue
        if not private_ok and not is_public(address):
            raise AddressRefused(
                _(
                    "The address leads to a private, local or reserved network address. "
                    "Webhooks are sent only to public https:// addresses."
                )
            )
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise AddressRefused(_("The host name could not be found."))
    return addresses


def check(url: str) -> tuple[Target, list[str]]:
    """Parse and resolve ``url``: its target and the public addresses to connect to."""
    target = parse(url)
    return target, resolve(target)
