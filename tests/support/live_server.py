"""Serve a WSGI app over real HTTP on a free loopback port, in a daemon thread."""

from __future__ import annotations

import threading
from collections.abc import Callable

from werkzeug.serving import make_server


def start_server(wsgi_app: Callable) -> tuple[str, Callable[[], None]]:
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=5)

    return f"http://127.0.0.1:{server.server_port}", stop
