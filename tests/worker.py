"""A real Celery worker process for tests, on the test run's database, broker and media."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.db import connection


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    """`celery worker` in its own process. The image provider is the local one, slowed down
    by `slow_seconds` per image so a test can watch the stages (or kill it mid-render). With
    `beat`, it runs the periodic tasks too (CELERY_BEAT_SCHEDULE), as `serve` does."""

    def __init__(self, slow_seconds: float = 0.0, *, beat: bool = False, **extra_env: str) -> None:
        self.beat = beat
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "aurastream.settings.base",
            "DATABASE_URL": database_url(),
            "AURASTREAM_VAR_DIR": str(settings.TEST_VAR_DIR),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            # The test run's analytics buffer (the spool under AURASTREAM_VAR_DIR, or this key).
            "ANALYTICS_BUFFER_KEY": settings.ANALYTICS_BUFFER_KEY,
            "IMAGE_PROVIDER": "tests.generation.providers.SlowLocalProvider",
            "SLOW_PROVIDER_SECONDS": str(slow_seconds),
            **extra_env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        beat = ["--beat", "--schedule", str(settings.TEST_VAR_DIR / "beat-schedule")] if self.beat else []
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed arguments (and the beat flags)
            [
                sys.executable, "-m", "celery", "-A", "aurastream", "worker", "--queues", "priority,default",
                "--pool", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel", "warning",
                *beat,
            ],
            env=self.env,
            cwd=settings.BASE_DIR,
        )  # fmt: skip
        return self

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task without acknowledging anything."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
