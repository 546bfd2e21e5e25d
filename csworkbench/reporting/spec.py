"""Run descriptions for batch reports (批量报告的运行说明): YAML → a checked list of report jobs.

A run description says which notebooks to run, with which parameters, and where the
output goes.  It is a YAML file (``reports/reports.yml`` by default)::

    run_id: ""                 # folder name under output; "" → the period, else today's date
    output: reports            # output folder (relative to the working directory)
    notebooks_dir: notebooks/analysis
    parameters:                # shared: given to every notebook that declares them
      lang: zh
      period: ""
    notebooks:
      - all                    # every notebook in notebooks_dir (new ones are picked up)
      - name: overview         # a per-notebook entry overrides the "all" default
        parameters: {title: "月度概览"}
        grid:                  # lists expand to their product (2 × 1 = 2 reports)
          lang: [zh, en]
      - name: complaints
        grid:                  # or an explicit list of parameter sets
          - {lang: zh, period: "2026-10"}
          - {lang: en, period: "2026-09"}

Rules
-----
* ``notebooks`` may be omitted: then it means ``[all]``.  An entry is ``all``, a glob
  (``"c*"``), a notebook name (``overview``, resolved in ``notebooks_dir``) or a path to an
  ``.ipynb``; a mapping entry adds ``parameters`` (fixed) and ``grid`` (varied).
* A **shared** parameter is passed only to notebooks whose ``parameters`` cell declares it,
  and only when it is not ``""`` (``period: ""`` leaves each notebook its own default); a
  shared parameter that no selected notebook declares is an error.  ``period`` means the
  reporting period (``YYYY-MM`` or ``YYYY``) in every notebook that declares it.
* A **per-notebook** parameter (in ``parameters`` or ``grid``) that the notebook's
  ``parameters`` cell does not declare is rejected before anything runs, with a
  :class:`~csworkbench.errors.ReportError` naming the notebook and the parameter.
  The declared parameters are read with :func:`papermill.inspect_notebook`.
* ``--period 2026-10`` / ``--period last-month`` sets the shared ``period``.

Each expanded parameter set becomes one :class:`ReportJob`, named by a *slug* built from the
parameters that vary between that notebook's reports (``lang-zh``), or ``report`` when a
notebook has one report only.

Key figures and periods.  A report's key figures are stored per notebook × parameters without
``period`` × period × key (:mod:`csworkbench.reporting.store`).  ``lang``, ``title`` and
``previous_kpis`` are *not* part of that identity: figures do not depend on the page's language
or title, so the zh and en pages of one report share their rows and are compared with the same
previous period.  Every other parameter is (other data or settings are never compared).  A
notebook that declares ``previous_kpis`` gets the previous period's figures from the runner;
do not set it in a run description unless you mean to override them.

Examples
--------
>>> from csworkbench.reporting.spec import resolve_period, expand_grid
>>> resolve_period("2026-10")
'2026-10'
>>> expand_grid({"lang": ["zh", "en"], "region": "north"})
[{'lang': 'zh', 'region': 'north'}, {'lang': 'en', 'region': 'north'}]
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import hashlib
import itertools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import yaml

from .. import config
from ..errors import CSWError, ParameterError, ReportError

__all__ = [
    "ReportJob",
    "RunSpec",
    "load_run",
    "expand_grid",
    "resolve_period",
    "notebook_parameters",
    "analysis_notebooks",
    "parameter_slug",
]

_ALL = "all"
_KNOWN_KEYS = {"run_id", "output", "notebooks_dir", "parameters", "notebooks", "title"}
_ENTRY_KEYS = {"name", "path", "parameters", "grid"}


@dataclass(frozen=True)
class ReportJob:
    """One report to produce: a notebook with one parameter set.

    Attributes
    ----------
    notebook : str
        Notebook name (file stem), also the sub-folder of the run folder.
    notebook_path : Path
        The source ``.ipynb``.
    parameters : dict
        Parameters injected by papermill (shared + fixed + grid values).
    slug : str
        File-name stem of the outputs (``<slug>.html``, ``<slug>.ipynb``).
    declared : tuple of str
        Every parameter the notebook declares; a notebook declaring ``previous_kpis`` gets the
        previous period's key figures from the results store (:mod:`.store`).
    """

    notebook: str
    notebook_path: Path
    parameters: dict[str, Any]
    slug: str
    #: the parameters the notebook's ``parameters`` cell declares (e.g. ``previous_kpis``)
    declared: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "notebook": self.notebook,
            "notebook_path": str(self.notebook_path),
            "parameters": dict(self.parameters),
            "slug": self.slug,
        }


@dataclass
class RunSpec:
    """A checked run description: where the output goes and the jobs to run."""

    run_id: str
    output: Path
    lang: str
    jobs: list[ReportJob] = field(default_factory=list)
    title: str = ""
    source: Path | None = None

    @property
    def run_dir(self) -> Path:
        return self.output / self.run_id


def resolve_period(period: str | None, today: _dt.date | None = None) -> str:
    """A run's ``period`` checked and resolved by :func:`csworkbench.periods.resolve_period`.

    ``"2026-10"``, ``"2026-Q3"``, ``"2026"``, ``"last-month"``, ``"this-month"`` or
    ``"last-quarter"``; a malformed period is a :class:`ReportError`.

    >>> import datetime
    >>> resolve_period("last-month", today=datetime.date(2026, 1, 15))
    '2025-12'
    """
    from ..periods import resolve_period as _resolve

    try:
        return _resolve(period, today)
    except ParameterError as exc:
        raise ReportError(str(exc)) from None


def expand_grid(grid: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Expand a parameter grid: a mapping whose list values multiply out, or an explicit list of dicts.

    A scalar value is a list of one.  ``None`` or ``{}`` gives one empty parameter set.

    >>> expand_grid([{"lang": "zh"}, {"lang": "en", "period": "2026-10"}])
    [{'lang': 'zh'}, {'lang': 'en', 'period': '2026-10'}]
    """
    if grid is None:
        return [{}]
    if isinstance(grid, Mapping):
        keys = list(grid)
        values = [v if isinstance(v, list) else [v] for v in grid.values()]
        for key, vals in zip(keys, values):
            if not vals:
                raise ReportError(f"grid parameter {key!r} has an empty list of values")
        return [dict(zip(keys, combo)) for combo in itertools.product(*values)]
    if isinstance(grid, Sequence) and not isinstance(grid, str):
        out = []
        for i, item in enumerate(grid):
            if not isinstance(item, Mapping):
                raise ReportError(f"grid item {i + 1} must be a mapping of parameter → value; got {item!r}")
            out.append(dict(item))
        return out or [{}]
    raise ReportError(f"grid must be a mapping or a list of mappings; got {grid!r}")


def notebook_parameters(path: str | PathLike) -> dict[str, dict[str, Any]]:
    """Declared parameters of a notebook's ``parameters`` cell: ``{name: {default, inferred_type_name, help}}``.

    Uses :func:`papermill.inspect_notebook`; raises :class:`ReportError` if the notebook has no
    ``parameters`` cell.
    """
    import papermill

    path = Path(path)
    try:
        params = papermill.inspect_notebook(str(path))
    except Exception as exc:  # unreadable notebook JSON etc.
        raise ReportError(f"{path.name}: cannot read notebook ({type(exc).__name__}: {exc})") from None
    if not params:
        raise ReportError(f"{path.name}: no cell tagged 'parameters'; every report notebook needs one")
    return {name: dict(info) for name, info in params.items()}


def analysis_notebooks(folder: str | PathLike | None = None) -> list[Path]:
    """Every ``*.ipynb`` in the analysis folder (default ``notebooks/analysis``), sorted by name."""
    folder = Path(folder) if folder is not None else config.NOTEBOOKS_DIR / "analysis"
    return sorted(
        p for p in folder.glob("*.ipynb") if not p.name.startswith(".") and ".ipynb_checkpoints" not in p.parts
    )


def _slug_value(key: str, value: Any) -> str:
    if (key == "data_path" or key.endswith("_path")) and isinstance(value, str) and value:
        # a file stands in the slug (a published file name) by its stem, never by its folders:
        # "/home/<user>/exports/sales.csv" → "sales" (the hash added below tells folders apart)
        return Path(value.replace("\\", "/")).stem
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text


def parameter_slug(parameters: Mapping[str, Any], keys: Sequence[str]) -> str:
    """File-name-safe slug of the parameters in ``keys`` (in order): ``"lang-zh_period-2026-10"``.

    Characters outside ``[A-Za-z0-9.-]`` are dropped; when that loses information (Chinese
    values, slashes…) or the slug would be long, an 8-character hash of the values is appended
    so that different parameter sets never share a file.

    >>> parameter_slug({"lang": "zh", "period": "2026-10"}, ["lang", "period"])
    'lang-zh_period-2026-10'
    >>> parameter_slug({"region": "华东"}, ["region"])[:7]
    'region-'
    >>> parameter_slug({"data_path": "/home/li/exports/sales.csv"}, ["data_path"])[:15]
    'datapath-sales-'
    """
    if not keys:
        return "report"
    parts = []
    lossy = False
    for key in keys:
        if key not in parameters:
            continue
        shown = _slug_value(key, parameters[key])
        raw = f"{key}-{shown}"
        safe = re.sub(r"[^A-Za-z0-9.-]+", "", raw.replace(" ", "-"))
        lossy |= safe != raw or shown != parameters[key]
        parts.append(safe)
    slug = "_".join(parts).strip(".") or "default"
    if lossy or len(slug) > 80:
        digest = hashlib.sha1(
            json.dumps({k: parameters.get(k) for k in keys}, ensure_ascii=False, sort_keys=True, default=str).encode()
        ).hexdigest()[:8]
        slug = f"{slug[:70]}-{digest}"
    return slug


def _resolve_notebooks(pattern: str, folder: Path, base: Path) -> list[Path]:
    if pattern == _ALL:
        return analysis_notebooks(folder)
    if any(ch in pattern for ch in "*?["):
        matches = [
            p
            for p in analysis_notebooks(folder)
            if fnmatch.fnmatch(p.stem, pattern) or fnmatch.fnmatch(p.name, pattern)
        ]
        return matches
    candidates = [Path(pattern), base / pattern, folder / pattern, folder / f"{pattern}.ipynb"]
    for cand in candidates:
        if cand.suffix == ".ipynb" and cand.is_file():
            return [cand]
    raise ReportError(f"notebook {pattern!r} not found (looked in {folder.name}/ and as a path)")


def load_run(
    source: str | PathLike | Mapping[str, Any] | None = None,
    *,
    period: str | None = None,
    output: str | PathLike | None = None,
    run_id: str | None = None,
    base: str | PathLike | None = None,
    today: _dt.date | None = None,
) -> RunSpec:
    """Read and check a run description; expand it into :class:`ReportJob` s.

    Parameters
    ----------
    source : path, mapping or None
        The YAML file, an already-parsed mapping, or ``None`` for "every analysis notebook
        with its defaults".
    period : str, optional
        Overrides the shared ``period`` parameter (``"2026-10"``, ``"last-month"``).
    output, run_id : optional
        Override the description's output folder and run id.
    base : path, optional
        Folder that relative paths are resolved against (default: the working directory).

    Raises
    ------
    ReportError
        Malformed description, missing notebook, or a parameter a notebook does not declare.
    """
    base = Path(base) if base is not None else Path.cwd()
    desc, src_path = _read_description(source)
    name = src_path.name if src_path else "run description"
    unknown = set(desc) - _KNOWN_KEYS
    if unknown:
        raise ReportError(
            f"{name}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; expected some of {', '.join(sorted(_KNOWN_KEYS))}"
        )
    shared = _shared_parameters(desc, name, period, today)
    lang = str(shared.get("lang", "zh"))
    selected = _select_notebooks(desc, name, base)
    jobs: list[ReportJob] = []
    declared_anywhere: set[str] = set()
    for nb_path, (fixed, grid) in sorted(selected.items(), key=lambda kv: kv[0].stem):
        declared = notebook_parameters(nb_path)
        declared_anywhere |= set(declared)
        jobs.extend(_jobs_of(nb_path, declared, shared, fixed, grid, today))
    if selected:
        # lang and period are conventions every run carries; anything else must be used somewhere
        unused = [k for k in shared if k not in declared_anywhere and k not in ("period", "lang")]
        if unused:
            raise ReportError(f"{name}: shared parameter(s) {', '.join(unused)} declared by no selected notebook")

    out = Path(output) if output is not None else Path(desc.get("output") or config.REPORTS_DIR)
    if not out.is_absolute():
        out = base / out
    rid = run_id or str(desc.get("run_id") or "") or shared.get("period") or (today or _dt.date.today()).isoformat()
    rid = str(rid)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", rid):
        raise ReportError(f"{name}: run_id must be letters, digits, '.', '_' or '-'; got {rid!r}")
    return RunSpec(run_id=rid, output=out, lang=lang, jobs=jobs, title=str(desc.get("title") or ""), source=src_path)


def _read_description(source: str | PathLike | Mapping[str, Any] | None) -> tuple[Mapping[str, Any], Path | None]:
    """The run description as a mapping, and the file it came from (None for a mapping or None)."""
    if source is None:
        return {}, None
    if isinstance(source, Mapping):
        return source, None
    src_path = Path(source)
    try:
        text = src_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{src_path}: cannot read run description ({exc.strerror or exc})") from None
    try:
        desc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ReportError(f"{src_path.name}: not valid YAML ({exc})") from None
    if not isinstance(desc, Mapping):
        raise ReportError(f"{src_path.name}: expected a mapping with 'notebooks', 'parameters', 'output'")
    return desc, src_path


def _shared_parameters(
    desc: Mapping[str, Any], name: str, period: str | None, today: _dt.date | None
) -> dict[str, Any]:
    """The parameters every notebook of the run gets, with ``period`` resolved and ``lang`` checked."""
    from ..i18n import check_language

    shared = desc.get("parameters") or {}
    if not isinstance(shared, dict):
        raise ReportError(f"{name}: 'parameters' must be a mapping of shared parameters")
    shared = dict(shared)
    if period is not None:
        shared["period"] = period
    if "period" in shared:
        shared["period"] = resolve_period(shared["period"], today)
    try:
        check_language(str(shared.get("lang", "zh")))
    except CSWError as exc:
        raise ReportError(f"{name}: shared parameter 'lang': {exc}") from None
    return shared


def _select_notebooks(desc: Mapping[str, Any], name: str, base: Path) -> dict[Path, tuple[dict[str, Any], Any]]:
    """Notebook path → (fixed parameters, grid); later entries override earlier ones."""
    folder = Path(desc.get("notebooks_dir") or config.NOTEBOOKS_DIR / "analysis")
    if not folder.is_absolute():
        folder = base / folder
    entries = desc.get("notebooks")
    if entries is None:
        entries = [_ALL]
    if not isinstance(entries, list):
        raise ReportError(f"{name}: 'notebooks' must be a list (of names, globs, 'all' or mappings)")
    selected: dict[Path, tuple[dict[str, Any], Any]] = {}
    for entry in entries:
        if isinstance(entry, str):
            for nb in _resolve_notebooks(entry, folder, base):
                selected.setdefault(nb.resolve(), ({}, None))
            continue
        if not isinstance(entry, Mapping):
            raise ReportError(f"{name}: notebook entry must be a name or a mapping; got {entry!r}")
        bad = set(entry) - _ENTRY_KEYS
        if bad:
            raise ReportError(
                f"{name}: notebook entry {entry.get('name') or entry.get('path')!r}: unknown key(s) {', '.join(sorted(bad))}"
            )
        pattern = entry.get("name") or entry.get("path")
        if not pattern:
            raise ReportError(f"{name}: a notebook entry needs 'name' or 'path'")
        fixed = entry.get("parameters") or {}
        if not isinstance(fixed, Mapping):
            raise ReportError(f"{name}: notebook {pattern!r}: 'parameters' must be a mapping")
        for nb in _resolve_notebooks(str(pattern), folder, base):
            selected[nb.resolve()] = (dict(fixed), entry.get("grid"))
    return selected


def _jobs_of(
    nb_path: Path,
    declared: Mapping[str, Any],
    shared: Mapping[str, Any],
    fixed: dict[str, Any],
    grid: Any,
    today: _dt.date | None,
) -> list[ReportJob]:
    """The jobs of one notebook: shared, fixed and grid parameters merged, each set with its slug."""
    combos = expand_grid(grid)
    for params in [fixed, *combos]:
        for key in params:
            if key not in declared:
                raise ReportError(
                    f"notebook {nb_path.stem!r} has no parameter {key!r} "
                    f"(its parameters cell declares: {', '.join(declared)})"
                )
    for params in [fixed, *combos]:
        if "period" in params:
            params["period"] = resolve_period(params["period"], today)
    sets = []
    for combo in combos:
        # an empty shared value (period: "") is a placeholder: the notebook keeps its default
        params = {k: v for k, v in shared.items() if k in declared and v != ""}
        params.update(fixed)
        params.update(combo)
        sets.append(params)
    varying = [
        k
        for k in dict.fromkeys(k for s in sets for k in s)
        if len({json.dumps(s.get(k), sort_keys=True, default=str) for s in sets}) > 1
    ]
    jobs, seen = [], set()
    for params in sets:
        slug = parameter_slug(params, varying)
        if slug in seen:
            raise ReportError(f"notebook {nb_path.stem!r}: two identical parameter sets ({params})")
        seen.add(slug)
        jobs.append(ReportJob(nb_path.stem, nb_path, params, slug, tuple(declared)))
    return jobs
