"""The worker side of a batch run (报告执行): one report executed by papermill and published.

:func:`execute_report` runs in a worker process (or a dask worker): it executes the notebook
with its parameters in a kernel of its own (IPC transport, private runtime folder, killed with
its whole process group at the timeout or when it dies), exports the page and writes notebook
and page atomically; a failed report publishes no page and keeps the executed notebook as
``<slug>.failed.ipynb``.  It never raises for a notebook failure: the record says what happened.

Nothing is published after the run is gone.  A local worker remembers its parent (the
``csw report`` process) and a watchdog thread ends the worker — killing its kernel first — as
soon as that parent has died, however it died (SIGKILL included).  Before writing a page, every
worker (local or dask) also checks that the parent is still there and that the run folder's
lock file still holds its run's ``run_token`` (:class:`~csworkbench.reporting.files.RunLock`);
otherwise the report is not published.  Each worker leaves ``worker-<pid>.pid`` and each kernel
``kernel-<pid>.pid`` (pid and start time) in the run's runtime folder, which the lock names, so
a new run waits until every process of a killed run has ended.
"""

from __future__ import annotations

import datetime as _dt
import errno
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import t
from .files import atomic_write_bytes, atomic_write_text, process_marker, read_lock
from .forkserver import WARM_IMPORTS, kernel_environment, kernel_thread_limits, warm_up_modules
from .html import _input_dirs, export_html, public_text
from .store import kpi_bundle_figures

__all__ = [
    "execute_report",
    "block_slow_imports",
    "kernel_thread_limits",
    "KERNEL_ARGUMENTS",
    "WARM_IMPORTS",
    "warm_up_modules",
]

SLOW_OPTIONAL_IMPORT = "rfc3987_syntax"
#: Extra command-line arguments for every report kernel (see the module docstring).
KERNEL_ARGUMENTS = [
    f"--IPKernelApp.exec_lines=import sys; sys.modules.setdefault({SLOW_OPTIONAL_IMPORT!r}, None)",
    "--HistoryManager.enabled=False",
]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def block_slow_imports() -> None:
    """Make the optional, 2-second ``rfc3987_syntax`` import fail fast in this process (see module doc)."""
    sys.modules.setdefault(SLOW_OPTIONAL_IMPORT, None)  # type: ignore[arg-type]


_WORKER: dict[str, Any] = {}


def _worker_setup(runtime_root: str | None, own_process: bool, first: Mapping[str, Any] | None = None) -> Path:
    """Once per worker process: private runtime folder, fast imports, signal handling; with
    ``first`` (the run's options) the first report's kernel starts while this worker imports."""
    if "runtime" in _WORKER:
        return _WORKER["runtime"]
    block_slow_imports()
    root = Path(runtime_root) if runtime_root else Path(tempfile.gettempdir())
    root.mkdir(parents=True, exist_ok=True)
    runtime = Path(tempfile.mkdtemp(prefix=f"w{os.getpid()}-", dir=root))
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    kernel_environment(os.environ)  # kernels inherit it
    # a run started from a JupyterLab notebook or terminal: its report kernels are batch kernels
    # (display.live_front_end: no DataTables script for a live front end)
    os.environ.pop("JPY_SESSION_NAME", None)
    os.environ.update(kernel_thread_limits((first or {}).get("kernel_threads")))
    # failures are reported in status.json and the index; keep papermill/nbclient log lines
    # ("Kernel died while waiting for execute reply") out of the progress bar
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    _WORKER["runtime"] = runtime
    _WORKER["kernels"] = {}
    if runtime_root:
        (root / f"worker-{os.getpid()}.pid").write_text(_marker_text(os.getpid()))
    if own_process:
        # Ctrl-C goes to the whole process group: the parent decides, workers ignore it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _on_sigterm)
        _WORKER["parent"] = os.getppid()
        threading.Thread(target=_watch_parent, name="csw-parent-watch", daemon=True).start()
    if first is not None:
        _start_spare(dict(first, own_process=own_process))
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401  (warm the imports once per worker)

    return runtime


def _fork_command(kernel_cmd: list[str], slot: Mapping[str, Any]) -> list[str] | None:
    """``kernel_cmd`` as a kernel forked by the run's server from the zygote of the report's
    notebook (:mod:`.forkserver`); None: start it as usual."""
    path = slot.get("fork_socket")
    if not path or not os.path.exists(path):
        return None
    from .forkserver import client_command, notebook_imports

    modules = notebook_imports(slot["notebook_path"]) if slot.get("notebook_path") else []
    return client_command(list(kernel_cmd), str(path), modules)


def _init_local_worker(runtime_root: str, options: Mapping[str, Any] | None = None) -> None:
    _worker_setup(runtime_root, own_process=True, first=options)


def _marker_text(pid: int) -> str:
    """``"<pid> <start time>"``: what a pid file holds (the start time tells a re-used pid apart)."""
    marker = process_marker(pid)
    return f"{marker['pid']} {marker['start'] or ''}".strip()


def _parent_gone() -> bool:
    """True when this local worker's parent (the run) has died: it was re-parented."""
    parent = _WORKER.get("parent")
    return bool(parent) and os.getppid() != parent


def _watch_parent(interval: float = 0.25) -> None:  # pragma: no cover - runs in worker processes
    """End this worker (and its kernel) as soon as the run that started it is gone."""
    while True:
        time.sleep(interval)
        if _parent_gone():
            _on_sigterm(signal.SIGTERM, None)


def _run_abandoned(options: Mapping[str, Any]) -> str | None:
    """Why this report must not be published (parent dead, lock taken over), or None."""
    if _parent_gone():
        return "the report run was stopped before this report was published"
    token = options.get("run_token")
    if not token:
        return None
    for _ in range(5):  # the parent rewrites the record now and then: re-read an odd one
        holder = read_lock(options["run_dir"])
        if holder.get("token") == token:
            return None
        time.sleep(0.05)
    return "the run folder is no longer held by this run (stopped, or taken over by another run)"


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
    except OSError:  # the process handle is gone: nothing more to say about it
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

    from ._kernel_client import client_class_name

    runtime = _WORKER["runtime"]

    class ReportKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kernel_id = uuid.uuid4().hex[:12]
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("connection_file", str(runtime / f"k-{kernel_id}.json"))
            kwargs.setdefault("client_class", client_class_name())  # no 0.2-s wait per start
            super().__init__(**kwargs)
            slot["km"] = self
            slot["log"] = runtime / f"k-{kernel_id}.log"

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # the kernel's own stdout/stderr (start-up errors, "KeyboardInterrupt caught in
            # kernel" on shutdown) go to a log file, not over the progress bar
            self._csw_log = open(slot["log"], "ab")
            kw.setdefault("stdout", self._csw_log)
            kw.setdefault("stderr", self._csw_log)
            forked = _fork_command(kernel_cmd, slot)
            slot["forked"] = forked is not None
            launched = await super()._async_launch_kernel(forked or kernel_cmd, **kw)
            await self._csw_wait_for_shell_socket()
            return launched

        async def _csw_wait_for_shell_socket(self, limit: float = 10.0) -> None:
            # A client that connects before the kernel has bound its IPC sockets retries only
            # after ZMQ's 100-ms reconnect interval: waiting here for the shell socket's file
            # measured 0.40 → 0.28 s from launch to a forked kernel's first reply.
            import asyncio

            info = self.get_connection_info()
            if info.get("transport") != "ipc" or not info.get("shell_port"):
                return
            socket_file = f"{info['ip']}-{info['shell_port']}"
            process = getattr(self.provisioner, "process", None)
            deadline = time.monotonic() + limit
            while not os.path.exists(socket_file) and time.monotonic() < deadline:
                if process is not None and process.poll() is not None:
                    return  # it died: the client's start-up reports that
                await asyncio.sleep(0.005)

        async def _async_post_start_kernel(self, **kw):
            await super()._async_post_start_kernel(**kw)
            pid = getattr(self.provisioner, "pid", None)
            slot["pid"] = pid
            slot["process"] = getattr(self.provisioner, "process", None)  # exit status, if it dies
            _WORKER["kernels"][id(self)] = pid
            if pid:
                (runtime / f"kernel-{pid}.pid").write_text(_marker_text(pid))

        async def _async_cleanup_resources(self, restart: bool = False):
            await super()._async_cleanup_resources(restart=restart)
            log = getattr(self, "_csw_log", None)
            if log is not None:
                log.close()
            pid = _WORKER["kernels"].pop(id(self), None)
            if pid:
                (runtime / f"kernel-{pid}.pid").unlink(missing_ok=True)

    return ReportKernelManager


def _start_spare(options: Mapping[str, Any]) -> None:
    """Start the kernel of this worker's next report in the background (a local worker only).

    The kernel comes up — process start, ZMQ handshake, ``exec_lines`` — while this worker
    exports the report it has just run; the next report then finds it ready.  Each such kernel
    serves exactly one report and is killed after it, like any report kernel (isolation stays).
    """
    if not options.get("own_process") or not options.get("prestart_kernels", True):
        return
    if options.get("fork_socket"):  # forked at the report's start: from its notebook's zygote
        return
    slot: dict[str, Any] = {"cell_started": False, "spare": True}
    km = _kernel_manager_class(slot)(kernel_name=options.get("kernel_name", "python3"))
    warm = options.get("warm_imports")

    async def start_and_warm() -> None:
        await km.start_kernel(extra_arguments=list(KERNEL_ARGUMENTS), cwd=str(options["base"]))
        if warm and not slot.get("forked"):  # a forked kernel has imported them already
            t0 = time.perf_counter()
            await _warm_up(km, warm)
            slot["warm_up"] = time.perf_counter() - t0

    def start() -> None:
        import asyncio

        try:
            asyncio.run(start_and_warm())
            slot["ready"] = True
        except Exception as exc:  # the next report starts its own kernel instead
            slot["error"] = exc

    thread = threading.Thread(target=start, name="csw-spare-kernel", daemon=True)
    thread.start()
    _WORKER["spare"] = {"km": km, "slot": slot, "thread": thread, "for": (options.get("kernel_name"), options["base"])}


WARM_UP_TIMEOUT = 120.0
# Runs in the kernel as one silent request (no output, no execution count, no history) inside
# exec() with a namespace of its own: the report's namespace gets no names from it.  A module
# that fails to import is skipped; the notebook's own import then reports the error.
_WARM_UP_SOURCE = """
import importlib
for _module, _names in WARM:
    try:
        _m = importlib.import_module(_module)
        for _name in _names:
            if not hasattr(_m, _name):
                importlib.import_module(_module + "." + _name)
    except Exception:
        pass
"""


async def _warm_up(km: Any, modules: Any) -> None:
    """Import ``modules`` in the kernel of ``km`` silently; wait for the reply."""
    import asyncio

    code = f"exec({_WARM_UP_SOURCE!r}, {{'__name__': '__csw_warm_up__', 'WARM': {list(map(tuple, modules))!r}}})"
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=60)
        msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + WARM_UP_TIMEOUT
        while True:
            reply = await kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                break
        await asyncio.sleep(0)
    finally:
        kc.stop_channels()


def _take_spare(options: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ready spare kernel for this report (None: start one the usual way)."""
    spare = _WORKER.pop("spare", None)
    if spare is None:
        return None
    spare["thread"].join(timeout=WARM_UP_TIMEOUT + 60)
    slot = spare["slot"]
    usable = spare["for"] == (options.get("kernel_name"), options["base"]) and slot.get("ready")
    if usable and _kernel_death(slot.get("process")) is None:
        return spare
    _dispose_spare(spare)
    return None


def _dispose_spare(spare: Mapping[str, Any]) -> None:
    """Kill a (used or unusable) spare kernel and remove its files."""
    import asyncio

    km, slot = spare["km"], spare["slot"]
    _kill(slot.get("pid"))
    process = slot.get("process")
    try:
        if process is not None:
            process.wait(timeout=10)
    except (subprocess.TimeoutExpired, OSError) as exc:  # already reaped, or still dying
        logging.getLogger(__name__).debug("spare kernel %s: %s", slot.get("pid"), exc)
    try:
        km._close_control_socket()
        asyncio.run(km._async_cleanup_resources())
    except Exception as exc:  # files left behind are removed with the runtime folder
        logging.getLogger(__name__).debug("spare kernel %s: clean-up: %s", slot.get("pid"), exc)


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
    runtime = _worker_setup(options.get("runtime_root"), bool(options.get("own_process")))
    if options.get("own_process"):  # kernels started here inherit them
        os.environ.update(kernel_thread_limits(options.get("kernel_threads")))
    paths = _ReportPaths.of(Path(options["run_dir"]), job["notebook"], job["slug"])
    record = dict(job["record"])
    record.update(status="failed", error=None, html=None, ipynb=None, attempts=0)
    started = time.perf_counter()
    record["started"] = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    nb, error = _execute(job, options, runtime, record)
    _start_spare(options)  # the next report's kernel comes up while this one is exported
    record["duration_s"] = round(time.perf_counter() - started, 2)
    abandoned = _run_abandoned(options)
    if abandoned is not None:
        if options.get("own_process"):
            _on_sigterm(signal.SIGTERM, None)  # the run is gone: end here, publish nothing
        record.update(status="interrupted", error=abandoned)
        return record
    paths.folder.mkdir(parents=True, exist_ok=True)
    if error is None and nb is not None:
        error = _publish(job, options, nb, record, paths)
        if error is None:
            record["duration_s"] = round(time.perf_counter() - started, 2)
            return record
    _publish_failure(job, nb, record, paths, error)
    return record


@dataclass(frozen=True)
class _ReportPaths:
    """Where one report's files go: ``<run>/<notebook>/<slug>.html|.ipynb|.failed.ipynb``."""

    folder: Path
    html: Path
    ipynb: Path
    failed: Path
    notebook: str

    @classmethod
    def of(cls, run_dir: Path, notebook: str, slug: str) -> _ReportPaths:
        folder = run_dir / notebook
        return cls(folder, folder / f"{slug}.html", folder / f"{slug}.ipynb", folder / f"{slug}.failed.ipynb", notebook)

    def relative(self, path: Path) -> str:
        return f"{self.notebook}/{path.name}"


def _execute(
    job: Mapping[str, Any], options: Mapping[str, Any], runtime: Path, record: dict[str, Any]
) -> tuple[Any, str | None]:
    """Execute the notebook with papermill (one retry when the kernel did not start).

    Returns ``(executed notebook or None, None or a one-line error)``; sets ``record["attempts"]``.
    """
    import nbformat

    timeout = options.get("timeout")
    nb = None
    error: str | None = None
    for attempt in (1, 2):
        record["attempts"] = attempt
        t_wait = time.perf_counter()
        spare = _take_spare(options) if attempt == 1 else None
        slot: dict[str, Any] = spare["slot"] if spare else {"cell_started": False}
        slot.update(fork_socket=options.get("fork_socket"), notebook_path=job["notebook_path"])
        if spare is not None:  # waiting for the spare kernel (its warm-up) delays this report
            _stage(record, "spare_wait", time.perf_counter() - t_wait)
            if "warm_up" in slot:  # ran in the background, overlapping the previous report
                _stage(record, "warm_up", slot["warm_up"])
        scratch = runtime / f"{uuid.uuid4().hex[:12]}.ipynb"
        timed_out = threading.Event()
        record["prestarted_kernel"] = spare is not None
        try:
            error = _papermill_once(job, options, scratch, slot, timed_out, spare)
        finally:
            record["forked_kernel"] = bool(slot.get("forked"))
            if spare is not None:
                _dispose_spare(spare)
        if error is not None and error != "papermill":
            if not slot["cell_started"]:
                error = _with_kernel_log(error, slot.get("log"))
            if not slot["cell_started"] and not timed_out.is_set() and attempt == 1:
                scratch.unlink(missing_ok=True)
                continue  # one retry when the kernel did not start
        if scratch.exists():
            t_read = time.perf_counter()
            nb = nbformat.read(scratch, as_version=4)
            scratch.unlink(missing_ok=True)
            _stage(record, "read_notebook", time.perf_counter() - t_read)
        if "t_ready" in slot and "t_done" in slot:
            _stage(record, "kernel_start", slot["t_ready"] - slot["t_call"])
            _stage(record, "cells_and_papermill", slot["t_done"] - slot["t_ready"])
        if timed_out.is_set() and error is not None and timeout is not None:
            error = t("reporting.timeout", options.get("lang", "zh"), seconds=f"{float(timeout):g}")
        if error is not None and error != "papermill" and slot.get("cell_index") is not None:
            error = _one_line(f"{error} (while running cell #{slot['cell_index'] + 1})")
        elif error == "papermill":
            error = _error_summary(nb) or "notebook failed"
        break
    return nb, error


def _papermill_once(
    job: Mapping[str, Any],
    options: Mapping[str, Any],
    scratch: Path,
    slot: dict[str, Any],
    timed_out: threading.Event,
    spare: Mapping[str, Any] | None = None,
) -> str | None:
    """One papermill execution into ``scratch``, with the kernel killed at the timeout.

    Returns None, ``"papermill"`` (a cell raised: details are in the saved notebook) or a
    one-line error (the kernel died, did not start or was killed at the timeout).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    timeout = options.get("timeout")

    def on_timeout() -> None:
        timed_out.set()
        _kill(slot.get("pid"))

    def mark_started(cell=None, cell_index=None, **_):
        slot["cell_started"] = True
        slot["cell_index"] = cell_index

    def kernel_ready(notebook=None, **_):
        slot["t_ready"] = time.perf_counter()

    timer = threading.Timer(float(timeout), on_timeout) if timeout else None
    if timer:
        timer.daemon = True
        timer.start()
    slot["t_call"] = time.perf_counter()
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
            # a kernel started while the previous report was exported, or a new one
            **({"km": spare["km"]} if spare else {"kernel_manager_class": _kernel_manager_class(slot)}),
            extra_arguments=list(KERNEL_ARGUMENTS),
            resources={"metadata": {"path": str(options["base"])}},
            on_cell_start=mark_started,
            on_notebook_start=kernel_ready,
            # papermill would rewrite (and validate) the whole notebook before and after
            # every cell — ~1.5 s for a 30-cell report; write it once at the end instead
            request_save_on_cell_execute=False,
            # every output has arrived when the last cell is idle: kill, do not negotiate
            shutdown_kernel="immediate",
        )
        slot["t_done"] = time.perf_counter()
        return None
    except PapermillExecutionError:
        slot["t_done"] = time.perf_counter()
        return "papermill"
    except BaseException as exc:  # kernel died / failed to start / timeout
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        error = _one_line(f"{type(exc).__name__}: {exc}") or type(exc).__name__
        death = _kernel_death(slot.get("process")) if type(exc).__name__ == "DeadKernelError" else None
        if death:
            error = f"{type(exc).__name__}: {death}"
        # whatever the kernel started (subprocesses) must not outlive a dead or killed kernel
        _kill(slot.get("pid"))
        return error
    finally:
        if timer:
            timer.cancel()


def _publish(
    job: Mapping[str, Any], options: Mapping[str, Any], nb: Any, record: dict[str, Any], paths: _ReportPaths
) -> str | None:
    """Export the page and write notebook then page atomically; None when published, else the error."""
    import nbformat

    page_lang = str(job["parameters"].get("lang") or options.get("lang", "zh"))
    title = _title_of(nb, job["parameters"], job["notebook"], page_lang)
    t_export = time.perf_counter()
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
        return _one_line(f"HTML export failed: {type(exc).__name__}: {exc}")
    t_write = time.perf_counter()
    _stage(record, "export_html", t_write - t_export)
    target = paths.ipynb
    try:
        atomic_write_text(paths.ipynb, nbformat.writes(nb))
        target = paths.html
        atomic_write_bytes(paths.html, page.encode("utf-8"))
    except OSError as exc:  # disk full, quota, permissions: the report is not published
        return _write_error(paths.relative(target), exc)
    _stage(record, "write_files", time.perf_counter() - t_write)
    paths.failed.unlink(missing_ok=True)
    record.update(status="ok", html=paths.relative(paths.html), ipynb=paths.relative(paths.ipynb))
    record["kpis"] = kpi_bundle_figures(nb)  # the parent stores them (results.parquet)
    return None


def _publish_failure(
    job: Mapping[str, Any], nb: Any, record: dict[str, Any], paths: _ReportPaths, error: str | None
) -> None:
    """Publish no HTML (remove a stale one); keep the executed notebook for debugging."""
    import nbformat

    paths.html.unlink(missing_ok=True)
    paths.ipynb.unlink(missing_ok=True)
    record["error"] = public_text(error or "unknown failure", _input_dirs(job.get("parameters") or {}))
    if nb is None:
        return
    try:
        atomic_write_text(paths.failed, nbformat.writes(nb))
        record["ipynb"] = paths.relative(paths.failed)
    except OSError as exc:  # the failure itself is recorded; the debugging copy is optional
        paths.failed.unlink(missing_ok=True)
        note = _write_error(paths.relative(paths.failed), exc)
        record["error"] = _one_line(f"{record['error']}; {note}")


def _stage(record: dict[str, Any], name: str, seconds: float) -> None:
    """Add a stage's wall time to ``record["timings"]`` (seconds; see ``bench/bench_batch.py``)."""
    timings = record.setdefault("timings", {})
    timings[name] = round(timings.get(name, 0.0) + seconds, 3)


def _write_error(name: str, exc: OSError) -> str:
    """``"could not write overview/report.html: No space left on device (ENOSPC)"``."""
    code = errno.errorcode.get(exc.errno or 0)
    reason = exc.strerror or str(exc) or type(exc).__name__
    return _one_line(f"could not write {name}: {reason}" + (f" ({code})" if code else ""))
