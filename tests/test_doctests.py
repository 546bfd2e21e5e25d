"""Every docstring example in the package runs (NumPy-style docstrings promise runnable examples)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import csworkbench

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(csworkbench.__path__, prefix="csworkbench.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    # docstrings show scalars as a reader sees them (5.0, not np.float64(5.0))
    np.set_printoptions(legacy="1.25")
    try:
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    finally:
        np.set_printoptions(legacy=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples failed in {name}"
