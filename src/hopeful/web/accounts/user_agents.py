"""Words for a signed-in session: which browser on which system, and which network.

Deliberately small: the list of sessions only has to let people recognize their own devices
("Firefox on Windows"), not identify versions. No location is looked up.
"""

from __future__ import annotations

import ipaddress

from django.utils.translation import gettext as _

#: Checked in order: Edge and Opera say "Chrome" too, Chrome says "Safari".
_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome", "Chrome"),
    ("Chromium", "Chromium"),
    ("Safari", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def _first(user_agent: str, table: tuple[tuple[str, str], ...]) -> str:
    return next((name for marker, name in table if marker in user_agent), "")


def describe(user_agent: str) -> str:
    """``Firefox on Windows``, or as much of it as the user agent tells."""
    browser = _first(user_agent, _BROWSERS)
    system = _first(user_agent, _SYSTEMS)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser or system:
        return browser or system
    return _("Unknown browser")


def network_of(ip: str | None) -> str:
    """The address's network (/24 for IPv4, /48 for IPv6): enough to tell home from
    elsewhere, not enough to single out a household. Empty when there is no address."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
