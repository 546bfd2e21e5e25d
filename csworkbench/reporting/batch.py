"""Batch reports (批量报告): papermill over a parameter grid, in parallel, failure-isolated.

Each :class:`~csworkbench.reporting.spec.ReportJob` (one notebook × one parameter set) is run
by :func:`papermill.execute_notebook` *from Python* in a worker process, exported to offline
HTML (:mod:`csworkbench.reporting.html`) by the same worker, and published atomically::

    reports/<run-id>/plotly.min.js                  plotly.js, once per run (unless self-contained)
    reports/<run-id>/<notebook>/<slug>.html         the report page (only when the notebook ran)
    reports/<run-id>/<notebook>/<slug>.ipynb        the executed notebook
    reports/<run-id>/<notebook>/<slug>.failed.ipynb the executed notebook of a failed report
                                                    (when a cell raised; a timed-out or dead
                                                    kernel leaves none, its error names the cell)
    reports/<run-id>/status.json                    one record per report (see below)
    reports/<run-id>/index.html                     every report: title, period, key figure and its
                                                    change, status, zh/en pages (:mod:`.index`)
    reports/results.parquet                         the key figures of every run (:mod:`.store`)

Key figures and the previous period.  After each published report the parent stores its key
figures (the notebook's kpi bundles, ``kpis`` in its record) in ``<output>/results.parquet``;
a notebook that declares ``previous_kpis`` gets the previous period's figures of the same
report.  A run holding a chain of periods runs it in waves, earlier periods first.

A ``status.json`` record holds ``notebook, parameters, slug, status ("ok"/"failed"),
duration_s, error`` (one line: exception type and message, never a traceback), ``html,
ipynb`` (relative to the run folder), ``data_file`` (the ``data_path`` parameter, relative to
the working directory) and ``data_sha256``, ``inputs`` (every ``*_path`` parameter's file and
hash), ``notebook_sha256``, ``key``, ``packages``
(versions), ``git_commit``, ``started``, ``attempts`` and ``reused`` (kept from an earlier run).

Re-running skips a report whose ``key`` is unchanged and whose HTML exists, unless
``force=True``; the key hashes the notebook file, the parameters, every input file named by a
``*_path`` parameter and :func:`code_fingerprint` (the package code and its bundled data), so a
change to any of them runs the report again.  A failed report
removes any earlier HTML of the same slug, so a stale page is never left published.
Failures stay isolated: a failing notebook fails only its report; a report over its
``timeout`` has its kernel killed; a worker process killed from outside (OOM killer) breaks
the pool, and the unfinished reports run once more in a fresh pool.

Interruptions.  Ctrl-C (SIGINT) or SIGTERM to ``csw report`` stops the run: the parent
terminates its workers, each worker kills its kernel's process group, finished reports stay
published, the unfinished ones are recorded with status ``"interrupted"`` (any page of theirs
that had not been confirmed is removed), ``status.json`` says ``"state": "interrupted"`` and
lists what finished (``completed``) and what did not (``unfinished``), the index is written,
and ``csw report`` exits with 130 (SIGINT) or 143 (SIGTERM).  If the parent itself is killed
(SIGKILL), its workers notice within a quarter of a second and end without publishing, and the
run folder's lock — which names the parent, the workers and the runtime folder with the
kernels' pid files — is not taken over while any of them is alive (:mod:`.files`).

Faults and what the run records (``tests/test_reporting_faults.py`` injects each one):

* a kernel that dies mid-run (killed, out of memory): ``DeadKernelError: the kernel process
  was killed by SIGKILL (…) (while running cell #5)`` — its exit status, not just "Kernel died";
* a kernel over the timeout: killed, ``超时（600 秒）`` / ``timed out after 600 s``;
  in both cases the kernel's whole process group is killed, so subprocesses a cell started
  do not outlive it;
* a corrupt input file: the notebook's own error, e.g. ``cell 4: DataError: bad.xlsx: …``;
* a full disk (or any ``OSError``) while publishing: ``could not write <nb>/<slug>.html: No
  space left on device (ENOSPC)``; the report's page and notebook are removed, never left
  half-written or stale.  When ``status.json`` or ``index.html`` cannot be written, the run
  ends with a :class:`~csworkbench.errors.ReportError` saying so (``csw report`` exit 1);
* another run on the same run folder: refused before anything is written
  (:class:`~csworkbench.reporting.files.RunLockedError`, exit 75); a lock left by a killed
  run is taken over with a warning (see :class:`~csworkbench.reporting.files.RunLock`).

Isolation of parallel kernels
-----------------------------
Running many papermill kernels at once is known to fail now and then with
``ZMQError: Address already in use`` (nteract/papermill#511, ipython/ipython#12372): each
kernel manager picks "free" TCP ports and another kernel can grab them before they are
bound.  Here every kernel uses the **IPC transport** (Unix sockets named after its own
connection file) and each worker process has its own runtime folder
(``JUPYTER_RUNTIME_DIR``), so two kernels cannot share a port or a connection file.  The
IPython history database is disabled in report kernels (``HistoryManager.enabled=False``)
so parallel kernels do not contend for one SQLite file.  A kernel that fails to start is
retried once.

Kernel start-up time
--------------------
``jsonschema`` (imported by nbformat, hence by papermill in the worker and by plotly's first
``fig.show()`` in the kernel) eagerly imports the optional ``rfc3987_syntax``, which compiles
a lark grammar at import time: 1.6–2.3 s of CPU per process (python-jsonschema/jsonschema#1392).
Each worker process and each report kernel (``--IPKernelApp.exec_lines``, before the first
cell) sets ``sys.modules["rfc3987_syntax"] = None``, so jsonschema skips the ``iri`` format
checkers nbformat never uses.  Workers stay alive for the whole run, so the client-side
imports are paid once per worker.  ``bench/bench_batch.py`` measures the effect.

**Forked kernels** (local runs on POSIX; ``forked_kernel`` in the record): the run starts one
fork server (:mod:`~csworkbench.reporting.forkserver`) that imports what every report imports
(:func:`~csworkbench.reporting.worker.warm_up_modules`), and for each notebook a *zygote* forked
from it imports that notebook's own ``import`` statements once.  Every report kernel is forked
from its notebook's zygote and then becomes an ordinary ipykernel: the interpreter start and
the imports (about 1.6 s of CPU per report, more for notebooks importing scikit-learn or
statsmodels) are paid once per run and notebook instead of once per report.  Each forked
kernel serves exactly one report and is killed after it (isolation stays); its cell outputs
are byte-identical to a new interpreter's (tested).  A module's import-time code runs once in
the zygote, not once per report.  The environment variable ``CSW_FORK_KERNELS=0`` turns this off.
``csw report`` starts the server before it reads the run description
(:func:`~csworkbench.reporting.forkserver.start_early`), the server also builds the workbench's
plotly template and one figure per trace type (a report's first chart paid 0.25 s for plotly's
lazy loading), and the zygotes of the first reports are built as soon as the server is ready,
not when a worker first asks.

**Workers.**  On Linux, where the run's process has no other thread (``csw report``; not a run
started from a Jupyter kernel), the pool *forks* its workers instead of spawning them: they start with
papermill imported and end without an interpreter teardown (0.6 s and 0.3 s per spawned worker).
Before forking, the run exports one small page per language
(:func:`~csworkbench.reporting.html.warm_up_export`), so nbconvert's compiled templates,
great-tables and the font tables are there for every worker's first page.  The report kernels' client (:mod:`._kernel_client`) skips
jupyter_client's fixed 0.2-s wait after the kernel's first reply.

Without forking (dask, or ``CSW_FORK_KERNELS=0``) a local worker starts the kernel of its next
report while it exports the current one (``prestarted_kernel`` in the record): the ~1 s of
process start and ZMQ handshake, mostly waiting, overlaps the export instead of delaying the
next report.  Each pre-started kernel serves exactly one report and is killed after it; the
last report of each worker starts none, and each worker's first report gets one started with
the worker.  Once up, a pre-started kernel silently imports the modules every report of the
run imports anyway (``warm_up`` in ``timings``, in the background; ``spare_wait``: how long
the report waited for it).  This moves CPU work off the critical path but does not remove it.
Each report's stage times are in its record (``timings``: ``kernel_start``,
``cells_and_papermill``, ``read_notebook``, ``export_html``, ``write_files``).

Running on a dask cluster (``engine="dask"``)
--------------------------------------------
``engine="dask"`` submits each report as a task to :mod:`distributed` and gathers the same
records, status.json and index.  With ``scheduler=None`` a ``LocalCluster`` of ``workers``
(default 2) single-threaded worker processes is started and closed again.  On a real
cluster::

    dask scheduler                                   # on the head node (port 8786)
    dask worker tcp://head:8786 --nthreads 1         # on each node, in the project's venv
    csw report reports/reports.yml --engine dask --scheduler tcp://head:8786

Requirements: every worker has the same environment (``pip install -e .`` of the same
commit, the ``python3`` kernelspec), and the project folder — notebooks, data and the
``reports/`` output folder — is on a shared file system at the same path (workers write
the HTML themselves).  Use ``--nthreads 1`` (each report runs its own kernel process
anyway); the per-report timeout, retry and IPC isolation work the same on workers.  The
first report a dask worker runs applies the same per-process set-up as a local worker: a
private ``JUPYTER_RUNTIME_DIR`` in its temp folder, ``PLOTLY_RENDERER=plotly_mimetype`` for
its kernels and the ``rfc3987_syntax`` block (signal handlers are left alone there).

Examples
--------
>>> from csworkbench.reporting.provenance import run_key
>>> len(run_key("nbhash", {"lang": "zh"}, None))
64
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from os import PathLike
from pathlib import Path
from typing import Any

from ..errors import ReportError
from ..i18n import t
from .files import RunLock, _marker_alive, atomic_write_text, remove_stale_temporaries
from .forkserver import available_cpus, discard_early, kernel_thread_limits, kernel_threads, short_tmp, take_early
from .html import PLOTLY_JS, write_plotlyjs
from .index import write_index
from .provenance import _data_provenance, _sha256_file, code_fingerprint, git_commit, package_versions, run_key
from .spec import ReportJob, RunSpec
from .store import STORE_FILE, ResultsStore
from .worker import (
    _init_local_worker,
    _kill,
    _marker_text,
    _one_line,
    _write_error,
    execute_report,
    warm_up_modules,
)

__all__ = ["RunResult", "run_reports", "available_cpus"]

STATUS_FILE = "status.json"


# --------------------------------------------------------------------------- parent side


@dataclass
class RunResult:
    """Outcome of :func:`run_reports`: every record and the counts."""

    run_dir: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    elapsed_s: float = 0.0
    interrupted: bool = False
    #: the signal that stopped the run ("SIGINT" or "SIGTERM"), if one did
    stopped_by: str | None = None

    @property
    def n_ok(self) -> int:
        return sum(r["status"] == "ok" for r in self.records)

    @property
    def n_failed(self) -> int:
        return sum(r["status"] == "failed" for r in self.records)

    @property
    def n_interrupted(self) -> int:
        return sum(r["status"] == "interrupted" for r in self.records)

    @property
    def n_reused(self) -> int:
        return sum(bool(r.get("reused")) for r in self.records)

    @property
    def n_executed(self) -> int:
        return len(self.records) - self.n_reused

    def summary(self, lang: str = "en") -> str:
        line = t("reporting.summary", lang, total=len(self.records), ok=self.n_ok, failed=self.n_failed)
        if self.n_interrupted:
            line += f"; {t('reporting.n_interrupted', lang, n=self.n_interrupted)}"
        if self.n_reused:
            line += f"; {self.n_reused} × {t('reporting.skipped', lang)}"
        return line


def _previous_records(run_dir: Path) -> dict[tuple[str, str], dict[str, Any]]:
    path = run_dir / STATUS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {(r["notebook"], r["slug"]): r for r in data.get("reports", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write_status(
    spec: RunSpec,
    records: Iterable[Mapping[str, Any]],
    started: str,
    finished: str | None,
    state: str = "running",
) -> None:
    records = list(records)
    done = [r for r in records if r.get("status") in ("ok", "failed")]
    payload = {
        "run_id": spec.run_id,
        "lang": spec.lang,
        "state": state,
        "started": started,
        "finished": finished,
        "source": spec.source.name if spec.source else None,
        "completed": [f"{r['notebook']}/{r['slug']}" for r in done],
        "unfinished": [f"{r['notebook']}/{r['slug']}" for r in records if r not in done],
        "reports": records,
    }
    atomic_write_text(spec.run_dir / STATUS_FILE, json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def _kill_leftover_kernels(runtime_root: Path) -> None:
    for pid_file in runtime_root.rglob("kernel-*.pid"):
        try:
            parts = pid_file.read_text().split()
            marker: dict[str, Any] = {"pid": int(parts[0]), "start": parts[1] if len(parts) > 1 else None}
        except (OSError, ValueError, IndexError):
            continue
        if _marker_alive(marker):  # never a re-used pid
            _kill(int(marker["pid"]))


def _progress(total: int, enabled: bool):
    from tqdm.auto import tqdm

    class _Bar(tqdm):
        monitor_interval = 0  # no monitor thread: the worker pool may still fork (_start_method)

    return _Bar(total=total, desc="reports", unit="report", disable=not enabled or total == 0, dynamic_ncols=True)


def run_reports(
    spec: RunSpec,
    *,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    self_contained: bool = False,
    timeout: float | None = 600,
    progress: bool = True,
    base: str | PathLike | None = None,
    kernel_name: str = "python3",
    on_record: Callable[[dict[str, Any]], None] | None = None,
) -> RunResult:
    """Run every job of ``spec`` and write the run folder (HTML, notebooks, status.json, index.html).

    Parameters
    ----------
    spec : RunSpec
        From :func:`csworkbench.reporting.spec.load_run`.
    workers : int, optional
        Parallel reports (default: number of CPU cores; 2 for a dask LocalCluster).
    engine : {"local", "dask"}
        Worker processes on this machine, or tasks on dask.distributed.
    scheduler : str, optional
        Dask scheduler address (``tcp://host:8786``); ``None`` starts a LocalCluster.
    force : bool
        Re-run reports even when notebook, parameters and data are unchanged.
    self_contained : bool
        Inline plotly.js into every page instead of one shared ``plotly.min.js``.
    timeout : float, optional
        Seconds a report may run (kernel killed after that, report failed); ``None``: no limit.
    base : path, optional
        Working directory of the kernels; relative ``data_path`` values resolve against it
        (default: the current directory).

    Returns
    -------
    RunResult
        ``records`` in job order; ``n_failed`` > 0 when any report failed.
    """
    if engine not in ("local", "dask"):
        raise ReportError(f"engine must be 'local' or 'dask'; got {engine!r}")
    if workers is not None and workers < 1:
        raise ReportError(f"workers must be at least 1; got {workers}")
    lock = RunLock(spec.run_dir).acquire()  # RunLockedError while another run writes this folder
    try:
        with _StopSignals() as stop:
            return _run_reports(
                spec,
                lock=lock,
                stop=stop,
                workers=workers,
                engine=engine,
                scheduler=scheduler,
                force=force,
                self_contained=self_contained,
                timeout=timeout,
                progress=progress,
                base=base,
                kernel_name=kernel_name,
                on_record=on_record,
            )
    finally:
        lock.release()


class _Stopped(KeyboardInterrupt):
    """Raised in the main thread by SIGTERM (SIGINT raises KeyboardInterrupt itself)."""


class _StopSignals:
    """While a run is going: SIGTERM stops it like Ctrl-C; a second signal during the clean-up is
    ignored, so status.json and the index are always written.  ``.name`` is the signal received."""

    def __init__(self) -> None:
        self.name: str | None = None
        self._saved: dict[int, Any] = {}

    def _handler(self, signum: int, frame: Any) -> None:
        self.name = signal.Signals(signum).name
        for sig in self._saved:
            signal.signal(sig, signal.SIG_IGN)  # the clean-up must not be cut short
        raise _Stopped() if signum != signal.SIGINT else KeyboardInterrupt()

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._saved[sig] = signal.getsignal(sig)
                if sig == signal.SIGINT and self._saved[sig] is signal.SIG_IGN:
                    continue  # started in the background with Ctrl-C ignored: leave it so
                signal.signal(sig, self._handler)
        return self

    def __exit__(self, *exc: Any) -> None:
        for sig, handler in self._saved.items():
            signal.signal(sig, handler)


def _plan(
    spec: RunSpec,
    base_dir: Path,
    *,
    force: bool,
    self_contained: bool,
    jobs: list[ReportJob] | None = None,
    previous: dict[tuple[str, str], dict[str, Any]] | None = None,
) -> tuple[dict[tuple[str, str], dict[str, Any]], list[dict[str, Any]], list[ReportJob]]:
    """Records of ``jobs`` (default: every job; reused when the key is unchanged and the page
    exists), the payloads of the jobs to run now, and the jobs deferred to a later wave: those
    whose previous period is run in this batch too (their ``previous_kpis`` come from it)."""
    run_dir = spec.run_dir
    packages = package_versions()
    commit = git_commit()
    previous = _previous_records(run_dir) if previous is None else previous
    jobs = list(spec.jobs if jobs is None else jobs)
    records: dict[tuple[str, str], dict[str, Any]] = {}
    pending: list[dict[str, Any]] = []
    deferred: list[ReportJob] = []
    waiting: set[tuple[str, str]] = set()  # run (or deferred) in this batch: not in the store yet
    chain = {_figures_ident(j): (j.notebook, j.slug) for j in jobs}
    nb_hash: dict[Path, str] = {}
    code_sha = code_fingerprint()
    store = ResultsStore(spec.output)
    for job in sorted(jobs, key=_period_start):
        before = _previous_figures_ident(job)
        if before is not None and chain.get(before, ("", "")) in waiting:
            deferred.append(job)
            waiting.add((job.notebook, job.slug))
            records[(job.notebook, job.slug)] = {
                "notebook": job.notebook,
                "slug": job.slug,
                "parameters": dict(job.parameters),
                "status": "pending",
                "reused": False,
            }
            continue
        job = _with_previous_kpis(job, store)
        if job.notebook_path not in nb_hash:
            nb_hash[job.notebook_path] = hashlib.sha256(
                (_sha256_file(job.notebook_path) + code_sha).encode("ascii")
            ).hexdigest()
        data_file, data_sha, inputs = _data_provenance(job.parameters, base_dir)
        key = run_key(
            nb_hash[job.notebook_path],
            job.parameters,
            {k: v["sha256"] for k, v in inputs.items()} or data_sha,
            self_contained,
        )
        ident = (job.notebook, job.slug)
        old = previous.get(ident)
        if (
            not force
            and old is not None
            and old.get("status") == "ok"
            and old.get("key") == key
            and old.get("html")
            and (run_dir / old["html"]).is_file()
        ):
            records[ident] = dict(old, reused=True)
            continue
        base_record = {
            "notebook": job.notebook,
            "parameters": dict(job.parameters),
            "slug": job.slug,
            "run_id": spec.run_id,
            "data_file": data_file,
            "data_sha256": data_sha,
            "inputs": inputs,
            "notebook_sha256": _sha256_file(job.notebook_path),
            "code_sha256": code_sha,
            "key": key,
            "packages": packages,
            "git_commit": commit,
            "reused": False,
        }
        records[ident] = dict(base_record, status="pending")
        payload = job.to_dict()
        payload["record"] = base_record
        pending.append(payload)
        waiting.add(ident)
    return records, pending, deferred


def _period_start(job: ReportJob) -> Any:
    """Sort key: earlier periods first (all data first), so a chain of periods plans in order."""
    from ..periods import Period

    try:
        period = Period.parse(str(job.parameters.get("period") or ""))
    except Exception:  # checked when the run was loaded; keep the job's place
        return (0, "")
    return (0, "") if period.is_all else (1, period.start.isoformat())


def _figures_ident(job: ReportJob, period: str | None = None) -> tuple[str, str, str]:
    """(notebook, params_key, period): the store's identity of a job's figures."""
    from .store import params_key

    return (
        job.notebook,
        params_key(job.parameters),
        str(job.parameters.get("period") or "") if period is None else period,
    )


def _previous_figures_ident(job: ReportJob) -> tuple[str, str, str] | None:
    """The identity of the figures this job's ``previous_kpis`` come from (None: it takes none)."""
    from ..periods import Period

    if "previous_kpis" not in job.declared or job.parameters.get("previous_kpis"):
        return None
    try:
        period = Period.parse(str(job.parameters.get("period") or ""))
    except Exception:
        return None
    return None if period.is_all else _figures_ident(job, period.previous().text)


def _with_previous_kpis(job: ReportJob, store: ResultsStore) -> ReportJob:
    """The job with ``previous_kpis`` filled from the results store, when its notebook declares it,
    it has a period and the caller did not set the parameter."""
    if "previous_kpis" not in job.declared or job.parameters.get("previous_kpis"):
        return job
    if not str(job.parameters.get("period") or ""):
        return job
    previous = store.previous(job.notebook, job.parameters)
    if not previous:
        return job
    parameters = dict(job.parameters, previous_kpis=json.dumps(previous, ensure_ascii=False, sort_keys=True))
    return dataclasses.replace(job, parameters=parameters)


def _store_figures(spec: RunSpec, rec: Mapping[str, Any]) -> str | None:
    """Write a published report's key figures into the results store; the error, if it failed."""
    if rec.get("status") != "ok" or not rec.get("kpis") or rec.get("reused"):
        return None
    try:
        ResultsStore(spec.output).record(
            rec["notebook"],
            rec.get("parameters") or {},
            rec["kpis"],
            run_id=spec.run_id,
            slug=rec["slug"],
            lang=str((rec.get("parameters") or {}).get("lang") or spec.lang),
        )
    except (OSError, ReportError, ValueError) as exc:
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return _one_line(f"could not write {STORE_FILE}: {message}")
    return None


def _restore_reused_figures(spec: RunSpec, records: Iterable[Mapping[str, Any]]) -> None:
    """Put the figures of reports kept from an earlier run back into the store if they are
    missing there (a deleted or new ``results.parquet``): their status records hold them."""
    from ..periods import Period
    from .store import params_key

    reused = [r for r in records if r.get("reused") and r.get("kpis")]
    if not reused:
        return
    store = ResultsStore(spec.output)
    try:
        frame = store.read()
    except ReportError:
        return  # a damaged store is reported when the first new figures are written
    have = set(zip(frame["notebook"], frame["params_key"], frame["period"]))
    for rec in reused:
        params = rec.get("parameters") or {}
        ident = (rec["notebook"], params_key(params), Period.parse(str(params.get("period") or "")).text)
        if ident not in have:
            _store_figures(spec, dict(rec, reused=False))


def _finish(
    spec: RunSpec,
    records: dict[tuple[str, str], dict[str, Any]],
    current: Callable[[], list[dict[str, Any]]],
    started: str,
) -> list[str]:
    """Mark unfinished reports, write status.json and the index; the files that could not be written."""
    run_dir = spec.run_dir
    remove_stale_temporaries(run_dir)
    stopped = False
    for ident, rec in records.items():
        if rec.get("status") in ("pending", "interrupted"):
            stopped = True
            # a page a worker wrote but the run never confirmed is not published
            for name in (f"{rec['slug']}.html", f"{rec['slug']}.ipynb"):
                (run_dir / rec["notebook"] / name).unlink(missing_ok=True)
            records[ident] = dict(
                rec,
                status="interrupted",
                error=rec.get("error") or t("reporting.interrupted", spec.lang),
                html=None,
                ipynb=None,
            )
    finished = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    unwritten = []
    try:
        _write_status(spec, current(), started, finished, "interrupted" if stopped else "finished")
    except OSError as exc:
        unwritten.append(_write_error(STATUS_FILE, exc))
    try:
        write_index(
            run_dir,
            current(),
            lang=spec.lang,
            title=spec.title,
            run_id=spec.run_id,
            output=spec.output,
            notebooks={job.notebook: job.notebook_path for job in spec.jobs},
        )
    except OSError as exc:
        unwritten.append(_write_error("index.html", exc))
    return unwritten


def _run_reports(
    spec: RunSpec,
    *,
    lock: RunLock,
    stop: _StopSignals,
    workers: int | None,
    engine: str,
    scheduler: str | None,
    force: bool,
    self_contained: bool,
    timeout: float | None,
    progress: bool,
    base: str | PathLike | None,
    kernel_name: str,
    on_record: Callable[[dict[str, Any]], None] | None,
) -> RunResult:
    """The body of :func:`run_reports`, run while holding the run folder's lock."""
    t0 = time.perf_counter()
    base_dir = Path(base) if base is not None else Path.cwd()
    run_dir = spec.run_dir
    options = _worker_options(spec, base_dir, timeout, self_contained, kernel_name)
    options["run_token"] = lock.token
    options["kernel_threads"] = kernel_threads(workers, len(spec.jobs))
    forking = engine == "local" and options["fork_kernels"]
    early = take_early(str(base_dir), options["kernel_threads"]) if forking else None
    if early is not None:  # started by csw report before it read the run
        server, runtime_root = early["process"], early["folder"]
        _adopt_fork_server(options, server, early["socket"], runtime_root)
    else:
        discard_early()
        runtime_root = Path(tempfile.mkdtemp(prefix="csw-", dir=short_tmp()))
        # the fork server imports (0.8 s of CPU) while this process plans the run
        server = _start_fork_server(options, runtime_root) if engine == "local" else None
    try:
        started = _prepare_run_dir(run_dir, self_contained)
        previous_status = _previous_records(run_dir)  # before this run rewrites status.json
        records, pending, deferred = _plan(
            spec, base_dir, force=force, self_contained=self_contained, previous=previous_status
        )
        _restore_reused_figures(spec, records.values())
        if server is not None and pending:
            _prestart_zygotes(options["fork_socket"], pending, workers)
    except BaseException:
        _stop_fork_server(server)
        shutil.rmtree(runtime_root, ignore_errors=True)
        raise

    order = [(j.notebook, j.slug) for j in spec.jobs]

    def current() -> list[dict[str, Any]]:
        return [records[i] for i in order]

    bar = _progress(len(pending) + len(deferred), progress)
    n_done = n_failed = 0
    store_errors: list[str] = []

    def accept(rec: dict[str, Any]) -> None:
        nonlocal n_done, n_failed
        records[(rec["notebook"], rec["slug"])] = rec
        n_done += 1
        n_failed += rec["status"] == "failed"
        bar.set_postfix(done=n_done, failed=n_failed)
        bar.update(1)
        store_error = _store_figures(spec, rec)
        if store_error and store_error not in store_errors:
            store_errors.append(store_error)
        try:
            _write_status(spec, current(), started, None)
        except OSError:
            pass  # e.g. disk full: written again (and reported) at the end of the run
        if on_record is not None:
            on_record(rec)

    interrupted = False
    lock.update(runtime=str(runtime_root))  # a new run checks the pid files there (files.RunLock)

    def on_workers(pids: list[int]) -> None:
        from .files import process_marker

        lock.update(processes=[process_marker(pid) for pid in pids])

    try:
        while pending or deferred:  # a wave per step of a chain of periods run in one batch
            if pending and engine == "local":
                interrupted = _run_local(pending, options, workers, runtime_root, accept, _failed_record, on_workers)
            elif pending:
                interrupted = _run_dask(pending, options, workers, scheduler, accept, _failed_record, runtime_root)
            if interrupted or not deferred:
                break
            more, pending, deferred = _plan(
                spec, base_dir, force=force, self_contained=self_contained, jobs=deferred, previous=previous_status
            )
            records.update(more)
            _restore_reused_figures(spec, more.values())
            bar.update(sum(bool(r.get("reused")) for r in more.values()))
    except KeyboardInterrupt:  # a signal between two reports (e.g. while status.json was written)
        interrupted = True
    finally:
        bar.close()
        _stop_fork_server(server)
        _kill_leftover_kernels(runtime_root)
        shutil.rmtree(runtime_root, ignore_errors=True)
        unwritten = store_errors + _finish(spec, records, current, started)
    result = RunResult(
        run_dir=run_dir,
        records=current(),
        elapsed_s=time.perf_counter() - t0,
        interrupted=interrupted,
        stopped_by=stop.name or ("SIGINT" if interrupted else None),
    )
    if unwritten:
        # the reports ran, but the run folder cannot say so: that must not pass as success
        error = ReportError(
            f"{run_dir.name}: {'; '.join(unwritten)}. {result.summary('en')}, but the run folder does not "
            "record it; free space and run again (published reports are kept)"
        )
        error.result = result  # type: ignore[attr-defined]
        raise error
    return result


def _prepare_run_dir(run_dir: Path, self_contained: bool) -> str:
    """Create the run folder, clear stale temporaries, add plotly.js if shared; the start time (ISO)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(run_dir)
    started = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    if not self_contained:
        try:
            write_plotlyjs(run_dir)
        except OSError as exc:
            raise ReportError(f"{run_dir.name}: {_write_error(PLOTLY_JS, exc)}; nothing was run") from None
    return started


def _worker_options(
    spec: RunSpec, base_dir: Path, timeout: float | None, self_contained: bool, kernel_name: str
) -> dict[str, Any]:
    """The options every report job gets (run folder, base, timeout, plotly.js source, language, kernel)."""
    return {
        "run_dir": str(spec.run_dir),
        "base": str(base_dir),
        "timeout": timeout,
        "plotly_src": None if self_contained else f"../{PLOTLY_JS}",
        "lang": spec.lang,
        "kernel_name": kernel_name,
        "fork_kernels": os.environ.get("CSW_FORK_KERNELS", "1").strip() != "0",
    }


def _failed_record(payload: Mapping[str, Any], message: str) -> dict[str, Any]:
    """The record of a job that failed outside the notebook (worker died, task error)."""
    return dict(payload["record"], status="failed", error=message, html=None, ipynb=None, duration_s=None, attempts=0)


def _run_local(pending, options, workers, runtime_root: Path, accept, fail_payload, on_workers=None) -> bool:
    """Run ``pending`` in a process pool (forked workers where safe, see :func:`_start_method`);
    return True when interrupted (Ctrl-C).

    A worker killed from outside (OOM killer, ``kill -9``) breaks the whole pool; the reports
    that had not finished are then run once more in a fresh pool, and only if that breaks
    too are they recorded as failed.
    """
    opts = dict(options, runtime_root=str(runtime_root), own_process=True)
    if opts.get("prestart_kernels", True):  # pre-started kernels import these before their report
        opts["warm_imports"] = warm_up_modules(p["notebook_path"] for p in pending)
    if _start_method() == "fork":
        _warm_up_workers()
    # kernel_threads and the fork server (fork_socket) come from the run (_run_reports)
    return _run_pool(_interleave(pending), opts, workers, runtime_root, accept, fail_payload, on_workers)


def _stop_fork_server(server: Any) -> None:
    """Kill a fork server (and its zygotes: its process group) and reap it; None: nothing."""
    if server is None:
        return
    _kill(server.pid)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not wait
        pass


def _interleave(pending: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The jobs round-robin over their notebooks (each notebook's jobs in their order).

    Parallel workers then run *different* notebooks at the same time: each builds its notebook's
    zygote while the other works (run one after another, two reports of one notebook would both
    wait for the same zygote while a core idles), and a notebook's later reports fork from a
    zygote that is ready.  Records keep the run's job order.

    >>> [p["notebook"] for p in _interleave([{"notebook": n} for n in "aabbc"])]
    ['a', 'b', 'c', 'a', 'b']
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for payload in pending:
        groups.setdefault(str(payload["notebook"]), []).append(payload)
    order: list[dict[str, Any]] = []
    while any(groups.values()):
        for group in groups.values():
            if group:
                order.append(group.pop(0))
    return order


def _start_fork_server(opts: dict[str, Any], runtime_root: Path) -> Any:
    """Start the run's kernel fork server (:mod:`.forkserver`) unless ``fork_kernels`` is off
    (``CSW_FORK_KERNELS=0``);
    sets ``opts["fork_socket"]``; returns the server process (None: kernels start as usual)."""
    if not opts.get("fork_kernels", True):
        return None
    from .forkserver import start_server

    started = start_server(
        runtime_root,
        opts["base"],
        opts.get("warm_imports") or warm_up_modules([]),
        kernel_thread_limits(opts.get("kernel_threads")),
    )
    if started is None:
        return None
    _adopt_fork_server(opts, started[0], started[1], runtime_root)
    return started[0]


def _adopt_fork_server(opts: dict[str, Any], process: Any, socket_path: str, runtime_root: Path) -> None:
    """Make ``process`` the run's fork server: its pid file (the lock names the run's processes)
    and ``opts["fork_socket"]``."""
    (runtime_root / f"forkserver-{process.pid}.pid").write_text(_marker_text(process.pid))
    opts["fork_socket"] = socket_path


def _warm_up_workers() -> None:
    """Before the pool forks: what every worker would import and build for its first report
    (papermill's kernel client, the page exporter with its templates, great-tables, plotly,
    the font tables), done once here while the fork server imports on the other core.

    Only what starts no thread: the pool forks only while this process has none
    (:func:`_start_method`); a warm-up that failed is not an error (each worker then does it).
    """
    try:
        import jupyter_client.asynchronous  # noqa: F401
        import jupyter_client.manager  # noqa: F401

        from .html import warm_up_export

        warm_up_export()
    except Exception as exc:  # pragma: no cover - the reports themselves say what is wrong
        logging.getLogger(__name__).debug("worker warm-up: %s", exc)


def _prestart_zygotes(socket_path: str, pending: list[dict[str, Any]], workers: int | None) -> None:
    """Have the fork server build the zygotes of the first reports (one per worker, in the
    order the pool takes them) as soon as its imports are done, not when a worker asks."""
    from .forkserver import notebook_imports, prestart_zygotes

    first = dict.fromkeys(
        p["notebook_path"] for p in _interleave(pending)[: min(workers or available_cpus(), len(pending))]
    )
    prestart_zygotes(socket_path, [notebook_imports(path) for path in first])


def _start_method() -> str:
    """How the pool starts its workers: ``"fork"`` where that is safe, else ``"spawn"``.

    A forked worker starts in milliseconds with what this process has imported (papermill,
    pandas: ~0.6 s of imports in each spawned worker) and ends without tearing its interpreter
    down (a spawned one spent 0.3 s on that at the end of every run).  Forking is safe only
    while this process runs no other thread (a thread's lock would stay locked in the child):
    the pool is started before the progress bar's thread, and a run started from a Jupyter
    kernel (which has threads of its own) and runs outside Linux (macOS's system libraries are
    not fork-safe; Windows cannot fork) spawn, as before.
    ``CSW_WORKER_START=spawn`` forces spawning.
    """
    import multiprocessing

    wanted = os.environ.get("CSW_WORKER_START", "").strip().lower()
    if wanted == "spawn" or not sys.platform.startswith("linux"):  # macOS: fork is unsafe with its system libraries
        return "spawn"
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - every Linux Python has it
        return "spawn"
    return "fork" if threading.active_count() == 1 else "spawn"


def _run_pool(pending, opts, workers, runtime_root: Path, accept, fail_payload, on_workers=None) -> bool:
    """The process pool of :func:`_run_local` (``opts`` already complete)."""
    remaining = list(pending)
    restarts_left = 1
    while remaining:
        n = min(workers or available_cpus(), len(remaining))
        executor = ProcessPoolExecutor(
            max_workers=n,
            mp_context=get_context(_start_method()),
            initializer=_init_local_worker,
            # each worker's first report gets a kernel started (and warmed) while the worker starts
            initargs=(str(runtime_root), opts if opts.get("prestart_kernels", True) else None),
        )
        broken: list[dict[str, Any]] = []
        interrupted = False
        try:
            # a worker pre-starts the next report's kernel, except for the last reports (one
            # per worker): a kernel nobody will use is not started
            futures = {
                executor.submit(execute_report, payload, dict(opts, prestart_kernels=i < len(remaining) - n)): payload
                for i, payload in enumerate(remaining)
            }
            if on_workers is not None:  # the lock names them: no take-over while they live
                on_workers(sorted((getattr(executor, "_processes", None) or {}).keys()))
            for fut in as_completed(futures):
                payload = futures[fut]
                try:
                    rec = fut.result()
                except BrokenProcessPool:
                    broken.append(payload)
                    continue
                except Exception as exc:  # should not happen: execute_report catches notebook failures
                    rec = fail_payload(payload, _one_line(f"{type(exc).__name__}: {exc}"))
                accept(rec)
        except KeyboardInterrupt:
            interrupted = True
            processes = list((getattr(executor, "_processes", None) or {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            for proc in processes:  # SIGTERM: each worker kills its kernel, then exits
                try:
                    proc.terminate()
                except (OSError, ValueError):  # already gone, or closed by the executor
                    continue
            for proc in processes:
                proc.join(timeout=5)
            for proc in processes:  # a worker that did not stop in 5 s is killed
                if proc.is_alive():
                    proc.kill()
            return True
        finally:
            if not interrupted:
                executor.shutdown(wait=True)
        _kill_leftover_kernels(runtime_root)
        if broken and restarts_left:
            restarts_left -= 1
            remaining = broken
            continue
        for payload in broken:
            accept(fail_payload(payload, "worker process died (killed or out of memory)"))
        remaining = []
    return False


def _run_dask(pending, options, workers, scheduler, accept, fail_payload, runtime_root: Path) -> bool:
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_as_completed
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise ReportError(f"engine 'dask' needs the distributed package ({exc})") from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        )
        client = Client(cluster)
    # a LocalCluster shares this machine: its kernels register under runtime_root, so the
    # parent can kill any left over (e.g. after Ctrl-C); remote workers use their own temp
    opts = dict(options, runtime_root=None if scheduler else str(runtime_root), own_process=False)
    interrupted = False
    futures: list[Any] = []
    index: dict[Any, dict[str, Any]] = {}
    try:
        for payload in pending:
            key = f"csw-report-{payload['notebook']}-{payload['slug']}-{uuid.uuid4().hex[:8]}"
            fut = client.submit(execute_report, payload, opts, key=key, pure=False)
            futures.append(fut)
            index[fut.key] = payload
        for fut in dask_as_completed(futures):
            payload = index[fut.key]
            try:
                rec = fut.result()
            except Exception as exc:
                rec = fail_payload(payload, _one_line(f"dask task failed: {type(exc).__name__}: {exc}"))
            accept(rec)
    except KeyboardInterrupt:
        interrupted = True
        client.cancel(futures, force=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return interrupted
