"""Paths of the workbench (项目路径), resolved from the project root or environment variables.

``CSW_DATA_DIR`` and ``CSW_REPORTS_DIR`` override the defaults; otherwise the
project root is the folder holding ``pyproject.toml`` above this package, so
an editable install run from anywhere still finds the bundled data.

>>> from csworkbench import config
>>> config.RAW_DIR.name
'raw'
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _project_root() -> Path:
    env = os.environ.get("CSW_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").exists():
        return candidate
    return Path.cwd()


PROJECT_ROOT = _project_root()
DATA_DIR = Path(os.environ.get("CSW_DATA_DIR", PROJECT_ROOT / "data")).resolve()
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = Path(os.environ.get("CSW_REPORTS_DIR", PROJECT_ROOT / "reports")).resolve()
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

__all__ = ["PACKAGE_DIR", "PROJECT_ROOT", "DATA_DIR", "RAW_DIR", "PROCESSED_DIR", "REPORTS_DIR", "NOTEBOOKS_DIR"]
