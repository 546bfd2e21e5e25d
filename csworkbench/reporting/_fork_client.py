"""Stand-in for a forked report kernel (see :mod:`csworkbench.reporting.forkserver`).

Run as ``python -I -S _fork_client.py SOCKET MODULES_JSON KERNEL_ARGS...`` by jupyter_client in
place of ``python -m ipykernel_launcher KERNEL_ARGS...``.  Standard library only (no
site-packages are loaded): it asks the fork server for a kernel (following the server to the
zygote that has imported ``MODULES_JSON``), passes on the signals it receives, and ends as the
kernel ended.  When its own parent (the report's worker) dies, it kills the kernel and ends.
If the server cannot be reached it becomes a normal kernel instead.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys


def _fallback(argv: list[str]) -> None:
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])


def _lines(sock: socket.socket, parent: int):
    """The server's messages, one JSON object a line; on the way, end the kernel (and this
    process) if the parent has gone."""
    buffer = b""
    sock.settimeout(0.5)
    while True:
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            if os.getppid() != parent:
                yield {"orphan": True}
                return
            continue
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            yield json.loads(line.decode("ascii"))


def _request(path: str, modules: str, argv: list[str], parent: int):
    """Connect, send the request with stdin/stdout/stderr; the message stream."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "modules": json.loads(modules)}
    body = json.dumps(request).encode("utf-8")
    socket.send_fds(sock, [len(body).to_bytes(8, "big") + body], [0, 1, 2])
    return sock, _lines(sock, parent)


def main() -> None:
    socket_path, modules, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
    parent = os.getppid()
    try:
        sock, messages = _request(socket_path, modules, argv, parent)
        first = next(messages)
        if "redirect" in first:  # the zygote of this notebook forks it
            sock.close()
            sock, messages = _request(first["redirect"], "[]", argv, parent)
            first = next(messages)
        kernel = int(first["pid"])
    except (OSError, StopIteration, ValueError, KeyError):
        _fallback(argv)
        return

    def forward(signum, frame):
        try:
            os.kill(kernel, signum)
        except OSError:
            pass

    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"):
        signal.signal(getattr(signal, name), forward)
    status = None
    try:
        for message in messages:
            if message.get("orphan"):  # the worker died: so does its kernel
                try:
                    os.killpg(kernel, signal.SIGKILL)
                except OSError:
                    pass
                sys.exit(1)
            if "exit" in message:
                status = int(message["exit"])
                break
    except (OSError, ValueError):
        status = None
    try:  # what the kernel's cells started (its process group) ends with it
        os.killpg(kernel, signal.SIGKILL)
    except OSError:
        pass
    if status is None:  # the server went away without a word
        sys.exit(1)
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number not in (signal.SIGKILL, signal.SIGSTOP):  # those two cannot be handled
            signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    sys.exit(os.waitstatus_to_exitcode(status) if not os.WIFSIGNALED(status) else 1)


if __name__ == "__main__":
    main()
