"""Sphinx configuration of the course book (课程讲义), built by ``make book`` (book/build.py).

The sources are staged by ``book/build.py`` into ``book/_build/src``: this file, the Markdown
pages of ``book/`` and a copy of every lesson notebook of ``notebooks/lessons`` (code cells
tagged so that they collapse).  myst-nb executes the notebooks (cached in
``book/_build/.jupyter_cache``, so an unchanged lesson is not run again) and fails the build
when a cell fails.  Everything is offline: no CDN, no download at build time.
"""

from __future__ import annotations

from pathlib import Path

project = "顾客满意管理 · 课程讲义"
author = "csworkbench"
copyright = "csworkbench contributors"
language = "zh_CN"

extensions = ["myst_nb"]
myst_enable_extensions = ["colon_fence", "dollarmath", "deflist"]
myst_heading_anchors = 3

# Execution: every lesson runs with its default parameters; a failing cell fails the build.
nb_execution_mode = "cache"
# next to the staged sources (book/_build/.jupyter_cache), never relative to the working directory
nb_execution_cache_path = str(Path(__file__).resolve().parent.parent / ".jupyter_cache")
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
# no ipywidgets JavaScript from a CDN: widget cells keep their code and drop their output (build.py)
nb_ipywidgets_js: dict = {}
# plotly figures: drawn from their JSON by csworkbench.reporting.book (a myst-nb mime renderer),
# with the offline plotly.js of a report run shipped in _static; nothing from a CDN
csw_plotly_figures = True
nb_mime_priority_overrides = [("html", "application/vnd.plotly.v1+json", 5)]

numfig = True
numfig_format = {"figure": "图 %s", "table": "表 %s", "code-block": "代码 %s", "section": "第 %s 节"}

html_theme = "sphinx_book_theme"
html_title = project
html_last_updated_fmt = ""
html_show_sourcelink = False
html_copy_source = True
html_theme_options = {
    "use_download_button": True,
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "navigation_with_keys": False,
}
html_static_path: list[str] = []
exclude_patterns = ["_build", "**.ipynb_checkpoints", "build.py", "conf.py"]
suppress_warnings = ["mystnb.unknown_mime_type"]
nb_code_prompt_show = "显示代码"
nb_code_prompt_hide = "隐藏代码"


# Long tables (more than csworkbench.reporting.display.LONG_ROWS rows, ``table.csw-long``) become
# DataTables as in a report page: the same itables offline bundle and the same page script with
# the zh labels (csworkbench.reporting.page), shipped as _static files, loaded only by pages
# that hold a long table.  Nothing from a CDN.
_LANG = "zh"
_PAGE_JS_FILE = f"csw-page-{_LANG}.js"


_PLOTLY_JS_FILE = "csw-plotly.js"  # cswDraw (charts wait for the CJK font) and plotly's zh locale


def _long_table_scripts(app, pagename, templatename, context, doctree) -> None:  # noqa: ANN001
    from csworkbench.reporting.html import PLOTLY_JS
    from csworkbench.reporting.page import DATATABLES_JS

    body = context.get("body") or ""
    if '<table class="csw-long' in body:
        app.add_js_file(DATATABLES_JS, loading_method="defer")
        app.add_js_file(_PAGE_JS_FILE, loading_method="defer")
    if 'class="plotly-graph-div"' in body:  # in the head, not deferred: the charts' calls need it
        app.add_js_file(PLOTLY_JS)
        app.add_js_file(_PLOTLY_JS_FILE)


def _write_long_table_scripts(app, exception) -> None:  # noqa: ANN001
    if exception is not None or app.builder.format != "html":
        return
    from csworkbench.reporting.html import write_plotlyjs
    from csworkbench.reporting.page import page_script, plotly_guard, plotly_locale

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    write_plotlyjs(static)  # and the DataTables bundle next to it
    (static / _PAGE_JS_FILE).write_text(page_script(_LANG), encoding="utf-8")
    (static / _PLOTLY_JS_FILE).write_text(plotly_guard() + "\n" + plotly_locale(_LANG) + "\n", encoding="utf-8")


# Chinese text without a Chinese font on the reader's machine shows as boxes.  As a report page
# embeds its own subset, the book ships one subset of the bundled CJK font for all its pages
# (every CJK character of every page, written when the build has finished) and puts it first in
# the theme's font stacks; the subset has CJK glyphs only, so Latin text keeps the theme's fonts.
_FONT_CSS = "csw-cjk.css"
_FONT_FILE = "csw-cjk.woff2"


def _write_cjk_font(app, exception) -> None:  # noqa: ANN001
    if exception is not None or app.builder.format != "html":
        return
    from csworkbench.reporting.page import FONT_FAMILY, font_subset

    out = Path(app.outdir)
    data = font_subset(*(page.read_text(encoding="utf-8") for page in out.rglob("*.html")))
    static = out / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / _FONT_FILE).write_bytes(data)
    stack = f"'{FONT_FAMILY}', var(--pst-font-family-base-system)"
    mono = f"'{FONT_FAMILY}', var(--pst-font-family-monospace-system)"  # Chinese in code and comments
    (static / _FONT_CSS).write_text(
        f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url({_FONT_FILE}) format('woff2'); font-display: swap; }}\n"
        f"html {{ --pst-font-family-base: {stack}; --pst-font-family-heading: {stack}; "
        f"--pst-font-family-monospace: {mono}; }}\n",
        encoding="utf-8",
    )


def setup(app):  # noqa: ANN001, ANN201
    app.add_config_value("csw_plotly_figures", False, "html")
    app.add_css_file(_FONT_CSS)
    app.connect("html-page-context", _long_table_scripts)
    app.connect("build-finished", _write_long_table_scripts)
    app.connect("build-finished", _write_cjk_font)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
