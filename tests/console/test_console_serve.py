"""`wms hub console --serve`: the page loads, and a browser session gets a console of its own.

The websocket is driven the way the page's script drives it; test_console_browser.py loads the
page in headless Chromium."""

from __future__ import annotations

from asyncio.subprocess import Process
from collections.abc import Callable
from pathlib import Path

from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer

from wms.console.app import ConsoleApp
from wms.console.serve import console_server


async def test_a_browser_session_runs_the_console(
    hub_db: str,
    make_console: Callable[[], ConsoleApp],
    tmp_path: Path,
    console_processes: list[Process],
) -> None:
    config = tmp_path / "hub.env"  # make_console created supervisor maria
    config.write_text(f"WMS_HUB_DATABASE_URL={hub_db}\n", encoding="utf-8")
    server = console_server(config, "maria", "DEMO", 0)
    async with TestClient(TestServer(await server._make_app())) as client:
        page = await client.get("/")
        assert page.status == 200
        assert "wms hub console" in await page.text()
        ws = await client.ws_connect("/ws?width=100&height=30")
        screen = b""
        # Until the console has drawn its outcome line; if it dies the socket closes first.
        async for message in ws:
            if message.type is WSMsgType.BINARY:
                screen += message.data
            if b"recorded as maria" in screen:
                break
        await ws.close()
        [process] = console_processes
        assert await process.wait() == 0  # the session ended its console
    assert b"recorded as maria" in screen
