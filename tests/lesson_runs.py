"""One execution of each lesson notebook per test run, shared by the lesson tests.

``tests/test_lessons.py`` (does every lesson execute?) and ``tests/test_lesson_numbers.py`` (is
every number quoted in the prose an executed output or a listed seed fact?) both need the
executed lessons.  :func:`executed` runs a lesson once with papermill (``lang = "zh"``, the
default parameters) and keeps the executed notebook in a folder private to this test run —
shared by the pytest-xdist workers of the run through ``PYTEST_XDIST_TESTRUNUID``, never reused
by a later run, so a change in the package always shows.  A lock file makes the second worker
wait for the first one's execution instead of running the lesson again.

Imported as a plain module (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
LESSONS_DIR = ROOT / "notebooks" / "lessons"
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"solo-{os.getpid()}-{uuid.uuid4().hex[:8]}"
RUN_DIR = Path(tempfile.gettempdir()) / "csw-lesson-runs" / _RUN
#: The longest one cell may run (seconds): a hung kernel (nbclient and ipywidgets' Output widget are
#: known to deadlock now and then, jupyter/nbclient#312) fails the lesson instead of blocking the run.
CELL_TIMEOUT = 300
#: The longest a worker waits for another worker's execution of the same lesson (seconds).
WAIT_SECONDS = 1800


def executed(lesson: Path) -> nbformat.NotebookNode:
    """The lesson executed top to bottom (error outputs kept; a failing cell stops the run)."""
    import papermill

    RUN_DIR.mkdir(parents=True, exist_ok=True)
    out = RUN_DIR / lesson.name
    done = RUN_DIR / f"{lesson.stem}.done"
    lock = RUN_DIR / f"{lesson.stem}.lock"
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        deadline = time.monotonic() + WAIT_SECONDS
        while not done.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"another worker has not finished executing {lesson.name}") from None
            time.sleep(0.5)
        return nbformat.read(str(out), as_version=4)
    os.close(fd)
    try:
        papermill.execute_notebook(
            str(lesson),
            str(out),
            parameters={"lang": "zh"},
            kernel_name="python3",
            cwd=str(LESSONS_DIR),
            progress_bar=False,
            execution_timeout=CELL_TIMEOUT,
        )
    except papermill.PapermillExecutionError:
        pass  # the executed notebook holds the error output; the tests report it
    finally:
        done.touch()
    return nbformat.read(str(out), as_version=4)


def error_outputs(nb: nbformat.NotebookNode) -> list[dict]:
    """The error outputs of an executed notebook."""
    return [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
