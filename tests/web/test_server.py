from __future__ import annotations

from unittest import mock

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
    )


def test_it_serves_on_localhost_port_8000_by_default() -> None:
    with mock.patch("waitress.serve") as waitress_serve:
        server.serve()
    assert waitress_serve.call_args.kwargs["host"] == "127.0.0.1"
    assert waitress_serve.call_args.kwargs["port"] == 8000
