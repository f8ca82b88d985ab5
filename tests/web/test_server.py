from __future__ import annotations

from unittest import mock

from django.test import override_settings

from hopeful.web import server
from hopeful.web.config.wsgi import application


def test_it_serves_the_wsgi_application_with_waitress_on_four_threads() -> None:
    with mock.patch("waitress.serve") as waitress_serve:
        server.serve(host="192.0.2.10", port=8123)
    waitress_serve.assert_called_once_with(
        application,
        host="192.0.2.10",
        port=8123,
        threads=4,
        ident="hopeful",
        max_request_body_size=2 * 1024**3 + server.BODY_MARGIN,
    )


@override_settings(HOPEFUL_RESEARCH_MAX_BYTES=5_000_000_000)
def test_it_takes_request_bodies_as_large_as_the_largest_research_upload() -> None:
    """Waitress's own limit (1 GiB) would refuse a survey file the workspace accepts."""
    with mock.patch("waitress.serve") as waitress_serve:
        server.serve()
    limit = waitress_serve.call_args.kwargs["max_request_body_size"]
    assert limit == 5_000_000_000 + server.BODY_MARGIN


def test_it_serves_on_localhost_port_8000_by_default() -> None:
    with mock.patch("waitress.serve") as waitress_serve:
        server.serve()
    assert waitress_serve.call_args.kwargs["host"] == "127.0.0.1"
    assert waitress_serve.call_args.kwargs["port"] == 8000
