"""One HTTP POST of a webhook message, to the address the guard checked.

Standard library only (``http.client``): it follows no redirect (a 3xx is a failure like any
other non-2xx), sends no cookies and uses no proxy from the environment. The connection goes
to an address :func:`hopeful.web.webhooks.guard.resolve` accepted, while TLS checks the
certificate against the URL's host name, so what was checked is what is called.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass

from hopeful.web.webhooks.guard import AddressRefused, Target, check

#: Seconds to connect, and then for each read or write, before an attempt is given up.
TIMEOUT_SECONDS = 10.0
#: Characters of a receiver's answer kept in the delivery log (never more).
BODY_KEPT = 200
#: Bytes of the answer read at most (only its start is kept).
BODY_READ = 2048
USER_AGENT = "HOPEful-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: the status code (None when no answer came) and, when it failed,
    a short reason for the delivery log."""

    status_code: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # SNI and the certificate check use the URL's host name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]  # set by HTTPSConnection.__init__


def _printable(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float = TIMEOUT_SECONDS
) -> Outcome:
    """POST ``body`` to ``url`` (checked again here) and say how it went. Never raises for
    what the network or the receiver does."""
    try:
        target, addresses = check(url)
    except AddressRefused as refused:
        return Outcome(None, f"Not sent: {refused}"[:BODY_KEPT])
    # The first address only: a second try after the message went out could deliver it
    # twice; the next attempt resolves the name again.
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, addresses[0], timeout)
    else:
        connection = _PinnedHTTPConnection(target, addresses[0], timeout)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
        )
        response = connection.getresponse()
        status = response.status
        if 200 <= status < 300:
            return Outcome(status)
        reason = f"HTTP {status} {response.reason}".strip()
        if 300 <= status < 400:
            reason += " (redirects are not followed)"
        text = _printable(response.read(BODY_READ).decode("utf-8", "replace"))[:BODY_KEPT]
        return Outcome(status, f"{reason}: {text}" if text else reason)
    except TimeoutError:
        error = f"No answer within {timeout:g} seconds"
    except ssl.SSLError as failure:
        error = f"TLS error: {failure.reason or type(failure).__name__}"
    except ConnectionRefusedError:
        error = "Connection refused"
    except (OSError, http.client.HTTPException) as failure:
        error = f"Connection failed ({type(failure).__name__})"
    finally:
        connection.close()
    return Outcome(None, error[:BODY_KEPT])
