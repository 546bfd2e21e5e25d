"""Atomic output files for reports (原子写入): a reader never sees half a file.

Every file a report run publishes (HTML, executed notebook, ``status.json``, ``index.html``,
``plotly.min.js``) is written to a temporary file in the same folder and then moved into
place with :func:`os.replace`, which is atomic on POSIX and Windows.  A worker killed
mid-write leaves at most a ``.*.tmp`` file, which the next run removes
(:func:`remove_stale_temporaries`), never a truncated ``.html``.

One run at a time per run folder (运行锁): :class:`RunLock` holds an exclusive lock on
``<run folder>/.csw-run.lock`` while a batch run writes there, so a second ``csw report`` on the
same folder is refused (:class:`RunLockedError`, naming the other run's pid, host, start time
and command) instead of interleaving its files with the first one's.  On POSIX the lock is
:func:`fcntl.flock` on the file, so the kernel releases it when its holder dies, however it
dies; the file also records who holds it, so a lock left behind by a killed run is taken over
with a :class:`~csworkbench.errors.CSWWarning` that names the dead run.  Where ``fcntl`` is
missing (Windows) the file is created with ``O_EXCL`` instead and a left-over file is taken
over when its pid is no longer running (on POSIX) — on Windows it must be deleted by hand.

A run killed with SIGKILL cannot clean up after itself: its worker processes (and their kernels)
may still be running.  The lock file therefore records every process of the run — the parent
(``pid``), its workers (``processes``: pid and start time, so a re-used pid is not mistaken for
them) and the run's runtime folder (``runtime``), where each worker and kernel leaves a
``*.pid`` file — and a lock is taken over only when none of them is alive any more; until then
a new run is refused with the pids it is waiting for.  The record also carries a random
``token``: a worker publishes a page only while the lock file still holds its run's token
(see :mod:`csworkbench.reporting.worker`), so nothing is published into a folder another run
has taken over.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write_text(folder / "a.txt", "hello")
>>> (folder / "a.txt").read_text()
'hello'
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import socket
import sys
import tempfile
import uuid
import warnings
import weakref
from os import PathLike
from pathlib import Path
from typing import Any

from ..errors import CSWWarning, ReportError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: The locks this process holds.  A process forked from the holder (a batch run's workers)
#: would hold the flock too, through its copy of the descriptor: it drops its copies at once,
#: so the run's own process stays the only holder, as with spawned workers.
_HELD: weakref.WeakSet[RunLock] = weakref.WeakSet()


def _drop_held_locks_in_child() -> None:
    for lock in list(_HELD):
        fd, lock._fd = lock._fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_held_locks_in_child)

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "remove_stale_temporaries",
    "TMP_SUFFIX",
    "LOCK_FILE",
    "RunLock",
    "RunLockedError",
    "process_marker",
    "live_processes",
    "read_lock",
]

TMP_SUFFIX = ".tmp"
LOCK_FILE = ".csw-run.lock"


def atomic_write_bytes(path: str | PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and :func:`os.replace`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: str | PathLike, text: str) -> None:
    """Text (UTF-8) version of :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def remove_stale_temporaries(folder: str | PathLike) -> int:
    """Delete leftover ``.<name>.*.tmp`` files under ``folder`` (from a killed run); return how many."""
    count = 0
    for tmp in Path(folder).rglob(f".*{TMP_SUFFIX}"):
        try:
            tmp.unlink()
            count += 1
        except OSError:
            pass
    return count


# --------------------------------------------------------------------------- run lock


class RunLockedError(ReportError):
    """The run folder is being written by another run (``holder``: what its lock file says)."""

    def __init__(self, message: str, lock_path: Path, holder: dict[str, Any]) -> None:
        super().__init__(message)
        self.lock_path = lock_path
        self.holder = holder


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it (shorter messages)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _describe(holder: dict[str, Any]) -> str:
    """``"pid 123 on host h, started 2026-…, command: csw report …"`` from a lock file's record."""
    if not holder:
        return "details not written yet"
    parts = [f"pid {holder.get('pid', '?')}"]
    if holder.get("host"):
        parts[0] += f" on {holder['host']}"
    if holder.get("started"):
        parts.append(f"started {holder['started']}")
    if holder.get("command"):
        parts.append(f"command: {holder['command']}")
    return ", ".join(parts)


def _pid_running(pid: Any) -> bool | None:
    """Whether ``pid`` is a live process on this machine (``None``: cannot tell here)."""
    if not isinstance(pid, int) or pid <= 0 or os.name != "posix":
        return None  # os.kill(pid, 0) would *terminate* the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return None
    return True


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of ``/proc/<pid>/stat`` after the command name (``None``: no /proc or no such process)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw.rsplit(")", 1)[1].split()


def process_marker(pid: int | None = None) -> dict[str, Any]:
    """``{"pid": …, "start": …}`` of a process (default: this one); ``start`` is its start time in
    clock ticks since boot where ``/proc`` tells it (else ``None``), so a re-used pid is recognised.

    >>> process_marker()["pid"] == os.getpid()
    True
    """
    pid = os.getpid() if pid is None else int(pid)
    fields = _proc_stat(pid)
    return {"pid": pid, "start": fields[19] if fields and len(fields) > 19 else None}


def _marker_alive(marker: Any) -> bool:
    """Whether the process a marker names is still running (zombies and re-used pids are not)."""
    if isinstance(marker, int):
        marker = {"pid": marker}
    if not isinstance(marker, dict) or not isinstance(marker.get("pid"), int) or marker["pid"] <= 0:
        return False
    pid = marker["pid"]
    if Path("/proc/self/stat").exists():
        fields = _proc_stat(pid)
        if fields is None or fields[0] in ("Z", "X"):
            return False
        return marker.get("start") in (None, fields[19])
    return bool(_pid_running(pid))


def _runtime_markers(runtime: Any) -> list[dict[str, Any]]:
    """Markers of the ``*.pid`` files a run's workers and kernels left in its runtime folder."""
    out: list[dict[str, Any]] = []
    if not isinstance(runtime, str) or not runtime or not Path(runtime).is_dir():
        return out
    for pid_file in Path(runtime).rglob("*.pid"):
        try:
            parts = pid_file.read_text().split()
            out.append({"pid": int(parts[0]), "start": parts[1] if len(parts) > 1 else None})
        except (OSError, ValueError, IndexError):
            continue
    return out


def live_processes(holder: dict[str, Any]) -> list[int]:
    """Pids of a lock record's run that are still running: parent, workers and kernels.

    >>> live_processes({"pid": os.getpid()}) == [os.getpid()]
    True
    """
    markers: list[Any] = [{"pid": holder.get("pid"), "start": holder.get("start")}]
    markers += list(holder.get("processes") or [])
    markers += _runtime_markers(holder.get("runtime"))
    alive = {m["pid"] if isinstance(m, dict) else m for m in markers if _marker_alive(m)}
    if holder.get("host") not in (None, socket.gethostname()):
        return []  # another machine's pids say nothing here (flock decides on a shared folder)
    return sorted(alive)


def read_lock(folder: str | PathLike) -> dict[str, Any]:
    """The record of ``<folder>/.csw-run.lock`` (``{}`` when there is none or it is unreadable)."""
    try:
        return RunLock._parse((Path(folder) / LOCK_FILE).read_bytes())
    except OSError:
        return {}


class RunLock:
    """Exclusive lock of one run folder while a batch run writes into it.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with RunLock(folder) as lock:
    ...     (folder / LOCK_FILE).is_file()
    True
    >>> (folder / LOCK_FILE).exists()   # released: the file is removed
    False

    Parameters
    ----------
    folder : path
        The run folder (``reports/<run-id>``); created if missing.
    purpose : str, optional
        What holds the lock, shown to a refused run (default: this process's command line).

    Raises
    ------
    RunLockedError
        From :meth:`acquire` when another live run holds the folder.
    """

    def __init__(self, folder: str | PathLike, purpose: str | None = None) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_FILE
        self.purpose = purpose
        self._fd: int | None = None
        self.token = uuid.uuid4().hex
        self._started = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        self._extra: dict[str, Any] = {}

    # -- helpers
    def _record(self) -> dict[str, Any]:
        command = self.purpose or " ".join(
            [Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python", *sys.argv[1:]]
        )
        return {
            "pid": os.getpid(),
            "start": process_marker()["start"],
            "token": self.token,
            **self._extra,
            "host": socket.gethostname(),
            "started": self._started,
            "command": command[:300],
        }

    @staticmethod
    def _parse(raw: bytes) -> dict[str, Any]:
        try:
            data = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except (UnicodeDecodeError, ValueError):
            return {"pid": "?", "command": "unreadable lock file"}
        return data if isinstance(data, dict) else {}

    def _read_fd(self, fd: int) -> dict[str, Any]:
        os.lseek(fd, 0, os.SEEK_SET)
        chunks = []
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        return self._parse(b"".join(chunks))

    def _refuse(self, holder: dict[str, Any]) -> RunLockedError:
        where = _shown(self.path)
        return RunLockedError(
            f"{_shown(self.folder)} is in use by another report run ({_describe(holder)}); "
            f"lock file {where}. Wait for that run to finish, or write elsewhere (--run-id / --output).",
            self.path,
            holder,
        )

    def _refuse_alive(self, holder: dict[str, Any], alive: list[int]) -> RunLockedError:
        pids = ", ".join(map(str, alive))
        return RunLockedError(
            f"{_shown(self.folder)} was written by a report run that was killed ({_describe(holder)}), "
            f"but processes of that run are still running (pid {pids}); lock file {_shown(self.path)}. "
            "Wait for them to end (or stop them), or write elsewhere (--run-id / --output).",
            self.path,
            holder,
        )

    def _warn_stale(self, holder: dict[str, Any]) -> None:
        warnings.warn(
            f"taking over the lock {_shown(self.path)} left by a run that is no longer running "
            f"({_describe(holder)}); reports it did not finish will run again",
            CSWWarning,
            stacklevel=3,
        )

    def _write_record(self, fd: int) -> None:
        # write over the old record, then cut what is left of it: a reader (a worker checking
        # the token) never finds the file empty while the record grows
        data = json.dumps(self._record(), ensure_ascii=False).encode("utf-8")
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)
        os.ftruncate(fd, len(data))
        os.fsync(fd)

    # -- public
    def acquire(self) -> RunLock:
        """Take the lock or raise :class:`RunLockedError`; warns when taking over a stale lock."""
        if self._fd is not None:
            raise ReportError(f"{_shown(self.path)}: this RunLock is already held")
        self.folder.mkdir(parents=True, exist_ok=True)
        if fcntl is not None:
            self._fd = self._acquire_flock()
        else:  # pragma: no cover - exercised on Windows only (and by a test that hides fcntl)
            self._fd = self._acquire_exclusive()
        _HELD.add(self)
        return self

    def _acquire_flock(self) -> int:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # BlockingIOError: a live process holds it
                holder = self._read_fd(fd)
                os.close(fd)
                raise self._refuse(holder) from None
            # the holder may have released (and removed) the file between our open and flock:
            # then we locked an orphaned inode and must start again on the current file
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            holder = self._read_fd(fd)
            if holder:  # a record without a live lock: its run was killed before releasing
                alive = live_processes(holder)
                if alive:  # its workers or kernels may still write here: not yet
                    os.close(fd)
                    raise self._refuse_alive(holder, alive) from None
                self._warn_stale(holder)
            self._write_record(fd)
            return fd

    def _acquire_exclusive(self) -> int:
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                try:
                    holder = self._parse(self.path.read_bytes())
                except FileNotFoundError:
                    continue  # released meanwhile
                if (
                    _pid_running(holder.get("pid")) is False
                    and holder.get("host") in (None, socket.gethostname())
                    and not live_processes(holder)
                ):
                    self._warn_stale(holder)
                    self.path.unlink(missing_ok=True)
                    continue
                raise self._refuse(holder) from None
            self._write_record(fd)
            return fd
        raise self._refuse({})

    def update(self, **fields: Any) -> None:
        """Add fields to the lock record (e.g. ``processes=[…]``, ``runtime=…``) and rewrite it."""
        self._extra.update(fields)
        if self._fd is not None:
            self._write_record(self._fd)

    def release(self) -> None:
        """Remove the lock file and release the lock (idempotent)."""
        fd, self._fd = self._fd, None
        _HELD.discard(self)
        if fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)  # while still locked: nobody can take a file being removed
        except OSError:
            pass
        os.close(fd)  # releases the flock

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()
