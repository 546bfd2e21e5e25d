"""Build the course book (课程讲义) with Sphinx + myst-nb + sphinx-book-theme: ``make book``.

Why a staging step: Sphinx reads only files under its source folder, and the lessons live in
``notebooks/lessons`` (where students open them).  ``stage()`` copies ``book/*.md`` and
``conf.py`` and every lesson notebook into ``book/_build/src``; in the copies every code cell
gets the tag ``hide-input`` (code stays visible behind a "显示代码" toggle, the text refers to
it) unless it is tagged ``show-input``, and cells tagged ``parameters`` keep showing their code;
cells that build an ipywidgets control get ``remove-output`` (a control needs a live kernel; the
book loads no widget JavaScript from a CDN).
The glossary page is assembled from the lessons' own 术语表 tables, so it cannot drift from them.

Usage::

    python book/build.py [--out book/_build/html] [--lessons notebooks/lessons] [--only 01_*]

Exit status 0 when the book built; a failing lesson cell fails the build (myst-nb
``nb_execution_raise_on_error``), and so does any Sphinx error.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

BOOK = Path(__file__).resolve().parent
ROOT = BOOK.parent
GLOSSARY_ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$")


WIDGET_CELL = re.compile(r"\binteract\b|\bwidgets\.|ipywidgets")


def _tag_code_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = list(cell.metadata.get("tags", []))
        if WIDGET_CELL.search(cell.source) and "import" not in cell.source.split("\n", 1)[0]:
            # a widget needs a live kernel: the book shows the cell's code, not a dead control
            tags.append("remove-output")
            cell.metadata["tags"] = tags
        if "show-input" in tags or "parameters" in tags or "hide-input" in tags:
            continue
        cell.metadata["tags"] = tags + ["hide-input"]
    return nb


def glossary_rows(notebooks: list[Path]) -> list[tuple[str, str, str]]:
    """(中文, English, lesson stem) for every row of every lesson's 术语表 table, first use kept."""
    rows: dict[str, tuple[str, str, str]] = {}
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "markdown" or "术语表" not in cell.source:
                continue
            for line in cell.source.splitlines():
                m = GLOSSARY_ROW.match(line.strip())
                if not m or set(m[1]) <= set("-: ") or m[1] in ("中文", "术语"):
                    continue
                rows.setdefault(m[1], (m[1], m[2], path.stem))
    return sorted(rows.values(), key=lambda r: r[0])


def _glossary_page(rows: list[tuple[str, str, str]]) -> str:
    lines = [
        "# 术语表（中英对照）",
        "",
        "各章“术语表”的汇总，按中文排序；最后一列是首次出现的章节。",
        "",
        "| 中文 | English | 章节 |",
        "|---|---|---|",
    ]
    lines += [f"| {zh} | {en} | {{doc}}`lessons/{stem}` |" for zh, en, stem in rows]
    return "\n".join(lines) + "\n"


def stage(lessons_dir: Path, src: Path, only: str = "*") -> list[Path]:
    """Copy conf, pages and lesson notebooks into ``src``; return the staged notebooks."""
    if src.exists():
        shutil.rmtree(src)
    (src / "lessons").mkdir(parents=True)
    shutil.copy2(BOOK / "conf.py", src / "conf.py")
    for page in BOOK.glob("*.md"):
        if page.name != "glossary.md":
            shutil.copy2(page, src / page.name)
    notebooks = sorted(p for p in lessons_dir.glob(f"{only}.ipynb") if p.name[:2].isdigit())
    if not notebooks:
        raise SystemExit(f"no lesson notebooks matching {only!r} in {lessons_dir}")
    staged = []
    for path in notebooks:
        nb = _tag_code_cells(nbformat.read(path, as_version=4))
        target = src / "lessons" / path.name
        nbformat.write(nb, target)
        staged.append(target)
    (src / "glossary.md").write_text(_glossary_page(glossary_rows(notebooks)), encoding="utf-8")
    return staged


def build(out: Path, lessons_dir: Path, only: str = "*", quiet: bool = True) -> int:
    """Stage and run ``sphinx-build -b html``; return its exit status."""
    from sphinx.cmd.build import build_main

    src = out.parent / "src"
    stage(lessons_dir, src, only)
    args = ["-b", "html", "--keep-going", str(src), str(out)]
    if quiet:
        args.insert(0, "-q")
    return build_main(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BOOK / "_build" / "html")
    parser.add_argument("--lessons", type=Path, default=ROOT / "notebooks" / "lessons")
    parser.add_argument("--only", default="*", help="glob of lesson names, e.g. '01_*'")
    parser.add_argument("--verbose", action="store_true")
    ns = parser.parse_args(argv)
    status = build(ns.out, ns.lessons, ns.only, quiet=not ns.verbose)
    if status == 0:
        print(f"book: {ns.out / 'index.html'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
