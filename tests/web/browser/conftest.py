"""A real server and Debian's Chromium driven by Playwright (never a downloaded browser).

Outside CI the browser tests skip, with the reason shown, when /usr/bin/chromium or the
axe-core package (``npm ci`` in this folder, done by ``make test``) is missing; in CI they fail.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(__file__).resolve().parents[3] / "test-output" / "browser"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not installed (make test installs it with apt)"
    if not AXE.exists():
        return f"{AXE} missing (run `npm ci` in {AXE.parents[2]})"
    return None


@pytest.fixture(scope="session")
def browser_ready() -> None:
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "hipback.sqlite3"
    env = os.environ | {"HIPBACK_DATABASE_URL": f"sqlite:///{db}", "HIPBACK_DEMO": "true"}
    hipback = [sys.executable, "-m", "hipback"]
    subprocess.run([*hipback, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*hipback, "demo", "--patients", "6"], env=env, check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen(
        [*hipback, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the hipback server did not start within 30 s")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium(browser_ready: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def axe_violations(
    page: Any, tags: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21aa")
) -> list[dict[str, Any]]:
    """Run axe-core in the page; return violations of WCAG 2.1 A/AA rules.

    axe is served from the page's own origin (intercepted by Playwright), so the app's
    Content-Security-Policy (``script-src 'self'``, no inline script) stays in force.
    """
    page.route(
        "**/__axe__.js",
        lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"),
    )
    page.add_script_tag(url="/__axe__.js")
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(tags),
    )
    return list(result["violations"])
