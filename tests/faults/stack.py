"""The production layout in throwaway processes, so a test can stop what it likes.

A PostgreSQL cluster and a redis-server of the test's own (other ports; the machine's shared
services are never touched), gunicorn serving pages and the API as the app's non-bypass
database role, a prefork Celery worker and a beat process. The database is a copy of the test
run's freshly migrated one (same SECRET_KEY, so the same row-level security key).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import requests
from django.conf import settings

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
CREATOR_EMAIL = "faults@example.com"
CREATOR_PASSWORD = "a-long-fault-test-password-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


def missing() -> str:
    """Why this machine can't run the fault tests, or "" when it can."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL (DATABASE_URL)"
    if not settings.REDIS_URL:
        return "needs Redis (REDIS_URL)"
    if not PG_BIN or shutil.which("redis-server") is None:
        return "needs PostgreSQL's server binaries and redis-server"
    return ""


class OwnRedis:
    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - the installed redis-server, fixed arguments
            [
                shutil.which("redis-server") or "redis-server", "--port", str(self.port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self) -> None:
        """Stopped like a crashed or restarted Redis without persistence: every queued message
        and cached value is gone when it comes back."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class OwnPostgres:
    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.data = folder / "pgdata"
        self.bin = PG_BIN[-1]

    def _run(self, *command: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *command], check=True, capture_output=True, **kwargs)  # noqa: S603 - PostgreSQL's own tools

    def init(self) -> None:
        self.data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.data, "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync"
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        """A fast shutdown: open transactions are rolled back, every connection is cut."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def sql(self, statement: str, database: str = "postgres") -> list[tuple[Any, ...]]:
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database) as conn:
            conn.autocommit = True
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def copy_of(self, source: dict[str, Any], name: str) -> None:
        """This cluster gets the roles and a copy of ``source`` (the test run's database)."""
        self.sql("CREATE ROLE aurastream_owner LOGIN CREATEDB; CREATE ROLE aurastream LOGIN")
        self.sql(f"CREATE DATABASE {name} OWNER aurastream_owner")
        dump = subprocess.run(  # noqa: S603 - PostgreSQL's own pg_dump, fixed arguments
            [
                str(self.bin / "pg_dump"), "-h", source["HOST"] or "127.0.0.1",
                "-p", str(source["PORT"] or 5432), "-U", "postgres", "-d", source["NAME"],
            ],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(  # noqa: S603 - PostgreSQL's own psql, fixed arguments
            [
                str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", name,
                "-q", "-v", "ON_ERROR_STOP=1",
            ],
            input=dump.stdout, check=True, capture_output=True,
        )  # fmt: skip


class Stack:
    """Everything a creator's request and job touch, each in its own process."""

    def __init__(self, *, slow_seconds: float = 1.0) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="aurastream-faults-"))
        self.folder.chmod(0o755)  # PostgreSQL runs as its own user beneath it
        self.redis = OwnRedis(self.folder)
        self.postgres = OwnPostgres(self.folder / "pg")
        self.web_port = free_port()
        self.database = "aurastream_faults"
        self.slow_seconds = slow_seconds
        self.processes: dict[str, subprocess.Popen[bytes]] = {}  # the current one of each
        self.spawned: list[subprocess.Popen[bytes]] = []  # every one, for the teardown

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "aurastream.settings.base",
            "DATABASE_URL": f"postgres://aurastream@127.0.0.1:{self.postgres.port}/{self.database}",
            "DATABASE_APP_ROLE": "aurastream",
            "REDIS_URL": self.redis.url,
            "SECRET_KEY": settings.SECRET_KEY,
            "AURASTREAM_VAR_DIR": str(self.folder / "var"),
            "MEDIA_ROOT": str(self.folder / "media"),
            "ALLOWED_HOSTS": "127.0.0.1",
            "ACCOUNT_EMAIL_VERIFICATION": "optional",
            "IMAGE_PROVIDER": "tests.generation.providers.SlowLocalProvider",
            "SLOW_PROVIDER_SECONDS": str(self.slow_seconds),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }

    def _spawn(self, name: str, *command: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "-m", *command],
            env=self.env(),
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with all its children
        )
        self.processes[name] = process
        self.spawned.append(process)
        return process

    def start(self) -> Stack:
        self.redis.start()
        self.postgres.init()
        self.postgres.start()
        from django.db import connection

        self.postgres.copy_of(connection.settings_dict, self.database)
        self._creator()
        self._spawn(
            "web", "gunicorn", "aurastream.wsgi:application", "--bind", f"127.0.0.1:{self.web_port}",
            "--workers", "2", "--threads", "4", "--timeout", "30",
            # Clients here pause 2 s between requests on a kept-alive connection: gunicorn's
            # default keep-alive is also 2 s, so it could close one just as a request is sent.
            "--keep-alive", "10",
        )  # fmt: skip
        self.start_worker()
        self._spawn(
            "beat", "celery", "-A", "aurastream", "beat", "--loglevel", "warning",
            "--schedule", str(self.folder / "beat-schedule"),
        )  # fmt: skip
        wait_for_port(self.web_port)
        self._wait_until_serving()
        return self

    def _wait_until_serving(self, timeout: float = 90) -> None:
        """gunicorn listens before its workers have loaded Django: wait for a real answer."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.base_url}/healthz", timeout=5).status_code == 200:
                    return
            time.sleep(0.5)
        raise TimeoutError(f"gunicorn never answered\n{self.logs()}")

    def start_worker(self) -> subprocess.Popen[bytes]:
        """A prefork worker (a parent and one child that runs the tasks), as in production."""
        return self._spawn(
            "worker", "celery", "-A", "aurastream", "worker", "--queues", "priority,default",
            "--concurrency", "1", "--without-gossip", "--without-mingle", "--loglevel", "warning",
        )  # fmt: skip

    def _creator(self) -> None:
        """A Studio creator (no monthly limit: each round makes several jobs)."""
        script = (
            "import django; django.setup()\n"
            "from django.utils import timezone\n"
            "from accounts.services import demo_creator_ensure\n"
            "from aurastream.db import system_work\n"
            "from billing.models import PlanGrant\n"
            f"user = demo_creator_ensure(email={CREATOR_EMAIL!r}, password={CREATOR_PASSWORD!r})\n"
            "with system_work():\n"
            "    PlanGrant.objects.create(\n"
            "        user=user, plan='studio', starts_at=timezone.now(), reason='faults'\n"
            "    )\n"
        )
        subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script],
            env=self.env(),
            cwd=settings.BASE_DIR,
            check=True,
            capture_output=True,
        )

    def kill_worker_parent(self) -> None:
        """SIGKILL the worker's main process only, as the OOM killer or a node failure would."""
        worker = self.processes["worker"]
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)

    def stop(self) -> None:
        for process in self.spawned:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)
        self.redis.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            self.postgres.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def logs(self) -> str:
        parts = []
        for path in sorted(self.folder.glob("*.log")):
            parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-6000:]}")
        return "\n".join(parts)

    # --- What the test observes, as the owner of the database (it sees every row) ---------

    def jobs(self) -> dict[str, tuple[str, int]]:
        rows = self.postgres.sql("SELECT id::text, status, cost FROM generation_generationjob", self.database)
        return {job_id: (status, cost) for job_id, status, cost in rows}

    def ledger(self) -> dict[str, list[str]]:
        rows = self.postgres.sql(
            "SELECT reference, state FROM billing_usageentry WHERE kind = 'generation'", self.database
        )
        entries: dict[str, list[str]] = {}
        for reference, state in rows:
            entries.setdefault(reference.removeprefix("generation:"), []).append(state)
        return entries

    def assets(self) -> dict[str, int]:
        rows = self.postgres.sql(
            "SELECT source_job_id::text, count(*) FROM library_asset GROUP BY source_job_id", self.database
        )
        return dict(rows)


class Creator:
    """The creator's browser and API client against the stack."""

    PAGES = ("/dashboard/", "/library/", "/create/", "/brand/")
    API = ("/api/v1/me/", "/api/v1/generations/", "/api/v1/assets/")

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.browser = requests.Session()
        self.api = requests.Session()

    def sign_in(self) -> None:
        url = self.stack.base_url
        page = self.browser.get(f"{url}/accounts/login/", timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token is not None, page.text[:500]
        signed_in = self.browser.post(
            f"{url}/accounts/login/",
            data={"csrfmiddlewaretoken": token[1], "login": CREATOR_EMAIL, "password": CREATOR_PASSWORD},
            headers={"Referer": f"{url}/accounts/login/"},
            timeout=10,
        )
        assert "sessionid" in self.browser.cookies, signed_in.text[:500]
        access = requests.post(
            f"{url}/api/v1/auth/token/",
            json={"email": CREATOR_EMAIL, "password": CREATOR_PASSWORD},
            timeout=10,
        ).json()["access"]
        self.api.headers["Authorization"] = f"Bearer {access}"

    def start_job(self, prompt: str) -> requests.Response:
        return self.api.post(
            f"{self.stack.base_url}/api/v1/generations/",
            json={"platform": "youtube", "asset_type": "thumbnail", "prompt": prompt},
            timeout=15,
        )

    def look_around(self) -> Iterator[tuple[str, requests.Response]]:
        """Every page and API list a creator might have open, once."""
        for path in self.PAGES:
            yield path, self.browser.get(f"{self.stack.base_url}{path}", timeout=15)
        for path in self.API:
            yield path, self.api.get(f"{self.stack.base_url}{path}", timeout=15)
