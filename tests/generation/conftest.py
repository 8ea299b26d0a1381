"""Fixtures of the generation tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def templates_dir(settings, tmp_path: Path) -> Path:
    """A copy of the shipped Quick Create templates, which the app reads instead: a test can add
    to it or change it."""
    folder = tmp_path / "templates"
    shutil.copytree(Path(settings.BASE_DIR) / "generation" / "data" / "templates", folder)
    settings.GENERATION_TEMPLATES_DIR = folder
    return folder
