from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve AuraStream with daphne (pages, API, websockets) and a Celery worker with its "
        "beat scheduler, as one process tree. Ctrl-C stops both."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Serve pages only.")
        parser.add_argument("--concurrency", type=int, default=2, help="Worker processes.")

    def handle(self, *args: Any, host: str, port: int, no_worker: bool, concurrency: int, **_: Any) -> None:
        processes: list[subprocess.Popen[bytes]] = []
        if not no_worker:
            schedule = settings.VAR_DIR / "celerybeat-schedule"
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "aurastream",
                        "worker",
                        "--queues",
                        "priority,default",
                        "--concurrency",
                        str(concurrency),
                        "--beat",
                        "--schedule",
                        str(schedule),
                        "--without-gossip",
                        "--without-mingle",
                        "--loglevel",
                        "info",
                    ],
                    env=os.environ.copy(),
                )
            )
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
                [sys.executable, "-m", "daphne", "-b", host, "-p", str(port), "aurastream.asgi:application"],
                env=os.environ.copy(),
            )
        )
        self.stdout.write(self.style.SUCCESS(f"AuraStream is serving on http://{host}:{port}/"))

        def stop(*_: object) -> None:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for process in processes:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()

        def stop_and_exit(*_: object) -> None:
            stop()
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop_and_exit)
        try:
            # If either process dies, stop the other: half an app is worse than none.
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
            self.stderr.write("A server process exited; stopping.")
        except KeyboardInterrupt:
            pass
        finally:
            stop()
