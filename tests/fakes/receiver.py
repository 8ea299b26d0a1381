"""A webhook receiver: a real HTTP server on 127.0.0.1 that records each POST (headers and
body) and answers what the test sets: a status per call, a body, a redirect, or a body that
never ends."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .server import FakeHandler, FakeServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeReceiver(FakeServer):
    # Statuses answered in turn; the last one repeats.
    statuses: list[int] = field(default_factory=lambda: [200])
    answer: bytes = b"ok"
    location: str = ""  # a Location header (with a 3xx status)
    endless: bool = False  # answer 200 with a chunked body that never ends
    tls: ssl.SSLContext | None = None  # serve https with this context
    calls: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handler(self) -> type[_Handler]:
        return _Handler

    @classmethod
    @contextmanager
    def running_with(cls, **options: object) -> Iterator[FakeReceiver]:
        fake = cls(**options).start()
        try:
            yield fake
        finally:
            fake.stop()

    def start(self) -> FakeReceiver:
        started = super().start()
        if self.tls is not None:
            # The listening socket keeps its descriptor, so the serving thread accepts TLS.
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        return started

    @property
    def url(self) -> str:
        return f"{self.base_url}/hooks"

    def status_for(self, index: int) -> int:
        return self.statuses[min(index, len(self.statuses) - 1)]


class _Handler(FakeHandler[FakeReceiver]):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        fake = self.fake
        with fake._lock:
            index = len(fake.calls)
        fake.record(Received(path=self.path, headers=self.lower_headers(), body=self.body()))
        if fake.endless:
            self._endless()
            return
        headers = {"Content-Type": "text/plain", "Connection": "close"}
        if fake.location:
            headers["Location"] = fake.location
        self.reply(fake.status_for(index), fake.answer, headers)

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"x" * 16384
        try:
            while not self.fake.closing.is_set():
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            return  # the sender stopped reading and hung up, as it should
