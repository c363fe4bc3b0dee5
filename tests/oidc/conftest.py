from __future__ import annotations

import pytest

from tests.support.live_server import start_server


@pytest.fixture(scope="session")
def api(app):
    """yss over real HTTP, as a department app's backend reaches it."""
    url, stop = start_server(app)
    yield url
    stop()
