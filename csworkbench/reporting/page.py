"""The furniture of a report page (报告页面): navigation, appendix, fonts, print, offline scripts.

:func:`csworkbench.reporting.html.export_html` builds a page from an executed notebook; this
module holds what it adds around the notebook's own content:

* **Appendix** (:func:`mark_appendix`): cells tagged ``appendix`` move to the end of the page,
  in their order; each run of consecutive appendix cells is one collapsible ``<details>``
  whose summary is the run's first Markdown heading (taken out of the cell so it is not shown
  twice) or "附录 n" / "Appendix n".
* **Table of contents and back link** (:func:`add_navigation`): the ``h2``/``h3`` headings of
  the body before the appendix, plus one entry for the appendix, and a link to the run's
  ``../index.html`` (pages live in ``<run folder>/<notebook>/``).
* **Chinese without a Chinese font** (:func:`font_face`): the non-ASCII characters on the page
  are cut out of the bundled Noto Sans CJK SC (the font :func:`csworkbench.plots.cjk_font_file`
  finds) with fontTools into a WOFF2 subset, embedded as a base64 ``@font-face`` named
  ``CSW CJK`` that opens every font stack (the page's and plotly's).  It holds no Latin glyphs, so
  Latin text keeps the reader's fonts.  (Last in the stack, Chromium drew some CJK runs as boxes
  when no system CJK font was installed, so it goes first.)  The characters of GB2312 are cut
  from a prepared copy of the font (:func:`_prepared_font`: cut once to those characters, flat
  outlines on a 256-unit em, cached on disk), which makes a page's subset about 30 % smaller
  and three times faster to cut; a page with rarer characters is cut from the source font.
* **Long tables** (:func:`write_datatables`, :func:`page_script`): DataTables from itables'
  offline bundle, written once per run folder as ``csw-datatables.js`` (or inlined in a
  self-contained page) and loaded only by pages with a long table; without it the complete
  static table stays.  The page script also opens every ``<details>`` and shows every table row
  before printing.
* **Plotly missing or in Chinese** (:func:`plotly_guard`, :func:`plotly_locale`): a page copied
  alone without ``plotly.min.js`` says so where the charts would be; zh pages register a zh-CN
  locale (months, weekdays, mode-bar tips) — plotly's Python package ships no locale files,
  so the few strings are written here.

Every script here is a constant or built only from the i18n catalogue: :data:`OWN_SCRIPTS`
lists them, so a test can check that a page runs no other inline script.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any

from ..i18n import t

__all__ = [
    "APPENDIX_TAG",
    "DATATABLES_JS",
    "mark_appendix",
    "add_navigation",
    "drop_repeated_title",
    "short_heading_ids",
    "font_face",
    "font_subset",
    "write_datatables",
    "datatables_script",
    "page_script",
    "output_table_script",
    "datatables_bundle",
    "plotly_guard",
    "plotly_locale",
    "own_scripts",
]

APPENDIX_TAG = "appendix"
DATATABLES_JS = "csw-datatables.js"
_HEADING_LINE = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$", re.M)


# --------------------------------------------------------------------------- appendix


def _tags(cell: Any) -> list[str]:
    return list((cell.get("metadata") or {}).get("tags") or [])


def mark_appendix(nb: Any, lang: str) -> int:
    """Move the cells tagged ``appendix`` to the end and mark each run of them (in place).

    Marks (cell metadata): ``csw_appendix_start`` (the summary text) on a run's first cell,
    ``csw_appendix_end`` on its last, ``csw_appendix_first``/``csw_appendix_last`` on the very
    first and last.  Returns the number of sections.
    """
    cells = list(nb.cells)
    runs: list[list[Any]] = []
    body = []
    previous_tagged = False
    for cell in cells:
        tagged = APPENDIX_TAG in _tags(cell)
        if tagged:
            if not previous_tagged:
                runs.append([])
            runs[-1].append(cell)
        else:
            body.append(cell)
        previous_tagged = tagged
    for n, run in enumerate(runs, start=1):
        summary = t("display.appendix_item", lang, n=n)
        first = run[0]
        if first.get("cell_type") == "markdown":
            source = "".join(first.get("source") or "")
            match = _HEADING_LINE.search(source)
            if match:
                summary = re.sub(r"[*_`]", "", match.group(2)).strip() or summary
                first["source"] = source[: match.start()] + source[match.end() :].lstrip("\n")
        first.setdefault("metadata", {})["csw_appendix_start"] = summary
        run[-1].setdefault("metadata", {})["csw_appendix_end"] = True
    if runs:
        runs[0][0]["metadata"]["csw_appendix_first"] = True
        runs[-1][-1]["metadata"]["csw_appendix_last"] = True
    nb.cells = body + [cell for run in runs for cell in run]
    return len(runs)


# --------------------------------------------------------------------------- navigation

_HEADING = re.compile(r"<h([23])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def _heading_text(inner: str) -> str:
    inner = re.sub(r"<a\b[^>]*class=\"anchor-link\"[^>]*>.*?</a>", "", inner, flags=re.S)
    return html.unescape(_TAG.sub("", inner)).strip()


def add_navigation(page: str, lang: str, *, index_href: str = "../index.html") -> str:
    """Insert the back link and the table of contents after the page header.

    The contents list the body's ``h2``/``h3`` headings (not those in the appendix, which is
    listed once).  Nothing is added when the page has no ``</header>``.
    """
    marker = page.find("</header>")
    if marker < 0:
        return page
    appendix = page.find('id="csw-appendix"')
    main = page[marker : appendix if appendix > 0 else len(page)]
    items = []
    for level, anchor, inner in _HEADING.findall(main):
        text = _heading_text(inner)
        if text:
            cls = "csw-toc-h3" if level == "3" else "csw-toc-h2"
            items.append(f'<li class="{cls}"><a href="#{html.escape(anchor, quote=True)}">{html.escape(text)}</a></li>')
    if appendix > 0:
        items.append(
            f'<li class="csw-toc-h2"><a href="#csw-appendix">{html.escape(t("display.appendix", lang))}</a></li>'
        )
    toc = ""
    if items:
        toc = (
            f'<nav class="csw-toc" aria-label="{html.escape(t("display.contents", lang), quote=True)}">'
            f'<p class="csw-toc-title">{html.escape(t("display.contents", lang))}</p><ol>{"".join(items)}</ol></nav>'
        )
    back = f'<a class="csw-back" href="{html.escape(index_href, quote=True)}">{html.escape(t("display.back_to_index", lang))}</a>'
    head_end = page.find("<h1", page.rfind('<header class="csw-header"', 0, marker))
    if head_end > 0:
        page = page[:head_end] + back + page[head_end:]
        marker = page.find("</header>")
    return page[:marker] + "</header>" + toc + page[marker + len("</header>") :]


def drop_repeated_title(page: str, title: str) -> str:
    """Remove the body's first ``<h1>`` when it only repeats the page title (a notebook shows its
    own title for JupyterLab; the page header already has it), and its cell's wrapper when the
    heading was all it held.

    >>> drop_repeated_title('<header><h1>T</h1></header><main><h1 id="t">T<a class="anchor-link">¶</a></h1>x', "T")
    '<header><h1>T</h1></header><main>x'
    >>> drop_repeated_title('<header><h1>T</h1></header><div class="csw-md">\\n<h1>T</h1>\\n</div>\\nx', "T")
    '<header><h1>T</h1></header>x'
    """
    start = page.find("</header>")
    match = re.compile(r"<h1\b[^>]*>(.*?)</h1>\s*", re.S).search(page, max(start, 0))
    if start < 0 or match is None or _heading_text(match.group(1)) != title.strip():
        return page
    before, after = page[: match.start()], page[match.end() :]
    opened = re.search(r"<div class=\"csw-(?:cell|md)\b[^\"]*\">\s*$", before)
    closed = re.match(r"\s*</div>\s*", after)
    if opened and closed:
        before, after = before[: opened.start()], after[closed.end() :]
    return before + after


_ANCHOR_LINK = re.compile(r"<a\b[^>]*\bclass=\"anchor-link\"[^>]*>.*?</a>", re.S)
_LINKED_HEADING = re.compile(
    r"<h([1-6])\b([^>]*)>((?:(?!</h[1-6]>).)*?<a\b[^>]*\bclass=\"anchor-link\".*?)</h\1>", re.S
)
_ID_ATTR = re.compile(r"\sid=\"([^\"]*)\"")


def _short_id(text: str, taken: set[str]) -> str:
    """A short id for a heading: its words for ASCII text (``key-findings``), else ``h-`` and 8 hex
    digits of the text's SHA-1 (stable while the heading stays the same); ``-2``… when taken."""
    import hashlib

    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") if text.isascii() else ""
    if len(slug) > 40:
        slug = slug[:40].rsplit("-", 1)[0]
    base = slug or "h-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def short_heading_ids(page: str) -> str:
    """Give each Markdown heading a short id and drop its ``¶`` anchor link.

    nbconvert ids a heading by its percent-encoded text (a four-character Chinese heading makes a
    36-character id, written twice with the link); links to the old id (the contents, a
    ``[see](#…)`` in the text) are pointed at the new one.

    >>> short_heading_ids('<h2 id="%E7%BB%93">结<a class="anchor-link" href="#%E7%BB%93">¶</a></h2><a href="#%E7%BB%93">x</a>')
    '<h2 id="h-46d8a6a5">结</h2><a href="#h-46d8a6a5">x</a>'
    >>> short_heading_ids('<h3 id="Key-findings">Key findings<a class="anchor-link" href="#Key-findings">¶</a></h3>')
    '<h3 id="key-findings">Key findings</h3>'
    """
    from urllib.parse import unquote

    taken = set(_ID_ATTR.findall(page))
    renamed: dict[str, str] = {}

    def heading(match: re.Match[str]) -> str:
        level, attrs, inner = match.groups()
        old = _ID_ATTR.search(attrs)
        anchor = _short_id(_heading_text(inner), taken)
        if old is not None:
            renamed.setdefault(old.group(1), anchor)
            attrs = _ID_ATTR.sub("", attrs)
        return f'<h{level}{attrs} id="{anchor}">{_ANCHOR_LINK.sub("", inner)}</h{level}>'

    page = _LINKED_HEADING.sub(heading, page)
    if not renamed:
        return page
    for old, new in renamed.items():
        for spelling in {old, html.unescape(old), html.escape(unquote(html.unescape(old)), quote=True)}:
            page = page.replace(f'href="#{spelling}"', f'href="#{new}"')
    return page


# --------------------------------------------------------------------------- fonts

FONT_FAMILY = "CSW CJK"


def _cjk_font_path() -> Path | None:
    from ..plots import cjk_font_file

    return cjk_font_file()


#: Version of the recipe that prepares the common-character font (part of its cache key).
_PREPARED_RECIPE = 1
#: Units per em of the prepared font: glyph coordinates on a 256 grid (a rounding of at most
#: 1/512 em — 0.03 px at 16 px, 0.1 px on a 12 pt A4 print at 300 dpi) take one byte where the
#: source's 1000-unit grid takes two; measured: the page's subset is 30 % smaller.
_PREPARED_UPEM = 256


def _cache_dir() -> Path:
    """Where csworkbench keeps files it can rebuild: ``$CSW_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/csworkbench``, else ``~/.cache/csworkbench``."""
    import os

    if os.environ.get("CSW_CACHE_DIR"):
        return Path(os.environ["CSW_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "csworkbench"


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """The characters of the prepared font: every GB2312 character past U+2E7F (6,763 hanzi
    and the full-width symbols), CJK punctuation (U+3000–303F) and full-width forms."""
    chars = {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFFEF)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(c for c in chars if ord(c) > 0x2E7F)


def _subset_options(*, prepared: bool) -> Any:
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []
    options.name_IDs = [1, 2]
    options.notdef_outline = False
    options.glyph_names = False
    options.recalc_bounds = False  # measured: 0.45 s of 1.6 s; browsers do not read the boxes
    # the prepared font has neither subroutines nor hints left: nothing to remove again
    options.desubroutinize = not prepared  # measured: 6 % smaller and faster than keeping them
    options.hinting = prepared
    return options


@lru_cache(maxsize=1)
def _prepared_font() -> Path | None:
    """The bundled CJK font cut once to :func:`_common_chars`, without subroutines or hints,
    on a 256-unit em (a file in :func:`_cache_dir`, built on first use in about 10 s).

    Cutting a page's subset from it takes about a third of the time of cutting it from the
    16 MB source, and the subset is about 30 % smaller.  ``None`` when no font is installed or
    the file cannot be written anywhere (pages then cut from the source font).
    """
    import hashlib
    import os
    import tempfile

    import fontTools
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    source = _cjk_font_path()
    if source is None:
        return None
    stat = source.stat()
    key = f"{source.name}|{stat.st_size}|{stat.st_mtime_ns}|{fontTools.version}|{_PREPARED_RECIPE}|{_PREPARED_UPEM}"
    name = f"cjk-common-{hashlib.sha1(key.encode()).hexdigest()[:12]}.otf"
    for folder in (_cache_dir(), Path(tempfile.gettempdir()) / f"csworkbench-{os.getuid()}"):
        path = folder / name
        if path.exists():
            return path
        try:
            folder.mkdir(parents=True, exist_ok=True)
            font = TTFont(str(source), lazy=True, recalcBBoxes=False)
            subsetter = subset.Subsetter(_subset_options(prepared=False))
            subsetter.populate(unicodes=[ord(c) for c in _common_chars()])
            subsetter.subset(font)
            scale_upem(font, _PREPARED_UPEM)
            handle, scratch = tempfile.mkstemp(dir=folder, suffix=".otf.part")
            os.close(handle)
            font.save(scratch)
            os.chmod(scratch, 0o644)
            os.replace(scratch, path)  # two processes building at once: the last one wins, whole
            return path
        except OSError:
            continue
    return None


@lru_cache(maxsize=64)
def _subset_woff2(chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    prepared = _prepared_font() if set(chars) <= _common_chars() else None
    path = prepared or _cjk_font_path()
    if path is None:
        return b""
    options = _subset_options(prepared=prepared is not None)
    options.flavor = "woff2"
    font = TTFont(str(path), lazy=True, recalcBBoxes=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def _page_chars(texts: Iterable[str]) -> str:
    chars: set[str] = set()
    for text in texts:
        chars.update(c for c in text if ord(c) > 0x2E7F)  # CJK and full-width forms
    escaped = set()
    for text in texts:  # plotly writes non-ASCII in its JSON as \\uXXXX
        for code in re.findall(r"\\u([0-9a-fA-F]{4})", text):
            if int(code, 16) > 0x2E7F:
                escaped.add(chr(int(code, 16)))
    return "".join(sorted(chars | escaped))


def font_subset(*texts: str) -> bytes:
    """The bundled CJK font cut to the CJK characters in ``texts``, as WOFF2 bytes (``b""`` when
    there are none or no font is installed); what :func:`font_face` embeds, for a file of its
    own (the course book ships one for all its pages)."""
    chars = _page_chars(texts)
    return _subset_woff2(chars) if chars else b""


def font_face(*texts: str) -> str:
    """A ``@font-face`` rule embedding the bundled CJK font cut to the characters in ``texts``
    ("" when there are none or no font is installed)."""
    chars = _page_chars(texts)
    if not chars:
        return ""
    try:
        data = _subset_woff2(chars)
    except Exception:  # a broken font file must not stop a report; the system fonts remain
        return ""
    if not data:
        return ""
    b64 = base64.b64encode(data).decode("ascii")
    return f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url(data:font/woff2;base64,{b64}) format('woff2'); font-display: swap; }}"


# --------------------------------------------------------------------------- scripts


@lru_cache(maxsize=1)
def _datatables_bundle() -> str:
    import itables

    folder = Path(itables.__file__).resolve().parent / "html"
    js = (folder / "dt_bundle.js").read_text(encoding="utf-8")
    css = (folder / "dt_bundle.css").read_text(encoding="utf-8")
    body = f"window.cswDtSrc = {json.dumps(js)};\nwindow.cswDtCss = {json.dumps(css)};\n"
    return body.replace("<", "\\u003c")  # safe to inline in a <script>


def datatables_bundle() -> str:
    """itables' offline DataTables bundle as a classic script (``window.cswDtSrc``/``cswDtCss``)."""
    return _datatables_bundle()


def write_datatables(folder: str | PathLike) -> Path:
    """Write itables' DataTables bundle (as a classic script) to ``folder/csw-datatables.js``."""
    from .files import atomic_write_text

    path = Path(folder) / DATATABLES_JS
    body = _datatables_bundle()
    if not path.exists() or path.stat().st_size != len(body.encode("utf-8")):
        atomic_write_text(path, body)
    return path


def datatables_script(src: str | None) -> str:
    """The ``<script>`` loading the bundle (``src=None``: inlined)."""
    if src is None:
        return f'<script type="text/javascript" data-csw="datatables">{_datatables_bundle()}</script>'
    return f'<script type="text/javascript" src="{html.escape(src, quote=True)}"></script>'


_PRINT_JS = """  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.setAttribute('open', ''); });
  });
"""
_TABLES_JS = """  var tables = SCOPE.querySelectorAll('table.csw-long');
  if (!tables.length || !window.cswDtSrc) { return; }
  var style = document.createElement('style');
  style.textContent = window.cswDtCss;
  document.head.appendChild(style);
  var url = URL.createObjectURL(new Blob([window.cswDtSrc], {type: 'text/javascript'}));
  import(url).then(function (mod) {
    var DataTable = mod.default;
    tables.forEach(function (table) {
      var dt = new DataTable(table, {order: [], pageLength: 15, lengthMenu: [15, 30, 60, 120], autoWidth: false, language: LANGUAGE});
      window.addEventListener('beforeprint', function () { dt.page.len(-1).draw(); });
    });
  }).catch(function () {});
"""


def _tables_js(lang: str, scope: str) -> str:
    """The DataTables part of the scripts: every ``table.csw-long`` under ``scope`` (a JS expression)."""
    language = {
        "search": t("display.dt_search", lang),
        "info": t("display.dt_info", lang),
        "infoEmpty": t("display.dt_info_empty", lang),
        "infoFiltered": t("display.dt_info_filtered", lang),
        "lengthMenu": t("display.dt_length", lang),
        "zeroRecords": t("display.dt_zero", lang),
        "emptyTable": t("display.dt_info_empty", lang),
    }
    text = json.dumps(language, ensure_ascii=False).replace("<", "\\u003c")
    return _TABLES_JS.replace("SCOPE", scope).replace("LANGUAGE", text)


def page_script(lang: str) -> str:
    """The page's own script: open details and show all rows for print; long tables paged.

    Also the course book's script (book/conf.py ships it as ``_static/csw-page-zh.js``).
    """
    return "(function () {\n" + _PRINT_JS + _tables_js(lang, "document") + "})();"


def output_table_script(lang: str) -> str:
    """The same DataTables set-up for one notebook output: the long tables next to the script.

    For a ``<script>`` inside a JupyterLab ``text/html`` output (``document.currentScript`` is
    read before anything else); it does nothing until the bundle (:func:`datatables_bundle`) ran.
    """
    return "(function () {\n" + _tables_js(lang, "document.currentScript.parentNode") + "})();"


_GUARD_JS = (
    "if (!window.Plotly) { document.documentElement.className += ' csw-no-plotly'; }\n"
    "window.cswDraw = function (draw) { var f = document.fonts;"
    f" if (f && f.load) {{ f.load('1em \"{FONT_FAMILY}\"', '\\u4e2d').then(draw, draw); }} else {{ draw(); }} }};"
)


def plotly_guard() -> str:
    """Marks the page when plotly.js did not load, so the notice in the header shows; defines
    ``cswDraw(draw)``, which runs a chart's ``Plotly.newPlot`` once the page's CJK font has
    loaded: plotly measures each label once and keeps the width, so a chart drawn with the
    fallback font kept labels too narrow for the CJK glyphs (text across the pyramid's bars)."""
    return _GUARD_JS


_ZH_LOCALE = {
    "moduleType": "locale",
    "name": "zh-CN",
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "矩形选择",
        "Click to enter Colorscale title": "点击输入色阶标题",
        "Compare data on hover": "悬停时比较数据",
        "Double-click to zoom back out": "双击返回缩放",
        "Download plot as a png": "下载图表为 PNG 图片",
        "Download plot": "下载图表",
        "Lasso Select": "套索选择",
        "Orbital rotation": "轨道旋转",
        "Pan": "平移",
        "Produced with Plotly.js": "由 Plotly.js 生成",
        "Reset": "重置",
        "Reset axes": "重置坐标轴",
        "Reset camera to default": "重置镜头视角",
        "Reset view": "重置视图",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Toggle Spike Lines": "切换显示参考线",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "trace": "数据",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
    },
}


def plotly_locale(lang: str) -> str:
    """The script registering plotly's zh-CN locale ("" for English)."""
    if lang != "zh":
        return ""
    return f"if (window.Plotly) {{ Plotly.register({json.dumps(_ZH_LOCALE, ensure_ascii=False)}); }}"


def own_scripts() -> list[str]:
    """Every inline script body a page may carry besides ``Plotly.newPlot`` calls."""
    return [page_script("zh"), page_script("en"), plotly_guard(), plotly_locale("zh"), _datatables_bundle()]
