"""Fault injection in batch report runs (issue #10, part 3): whatever breaks, the run tells the truth.

Faults, each with its own tiny notebook written into the test's folder:

1. a kernel killed mid-run (the cell sends SIGKILL to its own kernel, after starting a child);
2. a notebook that hangs past the per-report timeout (and has a child process hanging too);
3. a full output folder: ``ENOSPC`` on the atomic write of one report's HTML (and, in a second
   run, on ``status.json``);
4. a corrupt input file in one grid cell (a CSV holding binary data, an ``.xlsx`` that is no zip);
5. two ``csw report`` runs at once on the same run folder (the second is refused; a stale lock
   left by a dead run is taken over with a warning).

Faults 1–4 run together in one ``csw report`` process (two workers) next to reports that must
succeed; each test checks its own fault and, through :func:`_check_run`, the invariants that
hold in every case: the other reports are complete pages, nothing is half-written (no ``.tmp``,
no page for a failed report, no stale page from an earlier run), status.json and index.html say
exactly what happened, and the exit status says failure.

Disk full is simulated without touching production code: the run's processes get a
``sitecustomize`` module (on ``PYTHONPATH``, in the test's folder) that makes ``os.fsync`` fail
with ``ENOSPC`` for files whose name contains ``$CSW_FAULT_ENOSPC``.  The atomic writer fsyncs
before it renames, which is where a real full disk reports itself at the latest.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import warnings
from html import escape
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from csworkbench.errors import CSWWarning, DataError
from csworkbench.io import read_table
from csworkbench.reporting import files as filesmod
from csworkbench.reporting.cli import EXIT_LOCKED, main
from csworkbench.reporting.files import LOCK_FILE, RunLock, RunLockedError
from csworkbench.reporting.worker import _one_line

pytestmark = [
    pytest.mark.notebook,
    pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="fault hooks need Linux /proc"),
]

CSW = Path(sys.executable).with_name("csw")
TIMEOUT = 12  # seconds per report: long enough for a good report on a busy machine, short for a hang

HOOK = '''\
"""Test-only fault injection: os.fsync fails with ENOSPC for files named like $CSW_FAULT_ENOSPC."""
import errno
import os

_MATCH = os.environ.get("CSW_FAULT_ENOSPC")
if _MATCH:
    _fsync = os.fsync

    def fsync(fd):
        try:
            target = os.readlink(f"/proc/self/fd/{fd if isinstance(fd, int) else fd.fileno()}")
        except OSError:
            target = ""
        if _MATCH in os.path.basename(target):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return _fsync(fd)

    os.fsync = fsync
'''


# --------------------------------------------------------------------------- helpers


def _notebook(folder: Path, name: str, parameters: str, *cells: str) -> None:
    """A report notebook: a heading, the ``parameters`` cell, then one code cell per string."""
    nb = new_notebook(
        cells=[
            new_markdown_cell(f"# {name}"),
            new_code_cell(f'lang = "zh"\ntitle = ""\n{parameters}'.rstrip(), metadata={"tags": ["parameters"]}),
            *[new_code_cell(c) for c in cells],
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


def _processes_with(marker: str) -> list[int]:
    """Pids of live processes whose command line contains ``marker`` (read from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker in args and state != "Z":
            out.append(int(entry.name))
    return out


def _kill_marked(marker: str) -> None:
    for pid in _processes_with(marker):  # only children of this test's notebooks carry the marker
        try:
            os.kill(pid, 9)
        except OSError:
            pass


def _csw(folder: Path, run: Path, *, workers: int = 2, env: dict | None = None, wait: bool = True):
    cmd = [str(CSW), "report", str(run), "--workers", str(workers), "--quiet", "--timeout", str(TIMEOUT)]
    env = dict(os.environ, **(env or {}))
    if wait:
        return subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    return subprocess.Popen(cmd, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _write_run(folder: Path, run_id: str, notebooks: list) -> Path:
    run = folder / f"{run_id}.yml"
    desc = {
        "notebooks_dir": "nbs",
        "output": "out",
        "run_id": run_id,
        "parameters": {"lang": "zh"},
        "notebooks": notebooks,
    }
    run.write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    return run


def _hook_env(folder: Path, match: str) -> dict:
    hook = folder / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    path = os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, "CSW_FAULT_ENOSPC": match}


def _record(run: dict, notebook: str, slug: str) -> dict:
    matches = [r for r in run["status"]["reports"] if r["notebook"] == notebook and r["slug"] == slug]
    assert len(matches) == 1, [(r["notebook"], r["slug"]) for r in run["status"]["reports"]]
    return matches[0]


def _check_run(run: dict) -> None:
    """What must hold after any fault: complete pages, nothing half-written, a truthful status."""
    run_dir: Path = run["run_dir"]
    status = run["status"]
    records = status["reports"]
    n_ok = sum(r["status"] == "ok" for r in records)
    n_failed = sum(r["status"] == "failed" for r in records)
    assert n_ok + n_failed == len(records) and status["finished"]
    assert run["code"] == (1 if n_failed else 0), run["stderr"]
    assert "Traceback" not in run["stdout"] + run["stderr"]
    published = set()
    for r in records:
        page = run_dir / r["notebook"] / f"{r['slug']}.html"
        if r["status"] == "ok":
            assert r["error"] is None and r["html"] == f"{r['notebook']}/{r['slug']}.html"
            text = page.read_text(encoding="utf-8")
            assert text.rstrip().endswith("</html>") and "Plotly.newPlot" in text  # a whole page, chart included
            assert (run_dir / r["ipynb"]).is_file()
            published.add(page)
        else:
            assert r["html"] is None and not page.exists()  # no page, not even a stale one
            assert not (run_dir / r["notebook"] / f"{r['slug']}.ipynb").exists()
            assert r["error"] and "\n" not in r["error"] and "Traceback" not in r["error"]
            assert f"FAILED {r['notebook']} [{r['slug']}]: {r['error']}" in run["stderr"]
    on_disk = {p for p in run_dir.rglob("*.html") if p.name != "index.html"}
    assert on_disk == published
    assert not [p for p in run_dir.rglob("*") if p.name.endswith(".tmp")]
    assert not (run_dir / LOCK_FILE).exists()
    # index.html agrees with status.json: a link per published page, the error of each failure
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    assert f"共 {len(records)} 份报告：成功 {n_ok} 份，失败 {n_failed} 份" in index
    assert len(re.findall(r'href="[^"#]+/[^"]+\.html"', index)) == n_ok
    for r in records:
        if r["status"] == "ok":
            assert f'href="{r["html"]}"' in index
        else:
            assert escape(r["error"], quote=False) in index or escape(r["error"]) in index


# --------------------------------------------------------------------------- faults 1–4 in one run


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    marker = f"csw-fault-child-{folder.name}-{os.getpid()}"
    child = f'[sys.executable, "-c", "import time; time.sleep(300)", "{marker}"]'
    nbs = folder / "nbs"
    chart = 'fig = go.Figure(go.Bar(x=["a", "b"], y=[3, 5]))\nfig.show()'
    _notebook(nbs, "good", "", "import plotly.graph_objects as go", chart)
    _notebook(
        nbs,
        "killer",
        "kill = False",
        "import os, signal, subprocess, sys\nimport plotly.graph_objects as go",
        f"if kill:\n    child = subprocess.Popen({child})\n    os.kill(os.getpid(), signal.SIGKILL)",
        chart,
    )
    _notebook(
        nbs,
        "hang",
        "seconds = 0.0",
        "import subprocess, sys, time\nimport plotly.graph_objects as go",
        f"if seconds:\n    child = subprocess.Popen({child})\ntime.sleep(seconds)",
        chart,
    )
    _notebook(
        nbs,
        "reader",
        'data_path = ""',
        "from csworkbench.io import read_table\nimport plotly.graph_objects as go",
        "frame = read_table(data_path)",
        "fig = go.Figure(go.Bar(x=list(frame.columns), y=[1] * frame.shape[1]))\nfig.show()",
    )
    _notebook(nbs, "publish", "", "import plotly.graph_objects as go", chart)
    (folder / "good.csv").write_text("customer_id,date,amount\n1,2026-01-01,3\n2,2026-01-02,4\n", encoding="utf-8")
    (folder / "bad.csv").write_bytes(b"customer_id,date,amount\n1,\x00\x00\xff\xfe,3\n" * 20)
    (folder / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a workbook" + bytes(range(256)))
    run = _write_run(
        folder,
        "faults",
        [
            "good",
            {"name": "killer", "parameters": {"kill": True}},
            {"name": "hang", "parameters": {"seconds": 300.0}},
            {"name": "reader", "grid": {"data_path": ["good.csv", "bad.csv", "bad.xlsx"]}},
            {"name": "publish", "grid": {"lang": ["zh", "en"]}},
        ],
    )
    run_dir = folder / "out" / "faults"
    # left from an earlier run: the page of the report whose write will fail, and a temp file
    (run_dir / "publish").mkdir(parents=True)
    (run_dir / "publish" / "lang-zh.html").write_text("<html>earlier run</html>", encoding="utf-8")
    (run_dir / "publish" / ".lang-zh.html.abc123.tmp").write_text("<html>half", encoding="utf-8")
    t0 = time.perf_counter()
    try:
        proc = _csw(folder, run, env=_hook_env(folder, ".lang-zh.html."))
        elapsed = time.perf_counter() - t0
        time.sleep(0.5)
        orphans = _processes_with(marker)
    finally:
        _kill_marked(marker)
    status = json.loads((run_dir / "status.json").read_text(encoding="utf-8"))
    return {
        "folder": folder,
        "run_dir": run_dir,
        "code": proc.returncode,
        "stdout": proc.stdout,
        "stderr": proc.stderr,
        "status": status,
        "elapsed": elapsed,
        "orphans": orphans,
    }


def test_other_reports_complete_beside_every_fault(faulty_run):
    _check_run(faulty_run)
    statuses = {
        (r["notebook"], r["parameters"].get("data_path") or r["slug"]): r["status"]
        for r in faulty_run["status"]["reports"]
    }
    assert statuses == {
        ("good", "report"): "ok",
        ("killer", "report"): "failed",
        ("hang", "report"): "failed",
        ("reader", "good.csv"): "ok",
        ("reader", "bad.csv"): "failed",
        ("reader", "bad.xlsx"): "failed",
        ("publish", "lang-zh"): "failed",
        ("publish", "lang-en"): "ok",
    }
    assert "8 reports: 3 OK, 5 failed" in faulty_run["stdout"]


def test_kernel_killed_mid_run(faulty_run):
    _check_run(faulty_run)
    rec = _record(faulty_run, "killer", "report")
    assert rec["status"] == "failed" and rec["attempts"] == 1  # a cell had started: no retry
    assert rec["error"].startswith("DeadKernelError: the kernel process was killed by SIGKILL")
    assert "out of memory" in rec["error"] and "(while running cell #5)" in rec["error"]
    assert rec["ipynb"] is None  # a dead kernel leaves no executed notebook
    # what the cell had started died with its kernel (killed as a process group)
    assert not faulty_run["orphans"]


def test_hang_past_timeout(faulty_run):
    _check_run(faulty_run)
    rec = _record(faulty_run, "hang", "report")
    assert rec["status"] == "failed"
    assert rec["error"] == f"超时（{TIMEOUT} 秒） (while running cell #5)"
    assert TIMEOUT <= rec["duration_s"] < TIMEOUT + 30
    assert faulty_run["elapsed"] < 120  # the run did not wait for the 300-s sleep
    assert not faulty_run["orphans"]  # the hanging child process was killed with the kernel


def test_full_disk_on_one_report_page(faulty_run):
    _check_run(faulty_run)
    rec = _record(faulty_run, "publish", "lang-zh")
    assert rec["error"] == "could not write publish/lang-zh.html: No space left on device (ENOSPC)"
    assert rec["duration_s"] is not None and rec["attempts"] == 1 and rec["started"]
    folder = faulty_run["run_dir"] / "publish"
    # the earlier run's page is gone (a failed report publishes nothing), and so is the
    # executed notebook written just before the page; the notebook stays for debugging
    assert not (folder / "lang-zh.html").exists() and not (folder / "lang-zh.ipynb").exists()
    assert rec["ipynb"] == "publish/lang-zh.failed.ipynb" and (folder / "lang-zh.failed.ipynb").is_file()
    assert (folder / "lang-en.html").is_file()


def test_corrupt_input_in_one_grid_cell(faulty_run):
    _check_run(faulty_run)
    by_file = {r["parameters"]["data_path"]: r for r in faulty_run["status"]["reports"] if r["notebook"] == "reader"}
    assert by_file["good.csv"]["status"] == "ok"
    for name in ("bad.csv", "bad.xlsx"):
        rec = by_file[name]
        # exactly what csworkbench.io says about that file, as one line, with the cell it came from
        with pytest.raises(DataError) as info:
            read_table(faulty_run["folder"] / name)
        assert str(info.value).startswith(f"{name}: ")
        assert rec["error"] == _one_line(f"cell 4: DataError: {info.value}")
        assert str(faulty_run["folder"]) not in rec["error"]  # the file's name, not a local path
        assert rec["data_file"] == rec["parameters"]["data_path"] and len(rec["data_sha256"]) == 64
        assert (faulty_run["run_dir"] / rec["ipynb"]).is_file() and rec["ipynb"].endswith(".failed.ipynb")


def test_full_disk_on_status_json(tmp_path):
    """Disk full for status.json itself: one clear line and exit 1, no traceback; pages stay whole."""
    _notebook(tmp_path / "nbs", "good", "", "import plotly.graph_objects as go", "go.Figure(go.Bar(y=[1])).show()")
    run = _write_run(tmp_path, "nospace", ["good"])
    proc = _csw(tmp_path, run, env=_hook_env(tmp_path, ".status.json."))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "csw report: error: nospace: could not write status.json: No space left on device (ENOSPC)" in proc.stderr
    assert "1 reports: 1 OK, 0 failed" in proc.stderr
    run_dir = tmp_path / "out" / "nospace"
    assert not (run_dir / "status.json").exists()
    assert (run_dir / "good" / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not [p for p in run_dir.rglob("*") if p.name.endswith(".tmp")] and not (run_dir / LOCK_FILE).exists()


# --------------------------------------------------------------------------- fault 5: the run lock


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _snapshot(folder: Path) -> dict:
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Run A (left over a stale lock) waits in a cell; run B starts on the same folder meanwhile."""
    folder = tmp_path_factory.mktemp("lock")
    release = folder / "release"
    _notebook(folder / "nbs", "good", "", "import plotly.graph_objects as go", "go.Figure(go.Bar(y=[1])).show()")
    _notebook(
        folder / "nbs",
        "waiter",
        'release = ""',
        "import os, time\nimport plotly.graph_objects as go",
        "t0 = time.time()\nwhile release and not os.path.exists(release) and time.time() - t0 < 90:\n    time.sleep(0.05)",
        "go.Figure(go.Bar(y=[2])).show()",
    )
    run = _write_run(folder, "shared", ["good", {"name": "waiter", "parameters": {"release": str(release)}}])
    run_dir = folder / "out" / "shared"
    run_dir.mkdir(parents=True)
    dead = _dead_pid()
    stale = {
        "pid": dead,
        "host": os.uname().nodename,
        "started": "2026-11-01T08:00:00+08:00",
        "command": "csw report old.yml",
    }
    (run_dir / LOCK_FILE).write_text(json.dumps(stale), encoding="utf-8")

    first = _csw(folder, run, workers=1, wait=False)  # "good" first, then "waiter" waits for us
    try:
        # wait until A holds the lock and has published its quick report (then it waits for us)
        end = time.time() + 90
        holder = {}
        while time.time() < end and first.poll() is None:
            try:
                holder = json.loads((run_dir / LOCK_FILE).read_text(encoding="utf-8"))
                done = json.loads((run_dir / "status.json").read_text(encoding="utf-8"))["reports"]
            except (OSError, ValueError, KeyError):
                done = []
            if any(r["status"] == "ok" for r in done):
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"first run did not get going: {first.poll()}")
        before = _snapshot(run_dir)
        t0 = time.perf_counter()
        second = _csw(folder, run)
        second_s = time.perf_counter() - t0
        after = _snapshot(run_dir)
    finally:
        release.write_text("go")
    out, err = first.communicate(timeout=120)
    status = json.loads((run_dir / "status.json").read_text(encoding="utf-8"))
    return {
        "run_dir": run_dir,
        "stale": stale,
        "holder": holder,
        "first_pid": first.pid,
        "first": {"code": first.returncode, "stdout": out, "stderr": err, "status": status, "run_dir": run_dir},
        "second": second,
        "second_s": second_s,
        "before": before,
        "after": after,
    }


def test_second_run_on_the_same_folder_is_refused(two_runs):
    second = two_runs["second"]
    holder = two_runs["holder"]
    assert second.returncode == EXIT_LOCKED == 75
    message = second.stderr.strip()
    assert message.startswith("csw report: error: out/shared is in use by another report run")
    assert f"pid {two_runs['first_pid']} on {holder['host']}, started {holder['started']}" in message
    assert "lock file out/shared/.csw-run.lock" in message and "Traceback" not in message
    assert two_runs["second_s"] < 60
    # the refused run touched nothing: no status, no index, no plotly.min.js, no temp file removed
    assert two_runs["after"] == two_runs["before"]


def test_first_run_finishes_undamaged(two_runs):
    first = two_runs["first"]
    _check_run(first)
    assert first["code"] == 0
    assert [r["status"] for r in first["status"]["reports"]] == ["ok", "ok"]


def test_stale_lock_of_a_dead_run_is_taken_over_with_a_warning(two_runs):
    err = two_runs["first"]["stderr"]
    stale = two_runs["stale"]
    assert "csw: warning: taking over the lock out/shared/.csw-run.lock left by a run that is no longer running" in err
    assert f"pid {stale['pid']} on {stale['host']}, started {stale['started']}, command: csw report old.yml" in err


# --------------------------------------------------------------------------- the lock itself (no kernels)


def test_lock_refuses_a_second_holder_and_is_removed_on_release(tmp_path):
    lock = RunLock(tmp_path / "run", purpose="csw report test.yml").acquire()
    record = json.loads((tmp_path / "run" / LOCK_FILE).read_text(encoding="utf-8"))
    assert record["pid"] == os.getpid() and record["command"] == "csw report test.yml" and record["started"]
    with pytest.raises(RunLockedError, match=f"pid {os.getpid()} .*command: csw report test.yml") as info:
        RunLock(tmp_path / "run").acquire()
    assert info.value.holder["pid"] == os.getpid() and info.value.lock_path.name == LOCK_FILE
    lock.release()
    lock.release()  # idempotent
    assert not (tmp_path / "run" / LOCK_FILE).exists()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a cleanly released lock leaves nothing to warn about
        RunLock(tmp_path / "run").acquire().release()


FORKED_HOLDER = """
import os, sys, time
from pathlib import Path
from csworkbench.reporting.files import RunLock, RunLockedError
lock = RunLock(Path(sys.argv[1])).acquire()
pid = os.fork()
if pid == 0:  # a worker forked by the run: holds no copy of the lock's descriptor
    print("child fd", lock._fd, flush=True)
    time.sleep(5)  # still alive while the parent releases
    os._exit(0)
lock.release()  # the run ends while its forked child lives on
try:
    RunLock(Path(sys.argv[1])).acquire().release()
    print("taken while the child lives", flush=True)
except RunLockedError:
    print("still locked by the child", flush=True)
os.kill(pid, 9)
os.waitpid(pid, 0)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_a_forked_child_does_not_hold_the_run_lock(tmp_path):
    """Workers forked from ``csw report`` drop their copy of the flocked descriptor: the lock is
    the run's own (a child holding a copy would keep the folder locked after the run has gone)."""
    out = subprocess.run([sys.executable, "-c", FORKED_HOLDER, str(tmp_path / "run")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["child fd None", "taken while the child lives"]


RACER = """
import sys, time
from pathlib import Path
from csworkbench.reporting.files import RunLock, RunLockedError
folder, go = Path(sys.argv[1]), Path(sys.argv[2])
(folder.parent / f"ready-{sys.argv[3]}").touch()
while not go.exists():
    time.sleep(0.005)
try:
    with RunLock(folder):
        print("acquired", flush=True)
        time.sleep(1.0)
except RunLockedError:
    print("refused", flush=True)
"""


def test_runs_started_at_the_same_moment_get_the_lock_exactly_once(tmp_path):
    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(tmp_path / "run"), str(go), str(i)], stdout=subprocess.PIPE, text=True
        )
        for i in range(4)
    ]
    end = time.time() + 60
    while len(list(tmp_path.glob("ready-*"))) < 4 and time.time() < end:
        time.sleep(0.05)
    go.touch()
    outcomes = sorted(p.communicate(timeout=60)[0].strip() for p in racers)
    assert outcomes == ["acquired", "refused", "refused", "refused"]
    assert not (tmp_path / "run" / LOCK_FILE).exists()


@pytest.mark.parametrize("use_fcntl", [True, False], ids=["flock", "o_excl"])
def test_stale_lock_is_taken_over_and_a_live_one_kept(tmp_path, monkeypatch, use_fcntl):
    if not use_fcntl:
        monkeypatch.setattr(filesmod, "fcntl", None)  # the portable fallback (Windows)
    path = tmp_path / LOCK_FILE
    dead = _dead_pid()
    path.write_text(json.dumps({"pid": dead, "host": os.uname().nodename, "started": "2026-11-01T08:00:00+08:00"}))
    with pytest.warns(CSWWarning, match=f"no longer running \\(pid {dead} on .*, started 2026-11-01T08:00:00"):
        lock = RunLock(tmp_path).acquire()
    assert json.loads(path.read_text())["pid"] == os.getpid()
    with pytest.raises(RunLockedError):
        RunLock(tmp_path).acquire()
    lock.release()
    assert not path.exists()
    if not use_fcntl:  # without flock, a lock file naming a live process is respected
        path.write_text(json.dumps({"pid": os.getppid(), "host": os.uname().nodename}))
        with pytest.raises(RunLockedError, match=f"pid {os.getppid()}"):
            RunLock(tmp_path).acquire()


def test_locked_folder_stops_run_reports_and_cli_before_anything_is_written(tmp_path, monkeypatch, capsys):
    from csworkbench.reporting import load_run, run_reports

    _notebook(tmp_path / "nbs", "good", "", "print(1)")
    run = _write_run(tmp_path, "busy", ["good"])
    monkeypatch.chdir(tmp_path)
    with RunLock(tmp_path / "out" / "busy", purpose="csw report other.yml"):
        with pytest.raises(RunLockedError, match="in use by another report run"):
            run_reports(load_run(run), workers=1, progress=False)
        assert main(["report", str(run), "--quiet"]) == EXIT_LOCKED
    err = capsys.readouterr().err
    assert "csw report: error: out/busy is in use by another report run" in err and "csw report other.yml" in err
    assert [p.name for p in (tmp_path / "out" / "busy").iterdir()] == []
