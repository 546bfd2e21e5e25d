"""The set-up promises: pyproject.toml and environment.yml agree, and the two commands exist.

pyproject.toml is what ``make`` installs (pip, ``.venv``); environment.yml is for conda
users.  Their package lists must be the same set, with the same lower bounds where both
give one.  ``.ci/run`` must run exactly the README's test command, and the Makefile must
build a fresh ``.venv`` when none exists.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent

# conda-forge name -> PyPI name, where they differ (also documented in environment.yml).
CONDA_TO_PYPI = {"python-duckdb": "duckdb"}
# Entries of environment.yml that are not project dependencies.
CONDA_ONLY = {"python", "pip"}


def _normalize(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _lower_bound(specifiers: str) -> Version | None:
    match = re.search(r">=\s*([0-9][0-9A-Za-z.]*)", specifiers)
    return Version(match.group(1)) if match else None


def pyproject_requirements() -> dict[str, Version | None]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        project = tomllib.load(fh)["project"]
    lines = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    out: dict[str, Version | None] = {}
    for line in lines:
        req = Requirement(line)
        name = _normalize(req.name)
        assert name not in out, f"pyproject.toml lists {req.name} twice"
        out[name] = _lower_bound(str(req.specifier))
    return out


def environment_requirements() -> dict[str, Version | None]:
    with (ROOT / "environment.yml").open(encoding="utf-8") as fh:
        env = yaml.safe_load(fh)
    specs: list[str] = []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            specs.extend(s for s in item.get("pip", []) if not s.lstrip().startswith("-"))
        else:
            specs.append(item)
    out: dict[str, Version | None] = {}
    for spec in specs:
        match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*(.*)$", spec)
        assert match, f"environment.yml: cannot parse {spec!r}"
        name = _normalize(match.group(1))
        name = CONDA_TO_PYPI.get(name, name)
        if name in CONDA_ONLY:
            continue
        assert name not in out, f"environment.yml lists {name} twice"
        out[name] = _lower_bound(match.group(2))
    return out


def test_same_package_sets():
    pip_side, conda_side = pyproject_requirements(), environment_requirements()
    only_pip = sorted(set(pip_side) - set(conda_side))
    only_conda = sorted(set(conda_side) - set(pip_side))
    assert not only_pip and not only_conda, (
        f"only in pyproject.toml: {only_pip}; only in environment.yml: {only_conda} "
        "(add the package to both, see the brief's dependency rule)"
    )


def test_lower_bounds_agree():
    pip_side, conda_side = pyproject_requirements(), environment_requirements()
    differ = {
        name: (str(pip_side[name]), str(conda_side[name]))
        for name in set(pip_side) & set(conda_side)
        if pip_side[name] is not None and conda_side[name] is not None and pip_side[name] != conda_side[name]
    }
    assert not differ, f"lower bounds differ (pyproject, environment.yml): {differ}"


def test_every_dependency_has_a_lower_bound_and_the_stack_is_modern():
    pip_side = pyproject_requirements()
    unbounded = sorted(name for name, bound in pip_side.items() if bound is None)
    assert not unbounded, f"give these a >= lower bound: {unbounded}"
    assert pip_side["pandas"] >= Version("3.0")
    assert pip_side["numpy"] >= Version("2.0")


def test_name_mapping_is_documented_in_environment_yml():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for conda_name, pypi_name in CONDA_TO_PYPI.items():
        assert f"{conda_name} -> {pypi_name}" in text


def test_ci_runs_exactly_the_readme_test_command():
    script = ROOT / ".ci" / "run"
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in text
    commands = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert "make test" in commands, ".ci/run must run `make test`"
    assert os.access(script, os.X_OK), ".ci/run must be executable"


def test_readme_gives_the_two_commands_first():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make reports" in text and "make test" in text
    others = [text.find(cmd) for cmd in ("make lab", "make bench", "make lessons") if cmd in text]
    first_other = min(others, default=len(text))
    assert max(text.find("make reports"), text.find("make test")) < first_other, (
        "README must give `make reports` and `make test` before the other commands"
    )


def test_ci_venv_check_accepts_the_running_environment():
    """.ci/venv_ok.py (used by the Makefile to avoid reinstalling) accepts the test venv."""
    result = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "venv_ok.py"), "--verbose"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def make() -> str:
    exe = shutil.which("make")
    if exe is None:
        pytest.skip("GNU make is not installed")
    return exe


def test_make_without_target_prints_help(make):
    result = subprocess.run([make, "-s", "-C", str(ROOT)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "make reports" in result.stdout and "make test" in result.stdout


def test_make_builds_a_fresh_venv_when_none_exists(make, tmp_path):
    """Dry run (-n) with VENV pointing to an empty place: the venv would be created and installed."""
    venv = tmp_path / "venv"
    result = subprocess.run(
        [make, "-n", "-C", str(ROOT), "test", f"VENV={venv}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "-m venv" in out
    assert "pip install -e '.[dev]'" in out
    assert "-m pytest -n" in out
    assert out.index("-m venv") < out.index("-m pytest")
    assert not venv.exists(), "make -n must not create anything"


def test_ci_venv_check_wants_a_reinstall_when_an_entry_point_is_new(monkeypatch):
    """An editable install records its scripts and plugins when installed: a new entry point in
    pyproject.toml (the course book's plotly renderer) is missing until ``pip install -e`` runs
    again, so the Makefile must not adopt such a venv as it is."""
    import tomllib

    from scripts import load_script

    venv_ok = load_script(ROOT / ".ci" / "venv_ok.py", "csw_venv_ok")
    with (ROOT / "pyproject.toml").open("rb") as fh:
        parsed = tomllib.load(fh)
    parsed["project"].setdefault("entry-points", {}).setdefault("myst_nb.mime_renderers", {})["new"] = "x:Y"
    monkeypatch.setattr(venv_ok.tomllib, "load", lambda fh: parsed)
    assert venv_ok.problems() == ["entry point myst_nb.mime_renderers:new = x:Y not installed"]
