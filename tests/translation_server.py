"""A LibreTranslate-compatible stand-in on loopback (real HTTP, no internet), for every test suite.

The real deep-translator client calls it: `POST /translate` with q, source, target (query string,
form or JSON body) -> {"translatedText": ...}. Known phrases come from the phrasebook (per target
language, or any target); anything else comes back as "[<target>] <text>", so a test can see what
was translated into which language. Every request is recorded; `status` and `delay` can change
while it runs (a provider that breaks or slows down).

    with StandInTranslator({"es": {"Hei": "Hola"}}) as server:
        settings = MarketplaceSettings(..., translator_provider="libre", translator_url=server.url)
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

Phrasebook = dict[str, Any]  # text -> translation, or target -> {text -> translation}


class StandInTranslator:
    """POST /translate -> {"translatedText": ...}; records requests; `status` != 200 fails them."""

    def __init__(self, phrasebook: Phrasebook | None = None, delay: float = 0.0, status: int = 200) -> None:
        self.phrasebook = phrasebook or {}
        self.delay = delay
        self.status = status
        self.requests: list[dict[str, str]] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                if raw and "json" in (self.headers.get("Content-Type") or ""):
                    params.update({k: str(v) for k, v in json.loads(raw).items()})
                elif raw:
                    params.update({k: v[0] for k, v in parse_qs(raw).items()})
                with outer._lock:
                    outer.requests.append({"path": url.path, **params})
                if outer.delay:
                    time.sleep(outer.delay)
                if url.path.rstrip("/") != "/translate" or outer.status != 200:
                    self.send_response(404 if outer.status == 200 else outer.status)
                    self.end_headers()
                    return
                body = json.dumps({"translatedText": outer.translation(params.get("q", ""), params.get("target", ""))})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode("utf-8"))

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def translation(self, text: str, target: str) -> str:
        """What this stand-in answers for `text` into `target`."""
        per_target = self.phrasebook.get(target)
        if isinstance(per_target, dict) and text in per_target:
            return per_target[text]
        known = self.phrasebook.get(text)
        return known if isinstance(known, str) else f"[{target}] {text}"

    def count(self, **match: str) -> int:
        """How many requests matched all the given fields (e.g. q="Hei", target="es")."""
        with self._lock:
            return sum(all(r.get(k) == v for k, v in match.items()) for r in self.requests)

    def __enter__(self) -> StandInTranslator:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """A loopback URL where nothing listens (the provider is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def translator_server() -> Iterator[StandInTranslator]:
    """A running stand-in with an empty phrasebook (tests add phrases to `.phrasebook`)."""
    with StandInTranslator() as server:
        yield server
