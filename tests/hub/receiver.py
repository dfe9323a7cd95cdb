"""A webhook receiver on 127.0.0.1 that a test scripts: it answers, fails, hangs, redirects,
answers with a huge body or is down, and keeps every request it read."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook


@dataclass(frozen=True)
class Received:
    """One request as it arrived."""

    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        """The posted event."""
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    def verified(self, secret: str) -> dict[str, Any]:
        """The event, once its signature checks out with ``secret`` (raises if not)."""
        payload: dict[str, Any] = Webhook(secret).verify(self.body, self.headers)
        return payload


@dataclass
class Receiver:
    """What the receiver does next: ``script`` is consumed one answer per request (then
    ``default``): an HTTP status, "hang" (no answer until released), "redirect" (to itself),
    "huge" (a 200 with a body of 64 MiB) or "huge500"; or ``answer_for`` decides per event."""

    port: int = 0
    script: list[int | str] = field(default_factory=list)
    default: int | str = 200
    # Decides the answer from the event instead, when set (the script is then not used).
    answer_for: Callable[[dict[str, Any]], int | str] | None = None
    got: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    open_sockets: list[socket.socket] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Where to post."""
        return f"http://127.0.0.1:{self.port}/hooks"

    def next_answer(self, body: bytes) -> int | str:
        """The scripted answer for the request just read."""
        if self.answer_for is not None:
            return self.answer_for(json.loads(body))
        with self.lock:
            return self.script.pop(0) if self.script else self.default

    def start(self) -> None:
        """Listen (again, on the same port once it had one)."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: object) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                with receiver.lock:
                    receiver.open_sockets.append(self.connection)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver.lock:
                    receiver.got.append(Received(dict(self.headers.items()), body))
                answer = receiver.next_answer(body)
                if answer == "hang":
                    receiver.release.wait()
                    self.close_connection = True
                    return
                if answer == "redirect":
                    self.send_response(302)
                    self.send_header("Location", receiver.url)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if answer in ("huge", "huge500"):
                    self._huge(200 if answer == "huge" else 500)
                    return
                assert isinstance(answer, int)
                reply = b'{"ok": true}' if answer < 300 else b"receiver trouble"
                self.send_response(answer)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def _huge(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(64 * 1024 * 1024))
                self.end_headers()
                chunk = b"x" * 65536
                try:
                    for _ in range(1024):
                        self.wfile.write(chunk)
                except OSError:
                    pass  # the hub stopped reading: as it should
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop listening: connections are refused until :meth:`start`."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        with self.lock:  # kept-alive connections go down with it
            for s in self.open_sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
            self.open_sockets.clear()

    def events(self) -> list[dict[str, Any]]:
        """Every event posted, in arrival order."""
        with self.lock:
            return [r.event for r in self.got]


@contextmanager
def receiving(**kw: Any) -> Iterator[Receiver]:
    """A receiver listening on 127.0.0.1 for the block."""
    r = Receiver(**kw)
    r.start()
    try:
        yield r
    finally:
        r.release.set()
        r.stop()
