"""The public API: every advertised name resolves, and importing the package stays light."""

from __future__ import annotations

import subprocess
import sys

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
