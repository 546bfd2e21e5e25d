"""The house holds (docs/api-conventions.md): no import cycles, light imports, layers, module sizes.

* The package's import graph — module-level *and* function-level imports, read from the source
  with ``ast`` — has no cycle.
* ``import csworkbench.<capability>`` in a fresh interpreter loads neither scikit-learn nor plotly.
* ``codes`` is a leaf; only ``io``, ``schema`` and ``datasets`` read files; only ``figures``/``widgets``
  modules (and the plotting, display and reporting layers) import plotly, matplotlib or ipywidgets.
* No module of the package is over 1,000 lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import csworkbench

PACKAGE = Path(csworkbench.__file__).resolve().parent
CAPABILITIES = ("gaps", "drivers", "pls", "tiers", "clv", "complaints", "weighting")
LIGHT = CAPABILITIES + ("schema", "io", "problems", "periods", "codes", "errors", "i18n", "datasets", "lexicon")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, path: Path, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The package modules an import statement loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "csworkbench"]
    if node.level:
        base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if target.split(".")[0] != "csworkbench":
        return []
    out = []
    for alias in node.names:  # `from . import plots` imports the module csworkbench.plots
        sub = f"{target}.{alias.name}"
        out.append(sub if sub in MODULES else target)
    return out


def _imports(module: str) -> dict[str, list[str]]:
    """Imported package module → how (``"top"`` or ``"function"``), for one module."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for target in _resolve(module, path, node):
                if target in MODULES and target != module:
                    found.setdefault(target, []).append(str(node.lineno))
    return found


def _third_party(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_the_import_graph_has_no_cycle():
    graph = {m: set(_imports(m)) for m in MODULES}
    cycles = _cycles(graph)
    detail = [
        " → ".join(c)
        + "  ("
        + "; ".join(f"{a} imports {b} at line {','.join(_imports(a)[b])}" for a in c for b in _imports(a) if b in c)
        + ")"
        for c in cycles
    ]
    assert not cycles, "import cycles:\n" + "\n".join(detail)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("name", LIGHT)
def test_importing_a_capability_loads_neither_scikit_learn_nor_plotly(name):
    code = (
        f"import sys, csworkbench.{name}\n"
        "heavy = sorted(m for m in ('sklearn', 'plotly', 'matplotlib', 'ipywidgets') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"import csworkbench.{name} loads {out.stdout.strip()}"


def test_codes_is_a_leaf():
    assert _imports("csworkbench.codes") == {}
    assert _imports("csworkbench.errors") == {}


FIGURE_LIBS = {"plotly", "matplotlib", "seaborn", "ipywidgets"}
FILE_READERS = {"duckdb", "pyarrow", "openpyxl", "pyreadstat", "sqlalchemy"}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.split(".")[1:2] and m.split(".")[1] in CAPABILITIES))
def test_capability_modules_compute_and_neither_read_files_nor_draw(module):
    leaf = module.rsplit(".", 1)[-1]
    third = _third_party(module)
    if leaf not in ("figures", "widgets"):
        assert not third & FIGURE_LIBS, f"{module} imports {sorted(third & FIGURE_LIBS)}: draw in a figures module"
    assert not third & FILE_READERS, f"{module} imports {sorted(third & FILE_READERS)}: read files in io/schema"
    assert "csworkbench.io" not in _imports(module), f"{module} imports csworkbench.io: read files in io/schema"
    source = MODULES[module].read_text(encoding="utf-8")
    for call in ("pd.read_", "read_table(", "open("):
        assert call not in source.replace("# open(", ""), f"{module} calls {call}: read files in io/schema"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_1000_lines(module):
    n = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert n <= 1000, f"{module} has {n} lines; split it by concept"


def test_no_silently_swallowed_errors():
    offenders = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and len(node.body) == 1 and isinstance(node.body[0], ast.Pass):
                broad = node.type is None or (
                    isinstance(node.type, ast.Name) and node.type.id in ("Exception", "BaseException")
                )
                if broad:
                    offenders.append(f"{module}:{node.lineno}")
    assert not offenders, f"`except Exception: pass` swallows errors at {offenders}"
