"""The console in a browser: textual-serve runs one console process per browser session and
relays it over a websocket, for supervisors who are not at a terminal.

Anyone who can reach the port is a stranger until they sign in: each browser session signs in
with the supervisor's own token (``wms hub supervisor add`` / ``token``) and gets a session
cookie (HttpOnly, SameSite=Strict, hours long); its console runs as that supervisor, on their
own warehouse. Every request must name this server in its Host (no DNS rebinding), every
sign-in and websocket must come from its Origin (no other page or local process driving a
supervisor's console), and only so many consoles run at once.
"""

from __future__ import annotations

import asyncio
import html
import secrets
import shlex
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy import Engine
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from wms.console.actions import Refused
from wms.console.run import console_warehouse, hub_database
from wms.hub.supervision.supervisors import DecisionRefused, scope_of, supervisor_of
from wms.hub.sync.devices import AuthError

COOKIE = "wms_console"
SESSION_SECONDS = 12 * 3600
_MAX_SIGNED_IN = 200  # sessions remembered at once; the oldest go first

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def console_command(config: Path | None, by: str, warehouse: str) -> str:
    """The shell command each browser session runs: this console, with this Python."""
    args = [sys.executable, "-c", "from wms.cli import main; main()", "hub", "console"]
    args += ["--by", by, "--warehouse", warehouse]
    if config is not None:
        args += ["--config", str(config.resolve())]  # the session's working directory may differ
    return shlex.join(args)


@dataclass(frozen=True)
class Session:
    """A signed-in browser: whose console it runs, on which warehouse, until when."""

    name: str
    warehouse: str
    until: float


_SIGN_IN = """<!doctype html><html><head><meta charset="utf-8"><title>wms hub console</title>
<style>body{{font-family:sans-serif;max-width:28em;margin:4em auto}}input{{width:100%}}
.refused{{color:#b00}}</style></head><body><h1>wms hub console</h1>
<p>Sign in with your supervisor token (<code>wms hub supervisor token NAME</code>).</p>
<p class="refused">{refused}</p>
<form method="post" action="/login"><input type="password" name="token" autofocus
 autocomplete="off" placeholder="sv-…"><p><button>Sign in</button></p></form></body></html>"""


_SESSION = web.RequestKey("session", Session)


class ConsoleServer(Server):
    """textual-serve's server, with sign-in, Host and Origin checks and a session limit."""

    def __init__(
        self,
        config: Path | None,
        warehouse: str | None,
        port: int,
        *,
        max_sessions: int = 4,
        public_url: str | None = None,
    ) -> None:
        super().__init__("", host="127.0.0.1", port=port, title="wms hub console")
        if public_url is not None:
            self.public_url = public_url
        self.config, self.warehouse, self.max_sessions = config, warehouse, max_sessions
        self.sessions: dict[str, Session] = {}
        self.running = 0
        self._engine: Engine | None = None

    def hub(self) -> Engine:
        """The hub database the server checks tokens on (Refused when it cannot be used)."""
        if self._engine is None:
            self._engine = hub_database(self.config)
        return self._engine

    def _sign_in(self, token: str) -> Session:
        with self.hub().begin() as conn:
            name = supervisor_of(conn, token)
            # A supervisor of one warehouse sees theirs, whatever the server was started for.
            wanted = None if scope_of(conn, name) else self.warehouse
            warehouse = console_warehouse(conn, name, wanted)
        return Session(name, warehouse, time.monotonic() + SESSION_SECONDS)

    def _still_allowed(self, session: Session) -> bool:
        try:
            with self.hub().connect() as conn:
                return console_warehouse(conn, session.name, session.warehouse) == session.warehouse
        except (Refused, DecisionRefused):
            return False

    # --- who may ask -------------------------------------------------------------------

    def _hosts(self) -> set[str]:
        public = urlsplit(self.public_url)
        port = public.port or self.port
        return {public.netloc, f"127.0.0.1:{port}", f"localhost:{port}"}

    def _origins(self) -> set[str]:
        scheme = urlsplit(self.public_url).scheme
        return {f"{scheme}://{host}" for host in self._hosts()}

    def _session(self, request: web.Request) -> Session | None:
        sid = request.cookies.get(COOKIE, "")
        session = self.sessions.get(sid)
        if session is not None and session.until < time.monotonic():
            del self.sessions[sid]
            return None
        return session

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a foreign Host, a foreign Origin on a sign-in or websocket, and anything
        but the sign-in page to a browser that has not signed in."""
        if request.host not in self._hosts():
            return web.Response(status=421, text=f"this server is not {request.host}")
        if (request.method != "GET" or request.path == "/ws") and (
            request.headers.get("Origin") not in self._origins()
        ):
            return web.Response(status=403, text="requests must come from the console's own page")
        if request.path == "/login":
            return await handler(request)
        session = self._session(request)
        if session is None:
            if request.path == "/":
                raise web.HTTPFound("/login")
            return web.Response(status=401, text="sign in first: /login")
        request[_SESSION] = session
        return await handler(request)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        app.add_routes([web.get("/login", self.sign_in_page), web.post("/login", self.sign_in)])
        return app

    # --- signing in ----------------------------------------------------------------------

    async def sign_in_page(self, request: web.Request, refused: str = "") -> web.Response:
        """The sign-in form."""
        body = _SIGN_IN.format(refused=html.escape(refused))
        return web.Response(text=body, content_type="text/html", status=401 if refused else 200)

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        """Check the token at the hub; a session cookie, and on to the console."""
        form = await request.post()
        token = str(form.get("token", "")).strip()
        try:
            session = await asyncio.to_thread(self._sign_in, token)
        except AuthError as e:
            return await self.sign_in_page(request, e.detail)
        except (Refused, DecisionRefused) as e:
            return await self.sign_in_page(request, str(e))
        while len(self.sessions) >= _MAX_SIGNED_IN:
            del self.sessions[next(iter(self.sessions))]
        sid = secrets.token_urlsafe(32)
        self.sessions[sid] = session
        signed_in = web.HTTPFound("/")
        signed_in.set_cookie(
            COOKIE,
            sid,
            max_age=SESSION_SECONDS,
            path="/",
            httponly=True,
            samesite="Strict",
            secure=self.public_url.startswith("https"),
        )
        raise signed_in

    # --- a browser session's console -----------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Run the signed-in supervisor's console for this websocket (textual-serve's own
        handler, with the session's command), within the session limit."""
        session = request[_SESSION]
        if self.running >= self.max_sessions:
            raise web.HTTPServiceUnavailable(
                text=f"{self.max_sessions} consoles are open already: close one first"
            )
        if not await asyncio.to_thread(self._still_allowed, session):
            self.sessions = {k: v for k, v in self.sessions.items() if v is not session}
            raise web.HTTPForbidden(text="this supervisor may no longer use the console")
        self.running += 1
        try:
            return await self._relay(
                request, console_command(self.config, session.name, session.warehouse)
            )
        finally:
            self.running -= 1

    async def _relay(self, request: web.Request, command: str) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: AppService | None = None

        async def close() -> None:
            await websocket.close()

        try:
            await websocket.prepare(request)
            service = AppService(
                command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(min(max(width, 20), 500), min(max(height, 10), 200))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            if service is not None:
                await service.stop()
        return websocket


def console_server(
    config: Path | None,
    warehouse: str | None,
    port: int,
    *,
    max_sessions: int = 4,
    public_url: str | None = None,
) -> ConsoleServer:
    """A server on 127.0.0.1 only (a reverse proxy may publish it as ``public_url``)."""
    return ConsoleServer(config, warehouse, port, max_sessions=max_sessions, public_url=public_url)
