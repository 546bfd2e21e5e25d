"""Provenance of a report (报告来源): package versions, git commit, file hashes and the re-run key.

A report's ``key`` hashes the notebook, its parameters, every input file named by a ``*_path``
parameter and :func:`code_fingerprint` (the package code and bundled data): a run reuses a
published page only when none of them changed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Mapping
from importlib import metadata
from os import PathLike
from pathlib import Path
from typing import Any

from .. import config
from .html import public_path

__all__ = ["package_versions", "git_commit", "code_fingerprint", "run_key"]

_PACKAGES = (
    "csworkbench",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "scikit-learn",
    "plotly",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "jupyter_client",
)


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages a report depends on."""
    out = {"python": sys.version.split()[0]}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def git_commit(root: str | PathLike | None = None) -> str | None:
    """``git rev-parse HEAD`` of the project (``None`` outside a git checkout)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root or config.PROJECT_ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_fingerprint() -> str:
    """Hash of the package's own code, labels and templates and of the bundled data (``data/raw``).

    Part of every report's re-run key, so a report computed by an older version of the package
    or from older bundled data is never passed off as current.
    """
    from ..config import PACKAGE_DIR, RAW_DIR

    digest = hashlib.sha256()
    files = [
        f for f in PACKAGE_DIR.rglob("*") if f.is_file() and f.suffix not in {".pyc"} and "__pycache__" not in f.parts
    ]
    if RAW_DIR.is_dir():
        files += [f for f in RAW_DIR.rglob("*") if f.is_file()]
    for f in sorted(files):
        digest.update(str(f.name).encode("utf-8"))
        digest.update(_sha256_file(f).encode("ascii"))
    return digest.hexdigest()


def run_key(notebook_sha256: str, parameters: Mapping[str, Any], data_sha256: Any, self_contained: bool = False) -> str:
    """Hash that decides whether a report must be re-run: notebook, parameters, input data (and output mode)."""
    payload = json.dumps(
        {"nb": notebook_sha256, "params": parameters, "data": data_sha256, "self_contained": self_contained},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _file_provenance(value: str, base: Path) -> tuple[str, str | None]:
    path = Path(value)
    full = path if path.is_absolute() else base / path
    # published provenance: a relative path (or the bare name outside the project) and the hash,
    # never an absolute local path with a user name in it
    return public_path(full, base), (_sha256_file(full) if full.is_file() else None)


def _data_provenance(parameters: Mapping[str, Any], base: Path) -> tuple[str | None, str | None, dict[str, Any]]:
    """Input files named by the parameters: ``data_path`` and any other ``*_path`` parameter.

    Returns ``(data_file, data_sha256, inputs)``: the relative path and hash of ``data_path``
    (``None, None`` when it is ``""``, i.e. bundled data) and ``{parameter: {file, sha256}}``
    for every non-empty ``*_path`` parameter (all of them enter the re-run key).
    """
    inputs: dict[str, Any] = {}
    for name, value in parameters.items():
        if (name == "data_path" or name.endswith("_path")) and isinstance(value, str) and value:
            rel, sha = _file_provenance(value, base)
            inputs[name] = {"file": rel, "sha256": sha}
    main = inputs.get("data_path") or {}
    return main.get("file"), main.get("sha256"), inputs
