"""The chat widget in a real browser against the real processes (tests/browser/chat.js:
Playwright with Debian's chromium, axe-core). Screenshots go to docs/screenshots/."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.conftest import PROJECT_DIR
from tests.integration.conftest import Stack

CHROMIUM = "/usr/bin/chromium"


def test_widget_by_mouse_and_keyboard_on_desktop_and_phone_with_axe(stack: Stack) -> None:
    if not os.path.exists(CHROMIUM) or shutil.which("node") is None:
        pytest.fail("browser tests need Debian's chromium and node (make test installs the npm part; "
                    ".ci/run installs chromium)")
    if not (PROJECT_DIR / "tests/browser/node_modules/playwright-core").is_dir():
        pytest.fail("run `npm ci --prefix tests/browser` (make test does it)")
    result = subprocess.run(["node", "tests/browser/chat.js"], cwd=PROJECT_DIR, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "BASE_URL": stack.catalog_url, "CHROMIUM": CHROMIUM,
                                              "SCREENSHOTS": str(PROJECT_DIR / "docs" / "screenshots")})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "browser checks passed" in result.stdout


def test_portal_embedding_token_origins_height_and_events(stack: Stack) -> None:
    port = stack.catalog_url.rsplit(":", 1)[1]
    result = subprocess.run(["node", "tests/browser/portal.js"], cwd=PROJECT_DIR, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "BASE_URL": stack.catalog_url, "CHROMIUM": CHROMIUM,
                                              "OTHER_ORIGIN_URL": f"http://localhost:{port}",
                                              "SCREENSHOTS": str(PROJECT_DIR / "docs" / "screenshots")})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "portal checks passed" in result.stdout
