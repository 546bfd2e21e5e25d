"""Shared test set-up: headless plots, generated reports kept out of the repository.

Set at import time, before any test module imports csworkbench (``config`` reads the
environment once):

* ``MPLBACKEND=Agg`` — no display needed; notebook kernels started by papermill inherit it;
* ``CSW_REPORTS_DIR`` — a temporary folder (removed at the end of the session) unless the
  caller set one, so tests never write into ``reports/``;
* hypothesis profile ``csw`` — no per-example deadline (two shared cores make timings noisy).

Fixtures: ``tmp_workdir`` (run the test inside its own empty folder).
Add shared fixtures here only when two or more test files need them; keep each one short
and documented.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

_OWN_REPORTS_DIR: str | None = None
if "CSW_REPORTS_DIR" not in os.environ:
    _OWN_REPORTS_DIR = tempfile.mkdtemp(prefix="csw-test-reports-")
    os.environ["CSW_REPORTS_DIR"] = _OWN_REPORTS_DIR

settings.register_profile("csw", deadline=None)
settings.load_profile("csw")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _OWN_REPORTS_DIR is not None:
        shutil.rmtree(_OWN_REPORTS_DIR, ignore_errors=True)


@pytest.fixture
def tmp_workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Change into an empty temporary folder for the test; returns its path."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
