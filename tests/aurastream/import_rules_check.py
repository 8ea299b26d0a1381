"""Run the import contracts (pyproject.toml, [tool.importlinter]) on the real import graph, and
on copies with a bad import added, in memory: the source tree is never written.

Run by tests/aurastream/test_import_rules.py in its own process (under pytest, zope.interface,
loaded by Twisted, hides import-linter's contract fields). Arguments: JSON, a list of
[importer, imported] pairs. Prints JSON: the ids of the contracts each graph breaks, the real
graph's first.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import grimp
from importlinter.application.app_config import settings
from importlinter.application.use_cases import lint_imports, read_user_options
from importlinter.configuration import configure

ROOT = Path(__file__).resolve().parents[2]
CONFIG = str(ROOT / "pyproject.toml")


class GivenGraph:
    def __init__(self, graph: grimp.ImportGraph) -> None:
        self.graph = graph

    def build(self, **_: object) -> grimp.ImportGraph:
        return self.graph


def broken_contracts(graph: grimp.ImportGraph, contract_ids: list[str]) -> list[str]:
    broken = []
    for contract_id in contract_ids:
        # A contract may take its ignored imports out of the graph: each checks its own copy.
        settings.configure(GRAPH_BUILDER=GivenGraph(copy.deepcopy(graph)))
        # Debug mode: a contract that can't run raises instead of reading as broken.
        if not lint_imports(CONFIG, (contract_id,), cache_dir=None, is_debug_mode=True, no_logo=True):
            broken.append(contract_id)
    return broken


def main() -> None:
    sys.path.insert(0, str(ROOT))  # the project's packages, not this script's folder
    configure()
    options = read_user_options(CONFIG)
    session = options.session_options
    contract_ids = [contract["id"] for contract in options.contracts_options]
    graph = grimp.build_graph(
        *session["root_packages"],
        include_external_packages=str(session["include_external_packages"]).lower() == "true",
        exclude_type_checking_imports=str(session["exclude_type_checking_imports"]).lower() == "true",
        cache_dir=None,
    )
    results = [broken_contracts(graph, contract_ids)]
    for importer, imported in json.loads(sys.argv[1]):
        bad = copy.deepcopy(graph)
        bad.add_import(importer=importer, imported=imported, line_number=1, line_contents="(added)")
        results.append(broken_contracts(bad, contract_ids))
    # The linter's own report went to stdout; the answer is the last line.
    print("\n" + json.dumps({"contracts": contract_ids, "broken": results}))


if __name__ == "__main__":
    main()
