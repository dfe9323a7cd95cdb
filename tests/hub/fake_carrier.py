"""A fake EasyPost-style carrier API on 127.0.0.1: a real socket and HTTP server, so the hub's
carrier adapter (karrio's EasyPost connector) is tested over the wire.

It creates shipments (with one rate per service), buys them once (a second purchase of one
shipment is refused, as the real API does), serves their ZPL labels and refunds them. A test
makes it slow (``stall``: hold the next answers past the client's timeout), refuse
(``refuse``: an error answer) or cut the connection after buying (``lose_buy_answers``: the
purchase happens, its answer never arrives).
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "test-key"
LABEL = "^XA^FO50,50^A0N,40,40^FDFAKE CARRIER^FS^XZ\n"


@dataclass
class CarrierState:
    """What the fake carrier holds and how it is to behave."""

    base: str = ""
    shipments: dict[str, dict[str, Any]] = field(default_factory=dict)
    bought: list[str] = field(default_factory=list)
    refunded: list[str] = field(default_factory=list)
    stall: float = 0.0
    refuse: str | None = None
    lose_buy_answers: int = 0
    calls: list[str] = field(default_factory=list)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(state: CarrierState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            """Quiet: the test says what matters."""

        def _reply(self, status: int, body: Any, kind: str = "application/json") -> None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            wanted = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
            if self.headers.get("Authorization") != wanted:
                self._reply(401, {"error": {"code": "APIKEY.INVALID", "message": "Bad key"}})
                return False
            return True

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            return dict(json.loads(raw or b"{}"))

        def do_GET(self) -> None:
            state.calls.append(f"GET {self.path}")
            if self.path.startswith("/labels/"):
                self._reply(200, LABEL, "application/zpl")
                return
            if not self._authorised():
                return
            found = state.shipments.get(self.path.rsplit("/", 1)[-1])
            if found is None:
                self._reply(404, {"error": {"code": "NOT_FOUND", "message": "no shipment"}})
            else:
                self._reply(200, found)

        def do_POST(self) -> None:
            state.calls.append(f"POST {self.path}")
            body = self._body()
            if state.stall:
                time.sleep(state.stall)
            if not self._authorised():
                return
            if state.refuse:
                self._reply(422, {"error": {"code": "ADDRESS.VERIFY", "message": state.refuse}})
                return
            parts = self.path.strip("/").split("/")
            if parts == ["v2", "shipments"]:
                self._create(body["shipment"])
            elif len(parts) == 4 and parts[3] == "buy":
                self._buy(parts[2])
            elif len(parts) == 4 and parts[3] == "refund":
                state.refunded.append(parts[2])
                self._reply(200, {"id": parts[2], "status": "submitted"})
            else:
                self._reply(404, {"error": {"code": "NOT_FOUND", "message": self.path}})

        def _create(self, shipment: dict[str, Any]) -> None:
            with state.lock:
                n = next(state.ids)
            sid = f"shp_{n}"
            rates = [
                {"id": f"rate_{n}_{s}", "service": s, "carrier": "DHLExpress", "rate": "12.00"}
                for s in ("express", "standard")
            ]
            state.shipments[sid] = {
                "id": sid,
                "reference": shipment.get("reference"),
                "rates": rates,
            }
            self._reply(201, state.shipments[sid])

        def _buy(self, sid: str) -> None:
            found = state.shipments.get(sid)
            if found is None:
                self._reply(404, {"error": {"code": "NOT_FOUND", "message": "no shipment"}})
                return
            if found.get("postage_label"):
                message = "This shipment has already been purchased"
                self._reply(422, {"error": {"code": "SHIPMENT.POSTAGE.EXISTS", "message": message}})
                return
            state.bought.append(sid)
            found |= {
                "tracking_code": f"JD{1000000000 + len(state.bought)}",
                "selected_rate": found["rates"][0],
                "postage_label": {
                    "label_url": f"{state.base}/labels/{sid}.zpl",
                    "label_file_type": "application/zpl",
                },
                "tracker": {"public_url": f"{state.base}/track/{sid}"},
                "fees": [],
            }
            if state.lose_buy_answers > 0:
                state.lose_buy_answers -= 1
                self.close_connection = True
                self.connection.close()  # bought, and the answer is lost on the way
                return
            self._reply(200, found)

    return Handler


@contextmanager
def fake_carrier() -> Iterator[CarrierState]:
    """Run the fake carrier on a free port of 127.0.0.1 for the ``with`` block."""
    state = CarrierState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
