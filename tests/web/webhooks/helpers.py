"""A real HTTP receiver on 127.0.0.1 for webhook tests, and a real submission."""

from __future__ import annotations

import io
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.core.management import call_command

from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Role
from hopeful.web.surveys import services as surveys
from hopeful.web.webhooks import services
from hopeful.web.webhooks.models import Webhook

#: What the family tells in the test submission: none of it may appear in a message.
FAMILY_NAME = "Blue Bird Quillfeather"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A receiver that answers with the statuses queued in ``answers`` (200 when empty)."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


@contextmanager
def receiver(path: str = "/hook") -> Iterator[Receiver]:
    """A real HTTP server in a thread on 127.0.0.1 (a free port), stopped at the end."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.received.append(
                Received(
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
            )
            status = state.answers.pop(0) if state.answers else 200
            reply = b"receiver says no " + b"x" * 500 if status >= 300 else b"ok"
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "https://elsewhere.example.org/")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def run_worker() -> None:
    """The database queue's real worker: every task due now, then exit."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())


def admin_access(t: dict[str, Any]) -> Access:
    admin = t["members_a"][Role.ORG_ADMIN]
    return Access(
        organization=t["org_a"],
        role=Role.ORG_ADMIN,
        membership=t["org_a"].memberships.get(user=admin),
    )


def add_webhook(t: dict[str, Any], url: str) -> tuple[Webhook, str]:
    return services.webhook_create(
        access=admin_access(t), actor=t["members_a"][Role.ORG_ADMIN], url=url, description="EHR"
    )


def submit(t: dict[str, Any]) -> Any:
    """A family's answers stored through the surveys' own service (a new family)."""
    result = surveys.submission_create(
        link=t["link_a"],
        payload=surveys.SubmissionPayload(
            client_uuid=uuid.uuid4(),
            language="en",
            consent={"care": True, "program_improvement": True, "research": False},
            name=FAMILY_NAME,
            answers={"pce7": {**{f"pce{i}": 4 for i in range(1, 8)}, "pce3": 2, "pce6": None}},
        ),
    )
    assert result.created
    return result.submission
