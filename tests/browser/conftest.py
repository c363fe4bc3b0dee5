"""Browser tests: headless Debian Chromium driven by Playwright against the real API and the stub
pages, both served over HTTP. Each test saves screenshots under artifacts/screenshots/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.support.live_server import start_server

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"width": 375, "height": 667}



def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ is marked ``browser`` (a ``pytestmark`` in a conftest marks
    nothing), so ``-m "not browser"`` leaves them out and ``-m browser`` selects them."""
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _served_api(app):
    api_url, stop_api = start_server(app)
    yield api_url
    stop_api()


@pytest.fixture
def site(_served_api, emulator):
    """The API over real HTTP, and the stub (the same emulator the API talks to, serving the pages
    and forwarding /api to the API)."""
    from config import get_settings
    from tests.support.emulator import emulator_app

    emulator_app().config.update(YSS_API_BASE=_served_api, WEB_APPID=get_settings().wechat_appid)
    return {"api": _served_api, "stub": emulator.base_url}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield chromium
        chromium.close()


class Phone:
    """One page at 375×667 that records console errors and saves numbered screenshots."""

    def __init__(self, browser, name: str) -> None:
        self.context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.name = re.sub(r"[^A-Za-z0-9_-]+", "_", name)
        self.shots = 0
        self.expected_statuses: set[int] = set()

    def expect_http_error(self, status: int) -> None:
        """An answer the test provokes on purpose (e.g. a tampered payload); Chromium logs the failed
        load as a console error, which is then not a fault of the page."""
        self.expected_statuses.add(status)

    def unexpected_errors(self) -> list[str]:
        expected = [f"status of {s} " for s in self.expected_statuses]
        return [e for e in self.errors if not (e.startswith("Failed to load resource") and
                                                any(x in e for x in expected))]

    def shot(self, label: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = SHOTS / f"{self.name}-{self.shots:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_no_horizontal_scroll(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"page is {width}px wide at 375px"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def phone(browser, request):
    opened: list[Phone] = []

    def open_phone(label: str = "") -> Phone:
        p = Phone(browser, f"{request.node.name}{'-' + label if label else ''}")
        opened.append(p)
        return p

    yield open_phone
    errors = [e for p in opened for e in p.unexpected_errors()]
    for p in opened:
        p.close()
    assert not errors, f"console errors during the test: {errors}"
