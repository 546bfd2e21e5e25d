"""The public API: every advertised name resolves, and importing the package stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import csworkbench


@pytest.mark.parametrize("name", sorted(csworkbench._EXPORTS))
def test_every_exported_name_resolves(name):
    obj = getattr(csworkbench, name)
    assert obj is not None
    assert obj.__doc__, f"csworkbench.{name} has no docstring"


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        csworkbench.nope  # noqa: B018


def test_import_does_not_pull_heavy_libraries():
    code = "import sys, csworkbench; print(sorted(m for m in ('sklearn', 'statsmodels', 'plotly', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_every_data_file_of_the_package_is_declared_as_package_data():
    """A non-editable install ships only what [tool.setuptools.package-data] names: every
    template, locale file and lexicon must match one of its patterns (templates/csw/ was missed)."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    package = root / "csworkbench"
    patterns = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["csworkbench"]
    declared = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    data_files = {
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    }
    assert data_files, "no package data found"
    missing = sorted(str(p.relative_to(package)) for p in data_files - declared)
    assert not missing, f"add to package-data in pyproject.toml: {missing}"
