"""`wms hub console --serve`: a browser session signs in with its supervisor's token and gets a
console of its own; a stranger, a foreign page or a local process without the session gets
nothing, and only so many consoles run at once.

The websocket is driven the way the page's script drives it; test_console_browser.py loads the
page in headless Chromium."""

from __future__ import annotations

from asyncio.subprocess import Process
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp import WSMsgType, WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine

from wms.console.app import ConsoleApp
from wms.console.serve import COOKIE, ConsoleServer, console_server
from wms.hub.master import add_warehouse
from wms.hub.supervision.supervisors import new_supervisor, renew_token, revoke_supervisor


@pytest.fixture
async def served(
    hub_db: str, make_console: Callable[[], ConsoleApp], tmp_path: Path
) -> AsyncIterator[tuple[ConsoleServer, TestClient]]:
    """The served console on this test's hub (make_console created supervisor maria)."""
    config = tmp_path / "hub.env"
    config.write_text(f"WMS_HUB_DATABASE_URL={hub_db}\n", encoding="utf-8")
    server = console_server(config, "DEMO", 0, max_sessions=1)
    async with TestClient(TestServer(await server._make_app(), host="127.0.0.1")) as client:
        server.public_url = f"http://127.0.0.1:{client.port}"  # the page names its own port
        yield server, client


def _token(engine: Engine, name: str = "maria") -> str:
    with engine.begin() as conn:
        return renew_token(conn, name)


def _origin(client: TestClient) -> dict[str, str]:
    return {"Origin": f"http://127.0.0.1:{client.port}"}


async def _sign_in(client: TestClient, token: str) -> int:
    reply = await client.post(
        "/login", data={"token": token}, headers=_origin(client), allow_redirects=False
    )
    return reply.status


async def _console_screen(client: TestClient) -> bytes:
    ws = await client.ws_connect("/ws?width=100&height=30", headers=_origin(client))
    screen = b""
    # Until the console has drawn its outcome line; if it dies the socket closes first.
    async for message in ws:
        if message.type is WSMsgType.BINARY:
            screen += message.data
        if b"recorded as" in screen:
            break
    await ws.close()
    return screen


async def test_a_browser_session_signs_in_and_runs_its_own_console(
    served: tuple[ConsoleServer, TestClient],
    hub_engine: Engine,
    console_processes: list[Process],
) -> None:
    _, client = served
    first = await client.get("/", allow_redirects=False)
    assert (first.status, first.headers["Location"]) == (302, "/login")
    assert "supervisor token" in await (await client.get("/login")).text()
    assert await _sign_in(client, "sv-wrong") == 401
    assert await _sign_in(client, _token(hub_engine)) == 302
    page = await client.get("/")
    assert page.status == 200
    assert "wms hub console" in await page.text()
    screen = await _console_screen(client)
    [process] = console_processes
    assert await process.wait() == 0  # the session ended its console
    assert b"recorded as maria" in screen


async def test_strangers_foreign_pages_and_revoked_supervisors_get_no_console(
    served: tuple[ConsoleServer, TestClient],
    hub_engine: Engine,
    console_processes: list[Process],
) -> None:
    _, client = served
    with pytest.raises(WSServerHandshakeError) as no_session:  # a local process, no sign-in
        await client.ws_connect("/ws", headers=_origin(client))
    assert no_session.value.status == 401
    foreign = {"Origin": "http://evil.example"}
    refused = await client.post("/login", data={"token": _token(hub_engine)}, headers=foreign)
    assert refused.status == 403  # a foreign page cannot sign a browser in
    assert await _sign_in(client, _token(hub_engine)) == 302
    with pytest.raises(WSServerHandshakeError) as other_page:  # signed in, from another page
        await client.ws_connect("/ws", headers=foreign)
    assert other_page.value.status == 403
    rebound = await client.get("/", headers={"Host": f"evil.example:{client.port}"})
    assert rebound.status == 421  # DNS rebinding: a foreign name for this server
    with hub_engine.begin() as conn:
        revoke_supervisor(conn, "maria")
    with pytest.raises(WSServerHandshakeError) as revoked:
        await client.ws_connect("/ws", headers=_origin(client))
    assert revoked.value.status == 403
    assert console_processes == []


async def test_only_so_many_consoles_run_at_once(
    served: tuple[ConsoleServer, TestClient],
    hub_engine: Engine,
    console_processes: list[Process],
) -> None:
    server, client = served  # at most one
    assert await _sign_in(client, _token(hub_engine)) == 302
    first = await client.ws_connect("/ws?width=100&height=30", headers=_origin(client))
    with pytest.raises(WSServerHandshakeError) as second:
        await client.ws_connect("/ws", headers=_origin(client))
    assert second.value.status == 503
    await first.close()
    for process in console_processes:
        await process.wait()
    assert server.running == 0


async def test_a_supervisor_of_one_warehouse_signs_in_to_theirs(
    served: tuple[ConsoleServer, TestClient], hub_engine: Engine
) -> None:
    server, client = served  # started for DEMO
    with hub_engine.begin() as conn:
        add_warehouse(conn, "HKG", "Hong Kong")
        token = new_supervisor(conn, "wong", "HKG")
    assert await _sign_in(client, token) == 302
    [session] = server.sessions.values()
    assert (session.name, session.warehouse) == ("wong", "HKG")
    assert COOKIE in {c.key for c in client.session.cookie_jar}
