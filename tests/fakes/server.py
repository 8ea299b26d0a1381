"""What every local fake of an outside service shares: a real HTTP server on 127.0.0.1.

A fake subclasses ``FakeServer`` and says which request handler serves it (``handler()``); the
handler reaches the fake as ``self.server.fake``. ``running()`` binds port 0 (the OS picks a
free port, so parallel runs never collide), serves in a daemon thread and stops cleanly:
``closing`` is set first, so a reply that is waiting (a slow answer) gives up and the thread
can end.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, Self, TypeVar, cast


class FakeServer:
    """The lifecycle of one fake: ``start``/``stop``, or ``with Fake.running() as fake``."""

    # A short poll interval keeps shutdown, and so each test, quick.
    POLL_INTERVAL_S = 0.05

    base_url: str
    calls: list[Any]
    _lock: threading.Lock
    # Set on shutdown so a reply that is waiting stops and the server thread can end.
    closing: threading.Event
    _server: _Server
    _thread: threading.Thread

    def handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    @classmethod
    @contextmanager
    def running(cls) -> Iterator[Self]:
        fake = cls().start()
        try:
            yield fake
        finally:
            fake.stop()

    def start(self) -> Self:
        self.closing = threading.Event()
        self._server = _Server(self, self.handler())
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(self.POLL_INTERVAL_S,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def record(self, call: Any) -> None:
        """Keep one request, parsed, in ``calls`` for the test to assert on."""
        with self._lock:
            self.calls.append(call)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeServer, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.fake = fake


F = TypeVar("F", bound=FakeServer)


class FakeHandler(BaseHTTPRequestHandler, Generic[F]):
    """A request handler for a fake: quiet, with the request body and a one-call reply."""

    server: _Server

    @property
    def fake(self) -> F:
        return cast(F, self.server.fake)

    def body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def lower_headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers.items()}

    def reply(self, status: int, data: bytes, headers: dict[str, str]) -> None:
        """Send ``status``, ``headers`` and ``data`` with its Content-Length."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet: the fake's ``calls`` records every request."""
