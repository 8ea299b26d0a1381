"""The production settings, loaded the way the image loads them: in a fresh process.

The suite itself runs on aurastream.settings.test, and a settings module can be imported only
once per process, so every check here runs ``manage.py`` (or gunicorn) as a subprocess with
an environment built from scratch: nothing from the developer's or CI's shell leaks in.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
REQUIRED_VARIABLES = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS")
# Only what a process needs to run at all; every setting comes from the test.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """A complete production environment; an override of None removes that variable."""
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="aurastream.settings.production",
        # Long and random, as Django's security check (W009) wants.
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=f"sqlite:///{tmp_path / 'production-check.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/15",
        ALLOWED_HOSTS="aurastream.example.com",
        PYTHONDONTWRITEBYTECODE="1",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments, the interpreter running the tests
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_the_required_variables(tmp_path: Path) -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


@pytest.mark.parametrize("blank", [False, True], ids=["unset", "blank"])
@pytest.mark.parametrize("name", REQUIRED_VARIABLES)
def test_production_refuses_to_start_without_a_required_variable(
    tmp_path: Path, name: str, blank: bool
) -> None:
    env = production_env(tmp_path, **{name: "   " if blank else None})

    result = run(["manage.py", "check"], env)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    # The message lists all four as a reminder; the missing one opens it.
    assert f"{name} is not set" in output


def test_gunicorn_config_loads_the_app_with_production_settings(tmp_path: Path) -> None:
    """deploy/gunicorn.conf.py, as the image's `web` command uses it, takes WEB_CONCURRENCY."""
    env = production_env(tmp_path, WEB_CONCURRENCY="3")
    gunicorn = ["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "aurastream.wsgi:application"]

    check = run([*gunicorn[:2], "--check-config", *gunicorn[2:]], env)
    printed = run([*gunicorn[:2], "--print-config", *gunicorn[2:]], env)

    assert check.returncode == 0, check.stdout + check.stderr
    settings = {
        key.strip(): value.strip()
        for key, _, value in (line.partition("=") for line in printed.stdout.splitlines())
    }
    assert settings["workers"] == "3"
    assert settings["bind"] == "['0.0.0.0:8000']"
    assert settings["accesslog"] == "-"
    # Workers are forked from the loaded app and recycled far apart (benchmarks/pages.py --soak).
    assert settings["preload_app"] == "True"
    assert (settings["max_requests"], settings["max_requests_jitter"]) == ("1000", "1000")


def test_loading_the_app_opens_no_connection_for_workers_to_share(tmp_path: Path) -> None:
    """gunicorn imports the app once and forks its workers from it: an import that connected to
    the database would hand every worker the same socket."""
    code = (
        "import aurastream.wsgi; from django.db import connections; "
        "print([alias for alias in connections if connections[alias].connection is not None])"
    )

    result = run(["-c", code], production_env(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
