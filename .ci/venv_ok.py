"""Exit 0 when the running interpreter's environment already satisfies pyproject.toml.

Used by the Makefile (run with ``.venv/bin/python``) to decide whether ``pip install -e
'.[dev]'`` is needed: a venv is good when

* ``csworkbench`` is installed (``importlib.metadata``) and importable from *this*
  checkout (an editable install of another clone does not count),
* every requirement of ``[project] dependencies`` and the ``dev`` extra is installed
  at a version inside its specifier,
* every ``[project.scripts]`` console script exists next to the interpreter, and the
  installed package declares the scripts and ``[project.entry-points]`` of pyproject.toml (an
  editable install records them when installed: a new plugin or script target needs a reinstall).

Standard library only (plus ``packaging``, vendored in pip), so it runs in a bare venv.
``--verbose`` prints every unmet requirement.
"""

from __future__ import annotations

import importlib.metadata as md
import importlib.util
import sys
import tomllib
from pathlib import Path

try:
    from packaging.requirements import Requirement
except ImportError:  # a bare venv: pip vendors packaging
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent


def problems() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        project = tomllib.load(fh)["project"]
    found: list[str] = []
    try:
        md.distribution(project["name"])
    except md.PackageNotFoundError:
        found.append(f"{project['name']} is not installed")
    spec = importlib.util.find_spec(project["name"])
    if spec is None or spec.origin is None:
        found.append(f"{project['name']} is not importable")
    elif ROOT not in Path(spec.origin).resolve().parents:
        found.append(f"{project['name']} is imported from {spec.origin}, not from {ROOT}")
    wanted = list(project.get("dependencies", [])) + list(project.get("optional-dependencies", {}).get("dev", []))
    for line in wanted:
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate():
            continue
        try:
            have = md.version(req.name)
        except md.PackageNotFoundError:
            found.append(f"{req.name} is not installed (need {req.specifier or 'any version'})")
            continue
        if req.specifier and not req.specifier.contains(have, prereleases=True):
            found.append(f"{req.name} {have} does not satisfy {req.specifier}")
    bindir = Path(sys.executable).parent
    for script in project.get("scripts", {}):
        if not (bindir / script).exists():
            found.append(f"console script {script!r} missing from {bindir}")
    try:
        installed = {(ep.group, ep.name, ep.value) for ep in md.distribution(project["name"]).entry_points}
    except md.PackageNotFoundError:
        installed = set()
    groups = {"console_scripts": project.get("scripts", {}), **project.get("entry-points", {})}
    for group, points in groups.items():
        for name, value in points.items():
            if (group, name, value) not in installed:
                found.append(f"entry point {group}:{name} = {value} not installed")
    return found


def main() -> int:
    found = problems()
    if found and "--verbose" in sys.argv:
        print("environment does not satisfy pyproject.toml:", *found, sep="\n  ", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
