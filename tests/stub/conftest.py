"""A fresh emulator, served over real HTTP, for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from miniprogram_stub.app import create_app
from tests.support.live_server import start_server

from .client import APPID, SECRET, Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    base_url, stop = start_server(create_app({"apps": {APPID: SECRET}}))
    client = Emulator(base_url)
    try:
        yield client
    finally:
        client.http.close()
        stop()


@pytest.fixture
def base_url(emulator: Emulator) -> str:
    return emulator.url
