"""`wms hub console --serve` in a real browser: Debian's headless Chromium (the Makefile installs
it), driven by Playwright, opens the page and a supervisor's console runs in it.

The page draws the terminal on a canvas (xterm.js), so the text is not in the DOM: the test
reads what xterm.js holds on its screen, which is what the canvas shows."""

from __future__ import annotations

import asyncio
import re
from asyncio.subprocess import Process
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, Route, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import Engine

from tests.console.conftest import BIN, SKU, negative_stock
from wms.console.app import ConsoleApp
from wms.console.serve import console_server
from wms.hub.supervision.supervisors import renew_token

CHROMIUM = Path("/usr/bin/chromium")
# Headless as root on a machine without a GPU or a network: no sandbox (root), no GPU process,
# and nothing of Chromium's own calling home.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Each session starts a console process (Python, Textual, a hub query), on a machine that
# `pytest -n auto` keeps busy: generous, and a failure shows the screen it got instead.
WAIT_MS = 180_000

# textual-serve keeps its xterm.js Terminal inside the page's script; catch it as it is stored
# (`this.terminal = new Terminal(…)`) so that the test can read the terminal's screen.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer && value.buffer.active) window.wmsTerminal = value;
  },
});
window.wmsScreen = () => {
  const terminal = window.wmsTerminal;
  if (!terminal) return "";
  const buffer = terminal.buffer.active, lines = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
};
"""


async def screen(page: Page) -> str:
    """The text on the browser terminal's screen, one line per row."""
    return str(await page.evaluate("window.wmsScreen()"))


async def shows(page: Page, *texts: str) -> str:
    """Wait until the browser terminal's screen shows every one of ``texts``; the screen."""
    try:
        await page.wait_for_function(
            "texts => texts.every(t => window.wmsScreen().includes(t))", arg=texts, timeout=WAIT_MS
        )
    except PlaywrightTimeout:
        state = await page.evaluate(
            "[document.body.className, typeof window.wmsTerminal, location.href]"
        )
        pytest.fail(
            f"the browser never showed {texts}; page body class, terminal, URL: {state};"
            f" its screen:\n{await screen(page)}"
        )
    return await screen(page)


@pytest.fixture
def chromium() -> Path:
    """Debian's Chromium; a missing one fails (never skips) the test."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make pytest` installs it (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
async def served(
    hub_db: str,
    make_console: Callable[[], ConsoleApp],
    tmp_path: Path,
    console_processes: list[Process],
) -> AsyncIterator[str]:
    """`wms hub console --by maria --serve` on this test's hub; its URL. Every session's console
    process has ended before this test's event loop closes."""
    config = tmp_path / "hub.env"  # make_console created supervisor maria
    config.write_text(f"WMS_HUB_DATABASE_URL={hub_db}\n", encoding="utf-8")
    console = console_server(config, "DEMO", 0)
    server = TestServer(await console._make_app(), host="127.0.0.1")
    async with server:
        # The page links its script and websocket by the server's public URL, which would name
        # port 0: name the port the test server got instead.
        console.public_url = f"http://127.0.0.1:{server.port}"
        yield f"{console.public_url}/"
        for process in console_processes:  # the browser has closed: its sessions end
            code = await asyncio.wait_for(process.wait(), WAIT_MS / 1000)
            assert code == 0, "a browser session's console did not end cleanly"


async def only_the_console(route: Route) -> None:
    """The page also asks the internet for a web font: refuse at once, as a closed network
    would eventually, so that the page does not wait on it."""
    await route.abort()


@pytest.fixture
async def page(chromium: Path, served: str, tmp_path: Path) -> AsyncIterator[Page]:
    """A tab in headless Chromium with a fresh profile, able to reach only the served console;
    the browser is closed (ending its sessions) before the server stops."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile",
            executable_path=chromium,
            headless=True,
            args=FLAGS,
            viewport={"width": 1600, "height": 900},
            timeout=WAIT_MS,
        )
        try:
            browser.set_default_timeout(WAIT_MS)
            await browser.route(re.compile(r"^(?!http://127\.0\.0\.1[:/])"), only_the_console)
            await browser.add_init_script(CATCH_TERMINAL)
            yield browser.pages[0] if browser.pages else await browser.new_page()
        finally:
            await browser.close()


async def test_a_supervisor_sees_and_drives_the_console_in_chromium(
    page: Page, served: str, hub_engine: Engine, console_processes: list[Process]
) -> None:
    negative_stock(hub_engine)
    with hub_engine.begin() as conn:
        token = renew_token(conn, "maria")
    await page.goto(served)  # a stranger until signed in
    await page.locator("input[name=token]").fill(token)
    await page.locator("button").click()

    # The console itself, not just the page: the queue read from the hub, signed in as maria.
    queue = await shows(page, f"{SKU} at {BIN} below zero", "Decisions are recorded as maria")
    assert "wms hub console — maria · DEMO" in queue
    assert "negative_stock" in queue
    assert "Clear customs hold" not in queue

    # A key pressed in the browser reaches the console: F2 shows the held stock instead.
    await page.locator(".xterm-helper-textarea").focus()
    await page.keyboard.press("F2")
    holds = await shows(page, "Clear customs hold", "customs_hold")
    assert f"{SKU} at {BIN} below zero" not in holds
    assert len(console_processes) == 1  # one browser tab, one console
