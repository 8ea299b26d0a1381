"""Settings read a `.env` file beside the project before any variable, AURASTREAM_VAR_DIR too."""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path
from typing import Any

import environ
import pytest

import aurastream.settings.environment


def _load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dotenv: str, **environment: str) -> dict[str, Any]:
    """Run a copy of environment.py from a project folder of its own, with that `.env` beside
    it and only the given variables set (the real process environment is left alone)."""
    settings_dir = tmp_path / "project" / "aurastream" / "settings"
    settings_dir.mkdir(parents=True)
    shutil.copy(aurastream.settings.environment.__file__, settings_dir / "environment.py")
    (tmp_path / "project" / ".env").write_text(dotenv, encoding="utf-8")
    monkeypatch.setattr(environ.Env, "ENVIRON", dict(environment))
    return runpy.run_path(str(settings_dir / "environment.py"))


def test_var_dir_set_in_dotenv_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = _load(tmp_path, monkeypatch, f"AURASTREAM_VAR_DIR={tmp_path / 'state'}\n")
    assert loaded["VAR_DIR"] == tmp_path / "state"


def test_the_environment_wins_over_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = _load(
        tmp_path,
        monkeypatch,
        f"AURASTREAM_VAR_DIR={tmp_path / 'from-dotenv'}\n",
        AURASTREAM_VAR_DIR=str(tmp_path / "from-environment"),
    )
    assert loaded["VAR_DIR"] == tmp_path / "from-environment"


def test_var_dir_defaults_to_var_beside_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = _load(tmp_path, monkeypatch, "")
    assert loaded["VAR_DIR"] == tmp_path / "project" / "var"
