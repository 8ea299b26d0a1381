"""A real Celery worker process takes work queued by a request."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from aurastream.celery import app as celery_app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path, monkeypatch):
    """A worker on the same broker and database as this test, sending mail into a folder."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aurastream.settings.base",
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"filemail:///{mail_dir}",  # four slashes: an absolute path
        # The test run's own folders: without Redis, the broker queue lives there.
        "AURASTREAM_VAR_DIR": str(django_settings.TEST_VAR_DIR),
    }
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "aurastream",
            "worker",
            "--queues",
            "priority,default",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "warning",
        ],
        env=env,
        cwd=django_settings.BASE_DIR,
    )
    yield mail_dir
    process.terminate()
    process.wait(15)


def wait_for_mail(folder: Path, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(folder.glob("*.log"))
        if files and files[0].stat().st_size:
            time.sleep(0.1)  # let the backend finish writing
            return files[0].read_text()
        time.sleep(0.1)
    raise AssertionError("the worker delivered no email")


def test_a_password_reset_email_is_delivered_by_the_worker(client, user, worker):
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302

    delivered = wait_for_mail(worker)

    assert f"To: {user.email}" in delivered
    assert "/accounts/password/reset/key/" in delivered
