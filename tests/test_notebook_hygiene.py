"""Notebooks in git are clean documents (笔记本规范).

For every ``notebooks/**/*.ipynb``:

* no outputs and no execution counts are stored (``make strip``);
* exactly one code cell is tagged ``parameters`` (papermill); in ``notebooks/analysis/``
  it assigns at least ``lang``, ``title`` and ``data_path``;
* code cells define nothing: no ``def``, ``class`` or ``lambda`` (logic lives in the
  package, where it is tested);
* a paired ``py:percent`` file of the same name exists and its code cells equal the
  notebook's (``make sync``), and every ``.py`` under notebooks/ has its notebook;
* the notebook file is below 200 KB.

Each check is a function returning a list of problems; the checks are themselves tested on
small synthetic notebooks below, so they are known to fail on a dirty notebook even while
the project has few notebooks.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
MAX_BYTES = 200 * 1024
ANALYSIS_PARAMETERS = {"lang", "title", "data_path"}


def _visible(path: Path) -> bool:
    return not any(part in (".ipynb_checkpoints", "__pycache__") for part in path.parts)


NOTEBOOKS = sorted(p for p in NOTEBOOKS_DIR.rglob("*.ipynb") if _visible(p))
SCRIPTS = sorted(p for p in NOTEBOOKS_DIR.rglob("*.py") if _visible(p))


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(NOTEBOOKS_DIR)) for p in paths]


# ----------------------------------------------------------------------------- checks


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def code_cells(nb: nbformat.NotebookNode) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def output_problems(nb: nbformat.NotebookNode) -> list[str]:
    problems = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {number} stores {len(cell.outputs)} output(s)")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {number} stores execution_count {cell.execution_count}")
    return problems


def python_source(source: str) -> str:
    """Cell source as plain Python (IPython magics and shell escapes turned into calls)."""
    return TransformerManager().transform_cell(source)


def assigned_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(python_source(source))):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def parameter_problems(nb: nbformat.NotebookNode, required: set[str] = frozenset()) -> list[str]:
    tagged = [
        (number, cell)
        for number, cell in enumerate(nb.cells, start=1)
        if "parameters" in cell.get("metadata", {}).get("tags", [])
    ]
    if len(tagged) != 1:
        return [f"expected exactly one cell tagged 'parameters'; found {len(tagged)} ({[n for n, _ in tagged]})"]
    number, cell = tagged[0]
    if cell.cell_type != "code":
        return [f"the 'parameters' cell {number} is a {cell.cell_type} cell, not code"]
    missing = set(required) - assigned_names(cell.source)
    return [f"the 'parameters' cell {number} does not set {sorted(missing)}"] if missing else []


def definition_problems(nb: nbformat.NotebookNode) -> list[str]:
    problems = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(python_source(cell.source))
        except SyntaxError as exc:
            problems.append(f"cell {number} is not valid Python: {exc.msg} (line {exc.lineno})")
            continue
        for node in ast.walk(tree):
            kind = {
                ast.FunctionDef: "def",
                ast.AsyncFunctionDef: "async def",
                ast.ClassDef: "class",
                ast.Lambda: "lambda",
            }.get(type(node))
            if kind:
                problems.append(f"cell {number} line {node.lineno}: `{kind}` (move it into the csworkbench package)")
    return problems


def pairing_problems(path: Path) -> list[str]:
    script = path.with_suffix(".py")
    if not script.is_file():
        return [f"no paired script {script.name} (jupytext --set-formats ipynb,py:percent; make sync)"]
    from_ipynb = [c.source.strip() for c in jupytext.read(path).cells if c.cell_type == "code"]
    from_py = [c.source.strip() for c in jupytext.read(script).cells if c.cell_type == "code"]
    if from_ipynb == from_py:
        return []
    if len(from_ipynb) != len(from_py):
        return [f"{path.name} has {len(from_ipynb)} code cells, {script.name} has {len(from_py)} (make sync)"]
    first = next(i for i, (a, b) in enumerate(zip(from_ipynb, from_py)) if a != b)
    return [f"code cell {first + 1} differs between {path.name} and {script.name} (make sync)"]


def size_problems(path: Path) -> list[str]:
    size = path.stat().st_size
    return (
        [f"{path.name} is {size / 1024:.0f} KB; keep notebooks under {MAX_BYTES // 1024} KB"]
        if size >= MAX_BYTES
        else []
    )


# ----------------------------------------------------------------------------- the project's notebooks


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_no_outputs_stored(path):
    assert output_problems(read(path)) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_exactly_one_parameters_cell(path):
    analysis = (NOTEBOOKS_DIR / "analysis") in path.parents
    assert parameter_problems(read(path), ANALYSIS_PARAMETERS if analysis else set()) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_no_definitions_in_code_cells(path):
    assert definition_problems(read(path)) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_paired_script_matches(path):
    assert pairing_problems(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_small(path):
    assert size_problems(path) == []


@pytest.mark.parametrize("script", SCRIPTS, ids=_ids(SCRIPTS))
def test_every_script_has_its_notebook(script):
    assert script.with_suffix(".ipynb").is_file(), f"{script.name} has no paired notebook (make sync)"


def test_overview_notebook_exists():
    """The end-to-end notebook of issue 3 (item 9) is in git, with its paired script."""
    assert (NOTEBOOKS_DIR / "analysis" / "overview.ipynb").is_file()
    assert (NOTEBOOKS_DIR / "analysis" / "overview.py").is_file()


def test_jupytext_pairs_ipynb_with_py_percent():
    with (ROOT / "jupytext.toml").open("rb") as fh:
        config = tomllib.load(fh)
    assert set(config["formats"].split(",")) == {"ipynb", "py:percent"}


# ----------------------------------------------------------------------------- the checks themselves


def _notebook(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = list(cells)
    return nb


def _parameters(source: str = 'lang = "zh"\ntitle = "概览"\ndata_path = ""') -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]})


def test_checks_pass_a_clean_notebook(tmp_path):
    nb = _notebook(
        nbformat.v4.new_markdown_cell("# 概览"),
        _parameters(),
        nbformat.v4.new_code_cell("%matplotlib inline\nimport csworkbench as csw\nframe = csw.datasets.load_ecsi()"),
        nbformat.v4.new_code_cell("frame.sort_values('sat1', key=abs)"),  # a keyword named key is fine
    )
    path = tmp_path / "clean.ipynb"
    nbformat.write(nb, str(path))
    jupytext.write(nb, str(path.with_suffix(".py")), fmt="py:percent")
    nb = read(path)
    assert output_problems(nb) == []
    assert parameter_problems(nb, ANALYSIS_PARAMETERS) == []
    assert definition_problems(nb) == []
    assert pairing_problems(path) == []
    assert size_problems(path) == []


def test_checks_catch_a_dirty_notebook(tmp_path):
    executed = nbformat.v4.new_code_cell("x = 1\nx", execution_count=3)
    executed.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=3)]
    nb = _notebook(
        _parameters('lang = "zh"'),
        _parameters("n = 10"),
        executed,
        nbformat.v4.new_code_cell("def f(x):\n    return x\n\nclass A:\n    pass\n\ng = lambda y: y"),
    )
    assert output_problems(nb) == ["cell 3 stores 1 output(s)", "cell 3 stores execution_count 3"]
    assert parameter_problems(nb)[0].startswith("expected exactly one cell tagged 'parameters'; found 2")
    assert [p.split(": ")[1] for p in definition_problems(nb)] == [
        "`def` (move it into the csworkbench package)",
        "`class` (move it into the csworkbench package)",
        "`lambda` (move it into the csworkbench package)",
    ]
    assert parameter_problems(_notebook(_parameters('lang = "zh"')), ANALYSIS_PARAMETERS) == [
        "the 'parameters' cell 1 does not set ['data_path', 'title']"
    ]
    assert parameter_problems(_notebook(nbformat.v4.new_code_cell("x = 1"))) != []


def test_pairing_check_catches_a_stale_or_missing_script(tmp_path):
    nb = _notebook(_parameters(), nbformat.v4.new_code_cell("frame = load()"))
    path = tmp_path / "stale.ipynb"
    nbformat.write(nb, str(path))
    assert "no paired script" in pairing_problems(path)[0]
    nb.cells[1].source = "frame = load(sample=True)"
    jupytext.write(nb, str(path.with_suffix(".py")), fmt="py:percent")
    assert pairing_problems(path) == ["code cell 2 differs between stale.ipynb and stale.py (make sync)"]


def test_size_check_catches_a_big_notebook(tmp_path):
    path = tmp_path / "big.ipynb"
    path.write_bytes(b" " * MAX_BYTES)
    assert size_problems(path) != []
