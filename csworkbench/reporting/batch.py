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
    reports/<run-id>/index.html                     sortable table of every report

A ``status.json`` record holds ``notebook, parameters, slug, status ("ok"/"failed"),
duration_s, error`` (one line: exception type and message, never a traceback), ``html,
ipynb`` (relative to the run folder), ``data_file`` (the ``data_path`` parameter, relative to
the working directory) and ``data_sha256``, ``inputs`` (every ``*_path`` parameter's file and
hash), ``notebook_sha256``, ``key``, ``packages``
(versions), ``git_commit``, ``started``, ``attempts`` and ``reused`` (kept from an earlier run).

Re-running skips a report whose notebook file, parameters and input-data hash (the
``key``; it includes :func:`code_fingerprint`, the package code and bundled data) are unchanged and whose HTML exists, unless ``force=True``.  A failed report
removes any earlier HTML of the same slug, so a stale page is never left published.
Failures stay isolated: a failing notebook fails only its report; a report over its
``timeout`` has its kernel killed; a worker process killed from outside (OOM killer) breaks
the pool, and the unfinished reports run once more in a fresh pool.  Ctrl-C stops the run:
workers and their kernels are terminated, finished reports stay published, the rest are
recorded as failed, and ``csw report`` exits with 130.

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

The key does not cover the csworkbench code itself: after changing library code, run with
``--force`` (each record keeps the git commit it was produced with).

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

Kernel start-up time: the cause of the "~6 s per report"
--------------------------------------------------------
Measured on this machine with ``python -X importtime`` and by timing a kernel that starts
and runs ``fig.show()`` on a plotly figure:

* jupyterlab → jupyter_server → **jupyter_events** requires ``jsonschema[format-nongpl]``,
  which (in recent jsonschema; 4.26 here) installs **rfc3987-syntax** for the ``iri`` format checker.
* ``jsonschema._format`` imports it eagerly, and ``rfc3987_syntax.syntax_helpers`` compiles
  an Earley grammar with *lark* **at import time**: 1.6–2.3 s of pure CPU (importtime
  self-time of that one module; python-jsonschema/jsonschema#1392 and #1521 discuss it).
* Anything that imports ``nbformat`` pays it, because nbformat imports jsonschema.  In the
  *kernel* that is plotly: the first ``fig.show()`` with the Jupyter mimetype renderer
  imports nbformat (to check its version).  In the *client* it is papermill, nbclient and
  nbconvert (``import papermill``: 2.3 s, of which 1.6 s is that one module).

Measured (``bench/bench_batch.py``, median of 3; kernel ready + first ``fig.show()``):
machine busy with other jobs (load ≈ 6 on 2 cores): default 1.56 + 4.65 = **6.2 s**, with the
fix 1.49 + 0.79 = **2.3 s**; machine quiet: default 0.89 + 1.75 = 2.6 s, fixed
0.54 + 0.17 = 0.7 s.  In the overview notebook the import cell went from 6.3 s to 2.2 s
(it also imported nbconvert through ``csworkbench.reporting``, which is now lazy).

The fix: ``sys.modules.setdefault("rfc3987_syntax", None)`` makes that optional import fail
fast, so jsonschema simply does not register the ``iri``/``iri-reference`` format checkers
(nbformat and nbclient never use them; nothing else changes).  It is applied in each
worker process before papermill is imported, and in each report kernel through
``--IPKernelApp.exec_lines`` (it runs before the first cell).  The environment and the
user's own kernels are not touched.  Worker processes stay alive for the whole run, so
the client-side imports are paid once per worker, not once per report.

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
>>> from csworkbench.reporting.batch import run_key
>>> len(run_key("nbhash", {"lang": "zh"}, None))
64
"""

from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib import metadata
from multiprocessing import get_context
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from .. import config
from ..errors import ReportError
from ..i18n import t
from .files import RunLock, atomic_write_bytes, atomic_write_text, remove_stale_temporaries
from .html import PLOTLY_JS, _input_dirs, export_html, public_path, public_text, write_index, write_plotlyjs
from .spec import RunSpec

__all__ = ["RunResult", "run_reports", "execute_report", "run_key", "package_versions", "git_commit", "KERNEL_ARGUMENTS"]

SLOW_OPTIONAL_IMPORT = "rfc3987_syntax"
#: Extra command-line arguments for every report kernel (see the module docstring).
KERNEL_ARGUMENTS = [
    f"--IPKernelApp.exec_lines=import sys; sys.modules.setdefault({SLOW_OPTIONAL_IMPORT!r}, None)",
    "--HistoryManager.enabled=False",
]
_PACKAGES = (
    "csworkbench", "pandas", "numpy", "scipy", "statsmodels", "scikit-learn", "plotly",
    "papermill", "nbconvert", "nbclient", "ipykernel", "jupyter_client",
)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
STATUS_FILE = "status.json"


def block_slow_imports() -> None:
    """Make the optional, 2-second ``rfc3987_syntax`` import fail fast in this process (see module doc)."""
    sys.modules.setdefault(SLOW_OPTIONAL_IMPORT, None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- provenance


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
    files = [f for f in PACKAGE_DIR.rglob("*") if f.is_file() and f.suffix not in {".pyc"} and "__pycache__" not in f.parts]
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


# --------------------------------------------------------------------------- worker side

_WORKER: dict[str, Any] = {}


def _worker_setup(runtime_root: str | None, own_process: bool) -> Path:
    """Once per worker process: private runtime folder, fast imports, signal handling."""
    if "runtime" in _WORKER:
        return _WORKER["runtime"]
    block_slow_imports()
    root = Path(runtime_root) if runtime_root else Path(tempfile.gettempdir())
    root.mkdir(parents=True, exist_ok=True)
    runtime = Path(tempfile.mkdtemp(prefix=f"w{os.getpid()}-", dir=root))
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # kernels inherit this: fig.show() stores figure JSON, which the HTML export renders with
    # the run's own plotly.js (a user's PLOTLY_RENDERER=browser/cdn must not leak into reports)
    os.environ["PLOTLY_RENDERER"] = "plotly_mimetype"
    # failures are reported in status.json and the index; keep papermill/nbclient log lines
    # ("Kernel died while waiting for execute reply") out of the progress bar
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    _WORKER["runtime"] = runtime
    _WORKER["kernels"] = {}
    if own_process:
        # Ctrl-C goes to the whole process group: the parent decides, workers ignore it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _on_sigterm)
    import papermill  # noqa: F401  (warm the imports once per worker)
    import nbconvert  # noqa: F401

    return runtime


def _init_local_worker(runtime_root: str) -> None:
    _worker_setup(runtime_root, own_process=True)


def _on_sigterm(signum, frame):  # pragma: no cover - exercised by Ctrl-C handling
    for pid in list(_WORKER.get("kernels", {}).values()):
        _kill(pid)
    os._exit(143)


def _kill(pid: int | None) -> None:
    """Kill a report kernel *and everything it started*.

    Kernels are launched in their own session (jupyter_client's ``start_new_session``), so their
    process group id is their pid: killing the group also ends what a cell started
    (``subprocess.run``, ``!sleep``), which would otherwise outlive a timed-out or dead kernel.
    """
    if not pid:
        return
    sig = getattr(signal, "SIGKILL", signal.SIGTERM)
    if hasattr(os, "killpg"):
        try:
            os.killpg(pid, sig)
            return
        except (ProcessLookupError, PermissionError):
            pass  # no such group (the kernel is not a group leader): the process alone
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _kernel_death(process: Any) -> str | None:
    """Why a kernel process ended (``"killed by SIGKILL …"``), from its exit status; ``None`` if alive."""
    try:
        code = process.poll() if process is not None else None
    except Exception:
        return None
    if code is None:
        return None
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (out of memory, or killed by the notebook or from outside)" if name == "SIGKILL" else ""
        return f"the kernel process was killed by {name}{hint}"
    return f"the kernel process exited with code {code}"


def _kernel_manager_class(slot: dict[str, Any]):
    """An AsyncKernelManager subclass bound to one report: IPC transport, own connection file."""
    from jupyter_client.manager import AsyncKernelManager

    runtime = _WORKER["runtime"]

    class ReportKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kernel_id = uuid.uuid4().hex[:12]
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("connection_file", str(runtime / f"k-{kernel_id}.json"))
            super().__init__(**kwargs)
            slot["km"] = self
            slot["log"] = runtime / f"k-{kernel_id}.log"

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # the kernel's own stdout/stderr (start-up errors, "KeyboardInterrupt caught in
            # kernel" on shutdown) go to a log file, not over the progress bar
            self._csw_log = open(slot["log"], "ab")
            kw.setdefault("stdout", self._csw_log)
            kw.setdefault("stderr", self._csw_log)
            return await super()._async_launch_kernel(kernel_cmd, **kw)

        async def _async_post_start_kernel(self, **kw):
            await super()._async_post_start_kernel(**kw)
            pid = getattr(self.provisioner, "pid", None)
            slot["pid"] = pid
            slot["process"] = getattr(self.provisioner, "process", None)  # exit status, if it dies
            _WORKER["kernels"][id(self)] = pid
            if pid:
                (runtime / f"kernel-{pid}.pid").write_text(str(pid))

        async def _async_cleanup_resources(self, restart: bool = False):
            await super()._async_cleanup_resources(restart=restart)
            log = getattr(self, "_csw_log", None)
            if log is not None:
                log.close()
            pid = _WORKER["kernels"].pop(id(self), None)
            if pid:
                (runtime / f"kernel-{pid}.pid").unlink(missing_ok=True)

    return ReportKernelManager


def _error_summary(nb: Any) -> str | None:
    """``"cell 7: DataError: sales.csv: column 'amount', row 3: …"`` from the first error output."""
    for index, cell in enumerate(getattr(nb, "cells", []) or []):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                count = cell.get("execution_count")
                where = f"cell {count}" if count else f"cell #{index + 1}"
                return _one_line(f"{where}: {output.get('ename', 'Error')}: {output.get('evalue', '')}")
    return None


def _with_kernel_log(error: str, log: Path | None) -> str:
    """Append the kernel's last stderr line (why it did not start), if it left one."""
    try:
        lines = [ln.strip() for ln in Path(log).read_text(errors="replace").splitlines() if ln.strip()] if log else []
    except OSError:
        lines = []
    return _one_line(f"{error} (kernel said: {lines[-1]})") if lines else error


def _one_line(text: str, limit: int = 500) -> str:
    text = _ANSI.sub("", str(text))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _title_of(nb: Any, parameters: Mapping[str, Any], notebook: str, lang: str) -> str:
    """Page title: the ``title`` parameter; else the label ``report.<notebook>_title`` or
    ``<notebook>.title`` in ``lang`` if one exists; else the notebook's first ``# `` heading;
    else the notebook name."""
    if parameters.get("title"):
        return str(parameters["title"])
    from ..i18n import load_catalog

    catalog = load_catalog()
    for key in (f"report.{notebook}_title", f"{notebook}.title"):
        if lang in catalog.get(key, {}):
            return t(key, lang)
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            for line in str(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return notebook


def execute_report(job: Mapping[str, Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """Run one report in this process and publish its files; never raises for a notebook failure.

    Parameters
    ----------
    job : mapping
        :meth:`ReportJob.to_dict` plus ``record`` (the provenance fields prepared by the parent).
    options : mapping
        ``run_dir, base, timeout, plotly_src (None = inline), lang, kernel_name, runtime_root,
        own_process``.

    Returns
    -------
    dict
        The status record (``status`` "ok" or "failed").
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    runtime = _worker_setup(options.get("runtime_root"), bool(options.get("own_process")))
    run_dir = Path(options["run_dir"])
    out_dir = run_dir / job["notebook"]
    slug = job["slug"]
    html_path = out_dir / f"{slug}.html"
    ipynb_path = out_dir / f"{slug}.ipynb"
    failed_path = out_dir / f"{slug}.failed.ipynb"
    record = dict(job["record"])
    record.update(status="failed", error=None, html=None, ipynb=None, attempts=0)
    timeout = options.get("timeout")
    started = time.perf_counter()
    record["started"] = _dt.datetime.now().astimezone().isoformat(timespec="seconds")

    nb = None
    error: str | None = None
    for attempt in (1, 2):
        record["attempts"] = attempt
        slot: dict[str, Any] = {"cell_started": False}
        scratch = runtime / f"{uuid.uuid4().hex[:12]}.ipynb"
        timed_out = threading.Event()

        def on_timeout(slot=slot, timed_out=timed_out):
            timed_out.set()
            _kill(slot.get("pid"))

        def mark_started(cell=None, cell_index=None, **_):
            slot["cell_started"] = True
            slot["cell_index"] = cell_index

        timer = threading.Timer(float(timeout), on_timeout) if timeout else None
        if timer:
            timer.daemon = True
            timer.start()
        try:
            papermill.execute_notebook(
                job["notebook_path"],
                str(scratch),
                parameters=dict(job["parameters"]),
                kernel_name=options.get("kernel_name", "python3"),
                progress_bar=False,
                log_output=False,
                start_timeout=60,
                execution_timeout=timeout,
                kernel_manager_class=_kernel_manager_class(slot),
                extra_arguments=list(KERNEL_ARGUMENTS),
                resources={"metadata": {"path": str(options["base"])}},
                on_cell_start=mark_started,
                # papermill would rewrite (and validate) the whole notebook before and after
                # every cell — ~1.5 s for a 30-cell report; write it once at the end instead
                request_save_on_cell_execute=False,
                # every output has arrived when the last cell is idle: kill, do not negotiate
                shutdown_kernel="immediate",
            )
            error = None
        except PapermillExecutionError:
            error = "papermill"  # details read from the saved notebook below
        except BaseException as exc:  # kernel died / failed to start / timeout
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            error = _one_line(f"{type(exc).__name__}: {exc}") or type(exc).__name__
            death = _kernel_death(slot.get("process")) if type(exc).__name__ == "DeadKernelError" else None
            if death:
                error = f"{type(exc).__name__}: {death}"
            # whatever the kernel started (subprocesses) must not outlive a dead or killed kernel
            _kill(slot.get("pid"))
            if not slot["cell_started"]:
                error = _with_kernel_log(error, slot.get("log"))
            if not slot["cell_started"] and not timed_out.is_set() and attempt == 1:
                scratch.unlink(missing_ok=True)
                continue  # one retry when the kernel did not start
        finally:
            if timer:
                timer.cancel()
        if scratch.exists():
            nb = nbformat.read(scratch, as_version=4)
            scratch.unlink(missing_ok=True)
        if timed_out.is_set() and error is not None:
            error = t("reporting.timeout", options.get("lang", "zh"), seconds=f"{float(timeout):g}")
        if error is not None and error != "papermill" and slot.get("cell_index") is not None:
            error = _one_line(f"{error} (while running cell #{slot['cell_index'] + 1})")
        elif error == "papermill":
            error = _error_summary(nb) or "notebook failed"
        break

    record["duration_s"] = round(time.perf_counter() - started, 2)
    out_dir.mkdir(parents=True, exist_ok=True)
    if error is None and nb is not None:
        page_lang = str(job["parameters"].get("lang") or options.get("lang", "zh"))
        title = _title_of(nb, job["parameters"], job["notebook"], page_lang)
        try:
            page = export_html(
                nb,
                title=title,
                parameters=job["parameters"],
                lang=page_lang,
                plotly_src=options.get("plotly_src"),
                record=record,
            )
        except Exception as exc:
            error = _one_line(f"HTML export failed: {type(exc).__name__}: {exc}")
        else:
            target = ipynb_path
            try:
                atomic_write_text(ipynb_path, nbformat.writes(nb))
                target = html_path
                atomic_write_bytes(html_path, page.encode("utf-8"))
            except OSError as exc:  # disk full, quota, permissions: the report is not published
                error = _write_error(f"{job['notebook']}/{target.name}", exc)
            else:
                failed_path.unlink(missing_ok=True)
                record.update(status="ok", html=f"{job['notebook']}/{html_path.name}", ipynb=f"{job['notebook']}/{ipynb_path.name}")
                record["duration_s"] = round(time.perf_counter() - started, 2)
                return record
    # failure: publish no HTML (remove a stale one), keep the executed notebook for debugging
    html_path.unlink(missing_ok=True)
    ipynb_path.unlink(missing_ok=True)
    record["error"] = public_text(error or "unknown failure", _input_dirs(job.get("parameters") or {}))
    if nb is not None:
        try:
            atomic_write_text(failed_path, nbformat.writes(nb))
            record["ipynb"] = f"{job['notebook']}/{failed_path.name}"
        except OSError as exc:  # the failure itself is recorded; the debugging copy is optional
            failed_path.unlink(missing_ok=True)
            note = _write_error(f"{job['notebook']}/{failed_path.name}", exc)
            record["error"] = _one_line(f"{record['error']}; {note}")
    return record


def _write_error(name: str, exc: OSError) -> str:
    """``"could not write overview/report.html: No space left on device (ENOSPC)"``."""
    code = errno.errorcode.get(exc.errno or 0)
    reason = exc.strerror or str(exc) or type(exc).__name__
    return _one_line(f"could not write {name}: {reason}" + (f" ({code})" if code else ""))


# --------------------------------------------------------------------------- parent side


@dataclass
class RunResult:
    """Outcome of :func:`run_reports`: every record and the counts."""

    run_dir: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    elapsed_s: float = 0.0
    interrupted: bool = False

    @property
    def n_ok(self) -> int:
        return sum(r["status"] == "ok" for r in self.records)

    @property
    def n_failed(self) -> int:
        return sum(r["status"] == "failed" for r in self.records)

    @property
    def n_reused(self) -> int:
        return sum(bool(r.get("reused")) for r in self.records)

    @property
    def n_executed(self) -> int:
        return len(self.records) - self.n_reused

    def summary(self, lang: str = "en") -> str:
        line = t("reporting.summary", lang, total=len(self.records), ok=self.n_ok, failed=self.n_failed)
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


def _write_status(spec: RunSpec, records: Iterable[Mapping[str, Any]], started: str, finished: str | None) -> None:
    payload = {
        "run_id": spec.run_id,
        "lang": spec.lang,
        "started": started,
        "finished": finished,
        "source": spec.source.name if spec.source else None,
        "reports": list(records),
    }
    atomic_write_text(spec.run_dir / STATUS_FILE, json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def available_cpus() -> int:
    """CPU cores this process may use (respects affinity / container limits where visible)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _short_tmp() -> str | None:
    """The temp folder, or ``/tmp`` when that is long: IPC socket paths must stay under 108 bytes."""
    tmp = tempfile.gettempdir()
    if len(tmp) > 40 and os.name == "posix" and os.path.isdir("/tmp"):
        return "/tmp"
    return None


def _kill_leftover_kernels(runtime_root: Path) -> None:
    for pid_file in runtime_root.rglob("kernel-*.pid"):
        try:
            _kill(int(pid_file.read_text().strip()))
        except (OSError, ValueError):
            pass


def _progress(total: int, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="reports", unit="report", disable=not enabled or total == 0, dynamic_ncols=True)


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
        return _run_reports(
            spec, workers=workers, engine=engine, scheduler=scheduler, force=force, self_contained=self_contained,
            timeout=timeout, progress=progress, base=base, kernel_name=kernel_name, on_record=on_record,
        )
    finally:
        lock.release()


def _run_reports(
    spec: RunSpec,
    *,
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
    run_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(run_dir)
    started = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    if not self_contained:
        try:
            write_plotlyjs(run_dir)
        except OSError as exc:
            raise ReportError(f"{run_dir.name}: {_write_error(PLOTLY_JS, exc)}; nothing was run") from None

    packages = package_versions()
    commit = git_commit()
    previous = _previous_records(run_dir)
    records: dict[tuple[str, str], dict[str, Any]] = {}
    pending: list[dict[str, Any]] = []
    nb_hash: dict[Path, str] = {}
    code_sha = code_fingerprint()
    for job in spec.jobs:
        if job.notebook_path not in nb_hash:
            nb_hash[job.notebook_path] = hashlib.sha256(
                (_sha256_file(job.notebook_path) + code_sha).encode("ascii")
            ).hexdigest()
        data_file, data_sha, inputs = _data_provenance(job.parameters, base_dir)
        key = run_key(nb_hash[job.notebook_path], job.parameters, {k: v["sha256"] for k, v in inputs.items()} or data_sha, self_contained)
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
            "notebook_sha256": _sha256_file(job.notebook_path), "code_sha256": code_sha,
            "key": key,
            "packages": packages,
            "git_commit": commit,
            "reused": False,
        }
        records[ident] = dict(base_record, status="pending")
        payload = job.to_dict()
        payload["record"] = base_record
        pending.append(payload)

    order = [(j.notebook, j.slug) for j in spec.jobs]
    lang = spec.lang
    options = {
        "run_dir": str(run_dir),
        "base": str(base_dir),
        "timeout": timeout,
        "plotly_src": None if self_contained else f"../{PLOTLY_JS}",
        "lang": lang,
        "kernel_name": kernel_name,
    }

    def current() -> list[dict[str, Any]]:
        return [records[i] for i in order]

    bar = _progress(len(pending), progress)
    n_done = n_failed = 0

    def accept(rec: dict[str, Any]) -> None:
        nonlocal n_done, n_failed
        records[(rec["notebook"], rec["slug"])] = rec
        n_done += 1
        n_failed += rec["status"] == "failed"
        bar.set_postfix(done=n_done, failed=n_failed)
        bar.update(1)
        try:
            _write_status(spec, current(), started, None)
        except OSError:
            pass  # e.g. disk full: written again (and reported) at the end of the run
        if on_record is not None:
            on_record(rec)

    def fail_payload(payload: Mapping[str, Any], message: str) -> dict[str, Any]:
        return dict(payload["record"], status="failed", error=message, html=None, ipynb=None, duration_s=None, attempts=0)

    interrupted = False
    runtime_root = Path(tempfile.mkdtemp(prefix="csw-", dir=_short_tmp()))
    try:
        if pending and engine == "local":
            interrupted = _run_local(pending, options, workers, runtime_root, accept, fail_payload)
        elif pending:
            interrupted = _run_dask(pending, options, workers, scheduler, accept, fail_payload, runtime_root)
    finally:
        bar.close()
        _kill_leftover_kernels(runtime_root)
        shutil.rmtree(runtime_root, ignore_errors=True)
        remove_stale_temporaries(run_dir)
        for ident, rec in records.items():
            if rec.get("status") == "pending":
                records[ident] = dict(rec, status="failed", error="interrupted (Ctrl-C) before it finished", html=None, ipynb=None)
        finished = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        unwritten = []
        try:
            _write_status(spec, current(), started, finished)
        except OSError as exc:
            unwritten.append(_write_error(STATUS_FILE, exc))
        try:
            write_index(run_dir, current(), lang=lang, title=spec.title, run_id=spec.run_id)
        except OSError as exc:
            unwritten.append(_write_error("index.html", exc))
    result = RunResult(run_dir=run_dir, records=current(), elapsed_s=time.perf_counter() - t0, interrupted=interrupted)
    if unwritten:
        # the reports ran, but the run folder cannot say so: that must not pass as success
        error = ReportError(
            f"{run_dir.name}: {'; '.join(unwritten)}. {result.summary('en')}, but the run folder does not "
            "record it; free space and run again (published reports are kept)"
        )
        error.result = result  # type: ignore[attr-defined]
        raise error
    return result


def _run_local(pending, options, workers, runtime_root: Path, accept, fail_payload) -> bool:
    """Run ``pending`` in a spawn-based process pool; return True when interrupted (Ctrl-C).

    A worker killed from outside (OOM killer, ``kill -9``) breaks the whole pool; the reports
    that had not finished are then run once more in a fresh pool, and only if that breaks
    too are they recorded as failed.
    """
    opts = dict(options, runtime_root=str(runtime_root), own_process=True)
    remaining = list(pending)
    restarts_left = 1
    while remaining:
        n = min(workers or available_cpus(), len(remaining))
        executor = ProcessPoolExecutor(
            max_workers=n, mp_context=get_context("spawn"), initializer=_init_local_worker, initargs=(str(runtime_root),)
        )
        broken: list[dict[str, Any]] = []
        interrupted = False
        try:
            futures = {executor.submit(execute_report, payload, opts): payload for payload in remaining}
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
                except Exception:
                    pass
            for proc in processes:
                proc.join(timeout=5)
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
    index: dict[str, Any] = {}
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
