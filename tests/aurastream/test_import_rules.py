"""The import rule (pyproject.toml, [tool.importlinter]) holds, and it catches a bad import.

import-linter checks the real import graph, and copies of it with one bad import added in
memory (import_rules_check.py), so the source tree is never written.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("coach", "generation", "brandkits", "library", "billing", "accounts")
# The plain-Python packages at the bottom of the house, below every app.
BOTTOM = ("platforms", "core")

BAD_IMPORTS = [
    # The arrow back up the chain: an account page asking billing for the plan.
    ("accounts.views", "billing.entitlements", ["apps"]),
    ("billing.selectors", "library.models", ["apps"]),
    # Indirectly: library reaches brand kits through an app below both.
    ("accounts.services", "brandkits.models", ["apps"]),
    # An app reaching into the kernel's wiring instead of its helpers (the dashboard imports
    # every app, so through it library would also reach the apps above it).
    ("brandkits.services", "aurastream.health", ["kernel-helpers"]),
    ("library.views", "aurastream.dashboard", ["apps", "kernel-helpers"]),
    # A helper importing an app lets every app below that one import it through the helper.
    ("aurastream.undo", "library.models", ["apps", "helpers"]),
    # A kernel page asking billing for the plans instead of using billing's template tags.
    ("aurastream.views", "billing.plans", ["kernel-pages"]),
    ("aurastream.dashboard", "billing.entitlements", ["kernel-pages"]),
    # The engines stay plain Python.
    ("generation.engine.render", "django", ["engines"]),
    ("generation.engine.compose", "generation.models", ["engines"]),
    ("coach.engine.local", "coach.models", ["engines"]),
    ("coach.engine.types", "aurastream", ["engines"]),
    # The bottom package imports no app (the engines, which use it, would reach the app too).
    ("core.colors", "brandkits.models", ["engines", "bottom"]),
    ("core.gemini", "aurastream.db", ["engines", "bottom"]),
    # The registry at the bottom reaching up: the engines, which read it, would reach up too.
    ("platforms.preview", "library.models", ["engines", "bottom"]),
]


def _config() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


@cache
def _check() -> dict[str, Any]:
    pairs = [[importer, imported] for importer, imported, _ in BAD_IMPORTS]
    run = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, str(Path(__file__).with_name("import_rules_check.py")), json.dumps(pairs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_every_contract_is_kept() -> None:
    result = _check()
    assert result["contracts"] == ["apps", "kernel-helpers", "helpers", "kernel-pages", "engines", "bottom"]
    assert result["broken"][0] == []


@pytest.mark.parametrize(("importer", "imported", "contracts"), BAD_IMPORTS)
def test_a_bad_import_breaks_its_contracts(importer: str, imported: str, contracts: list[str]) -> None:
    broken = _check()["broken"][1 + BAD_IMPORTS.index((importer, imported, contracts))]
    assert broken == contracts


def test_every_kernel_module_is_either_a_helper_or_kept_from_the_apps() -> None:
    """A new module in `aurastream/` must be placed: a helper the apps may use, or forbidden
    to them."""
    contracts = {contract["id"]: contract for contract in _config()["contracts"]}
    helpers = set(contracts["helpers"]["source_modules"])
    wiring = set(contracts["kernel-helpers"]["forbidden_modules"])
    assert not helpers & wiring

    def placed(module: str) -> bool:
        return any(module == name or module.startswith(f"{name}.") for name in helpers | wiring)

    kernel = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "aurastream").rglob("*.py")
        if path.name != "__init__.py"
    }
    kernel |= {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "aurastream").rglob("*/__init__.py")
        if path.parent.name != "api"  # a package of its own modules, placed one by one
    }
    assert sorted(module for module in kernel if not placed(module)) == []


def _imported_names(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@pytest.mark.parametrize("package", BOTTOM)
def test_the_bottom_packages_import_no_app_no_kernel_and_only_django_conf(package: str) -> None:
    if not (ROOT / package / "__init__.py").exists():
        pytest.skip(f"{package}/ is not in the tree yet")
    refused = {*APPS, "aurastream"}
    offenders = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / package).rglob("*.py")
        for name in _imported_names(path)
        if name.split(".")[0] in refused or (name.split(".")[0] == "django" and name != "django.conf")
    )
    assert offenders == []
