"""Report kernels forked from a warm process (内核派生): start-up without the imports.

A report kernel that starts as a new interpreter spends about 1.6 s of CPU before its first
cell: the interpreter, ipykernel, and the libraries every report imports (NumPy, pandas,
plotly, great-tables, the display layer).  On the 2-core machine the reports share, that is a
fifth of a report's CPU.  A **fork server** pays it once per worker: it imports those modules,
waits on a Unix socket, and forks one child per report kernel, which then becomes an ordinary
ipykernel with the connection file, arguments, environment and working folder it was asked
for.  Each child serves exactly one report and is killed after it, like any report kernel
(isolation stays: a report never sees another report's namespace).

jupyter_client still launches and watches a process of its own: ``_fork_client.py``, a
standard-library script run with ``python -I -S`` (about 10 ms).  It hands its stdin, stdout
and stderr and the kernel's arguments to the server, then stands in for the kernel:

* signals sent to it (interrupt, terminate) are passed on to the kernel;
* when the kernel ends, the server tells the client its exit status and the client ends the
  same way (killed by SIGKILL → killed by SIGKILL), so a dead kernel reads as before;
* when the client is killed (timeout, run stopped), the kernel — which holds the other end of
  the client's connection — sees it close and kills its own process group, so whatever a cell
  started dies too;
* when the server cannot be reached, the client becomes a normal kernel
  (``python -m ipykernel_launcher``).

The server imports nothing a report would not import itself (``WARM_IMPORTS`` and the imports
every notebook of the run shares, as the pre-started kernels did before), re-seeds NumPy's
global generator in each child (as a fresh interpreter would be seeded) and ends when the
worker that started it is gone.  POSIX only; elsewhere kernels start the usual way.

Run by :mod:`csworkbench.reporting.worker`::

    python -m csworkbench.reporting.forkserver SOCKET PARENT_PID WARM_JSON
"""

from __future__ import annotations

import importlib
import json
import os
import selectors
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

__all__ = [
    "CLIENT_SCRIPT",
    "WARM_IMPORTS",
    "client_command",
    "kernel_environment",
    "main",
    "notebook_imports",
    "start_server",
    "warm_up_modules",
]

#: The stand-in process jupyter_client launches (standard library only).
CLIENT_SCRIPT = Path(__file__).with_name("_fork_client.py")
_HEADER = 8  # bytes of the request's length prefix
_POLL_S = 0.5  # how often the server checks that its parent is still there
_BIND_TIMEOUT_S = 20.0  # how long start_server waits for the socket


def client_command(kernel_cmd: list[str], socket_path: str, modules: list[Any] | None = None) -> list[str] | None:
    """The command that gets ``kernel_cmd`` forked by the server at ``socket_path`` — from the
    zygote that has imported ``modules`` (a notebook's imports) when given; ``None`` when
    ``kernel_cmd`` is not an ipykernel of this interpreter (that kernel starts as usual).

    >>> import sys
    >>> client_command([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"], "/tmp/s")[-4:]
    ['/tmp/s', '[]', '-f', 'k.json']
    >>> client_command(["/opt/other/python", "-m", "ipykernel_launcher", "-f", "k.json"], "/tmp/s") is None
    True
    """
    if len(kernel_cmd) < 3 or kernel_cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    try:
        same = os.path.samefile(kernel_cmd[0], sys.executable)
    except OSError:
        same = False
    if not same:
        return None
    return [
        sys.executable,
        "-I",
        "-S",
        str(CLIENT_SCRIPT),
        socket_path,
        json.dumps(list(modules or [])),
        *kernel_cmd[3:],
    ]


def kernel_environment(env: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """``env`` with what every report kernel runs under: ``PLOTLY_RENDERER=plotly_mimetype``
    (``fig.show()`` stores figure JSON that the export renders with the run's own plotly.js; a
    user's ``browser``/``cdn`` must not leak into reports) and pydevd's file validation off
    unless the user set it.  Changes and returns ``env``.

    >>> kernel_environment({"PLOTLY_RENDERER": "browser"})["PLOTLY_RENDERER"]
    'plotly_mimetype'
    """
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env["PLOTLY_RENDERER"] = "plotly_mimetype"
    return env


def start_server(
    folder: str | os.PathLike[str], base: str | os.PathLike[str], warm: list[Any], env: dict[str, str] | None = None
) -> tuple[Any, str] | None:
    """Start a run's fork server (socket and log in ``folder``; kernels' default folder
    ``base``; ``warm``: ``(module, names)`` pairs to import first; ``env``: variables the
    kernels get that libraries read when imported, e.g. their thread limits).  Returns ``(process,
    socket path)``, or ``None`` where kernels cannot be forked (not POSIX).  The server ends
    when this process has gone; stop it earlier with ``os.killpg(process.pid, SIGKILL)``.
    """
    import subprocess

    if not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
        return None
    folder = Path(folder)
    path = folder / "fork.sock"
    path.unlink(missing_ok=True)  # left by an earlier server in this folder
    # what the report kernels get (the workers set the same): read by plotly.io and pydevd
    # when the server imports them, so the server must import them under the same values
    child_env = dict(kernel_environment(dict(os.environ, **(env or {}))))
    with open(folder / "forkserver.log", "ab") as log:
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(path), str(os.getpid()), json.dumps(list(warm))],
                cwd=str(base),
                env=child_env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # Ctrl-C is the run's to handle
            )
        except OSError:
            return None
    import time

    deadline = time.monotonic() + _BIND_TIMEOUT_S  # it binds first thing: then clients may connect
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            return None
        time.sleep(0.01)
    return process, str(path)


#: Imported in every pre-started kernel before its report is assigned (besides the import
#: statements that every notebook of the run shares, :func:`warm_up_modules`): heavy libraries
#: that every analysis notebook loads (nbformat: plotly's first ``fig.show()``).  Only modules
#: the report would import anyway: importing others can change its numbers (importing
#: csworkbench.complaints.evaluation — scikit-learn's compiled modules — moved a CLV tracking
#: figure of customer_tiers by one unit in the last place).
WARM_IMPORTS: tuple[str, ...] = (
    "numpy",
    "pandas",
    "plotly.graph_objects",
    "plotly.io",
    "nbformat",
    "great_tables",
    "IPython.display",
    "csworkbench.reporting.display",
    "csworkbench.plots",
)


#: The thread pools of BLAS and OpenMP libraries, set for the report kernels (a user's own
#: setting wins).
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def kernel_thread_limits(threads: int | None) -> dict[str, str]:
    """Environment variables that give each report kernel ``threads`` BLAS/OpenMP threads
    (nothing for ``None``; a variable the user has set is kept).

    Parallel report kernels each starting one BLAS thread per core oversubscribe the machine:
    on 2 cores with 2 workers, the complaint classifier's cell took 2.4 s instead of 0.95 s.
    So, as joblib's loky does for its workers, each kernel gets cores ÷ workers threads.

    >>> kernel_thread_limits(1)["OPENBLAS_NUM_THREADS"] if "OPENBLAS_NUM_THREADS" not in os.environ else "1"
    '1'
    """
    if not threads:
        return {}
    return {name: str(int(threads)) for name in THREAD_VARIABLES if name not in os.environ}


def kernel_threads(workers: int | None, reports: int | None = None) -> int:
    """BLAS/OpenMP threads per report kernel: the cores shared out among the kernels that run at
    once (``workers``, default one per core, fewer when the run has fewer ``reports``).

    >>> kernel_threads(workers=1) == available_cpus()
    True
    """
    cpus = available_cpus()
    parallel = workers or cpus
    if reports is not None:
        parallel = min(parallel, max(1, reports))
    return max(1, cpus // parallel)


def available_cpus() -> int:
    """CPU cores this process may use (respects affinity / container limits where visible)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def short_tmp() -> str | None:
    """The temp folder, or ``/tmp`` when that is long: IPC socket paths must stay under 108 bytes."""
    tmp = tempfile.gettempdir()
    if len(tmp) > 40 and os.name == "posix" and os.path.isdir("/tmp"):
        return "/tmp"
    return None


#: The fork server ``csw report`` started before reading its run description (see
#: :func:`start_early`); taken over by the run (:func:`take_early`) or discarded.
_EARLY: list[dict[str, Any]] = []


def start_early(workers: int | None = None) -> None:
    """Start a run's fork server first thing, before the run description is read.

    ``csw report`` reads its run description (papermill, 0.4 s) while the server imports (0.8 s)
    on another core; the run takes the server over (:func:`take_early`) when it has the
    settings the run would have given it — working folder, and each kernel's BLAS threads
    (cores ÷ workers; a run with fewer reports than workers gives them more and starts its own
    server).  Nothing happens with ``CSW_FORK_KERNELS=0`` or where kernels cannot be forked.
    """
    if os.environ.get("CSW_FORK_KERNELS", "1").strip() == "0":
        return
    discard_early()
    folder = Path(tempfile.mkdtemp(prefix="csw-", dir=short_tmp()))
    threads = kernel_threads(workers)  # as many reports as workers: the run checks (take_early)
    started = start_server(folder, os.getcwd(), warm_up_modules([]), kernel_thread_limits(threads))
    if started is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    _EARLY.append(
        {"process": started[0], "socket": started[1], "folder": folder, "base": os.getcwd(), "threads": threads}
    )


def take_early(base: str, threads: int) -> dict[str, Any] | None:
    """The early server (``process, socket, folder``) if it was started for ``base`` with
    ``threads`` BLAS threads per kernel; otherwise it is stopped and None returned."""
    if not _EARLY:
        return None
    early = _EARLY.pop()
    if early["base"] == str(base) and early["threads"] == threads and early["process"].poll() is None:
        return early
    _EARLY.append(early)
    discard_early()
    return None


def discard_early() -> None:
    """Stop an early server nobody took over (e.g. the run folder was locked) and remove its folder."""
    while _EARLY:
        early = _EARLY.pop()
        try:
            os.killpg(early["process"].pid, signal.SIGKILL)
        except OSError:
            pass
        early["process"].wait()
        shutil.rmtree(early["folder"], ignore_errors=True)


def warm_up_modules(notebook_paths: Any) -> list[tuple[str, tuple[str, ...]]]:
    """What a pre-started kernel imports: :data:`WARM_IMPORTS` plus the top-level ``import``
    statements that *every* given notebook has in its code cells (``from X import a`` →
    ``("X", ("a",))``: X, and X.a when ``a`` is a submodule).  The worker does not know which
    report comes next, so a module only some notebooks import is left to them.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> cell = {"cell_type": "code", "source": "import yaml\\nfrom html import escape", "metadata": {}}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "nb.ipynb"
    >>> _ = path.write_text(json.dumps({"cells": [cell]}))
    >>> warm_up_modules([path])[-2:]
    [('yaml', ()), ('html', ('escape',))]
    """
    import ast
    import json

    shared: dict[tuple[str, tuple[str, ...]], None] | None = None
    for path in dict.fromkeys(str(p) for p in notebook_paths):
        found: dict[tuple[str, tuple[str, ...]], None] = {}
        try:
            cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            cells = []  # the report itself says what is wrong with its notebook
        for cell in cells:
            source = cell.get("source", "")
            try:
                tree = ast.parse(source if isinstance(source, str) else "".join(source))
            except SyntaxError:
                continue  # magics (%…) and the like: nothing to warm there
            for node in tree.body:
                if isinstance(node, ast.Import):
                    found.update({(alias.name, ()): None for alias in node.names})
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module != "__future__":
                    found[(str(node.module), tuple(a.name for a in node.names if a.name != "*"))] = None
        shared = found if shared is None else {key: None for key in shared if key in found}
    base: list[tuple[str, tuple[str, ...]]] = [(name, ()) for name in WARM_IMPORTS]
    return list(dict.fromkeys([*base, *(shared or {})]))


def notebook_imports(path: str | os.PathLike[str]) -> list[tuple[str, tuple[str, ...]]]:
    r"""What a notebook's zygote imports: the notebook's top-level imports
    (:func:`warm_up_modules`) and the attributes its code reads
    from them (``tiers.rfm`` after ``from csworkbench import tiers`` → ``("csworkbench",
    ("tiers.rfm",))``), which loads what lazy packages import only on first use (scikit-learn
    behind ``tiers.rfm``: 0.6 s of the cell that calls it).

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> code = "import numpy as np\nfrom csworkbench import tiers as t\nx = t.rfm(np.zeros(2))"
    >>> nb = pathlib.Path(tempfile.mkdtemp()) / "nb.ipynb"
    >>> _ = nb.write_text(json.dumps({"cells": [{"cell_type": "code", "source": code, "metadata": {}}]}))
    >>> notebook_imports(nb)[-2:]
    [('csworkbench', ('tiers.rfm',)), ('numpy', ('zeros',))]
    """
    import ast

    found = list(warm_up_modules([path]))
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return found
    trees = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            trees.append(ast.parse(source if isinstance(source, str) else "".join(source)))
        except SyntaxError:
            continue
    aliases: dict[str, tuple[str, str]] = {}  # name in the notebook -> (module, dotted attribute)
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        aliases[alias.asname] = (alias.name, "")
                    elif "." not in alias.name:
                        aliases[alias.name] = (alias.name, "")
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    aliases[alias.asname or alias.name] = (node.module, alias.name)
    used: dict[tuple[str, str], None] = {}
    for tree in trees:
        for item in ast.walk(tree):
            if isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name) and item.value.id in aliases:
                module, attribute = aliases[item.value.id]
                used[(module, f"{attribute}.{item.attr}" if attribute else item.attr)] = None
    by_module: dict[str, list[str]] = {}
    for module, attribute in used:
        by_module.setdefault(module, []).append(attribute)
    return found + [(module, tuple(names)) for module, names in by_module.items()]


def _import_all(modules: list[Any]) -> None:
    """Import ``(module, names)`` pairs; a name is a submodule or a dotted attribute path
    (reading it loads what a lazy package imports on first use).  What fails is left to the
    report, whose own import or call then says what is wrong."""
    for module, names in modules:
        try:
            loaded = importlib.import_module(module)
        except Exception:
            continue
        for name in names:
            try:
                target: Any = loaded
                for part in name.split("."):
                    target = getattr(target, part)
            except AttributeError:
                try:
                    importlib.import_module(f"{module}.{name}")
                except Exception:
                    continue
            except Exception:
                continue


def _warm_plotly() -> None:
    """Build the workbench's plotly template and one figure of each trace type the package
    draws, once, here: plotly loads its graph-object classes and validators on first use, and
    every report kernel paid for that in its first chart (0.25 s of 0.29 s in overview's)."""
    plots, go = sys.modules.get("csworkbench.plots"), sys.modules.get("plotly.graph_objects")
    if plots is None or go is None:
        return
    try:
        template = plots.figure_template()
        traces = [go.Scatter(x=[0], y=[0]), go.Bar(x=[0], y=[0]), go.Heatmap(z=[[0]]), go.Funnel(x=[0], y=["a"])]
        go.Figure(traces, layout={"template": template, "title": {"text": "a"}}).to_plotly_json()
    except Exception:  # a warm-up only: the report makes its charts itself and says what fails
        return


def _read_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The client's request (length-prefixed JSON) and the three file descriptors it sent."""
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    while len(data) < _HEADER:
        chunk = conn.recv(1 << 16)
        if not chunk:
            raise OSError("the client closed the connection")
        data += chunk
    size = int.from_bytes(data[:_HEADER], "big")
    body = data[_HEADER:]
    while len(body) < size:
        chunk = conn.recv(1 << 16)
        if not chunk:
            raise OSError("the client closed the connection")
        body += chunk
    return json.loads(body[:size].decode("utf-8")), list(fds)


def _send(conn: socket.socket, message: dict[str, Any]) -> None:
    try:
        conn.sendall((json.dumps(message) + "\n").encode("ascii"))
    except OSError:
        pass  # the client is gone: nobody to tell


class _Server:
    """The accept loop of the server or of a zygote (a child that has imported one notebook's
    modules and forks that notebook's kernels)."""

    def __init__(self, listener: socket.socket, parent: int) -> None:
        self.listener, self.parent = listener, parent
        self.children: dict[int, socket.socket] = {}  # kernel pid -> its client's connection
        self.zygotes: dict[str, str] = {}  # notebook imports -> the zygote's socket
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_r.setblocking(False)
        self.wake_w.setblocking(False)

    def _fork(self) -> int:
        """Fork; in the child, drop this loop's state (sockets, signal wake-up)."""
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            for other in (self.listener, self.wake_r, self.wake_w, *self.children.values()):
                other.close()
        return pid

    def _zygote(self, modules: list[Any]) -> tuple[str, Any] | str:
        """The socket of the zygote for ``modules`` (started now if need be); in the new
        zygote itself, ``("zygote", (listener, modules))``."""
        key = json.dumps(modules)
        if key in self.zygotes and os.path.exists(self.zygotes[key]):
            return self.zygotes[key]
        path = f"{self.listener.getsockname()}-z{len(self.zygotes) + 1}"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)  # before the fork: the client may connect at once (and wait)
        listener.listen(64)
        if self._fork() == 0:
            return "zygote", (listener, modules)
        listener.close()
        self.zygotes[key] = path
        return path

    def _reap(self) -> None:
        """Tell each client whose kernel has ended how it ended."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            ended = self.children.pop(pid, None)
            if ended is not None:
                _send(ended, {"exit": status})
                ended.close()

    def _handle(self, conn: socket.socket) -> tuple[str, Any] | None:
        """One request: a redirect to a zygote, or a forked kernel (in the child: its role)."""
        try:
            request, fds = _read_request(conn)
        except (OSError, ValueError):
            conn.close()
            return None
        modules = request.get("modules") or []
        if modules:
            zygote = self._zygote(modules)
            if not isinstance(zygote, str):  # this is the new zygote: the client is the server's
                conn.close()
                for fd in fds:
                    os.close(fd)
                return zygote
            for fd in fds:
                os.close(fd)
            _send(conn, {"zygote" if request.get("prestart") else "redirect": zygote})
            conn.close()
            return None
        pid = self._fork()
        if pid == 0:
            return "kernel", (conn, request, fds)
        for fd in fds:
            os.close(fd)
        self.children[pid] = conn
        _send(conn, {"pid": pid})
        return None

    def serve(self) -> tuple[str, Any]:
        """Accept requests until the parent has gone; returns only in a forked child."""
        signal.set_wakeup_fd(self.wake_w.fileno())
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ)
        selector.register(self.wake_r, selectors.EVENT_READ)
        while True:
            events = selector.select(timeout=_POLL_S)
            if os.getppid() != self.parent:  # the run (or the server) is gone
                os._exit(0)
            for key, _ in events:
                if key.fileobj is self.wake_r:
                    try:
                        self.wake_r.recv(4096)
                    except BlockingIOError:
                        pass
                    continue
                conn, _addr = self.listener.accept()
                role = self._handle(conn)
                if role is not None:
                    selector.close()
                    return role
            self._reap()


def prestart_zygotes(socket_path: str, module_lists: list[list[Any]]) -> None:
    """Ask the server at ``socket_path`` to build the zygotes for ``module_lists`` (each a
    notebook's :func:`notebook_imports`) as soon as it is ready, without waiting for a worker
    to ask for a kernel: the run's first reports then find their zygotes importing while the
    workers start.  Does not wait for them; a server that has gone is not an error."""
    for modules in module_lists:
        body = json.dumps({"modules": modules, "prestart": True}).encode("utf-8")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.connect(socket_path)
                sock.sendall(len(body).to_bytes(_HEADER, "big") + body)
        except OSError:
            return


def _watch_client(conn: socket.socket) -> None:
    """In the kernel: end the kernel's whole process group when its client has gone."""
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass
    os.killpg(0, signal.SIGKILL)


def _become_kernel(conn: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: take the client's stdio, folder and environment; run ipykernel."""
    import threading

    os.setsid()  # a process group of its own: killing it also ends what the cells started
    for target, fd in zip((0, 1, 2), fds):
        os.dup2(fd, target)
        os.close(fd)
    cwd = str(request.get("cwd") or os.getcwd())
    if sys.path and sys.path[0] == os.getcwd():  # python -m put the server's folder first
        sys.path[0] = cwd
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in (request.get("env") or {}).items()})
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    numpy = sys.modules.get("numpy")
    if numpy is not None:  # a fresh interpreter seeds the legacy global generator from the OS
        numpy.random.seed()
    threading.Thread(target=_watch_client, args=(conn,), name="csw-client-watch", daemon=True).start()
    # ipykernel read JPY_PARENT_PID when the server imported it (unset there): say it again
    parent = f"--IPKernelApp.parent_handle={os.getppid()}"
    sys.argv = ["ipykernel_launcher", *[str(a) for a in request.get("argv") or []], parent]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def main(argv: list[str] | None = None) -> None:
    """``SOCKET PARENT_PID WARM_JSON``: serve until the parent has gone."""
    socket_path, parent, warm = (argv if argv is not None else sys.argv[1:])[:3]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)  # before the imports: clients may connect (and wait) at once
    listener.listen(64)
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # as the kernels' exec_lines do
    import ipykernel.debugger  # noqa: F401  (the kernel's own lazy imports: debugpy 0.2 s per kernel)
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401

    _import_all(json.loads(warm))
    i18n = sys.modules.get("csworkbench.i18n")
    if i18n is not None:  # every report reads the label catalogue: parse it once, here
        i18n.load_catalog()
    _warm_plotly()
    role, detail = _Server(listener, int(parent)).serve()
    while role == "zygote":  # a notebook's zygote: import its modules, then fork its kernels
        listener, modules = detail
        _import_all(modules)
        role, detail = _Server(listener, os.getppid()).serve()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    _become_kernel(*detail)


if __name__ == "__main__":  # pragma: no cover - runs as the run's fork server
    main()
