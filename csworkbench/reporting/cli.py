"""The ``csw`` command (命令行): batch reports, notebook list, JupyterLab, course book.

::

    csw report [RUN.yml] [--period 2026-10|last-month] [--workers N] [--engine local|dask]
               [--scheduler tcp://host:8786] [--force] [--self-contained] [--timeout S]
               [--output DIR] [--run-id ID] [--quiet]
    csw list [--dir DIR]
    csw lab [JUPYTERLAB ARGS…]      (--allow-root added only as root; paired .py files hidden)
    csw lessons [--output DIR] [--lang zh|en] [--workers N] [--timeout S] [--force]

Exit status of ``csw report``: 0 when every report was published, 1 when any failed (a
summary line says how many) or the run folder could not be written (disk full), 2 for a bad
run description (nothing was run), 75 when another run is writing the same run folder (its
lock file ``.csw-run.lock`` names that run's pid and start time; nothing was run), 130 after
Ctrl-C, 143 after SIGTERM (both stop the workers too; status.json then says
``"state": "interrupted"``).  ``csw lessons`` uses the same codes.

Examples
--------
>>> from csworkbench.reporting.cli import build_parser
>>> build_parser().parse_args(["report", "--workers", "2"]).workers
2
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from .. import config
from ..errors import CSWError, CSWWarning, ReportError

__all__ = ["main", "build_parser", "lab_command", "paired_scripts"]

DEFAULT_RUN = "reports/reports.yml"
EXIT_LOCKED = 75  # EX_TEMPFAIL (sysexits.h): try again later
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process ended by SIGTERM


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csw",
        description="csworkbench — customer-satisfaction research workbench (顾客满意研究工作台).",
        epilog="Run 'csw COMMAND --help' for the options of one command.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    rep = sub.add_parser(
        "report",
        help="run report notebooks over a parameter grid → reports/<run-id>/index.html",
        description=(
            "Execute the notebooks of a run description (YAML) with papermill, in parallel, "
            "and publish offline HTML pages, status.json and index.html under OUTPUT/<run-id>/. "
            "Reports whose notebook, parameters and input data are unchanged are skipped."
        ),
    )
    rep.add_argument(
        "run",
        nargs="?",
        metavar="RUN.yml",
        help=f"run description (default: {DEFAULT_RUN} if present, else every analysis notebook)",
    )
    rep.add_argument("--period", help="shared 'period' parameter: YYYY-MM, YYYY, last-month or this-month")
    rep.add_argument(
        "--workers", type=int, default=None, help="reports run in parallel (default: CPU cores; dask LocalCluster: 2)"
    )
    rep.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local worker processes (default) or dask.distributed tasks",
    )
    rep.add_argument(
        "--scheduler", metavar="ADDR", help="dask scheduler, e.g. tcp://host:8786 (default: start a LocalCluster)"
    )
    rep.add_argument("--force", action="store_true", help="re-run reports even when nothing changed")
    rep.add_argument(
        "--self-contained",
        action="store_true",
        help="inline plotly.js into every page instead of one shared plotly.min.js",
    )
    rep.add_argument(
        "--timeout", type=float, default=600, metavar="S", help="seconds one report may run (default: 600; 0: no limit)"
    )
    rep.add_argument(
        "--output", metavar="DIR", help="output folder (default: the description's 'output', else reports/)"
    )
    rep.add_argument(
        "--run-id", metavar="ID", help="run folder name (default: description's run_id, else the period, else today)"
    )
    rep.add_argument("--quiet", action="store_true", help="no progress bar")

    lst = sub.add_parser("list", help="list report notebooks and their parameters")
    lst.add_argument("--dir", metavar="DIR", help="folder of notebooks (default: notebooks/analysis)")

    lab = sub.add_parser("lab", help="open JupyterLab on notebooks/", add_help=True)
    lab.add_argument("args", nargs=argparse.REMAINDER, help="extra arguments passed to 'jupyter lab'")

    les = sub.add_parser(
        "lessons",
        help="execute notebooks/lessons/*.ipynb into a linked course book (reports/book/)",
    )
    les.add_argument("--dir", metavar="DIR", help="lesson folder (default: notebooks/lessons)")
    les.add_argument("--output", metavar="DIR", help="output folder (default: reports/)")
    les.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of the book, passed to lessons that declare lang (default: zh)",
    )
    les.add_argument("--workers", type=int, default=None, help="lessons run in parallel (default: CPU cores)")
    les.add_argument(
        "--timeout", type=float, default=900, metavar="S", help="seconds one lesson may run (default: 900; 0: no limit)"
    )
    les.add_argument("--force", action="store_true", help="re-run lessons even when nothing changed")
    les.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _cmd_report(args: argparse.Namespace) -> int:
    from . import forkserver

    if args.engine == "local":  # its imports overlap with reading the run description
        forkserver.start_early(args.workers)
    try:
        return _report(args)
    finally:
        forkserver.discard_early()  # not taken over: e.g. no notebooks, or the folder was locked


def _report(args: argparse.Namespace) -> int:
    from .batch import run_reports
    from .spec import load_run

    run = args.run
    if run is None and Path(DEFAULT_RUN).is_file():
        run = DEFAULT_RUN
    spec = load_run(run, period=args.period, output=args.output, run_id=args.run_id)
    if not spec.jobs:
        print("csw report: no notebooks selected; nothing to do")
        return 0
    try:
        result = run_reports(
            spec,
            workers=args.workers,
            engine=args.engine,
            scheduler=args.scheduler,
            force=args.force,
            self_contained=args.self_contained,
            timeout=args.timeout or None,
            progress=not args.quiet,
        )
    except (ReportError, OSError) as exc:
        return _run_failed(args.command, exc)
    index = result.run_dir / "index.html"
    _print_failures(result)
    print(f"{result.summary('en')} in {result.elapsed_s:.1f} s → {index}")
    if result.interrupted:
        print(
            f"csw report: interrupted ({result.stopped_by or 'SIGINT'}); finished reports are kept, "
            "the rest are marked interrupted in status.json",
            file=sys.stderr,
        )
        return EXIT_TERMINATED if result.stopped_by == "SIGTERM" else 130
    return 1 if result.n_failed else 0


def _print_failures(result) -> None:
    for rec in result.records:
        if rec["status"] == "failed":
            print(f"FAILED {rec['notebook']} [{rec['slug']}]: {rec.get('error')}", file=sys.stderr)


def _run_failed(command: str, exc: BaseException) -> int:
    """Exit status and message when a run could not start (folder locked) or not finish writing."""
    from .files import RunLockedError

    if isinstance(exc, RunLockedError):
        print(f"csw {command}: error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    result = getattr(exc, "result", None)
    if result is not None:
        _print_failures(result)
    if isinstance(exc, OSError):  # not foreseen by the run itself: still one line, no traceback
        name = f" {exc.filename}" if exc.filename else ""
        print(f"csw {command}: error: could not write{name}: {exc.strerror or exc}", file=sys.stderr)
    else:
        print(f"csw {command}: error: {exc}", file=sys.stderr)
    return 1


def _show_warning(default, message, category, filename, lineno, file=None, line=None):
    """csworkbench warnings as one ``csw: warning: …`` line on stderr; others as ``default`` shows them."""
    if isinstance(category, type) and issubclass(category, CSWWarning):
        print(f"csw: warning: {message}", file=sys.stderr if file is None else file)
    else:
        default(message, category, filename, lineno, file, line)


def _cmd_list(args: argparse.Namespace) -> int:
    from .spec import analysis_notebooks, notebook_parameters

    notebooks = analysis_notebooks(args.dir)
    if not notebooks:
        print("no notebooks found")
        return 0
    status = 0
    for nb in notebooks:
        try:
            params = notebook_parameters(nb)
        except CSWError as exc:
            print(f"{nb.stem}: {exc}")
            status = 1
            continue
        print(nb.stem)
        for name, info in params.items():
            kind = info.get("inferred_type_name") or ""
            kind = "" if kind == "None" else kind
            default = info.get("default")
            help_text = f"  # {info['help']}" if info.get("help") else ""
            print(f"    {name:<16} {kind:<8} = {default}{help_text}")
    return status


#: the file browser's default hidden names (jupyter_server's ContentsManager.hide_globs)
_DEFAULT_HIDE_GLOBS = ("__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~")


def paired_scripts(folder: str | os.PathLike) -> list[str]:
    """Names of the py:percent scripts under ``folder`` that have an ``.ipynb`` twin (jupytext pairs).

    JupyterLab would list each such notebook twice (``x.ipynb`` and ``x.py``); ``csw lab`` hides
    exactly these names, so a researcher's own unpaired ``.py`` files stay visible.
    """
    folder = Path(folder)
    names = {
        py.name
        for py in folder.rglob("*.py")
        if py.with_suffix(".ipynb").is_file() and ".ipynb_checkpoints" not in py.parts
    }
    return sorted(names)


def lab_command(
    extra: Sequence[str] = (), *, notebooks_dir: str | os.PathLike | None = None, uid: int | None = None
) -> list[str]:
    """The ``jupyter lab`` command line ``csw lab`` (and ``make lab``) runs.

    * root folder: ``notebooks/``;
    * ``--allow-root`` only when running as root (uid 0) — JupyterLab refuses root otherwise;
    * the paired ``.py`` scripts are added to ``ContentsManager.hide_globs`` (with the defaults
      kept), so the file browser shows each notebook once; they are still paired and synced.

    >>> cmd = lab_command(notebooks_dir=".", uid=1000)
    >>> "--allow-root" in cmd, "--ContentsManager.hide_globs=__pycache__" in cmd
    (False, True)
    >>> "--allow-root" in lab_command(notebooks_dir=".", uid=0)
    True
    """
    folder = Path(notebooks_dir) if notebooks_dir is not None else config.NOTEBOOKS_DIR
    exe = Path(sys.executable).with_name("jupyter-lab")
    cmd = [str(exe)] if exe.exists() else [shutil.which("jupyter") or "jupyter", "lab"]
    cmd.append(f"--ServerApp.root_dir={folder}")
    if (os.geteuid() if uid is None and hasattr(os, "geteuid") else uid) == 0 and "--allow-root" not in extra:
        cmd.append("--allow-root")
    # a list option is given once per item (traitlets would take a JSON list as one string)
    cmd += [f"--ContentsManager.hide_globs={glob}" for glob in (*_DEFAULT_HIDE_GLOBS, *paired_scripts(folder))]
    cmd += list(extra)  # last: the user's own options win
    return cmd


def _cmd_lab(args: argparse.Namespace) -> int:
    cmd = lab_command(args.args)
    os.execv(cmd[0], cmd)  # replaces this process; Ctrl-C goes to JupyterLab
    return 0  # pragma: no cover


def _cmd_lessons(args: argparse.Namespace) -> int:
    from .lessons import build_lessons, lesson_notebooks

    folder = args.dir
    if not lesson_notebooks(folder):
        where = folder or "notebooks/lessons"
        print(f"csw lessons: no lesson notebooks in {where}/ yet; nothing to build")
        return 0
    try:
        result = build_lessons(
            folder,
            output=args.output,
            lang=args.lang,
            workers=args.workers,
            timeout=args.timeout or None,
            force=args.force,
            progress=not args.quiet,
        )
    except (ReportError, OSError) as exc:
        return _run_failed(args.command, exc)
    if result is None:  # lessons vanished meanwhile
        return 0
    print(f"{result.summary('en')} in {result.elapsed_s:.1f} s → {result.run_dir / 'index.html'}")
    if result.interrupted:
        return 130
    return 1 if result.n_failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``csw`` console script; returns the exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "lab":  # everything after "lab" goes to JupyterLab as written, in order
        raw = list(sys.argv[1:] if argv is None else argv)
        args.args = raw[raw.index("lab") + 1 :]  # e.g. csw lab --no-browser --port 8899
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command is None:
        parser.print_help()
        return 0
    if args.command in ("report", "lessons") and getattr(args, "workers", None) is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    from .worker import block_slow_imports

    block_slow_imports()  # this process imports papermill/nbformat: skip the 2-s grammar build
    handlers = {"report": _cmd_report, "list": _cmd_list, "lab": _cmd_lab, "lessons": _cmd_lessons}
    previous_show = warnings.showwarning
    warnings.showwarning = functools.partial(_show_warning, previous_show)
    try:
        return handlers[args.command](args)
    except CSWError as exc:
        print(f"csw {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"csw {args.command}: interrupted", file=sys.stderr)
        return 130
    finally:
        warnings.showwarning = previous_show


def console() -> None:  # pragma: no cover - the installed ``csw`` script; tests call main()
    """The ``csw`` console script: :func:`main`, then exit without tearing the interpreter down.

    Everything is written by then; the exit handlers still run and the streams are flushed.
    Only the module teardown is skipped: after a report run (nbconvert, plotly, great-tables,
    pandas… imported) it took 0.3 s of every ``csw report``.
    """
    import atexit

    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `csw list | head`: the reader has gone; nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    atexit._run_exitfuncs()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
