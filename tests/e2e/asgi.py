"""A live daphne server, websockets and all, for browser tests of pages that need them.

pytest-django's ``live_server`` is a WSGI thread: it serves pages but no websockets. This starts
the project's real ASGI application (``ASGI_APPLICATION``: HTTP, static files and the websocket
routes) in a daphne child process, as ``channels.testing.ChannelsLiveServerTestCase`` does.
The child is forked, so it runs with the settings of the moment it starts (a test's ``settings``
overrides included) and the test database the run created; use it with ``transactional_db``,
since the child cannot see a test's uncommitted transaction.
"""

from __future__ import annotations

import contextlib
import queue
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from asgiref.sync import AsyncToSync, SyncToAsync
from channels.layers import channel_layers
from channels.testing.live import make_application
from daphne.testing import DaphneProcess
from django.conf import settings
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from aurastream.sockets import close_database_connections

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 20


# Every database connection this process opens, whichever thread opened it.
_opened: weakref.WeakSet[BaseDatabaseWrapper] = weakref.WeakSet()


def _remember(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    _opened.add(connection)


connection_created.connect(_remember, weak=False, dispatch_uid="tests.e2e.asgi.remember")


def close_every_connection() -> None:
    """Closes the connections of every thread of this process (they are idle between tests).

    A child forked while any thread has the SQLite file open inherits SQLite's in-memory record
    of that thread's locks but not the locks themselves: the child skips taking them, and the
    next process to open the file (a worker) takes itself for the first and resets the shared
    WAL index under the child, whose queries then fail with "disk I/O error".
    """
    for wrapper in list(_opened):
        if wrapper.connection is None:
            continue
        wrapper.inc_thread_sharing()
        try:
            wrapper.close()
        finally:
            wrapper.dec_thread_sharing()


def _application() -> Any:
    """Runs first in the forked child: drop what it inherited from the parent's threads and
    event loops, then build the application."""
    # asgiref's thread-sensitive executor: its worker thread did not survive the fork, so the
    # database calls of the consumers would wait on it forever (once an earlier async test in
    # this run had started it).
    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
    AsyncToSync.loop_thread_executors.clear()
    # Channel layers made by earlier tests hold connections bound to the parent's loops.
    channel_layers.backends.clear()
    return make_application(static_wrapper=ASGIStaticFilesHandler)


def _use_database(name: str) -> None:
    """Runs in the child before it serves: point it at the run's test database."""
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


class DaphneLiveServer:
    def __init__(self) -> None:
        self.process: DaphneProcess | None = None
        self.url = ""

    def start(self) -> DaphneLiveServer:
        # The child must open its own database connections, not share the parent's sockets
        # or SQLite's record of its locks (this thread's, the websockets' database threads',
        # and any other thread's).
        connections.close_all()
        close_database_connections()
        close_every_connection()
        self.process = DaphneProcess(
            HOST,
            _application,
            setup=partial(_use_database, connections["default"].settings_dict["NAME"]),
        )
        self.process.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not self.process.ready.wait(timeout=0.2):
            if not self.process.is_alive() or time.monotonic() > deadline:
                reason = "it did not open a port in time"
                with contextlib.suppress(queue.Empty):
                    reason = self.process.errors.get(timeout=1)[1]
                self.stop()
                raise RuntimeError(f"daphne did not start: {reason}")
        self.url = f"http://{HOST}:{self.process.port.value}"
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process = None
