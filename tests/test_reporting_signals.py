"""Ctrl-C, SIGTERM, a killed parent and a killed worker during ``csw report``: clean stop, nothing
published after the run is gone, no half-written HTML, no stray kernels, no lock take-over while
any process of a killed run is alive."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.notebook,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs POSIX signals and /proc"),
]

NB_DIR = Path(__file__).resolve().parent / "data" / "notebooks"
CSW = Path(sys.executable).with_name("csw")


def _start(tmp_path: Path, sleeps, runtime_tmp: str) -> subprocess.Popen:
    run = tmp_path / "run.yml"
    run.write_text(
        json.dumps(
            {
                "notebooks_dir": str(NB_DIR),
                "output": "out",
                "run_id": "sig",
                "notebooks": [{"name": "tiny_report", "grid": {"sleep": list(sleeps)}}],
            }
        ),
        encoding="utf-8",
    )
    # a terminal's Ctrl-C reaches the whole process group; give the run its own group, with
    # SIGINT handled normally (background shells start children with SIGINT ignored)
    return subprocess.Popen(
        [str(CSW), "report", str(run), "--workers", "2", "--quiet", "--timeout", "120"],
        cwd=tmp_path,
        start_new_session=True,
        env=dict(os.environ, TMPDIR=runtime_tmp),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _processes() -> list[tuple[int, int, str]]:
    """(pid, ppid, command line) of every process, read from /proc (no procps needed)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue
        out.append((int(entry.name), ppid, args))
    return out


def _children(pid: int) -> list[int]:
    return [c for c, p, _ in _processes() if p == pid]


_FORK_SERVER = "csworkbench.reporting.forkserver"  # the run's fork server, its zygotes and forked kernels


def _kernels_running(tmp_marker: str) -> list[str]:
    """One entry per report kernel: a kernel started as ``ipykernel_launcher`` or the client
    that stands in for a forked one (``_fork_client.py``)."""
    kernels = ("ipykernel_launcher", "_fork_client.py")
    return [args for _, _, args in _processes() if tmp_marker in args and any(k in args for k in kernels)]


def _run_processes_left(tmp_marker: str) -> list[str]:
    """Kernels, kernel clients, the fork server, its zygotes and the kernels forked from them."""
    return _kernels_running(tmp_marker) + [a for _, _, a in _processes() if _FORK_SERVER in a and tmp_marker in a]


def _workers(pid: int) -> list[int]:
    """The run's worker processes (its children except the fork server)."""
    return [c for c, p, args in _processes() if p == pid and _FORK_SERVER not in args]


def _wait_for_kernels(proc, n: int, limit: float = 60) -> list[int]:
    """Worker pids once ``n`` kernels are running under them."""
    end = time.time() + limit
    while time.time() < end:
        workers = _workers(proc.pid)
        kernels = [k for w in workers for k in _children(w)]
        if len(kernels) >= n:
            return workers
        time.sleep(0.3)
    proc.kill()
    pytest.fail("kernels did not start")


@pytest.fixture
def runtime_tmp():
    """A short private TMPDIR for the run's kernels (Unix socket paths must stay < 108 bytes)."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="cswt", dir="/tmp" if Path("/tmp").is_dir() else None)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_ctrl_c_stops_cleanly(tmp_path, runtime_tmp):
    proc = _start(tmp_path, [30, 31, 32], runtime_tmp)
    workers = _wait_for_kernels(proc, 2)
    t0 = time.time()
    os.killpg(proc.pid, signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert time.time() - t0 < 20
    assert "Traceback" not in out and "interrupted" in out
    time.sleep(0.5)
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    assert not _run_processes_left(runtime_tmp)
    run_dir = tmp_path / "out" / "sig"
    assert not [p for p in run_dir.rglob("*.html") if p.name != "index.html"]
    assert not [p for p in run_dir.rglob("*") if p.name.endswith(".tmp")]
    status = json.loads((run_dir / "status.json").read_text(encoding="utf-8"))
    assert {r["status"] for r in status["reports"]} == {"interrupted"}
    assert status["state"] == "interrupted" and status["completed"] == [] and len(status["unfinished"]) == 3
    assert (run_dir / "index.html").is_file()


def test_killed_worker_leaves_no_half_written_html_and_the_run_recovers(tmp_path, runtime_tmp):
    proc = _start(tmp_path, [6, 7, 1], runtime_tmp)
    workers = _wait_for_kernels(proc, 2)
    os.kill(workers[0], signal.SIGKILL)  # e.g. the OOM killer
    out, _ = proc.communicate(timeout=180)
    run_dir = tmp_path / "out" / "sig"
    status = json.loads((run_dir / "status.json").read_text(encoding="utf-8"))
    # the reports interrupted by the broken pool ran again in a fresh pool
    assert [r["status"] for r in status["reports"]] == ["ok", "ok", "ok"], out
    assert proc.returncode == 0
    for r in status["reports"]:
        page = run_dir / r["html"]
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not [p for p in run_dir.rglob("*") if p.name.endswith(".tmp")]
    assert not _run_processes_left(runtime_tmp)


def _status(run_dir: Path) -> dict:
    try:
        return json.loads((run_dir / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def test_sigterm_to_the_parent_alone_stops_the_workers_and_writes_status_and_index(tmp_path, runtime_tmp):
    proc = _start(tmp_path, [0, 30, 31], runtime_tmp)
    run_dir = tmp_path / "out" / "sig"
    end = time.time() + 90
    while time.time() < end:  # the quick report has finished, the two slow ones are running
        done = [r for r in _status(run_dir).get("reports", []) if r.get("status") == "ok"]
        if done and len(_kernels_running(runtime_tmp)) >= 2:
            break
        time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("the first report did not finish")
    workers = _workers(proc.pid)
    t0 = time.time()
    os.kill(proc.pid, signal.SIGTERM)  # the parent only, as a service manager or `kill` does
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 143, out
    assert time.time() - t0 < 20 and "Traceback" not in out and "SIGTERM" in out
    time.sleep(0.5)
    assert all(_gone(pid) for pid in workers) and not _run_processes_left(runtime_tmp)
    status = _status(run_dir)
    assert status["state"] == "interrupted"
    slugs = [f"tiny_report/{r['slug']}" for r in status["reports"]]
    assert status["completed"] == slugs[:1] and status["unfinished"] == slugs[1:]
    assert [r["status"] for r in status["reports"]] == ["ok", "interrupted", "interrupted"]
    first = status["reports"][0]["html"]
    assert sorted(str(p.relative_to(run_dir)) for p in run_dir.rglob("*.html")) == sorted(["index.html", first])
    assert first in (run_dir / "index.html").read_text(encoding="utf-8")
    assert not (run_dir / ".csw-run.lock").exists()


def test_killed_parent_publishes_nothing_and_its_lock_waits_for_its_workers(tmp_path, runtime_tmp):
    from csworkbench.errors import CSWWarning
    from csworkbench.reporting.files import RunLock, RunLockedError

    proc = _start(tmp_path, [20, 21], runtime_tmp)
    workers = [w for w in _wait_for_kernels(proc, 2) if _children(w)]  # not multiprocessing's helper
    run_dir = tmp_path / "out" / "sig"
    holder = json.loads((run_dir / ".csw-run.lock").read_text(encoding="utf-8"))
    assert {m["pid"] for m in holder["processes"]} == set(workers) and holder["token"] and holder["runtime"]
    for pid in workers:  # hold the workers still, so that they are certainly alive below
        os.kill(pid, signal.SIGSTOP)
    try:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        with pytest.raises(RunLockedError, match="still running") as info:
            RunLock(run_dir).acquire()
        assert all(str(pid) in str(info.value) for pid in workers)
    finally:
        for pid in workers:
            os.kill(pid, signal.SIGCONT)
    end = time.time() + 20  # the workers notice their parent is gone, kill their kernels and end
    while time.time() < end and (not all(_gone(p) for p in workers) or _run_processes_left(runtime_tmp)):
        time.sleep(0.2)
    assert all(_gone(p) for p in workers) and not _run_processes_left(runtime_tmp)
    assert not [p for p in run_dir.rglob("*.html")]
    with pytest.warns(CSWWarning, match="no longer running"):
        RunLock(run_dir).acquire().release()
