"""Report kernels forked from a warm server (csworkbench.reporting.forkserver): what a kernel
started by jupyter_client must still do — answer, die with its stand-in client (and take what
its cells started with it), report how it ended, and come from its notebook's zygote."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked kernels are POSIX only")


@pytest.fixture
def server():
    from csworkbench.reporting.forkserver import start_server

    folder = Path(tempfile.mkdtemp(prefix="cswf", dir="/tmp"))  # Unix socket paths < 108 bytes
    process, path = start_server(folder, folder, [["json", []]])
    yield {"process": process, "socket": path, "folder": folder}
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


def _manager(socket_path: str, modules: list | None = None):
    from jupyter_client.manager import KernelManager

    from csworkbench.reporting.forkserver import client_command

    class ForkedKernelManager(KernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):  # what start_kernel calls
            return await super()._async_launch_kernel(client_command(kernel_cmd, socket_path, modules), **kw)

    km = ForkedKernelManager(kernel_name="python3")
    km.start_kernel(stderr=open(os.devnull, "wb"))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def _run(kc, code: str) -> str:
    out: list[str] = []
    kc.execute_interactive(
        code,
        timeout=60,
        output_hook=lambda m: out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None,
    )
    return "".join(out).strip()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait(condition, limit: float = 10.0) -> bool:
    end = time.time() + limit
    while time.time() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _stop(km, kc) -> None:
    kc.stop_channels()
    try:
        km.shutdown_kernel(now=True)
    except Exception:  # already dead: nothing to stop
        pass


def test_a_forked_kernel_dies_with_its_client_and_takes_what_its_cells_started(server):
    km, kc = _manager(server["socket"])
    try:
        client = km.provisioner.pid
        kernel, parent, child = map(
            int,
            _run(
                kc,
                "import os, subprocess, sys\n"
                "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
                "print(os.getpid(), os.getppid(), child.pid)",
            ).split(),
        )
        assert kernel != client and parent == server["process"].pid  # forked by the server
        os.killpg(client, signal.SIGKILL)  # what a timeout or a stopped run does to "the kernel"
        assert _wait(lambda: not _alive(kernel) and not _alive(child))
    finally:
        _stop(km, kc)


@pytest.mark.parametrize(("code", "returncode"), [("os.kill(os.getpid(), signal.SIGKILL)", -9), ("os._exit(3)", 3)])
def test_the_client_ends_as_its_kernel_ended(server, code, returncode):
    km, kc = _manager(server["socket"])
    try:
        process = km.provisioner.process
        kc.execute(f"import os, signal\n{code}")
        assert _wait(lambda: process.poll() is not None)
        assert process.returncode == returncode  # read by the worker as "killed by SIGKILL"
    finally:
        _stop(km, kc)


def test_kernels_of_one_notebook_come_from_its_zygote(server):
    modules = [["colorsys", []]]
    parents = []
    for _ in range(2):
        km, kc = _manager(server["socket"], modules)
        try:
            text = _run(
                kc,
                "import os, sys\nprint(os.getppid(), 'colorsys' in sys.modules, sorted(k for k in globals() if not k.startswith('_')))",
            )
            parent, loaded, names = text.split(" ", 2)
            parents.append(int(parent))
            assert loaded == "True" and "colorsys" not in names  # imported, but not into the namespace
        finally:
            _stop(km, kc)
    assert parents[0] == parents[1] != server["process"].pid  # one zygote, reused


def test_without_a_server_the_client_becomes_a_normal_kernel(tmp_path):
    km, kc = _manager(str(Path(tempfile.gettempdir()) / "csw-no-such-server.sock"))
    try:
        assert int(_run(kc, "import os\nprint(os.getpid())")) == km.provisioner.pid  # exec'd in place
    finally:
        _stop(km, kc)


def test_the_server_ends_when_its_parent_has_gone():
    import subprocess

    folder = Path(tempfile.mkdtemp(prefix="cswf", dir="/tmp"))
    try:
        code = (
            "import sys; from csworkbench.reporting.forkserver import start_server\n"
            f"process, _ = start_server({str(folder)!r}, {str(folder)!r}, [])\n"
            "print(process.pid, flush=True)"
        )
        pid = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        assert _wait(lambda: not _alive(pid))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_server_that_imports_plotly_and_the_theme_warms_them_for_its_kernels():
    """plotly loads graph-object classes and validators on first use; the server has made the
    workbench template and a figure of each trace type the package draws, so a report's first
    chart does not pay for that again — and the user's namespace gets nothing from it."""
    from csworkbench.reporting.forkserver import start_server

    folder = Path(tempfile.mkdtemp(prefix="cswf", dir="/tmp"))
    warm = [["plotly.graph_objects", []], ["plotly.io", []], ["csworkbench.plots", []]]
    process, path = start_server(folder, folder, warm)
    try:
        km, kc = _manager(path)
        try:
            text = _run(
                kc,
                "import sys, plotly.io as pio\n"
                "print('csworkbench' in pio.templates._templates, "
                "all(f'plotly.graph_objs._{t}' in sys.modules for t in ('scatter', 'bar', 'heatmap', 'funnel')), "
                "sorted(k for k in globals() if not k.startswith('_')))",
            )
            registered, loaded, names = text.split(" ", 2)
            assert registered == "True" and loaded == "True"
            assert names == "['In', 'Out', 'exit', 'get_ipython', 'open', 'pio', 'quit', 'sys']"  # IPython's and ours
        finally:
            _stop(km, kc)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def test_csw_report_starts_its_server_early_and_the_run_takes_it_over_only_if_it_fits(monkeypatch):
    """``csw report`` starts the server before it reads the run description; the run takes it
    over when the working folder and the kernels' BLAS threads are the run's, else it is
    stopped and its folder removed (the run starts its own)."""
    from csworkbench.reporting import forkserver

    monkeypatch.delenv("CSW_FORK_KERNELS", raising=False)
    threads = max(1, forkserver.available_cpus() // 2)
    forkserver.start_early(workers=2)
    early = forkserver.take_early(os.getcwd(), threads)
    try:
        assert early is not None and early["process"].poll() is None and os.path.exists(early["socket"])
        assert forkserver.take_early(os.getcwd(), threads) is None  # taken: nothing left
    finally:
        os.killpg(early["process"].pid, signal.SIGKILL)
        early["process"].wait(timeout=10)
        shutil.rmtree(early["folder"], ignore_errors=True)

    forkserver.start_early(workers=2)
    process, folder = forkserver._EARLY[0]["process"], forkserver._EARLY[0]["folder"]
    assert forkserver.take_early(os.getcwd(), threads + 1) is None  # another thread count: not this one
    assert process.poll() is not None and not folder.exists() and not forkserver._EARLY

    monkeypatch.setenv("CSW_FORK_KERNELS", "0")
    forkserver.start_early(workers=2)
    assert not forkserver._EARLY
