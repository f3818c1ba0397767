"""Headless Chromium for the browser tests: Debian's chromium driven by Playwright.

Without /usr/bin/chromium the browser tests are skipped with the reason, unless
REQUIRE_BROWSER=1 (set by .ci/run, which installs chromium) makes that a failure.
"""
import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# The flags Chromium needs on an offline host with no display, as root.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    """The system Chromium, or skip (fail under REQUIRE_BROWSER=1) when it is missing."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or ""
    if not found:
        reason = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="session")
def chromium():
    """One headless browser for the whole run."""
    from playwright.sync_api import sync_playwright
    path = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser tab (its own cookies) that fails the test on any script error."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
    assert not errors, f"the page reported errors: {errors}"


def save_screenshot(tab, name: str, **options) -> Path:
    """A PNG in test-artifacts/ that the run leaves behind for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True, **options)
    return path
