"""The layers import downwards only: store/ (all SQL) needs nothing of the importer, the pages or the workflows above
it, the importer nothing of the pages or workflows, and no module takes another's private (underscore) names. Pages
name queries by function, so tools can follow them."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard.store import queries

SRC = Path(__file__).resolve().parents[1] / "src" / "dashboard"
# What store/ may import of the dashboard: itself and the leaves below it (no import of the dashboard's own).
STORE_MAY_IMPORT = ("dashboard.store", "dashboard.parsing", "dashboard.settings",                     "dashboard.operations.faults", "dashboard.operations.locks")
# No exceptions: migration step 6's stored assessment is computed by the RAG rules through a function the rules'
# module registers (connection.RECOMPUTED_BY), never by the store importing upward. A new entry here is a decision.
STORE_EXCEPTIONS: set[tuple[str, str]] = set()
ABOVE_THE_IMPORTER = ("dashboard.ui", "dashboard.loading.refresh", "dashboard.views", "dashboard.charts", "dashboard.cli",
                      "dashboard.published")


def _imports(folder: Path) -> list[tuple[str, str, list[str]]]:
    """(file, module, names) of every `import` and `from ... import` of the dashboard's own modules in a folder."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("dashboard"):
                found.append((path.relative_to(SRC).as_posix(), node.module, [a.name for a in node.names]))
            elif isinstance(node, ast.Import):
                found.extend((path.relative_to(SRC).as_posix(), a.name, []) for a in node.names
                             if a.name.startswith("dashboard"))
    return found


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def test_the_store_imports_nothing_from_a_layer_above_it():
    above = [(file, module) for file, module, names in _imports(SRC / "store")
             if not _within(module, STORE_MAY_IMPORT)
             and not (names and all(_within(f"{module}.{n}", STORE_MAY_IMPORT) for n in names))]
    assert set(above) <= STORE_EXCEPTIONS, sorted(set(above) - STORE_EXCEPTIONS)


def test_the_importer_imports_nothing_from_the_workflows_or_pages():
    above = [(file, module, names) for file, module, names in _imports(SRC / "importer")
             if _within(module, ABOVE_THE_IMPORTER)
             or any(_within(f"{module}.{n}", ABOVE_THE_IMPORTER) for n in names)]
    assert above == []


def test_no_module_imports_another_modules_private_names():
    private = [(file, module, name) for file, module, names in _imports(SRC) for name in names
               if name.startswith("_") and not name.startswith("__")]
    assert private == []


def test_pages_pass_query_functions_never_names():
    by_name = []
    for path in sorted([*(SRC.parents[1] / "views").glob("*.py"), *SRC.rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in {
                    "query", "current_query", "frame", "_run", "run"} and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                by_name.append(f"{path.name}:{node.lineno}")
    assert by_name == []


def test_the_page_cache_refuses_a_function_that_is_not_a_query():
    from dashboard.ui import data  # imported here: Streamlit's cache, which the other tests do not need

    assert data._query_key(queries.efficiency_years) == "efficiency_years"
    with pytest.raises(ValueError, match="not a function of dashboard.store.queries"):
        data._query_key(len)
