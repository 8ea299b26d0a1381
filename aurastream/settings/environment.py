"""Where settings come from: the environment, with a `.env` file beside the project filling in
what the environment leaves unset, and the folders every other settings module builds on.

Plain Python (no relative imports): tests/aurastream/test_settings_environment.py runs a copy.
"""

from __future__ import annotations

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file is a convenience for local runs; real deployments set the environment. It is read
# before any variable, so every one of them (AURASTREAM_VAR_DIR too) may be set there.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Runtime state of the embedded default (SQLite file, broker folders, local media).
VAR_DIR = Path(env.str("AURASTREAM_VAR_DIR", default=str(BASE_DIR / "var")))
