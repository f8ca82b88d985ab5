"""Simulated families for the crash soak: one after another, each client submits answers with
a client UUID through the JSON API or the no-JS HTML form, and retries the same submission
(same UUID, same body) after a dropped connection, a timeout, a 5xx or a 429, with bounded
attempts and exponential backoff. Every submission sent is recorded with its answers and
whether the server acknowledged it (a 2xx from the API; the form's redirect to the summary).
"""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

ITEMS = [f"pce{n}" for n in range(1, 8)]
CODES = [1, 2, 3, 4, 5, 5, 4, 7, 9]  # "7"/"9": don't know / prefer not to say


#: Seconds a client may go on after the deadline to reach its ``min_acked``.
GRACE = 90.0


class GiveUpError(Exception):
    """A request still failing after the last attempt."""


@dataclass
class Sent:
    client_uuid: str
    kind: str  # "api" or "html"
    answers: dict[str, dict[str, int | None]]
    acked: bool = False
    latency: float = 0.0  # first attempt to acknowledgement, retries included
    attempts: int = 0
    status: int = 0


@dataclass(eq=False)
class Client(threading.Thread):
    port: int
    token: str
    deadline: float
    seed: int
    kind: str = "api"
    max_attempts: int = 15
    timeout: float = 15.0
    #: Keep going after the deadline (for at most ``GRACE`` seconds) until this many
    #: submissions were acknowledged (the short test wants some through each path).
    min_acked: int = 0
    sent: list[Sent] = field(default_factory=list)
    request_latencies: list[float] = field(default_factory=list)
    retries: int = 0
    flow_restarts: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        threading.Thread.__init__(self, daemon=True, name=f"client-{self.seed}")
        self.rng = random.Random(self.seed)  # noqa: S311 - reproducible answers and UUIDs
        self.cookies: dict[str, str] = {}

    # -- one request, retried ----------------------------------------------------------------

    def _count(self, key: str) -> None:
        self.errors[key] = self.errors.get(key, 0) + 1

    def _once(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Any:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        if self.cookies:
            headers = {**headers, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        try:
            start = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            self.request_latencies.append(time.perf_counter() - start)
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, data
        finally:
            conn.close()

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any, bytes, int]:
        """The first answer that is not a connection error, timeout, 5xx or 429; raises
        :class:`GiveUpError` after ``max_attempts``. Returns (status, headers, body, attempts)."""
        for attempt in range(1, self.max_attempts + 1):
            try:
                status, response_headers, data = self._once(method, path, body, headers or {})
            except (OSError, http.client.HTTPException) as exc:
                self._count(type(exc).__name__)
                status, response_headers, data = -1, None, b""
            if status != -1 and status < 500 and status != 429:
                return status, response_headers, data, attempt
            if status != -1:
                self._count(str(status))
            if attempt == self.max_attempts:
                break
            self.retries += 1
            delay = min(0.1 * 2 ** (attempt - 1), 4.0) * self.rng.uniform(0.5, 1.5)
            if status == 429 and response_headers is not None:
                delay = max(delay, float(response_headers.get("Retry-After") or 1))
            time.sleep(delay)
        raise GiveUpError(f"{method} {path}: status {status} after {self.max_attempts} attempts")

    # -- submissions --------------------------------------------------------------------------

    def answers(self) -> dict[str, int | None]:
        return {item: self.rng.choice(CODES) for item in ITEMS}

    def submit_api(self) -> None:
        client_uuid = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        items = self.answers()
        sent = Sent(client_uuid, "api", {"pce7": items})
        body = json.dumps({
            "client_uuid": client_uuid,
            "language": self.rng.choice(["en", "es"]),
            "consent": {"care": True, "program_improvement": True, "research": False},
            "name": f"Soak {client_uuid[:8]}",
            "answers": {"pce7": items},
        }).encode()  # fmt: skip
        self.sent.append(sent)
        start = time.perf_counter()
        try:
            status, _, _, attempts = self.request(
                "POST", f"/s/{self.token}/api/submissions/", body,
                {"Content-Type": "application/json"},
            )  # fmt: skip
        except GiveUpError:
            self._count("gave up")
            return
        sent.status, sent.attempts = status, attempts
        if status in (200, 201):
            sent.acked, sent.latency = True, time.perf_counter() - start
        else:
            self._count(f"final {status}")

    def _form(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, Any, bytes]:
        token = self.cookies.get("csrftoken", "")
        body = urlencode([*fields, ("csrfmiddlewaretoken", token)]).encode()
        status, headers, data, _ = self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        return status, headers, data

    def submit_html(self) -> None:
        """The whole no-JS flow: consent, name, the questionnaire, skip "about", review; then
        the review form's fields (its hidden client UUID included) are posted to submit."""
        base = f"/s/{self.token}"
        self.cookies.clear()
        status, _, _, _ = self.request("GET", f"{base}/agree/")
        steps: list[tuple[str, list[tuple[str, str]]]] = [
            ("agree", [("purposes", "care"), ("purposes", "program_improvement")]),
            ("name", [("name", f"Soak form {self.rng.getrandbits(32):08x}")]),
            ("q/pce7", [(k, "" if v is None else str(v)) for k, v in self.answers().items()]),
            ("about", [("skip", "1")]),
        ]
        for step, fields in steps:
            status, _, _ = self._form(f"{base}/{step}/", fields)
            if status != 302:
                raise GiveUpError(f"step {step}: {status}")
        status, _, page, _ = self.request("GET", f"{base}/review/")
        if status != 200:
            raise GiveUpError(f"review: {status}")
        form = page.decode().split(f'action="{base}/submit/"', 1)[-1].split("</form>", 1)[0]
        hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
        fields = [(k, v) for k, v in hidden if k != "csrfmiddlewaretoken"]
        values = dict(fields)
        answers = {k.split(".", 1)[1]: (int(v) if v else None)
                   for k, v in fields if k.startswith("pce7.")}  # fmt: skip
        sent = Sent(values["client_uuid"], "html", {"pce7": answers})
        self.sent.append(sent)
        start = time.perf_counter()
        try:
            status, headers, _ = self._form(f"{base}/submit/", fields)
        except GiveUpError:
            self._count("gave up")
            return
        sent.status = status
        if status == 302 and "/done/" in (headers.get("Location") or ""):
            sent.acked, sent.latency = True, time.perf_counter() - start
        else:
            self._count(f"final {status}")

    def _more(self) -> bool:
        now = time.monotonic()
        if now < self.deadline:
            return True
        acked = sum(1 for s in self.sent if s.acked)
        return acked < self.min_acked and now < self.deadline + GRACE

    def run(self) -> None:
        while self._more():
            try:
                self.submit_html() if self.kind == "html" else self.submit_api()
            except GiveUpError as exc:
                # A step before the final POST failed for good: start a new flow (nothing
                # was submitted yet, so nothing can be lost).
                self.flow_restarts += 1
                self._count(str(exc).split(":")[0])


def run_clients(
    port: int,
    token: str,
    *,
    clients: int,
    seconds: float,
    html_every: int = 5,
    seed: int = 0,
    min_acked: int = 0,
) -> tuple[list[Client], float]:
    """``clients`` concurrent clients for ``seconds`` (every ``html_every``-th uses the HTML
    form); returns them (finished) and the elapsed time."""
    start = time.monotonic()
    crowd = [
        Client(port, token, start + seconds, seed=seed + k, min_acked=min_acked,
               kind="html" if html_every and k % html_every == html_every - 1 else "api")
        for k in range(clients)
    ]  # fmt: skip
    for client in crowd:
        client.start()
    for client in crowd:
        client.join()
    return crowd, time.monotonic() - start


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))]


def phase_stats(crowd: list[Client], elapsed: float) -> dict[str, Any]:
    sent = [s for c in crowd for s in c.sent]
    acked = [s for s in sent if s.acked]
    latencies = [s.latency for s in acked]
    errors: dict[str, int] = {}
    for c in crowd:
        for k, v in c.errors.items():
            errors[k] = errors.get(k, 0) + v
    return {
        "seconds": elapsed,
        "sent": len(sent),
        "acked": len(acked),
        "acked_api": sum(1 for s in acked if s.kind == "api"),
        "acked_html": sum(1 for s in acked if s.kind == "html"),
        "unacked": len(sent) - len(acked),
        "rate": len(acked) / elapsed if elapsed else 0.0,
        "p50_ms": 1000 * percentile(latencies, 0.50),
        "p95_ms": 1000 * percentile(latencies, 0.95),
        "max_ms": 1000 * max(latencies, default=float("nan")),
        "request_p95_ms": 1000 * percentile([x for c in crowd for x in c.request_latencies], 0.95),
        "retries": sum(c.retries for c in crowd),
        "flow_restarts": sum(c.flow_restarts for c in crowd),
        "errors": errors,
    }


def sent_records(crowd: list[Client]) -> list[dict[str, Any]]:
    return [
        {"client_uuid": s.client_uuid, "kind": s.kind, "answers": s.answers, "acked": s.acked}
        for c in crowd
        for s in c.sent
    ]
