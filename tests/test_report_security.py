"""Security of published reports (报告安全): payloads rendered in headless Chromium, PII, local paths.

One batch run (:func:`csworkbench.reporting.run_reports`, the real pipeline: papermill →
offline HTML → index) over every analysis notebook, fed with hostile input:

* **parameters** — every report's ``title`` and the run's title hold all payloads; grid
  values hold them too (a SERVQUAL dimension name in ``mapping``, a drivers ``target`` and
  ``predictors`` naming payload columns, a ``calibration_end`` that fails the report);
* **column names** — a transactions file and an ECSI survey whose headers are payloads;
* **data values** — customer ids, a bad ``amount`` cell, SERVQUAL item names, complaint
  stories, complainants and categories (the last reach plotly axis labels and hover text);
* **file names** — data files named ``"><img src=x onerror=…> & 'q'.csv`` and
  ``<svg onload=…>.csv``, and a corrupt file in a folder named with a payload (its error
  message, with the absolute path, reaches the index).

Each payload, if it ever ran, would append its place and name to ``data-xss`` on ``<html>``.  Every page is opened in headless Chromium after a script we add has hovered
over the points of every plotly chart (hover labels are built only then), and the
rendered DOM must carry no ``data-xss`` attribute and no ``javascript:`` URL.  Static checks:
no page has a tag holding a payload, every inline script is one we wrote, ``{{7*7191}}`` is
never evaluated, and where a payload is shown it is shown as text.

PII: the complaint log carries mobile numbers, resident ID numbers, bank cards and
e-mails in its stories, requests and contacts; none may appear in any published page
(plotly JSON and tables included).  Paths: no page or index contains the project folder,
the home folder, the temp folder or a (non-trivial) login name; the header shows input
files by name with their SHA-256.

Needs ``/usr/bin/chromium`` (``apt-get install -y chromium``); skipped without it unless
``CSW_REQUIRE_CHROMIUM=1`` (then it is an error), as in ``test_reporting_chromium.py``.
"""

from __future__ import annotations

import getpass
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from browser import chromium_command, chromium_or_skip

from csworkbench import config
from csworkbench.complaints.privacy import luhn_ok, valid_id_number
from csworkbench.datasets import load_cdnow, load_ecsi
from csworkbench.datasets.complaints import make_complaints
from csworkbench.datasets.servqual import SERVQUAL_DIMENSIONS, make_servqual_survey
from csworkbench.reporting import load_run, run_reports

pytestmark = pytest.mark.notebook

CHROMIUM = chromium_or_skip()
ROOT = Path(__file__).resolve().parent.parent

# ----------------------------------------------------------------------------- payloads

MARK = "data-xss"


def _js(tag: str) -> str:
    # appends, so every payload that ran is listed ("undefined|tiers:img|tiers:svg"); no spaces,
    # so it also works as an unquoted attribute value
    return f"top.document.documentElement.dataset.xss+='|{tag}'"  # top: also from inside an iframe


#: name → payload; ``{js}`` is the marker call.  All of them, joined, go wherever text can go.
PAYLOADS = {
    "script": "<script>{js}</script>",
    "img": '<img src=x onerror="{js}">',
    "svg": "<svg onload={js}>",
    "attr": '"><script>{js}</script>',
    "title": "</title><script>{js}</script>",
    "jsurl": '<a href="javascript:{js}">jsurl</a>',
    "iframe": '<iframe src="javascript:{js}"></iframe>',
    "style": "<style>@import url(javascript:{js});</style>",
    "template": "{{{{7*7191}}}} {{% raw %}}",
}
TEMPLATE_RESULT = "50337"  # 7*7191: must never appear (no template engine evaluates user text)
#: Payloads possible in a file name (no "/"), with quotes and ampersands.
FILE_PAYLOADS = ("img", "svg")


def payload(name: str, place: str) -> str:
    return PAYLOADS[name].format(js=_js(f"{place}:{name}"))


def all_payloads(place: str) -> str:
    return " ".join(payload(name, place) for name in PAYLOADS)


def file_payload(place: str) -> str:
    img = payload("img", place).replace("/", "")
    return f"\"><{img[1:]} & 'q' {payload('svg', place + '2')}"


# ----------------------------------------------------------------------------- PII


def _id_number(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def _card(prefix: str) -> str:
    for last in "0123456789":
        if luhn_ok(prefix + last):
            return prefix + last
    raise AssertionError("unreachable")


PHONES = ["13812345678", "+86 139-2345-6789", "150 3456 7890"]
IDS = ["11010519491231002X", _id_number("44030819900101123")]
CARDS = ["4111 1111 1111 1111", _card("622202123456789012")]
EMAILS = ["zhang.san@qq.com", "li_si+vip@example.com.cn"]
assert all(valid_id_number(i) for i in IDS) and all(luhn_ok(c) for c in CARDS)


def _digits(text: str) -> str:
    return re.sub(r"[\s\-+]", "", text)


# ----------------------------------------------------------------------------- the run


def _write_inputs(folder: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    # transactions: payload customer ids (the top customers, so they reach every top list),
    # a payload column header, a bad amount holding a payload; file name with a payload
    tx = load_cdnow(sample=True)[["customer_id", "date", "amount", "quantity"]].copy()
    tx["date"] = tx["date"].dt.strftime("%Y-%m-%d")
    top = tx.groupby("customer_id")["amount"].sum().nlargest(3).index
    for i, cid in enumerate(top):
        tx.loc[tx["customer_id"] == cid, "customer_id"] = payload(("img", "svg", "script")[i], f"custid{i}")
    tx[all_payloads("txcolumn")] = "x"
    files["tiers"] = folder / f"tiers {file_payload('file-tiers')}.csv"
    tx.to_csv(files["tiers"], index=False)
    bad = tx.head(400).copy()
    bad["amount"] = bad["amount"].astype(object)
    bad.loc[bad.index[7], "amount"] = payload("img", "amountcell")
    files["overview"] = folder / f"{file_payload('file-overview')}.csv"
    bad.to_csv(files["overview"], index=False)
    # complaints: every story carries all payloads and PII; payload complainants/categories
    cx = make_complaints(240, lang="en", random_state=3)
    names = list(PAYLOADS)
    pii = [
        f"电话{PHONES[0]}或{PHONES[1]}，身份证{IDS[0]}，卡号{CARDS[0]}，邮箱{EMAILS[0]}。",
        f"联系 {PHONES[2]} / {EMAILS[1]}，身份证 {IDS[1]}，卡 {CARDS[1]}。",
    ]
    story = cx["story"].astype(str).tolist()
    for i in range(len(story)):
        if i % 3 == 0:  # a payload first, so it survives the examples' 160-character cut
            # (with PII too, sometimes first: the problem table lists stories holding markup)
            parts = [payload(names[(i // 3) % len(names)], "story") + " ", pii[i % 2]]
            story[i] = "".join(parts if i % 6 == 0 else parts[::-1]) + story[i]
        elif i % 3 == 1:
            story[i] = pii[(i // 3) % 2] + story[i]
    cx["story"] = story
    cx["request"] = [r + (" " + pii[i % 2] if i % 4 == 1 else "") for i, r in enumerate(cx["request"].astype(str))]
    cx["contact"] = [PHONES[i % 3] if i % 2 else EMAILS[i % 2] for i in range(len(cx))]
    cx.loc[cx.index[::15], "complainant"] = payload("img", "complainant")
    cx["category"] = cx["category"].astype(str).replace({"staff_attitude": payload("svg", "category")})
    files["complaints"] = folder / f"complaints {payload('svg', 'file-complaints')}.csv"
    cx.to_csv(files["complaints"], index=False)
    # SERVQUAL answers: one item renamed to a payload (mapped into a payload dimension)
    sq = make_servqual_survey(40, random_state=1, segments=["north", "south"])
    sq["item"] = sq["item"].astype(str).replace({"q22": payload("img", "sqitem")})
    files["servqual"] = folder / f"servqual {payload('img', 'file-sq').replace('/', '')}.csv"
    sq.to_csv(files["servqual"], index=False)
    # ECSI survey with a payload-named column, used as the drivers target
    ecsi = load_ecsi()
    ecsi[payload("svg", "target")] = ecsi["sat1"]
    files["ecsi"] = folder / "ecsi.csv"
    ecsi.to_csv(files["ecsi"], index=False)
    # a corrupt file in a folder named with a payload: the error quotes the absolute path
    broken = folder / payload("svg", "folder").replace("/", "")
    broken.mkdir()
    files["broken"] = broken / "broken.parquet"
    files["broken"].write_bytes(b"PAR1 not really parquet")
    return files


@pytest.fixture(scope="module")
def secure_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("security")
    files = _write_inputs(tmp)
    mapping = {k: list(v) for k, v in SERVQUAL_DIMENSIONS.items()}
    mapping["empathy"] = mapping["empathy"][:-1] + [payload("img", "sqitem")]  # a grid value with a payload
    target = payload("svg", "target")
    spec = load_run(
        {
            "output": str(tmp / "out"),
            "run_id": "security",
            "title": all_payloads("runtitle"),
            "notebooks": [
                {
                    "name": "overview",
                    "grid": [
                        {"title": all_payloads("overview"), "data_path": str(files["overview"]), "lang": "en"},
                        {"title": "broken", "data_path": str(files["broken"]), "lang": "en"},
                    ],
                },
                {
                    "name": "customer_tiers",
                    "grid": [
                        {"title": all_payloads("tiers"), "data_path": str(files["tiers"])},
                        {"title": "bad date", "calibration_end": all_payloads("calibration")},
                    ],
                },
                {
                    "name": "complaints",
                    "grid": [
                        {"title": all_payloads("complaints"), "data_path": str(files["complaints"]), "lang": "zh"},
                    ],
                },
                {
                    "name": "service_quality",
                    "grid": [
                        {"title": all_payloads("servqual"), "data_path": str(files["servqual"]), "mapping": mapping},
                    ],
                },
                {
                    "name": "satisfaction_drivers",
                    "grid": [
                        {
                            "title": all_payloads("drivers"),
                            "data_path": str(files["ecsi"]),
                            "target": target,
                            "predictors": ["imag1", "expe1", "qual1"],
                            "n_boot": 10,
                            "lang": "en",
                        },
                    ],
                },
            ],
        },
        base=ROOT,
    )
    result = run_reports(spec, workers=2, progress=False, timeout=300, base=ROOT)
    records = {(r["notebook"], r["parameters"].get("title")): r for r in result.records}
    pages = {r["notebook"] + ("" if r["status"] == "ok" else "-failed"): r for r in result.records}
    return {"tmp": tmp, "files": files, "run_dir": spec.run_dir, "result": result, "records": records, "pages": pages}


def _ok_pages(run) -> dict[str, Path]:
    return {r["notebook"]: run["run_dir"] / r["html"] for r in run["result"].records if r["status"] == "ok"}


def test_the_hostile_run_publishes_every_report_it_should(secure_run):
    status = {(r["notebook"], r["parameters"].get("title")): r["status"] for r in secure_run["result"].records}
    failed = {k: r["error"] for k, r in secure_run["records"].items() if r["status"] != "ok"}
    assert set(_ok_pages(secure_run)) == {
        "overview",
        "customer_tiers",
        "complaints",
        "service_quality",
        "satisfaction_drivers",
    }, failed
    assert status[("overview", "broken")] == "failed" and status[("customer_tiers", "bad date")] == "failed"


# ----------------------------------------------------------------------------- Chromium

_HOVER = """<script>
window.addEventListener('load', function () { setTimeout(function () {
  var n = 0;
  document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
    (gd.data || []).forEach(function (trace, i) {
      var len = (trace.x || trace.y || trace.labels || trace.values || trace.z || []).length || 1;
      for (var j = 0; j < Math.min(len, 25); j++) {
        try { Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber: j}]); n += gd.querySelectorAll('.hovertext').length; } catch (e) {}
      }
    });
  });
  document.body.setAttribute('data-hovered', String(n));
}, 1500); });
</script>"""


def _dump_dom(page: Path, tmp: Path, hover: bool) -> str:
    if hover:  # a copy next to the page (so ../plotly.min.js resolves) with our hover script
        copy = page.with_name(page.stem + ".hover-test.html")
        copy.write_text(page.read_text(encoding="utf-8").replace("</body>", _HOVER + "</body>", 1), encoding="utf-8")
        page = copy
    profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=tmp))
    cmd = chromium_command(CHROMIUM, profile, page, "--dump-dom", budget_ms=12000)
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=dict(os.environ, HOME=str(tmp)))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        if hover:
            page.unlink(missing_ok=True)
    if out.returncode != 0 or not out.stdout:
        pytest.fail(f"chromium failed ({out.returncode}): {out.stderr[-2000:]}")
    return out.stdout


@pytest.fixture(scope="module")
def rendered(secure_run):
    """Every published page (and the index) after Chromium ran it: name → (raw html, DOM)."""
    out = {}
    for name, page in sorted(_ok_pages(secure_run).items()):
        out[name] = (page.read_text(encoding="utf-8"), _dump_dom(page, secure_run["tmp"], hover=True))
    index = secure_run["run_dir"] / "index.html"
    out["index"] = (index.read_text(encoding="utf-8"), _dump_dom(index, secure_run["tmp"], hover=False))
    return out


_URL_ATTRS = ("href", "src", "xlink:href", "action", "formaction", "data", "srcdoc", "poster", "background")
_OUR_CSV = re.compile(r"data:text/csv;charset=utf-8;base64,[A-Za-z0-9+/=]*")


def _our_csv_link(tag, attr: str) -> bool:
    """The display layer's CSV download: ``<a class="csw-download" download=… href="data:text/csv;…base64,…">``
    (an output cannot forge it: the sanitizer allows ``data:`` URLs only as image sources)."""
    return (
        tag.name == "a"
        and attr == "href"
        and tag.has_attr("download")
        and "csw-download" in (tag.get("class") or [])
        and bool(_OUR_CSV.fullmatch(tag[attr]))
    )


def _parse(dom: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(dom, "html.parser")


def test_no_payload_runs_in_chromium(rendered):
    found = []
    for name, (_, dom) in rendered.items():
        soup = _parse(dom)
        ran = [t.get(MARK) for t in soup.find_all(True) if t.get(MARK) is not None]
        found += [(name, "ran", r) for r in ran]
        found += [
            (name, "script URL", f"<{tag.name} {attr}={tag[attr][:50]}>")
            for tag in soup.find_all(True)
            for attr in _URL_ATTRS
            if isinstance(tag.get(attr), str)
            and re.sub(r"\s", "", tag[attr]).lower().startswith(("javascript:", "vbscript:", "data:text"))
            and not _our_csv_link(tag, attr)
        ]
        found += [
            (name, "handler", f"<{tag.name} {a}>")
            for tag in soup.find_all(True)
            for a in tag.attrs
            if a.lower().startswith("on")
        ]
        found += [(name, "element", f"<{tag.name}>") for tag in soup.find_all(["iframe", "object", "embed", "frame"])]
    assert found == [], "\n".join(map(str, found))


def test_charts_rendered_and_hovered_so_hover_text_was_exercised(rendered):
    hovered = {}
    for name, (_, dom) in rendered.items():
        if name == "index":
            continue
        assert dom.count('class="main-svg"') >= 2, f"{name}: plotly did not draw"
        hovered[name] = int(re.search(r'data-hovered="(\d+)"', dom).group(1))
    assert all(n > 0 for n in hovered.values()), hovered


def _visible_text(dom: str) -> str:
    soup = _parse(dom)
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup.get_text(" ")


def test_payloads_are_shown_as_text_where_they_are_shown(rendered, secure_run):
    text = {name: _visible_text(dom) for name, (_, dom) in rendered.items()}
    # the page title (header, Markdown heading) shows every payload, as text
    titles = [
        ("overview", "overview"),
        ("customer_tiers", "tiers"),
        ("complaints", "complaints"),
        ("service_quality", "servqual"),
        ("satisfaction_drivers", "drivers"),
    ]
    shown = {(nb, f"{place}:{p}") for nb, place in titles for p in PAYLOADS if p != "template"} | {
        ("index", "runtitle:script"),
        ("index", "runtitle:jsurl"),  # run title
        ("index", "overview:img"),
        ("index", "drivers:svg"),  # parameters in the index
        ("index", "calibration:script"),  # a failed report's error message
        ("complaints", "category:svg"),  # category (table, chart axis)
        ("satisfaction_drivers", "target:svg"),  # a column name (target)
    }
    missing = []
    for page, tag in sorted(shown):
        place, name = tag.split(":")
        if payload(name, place) not in text[page]:
            missing.append((page, tag))
    assert missing == [], missing
    # complaint examples (two per category, cut by pandas to 50 characters) show stories as text
    assert sum(payload(name, "story")[:40] in text["complaints"] for name in PAYLOADS if name != "template") >= 2
    # a bad cell in the problem table (cut to 60 characters there)
    assert payload("img", "amountcell")[:50] in text["overview"]
    # a grid value (a SERVQUAL mapping naming a payload item) in the header's parameters, as JSON
    assert json.dumps(payload("img", "sqitem"))[1:-1] in text["service_quality"]
    # the title shows whole, as text (not a broken <img>): in the header, and in the notebook's own
    # Markdown heading unless the exporter dropped that as a repeat of the header's
    for nb, place in titles[1:]:
        headings = [h.get_text() for h in _parse(rendered[nb][1]).find_all("h1")]
        assert any(all_payloads(place) in h for h in headings), (nb, headings)
    # file names with quotes, ampersands and markup are shown as text in the header
    assert file_payload("file-overview") + ".csv" in text["overview"]


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)


def _own_scripts() -> list[str]:
    from csworkbench.reporting.page import own_scripts

    return own_scripts()


OWN_SCRIPTS = _own_scripts()


def test_static_html_has_no_live_payload_and_only_our_scripts(rendered):
    found = []
    for name, (raw, _) in rendered.items():
        # as a browser parses the file: no element or attribute a payload could have created
        soup = _parse(raw)
        found += [
            (name, "handler", f"<{tag.name} {a}>")
            for tag in soup.find_all(True)
            for a in tag.attrs
            if a.lower().startswith("on")
        ]
        found += [
            (name, "element", f"<{tag.name}>")
            for tag in soup.find_all(["iframe", "object", "embed", "svg", "frame", "base", "form"])
        ]
        found += [(name, "meta refresh", str(tag)[:80]) for tag in soup.find_all("meta") if tag.get("http-equiv")]
        found += [
            (name, "stylesheet", tag.get_text()[:80])
            for tag in soup.find_all("style")  # (the embedded font's base64 may spell "xss" by chance)
            if "xss" in re.sub(r"base64,[A-Za-z0-9+/=]+", "", tag.get_text()) or "@import" in tag.get_text()
        ]
        if TEMPLATE_RESULT in raw:
            found.append((name, "template evaluated", TEMPLATE_RESULT))
        for attrs, body in _SCRIPT.findall(raw):
            if "src=" in attrs:
                if not re.search(r"""src=["']\.\./(plotly\.min|csw-datatables)\.js["']""", attrs):
                    found.append((name, "foreign script", attrs))
            elif 'data-csw="templates"' in attrs:  # the charts' theme, once per page (plotly-escaped JSON)
                if not re.fullmatch(r"window\.cswTemplates = \[.*\];", body, re.S) or "<" in body:
                    found.append((name, "changed templates script", body[:100]))
            elif "data-csw=" in attrs:
                if body not in OWN_SCRIPTS:  # the page's own scripts are constants (reporting.page)
                    found.append((name, "changed page script", body[:100]))
            elif not ("Plotly.newPlot" in body or "table.csw-index" in body):
                found.append((name, "inline script", body[:100]))
            elif "<" in body and "table.csw-index" not in body:
                found.append((name, "markup inside a plotly script", body[body.index("<") - 40 : body.index("<") + 60]))
    assert found == [], "\n".join(map(str, found))
    # the payloads reached the plotly JSON (axis labels, hover text), escaped by plotly
    # (plotly turns "<" into \u003c; the complaint charts escape their labels before that)
    for name, place in [("complaints", "category:svg"), ("service_quality", "sqitem:img")]:
        scripts = "".join(body for _, body in _SCRIPT.findall(rendered[name][0]))
        assert f"|{place}'" in scripts or f"|{place}&#x27;" in scripts, name


# ----------------------------------------------------------------------------- PII


def test_no_pii_in_any_published_page(secure_run):
    pages = [p for p in secure_run["run_dir"].rglob("*.html")]
    assert any("complaints" in p.parts for p in pages)
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        flat = _digits(raw)
        for number in PHONES:
            assert _digits(number)[-11:] not in flat, f"{page.name}: phone {number}"
        for number in IDS + CARDS:
            assert _digits(number) not in flat, f"{page.name}: {number}"
        for address in EMAILS:
            assert address not in raw and html.escape(address) not in raw, f"{page.name}: {address}"
    complaints = (
        secure_run["run_dir"] / next(r["html"] for r in secure_run["result"].records if r["notebook"] == "complaints")
    ).read_text()
    assert "138****5678" in complaints and "z***@qq.com" in complaints  # masked, still readable


# ----------------------------------------------------------------------------- local paths


def _local_strings(tmp: Path) -> list[str]:
    out = {str(config.PROJECT_ROOT), str(Path.home()), str(tmp), tempfile.gettempdir() + "/", "/tmp/", "pytest-of-"}
    user = getpass.getuser()
    if len(user) >= 4 and user.lower() not in {"root", "user", "admin", "test", "jovyan", "runner", "ubuntu"}:
        out.add(user)
    return sorted(s for s in out if len(s) > 1)


def test_no_local_paths_or_user_names_in_pages_and_index(secure_run, rendered):
    needles = _local_strings(secure_run["tmp"])
    leaks = [
        (name, n, raw[max(0, raw.find(n) - 50) : raw.find(n) + 70])
        for name, (raw, _) in rendered.items()
        for n in needles
        if n in raw
    ]
    assert leaks == [], "\n".join(map(str, leaks))
    # the broken file's error (pyarrow quotes the absolute path) reaches the index without it
    index = rendered["index"][0]
    assert "broken.parquet" in index and "not a readable Parquet file" in index


def test_provenance_shows_relative_names_and_hashes(secure_run):
    run, files = secure_run, secure_run["files"]
    for notebook, key in [("overview", "overview"), ("complaints", "complaints"), ("service_quality", "servqual")]:
        rec = next(r for r in run["result"].records if r["notebook"] == notebook and r["status"] == "ok")
        raw = (run["run_dir"] / rec["html"]).read_text(encoding="utf-8")
        header = raw[raw.index('<header class="csw-header">') : raw.index("</header>")]
        sha = hashlib.sha256(files[key].read_bytes()).hexdigest()
        assert sha[:12] in header and sha in header, notebook
        assert html.escape(files[key].name, quote=False) in header, notebook
        assert str(files[key].parent) not in header, (notebook, header)
        assert "../" not in header.replace('href="../index.html"', ""), notebook  # only the back link climbs
    bundled = (
        run["run_dir"]
        / next(r["html"] for r in run["result"].records if r["notebook"] == "customer_tiers" and r["status"] == "ok")
    ).read_text()
    assert "tiers " in bundled and str(run["tmp"]) not in bundled


def test_status_json_provenance_and_errors_hold_no_local_paths(secure_run):
    """status.json sits next to the pages: its provenance is a relative name plus the hash, and
    the errors it records are cut like the pages' (the parameters stay as the user gave them)."""
    import json

    status = json.loads((secure_run["run_dir"] / "status.json").read_text(encoding="utf-8"))
    records = status["reports"] if isinstance(status, dict) and "reports" in status else status
    needles = _local_strings(secure_run["tmp"])
    for rec in records:
        shown = json.dumps({k: v for k, v in rec.items() if k != "parameters"}, ensure_ascii=False)
        leaks = [n for n in needles if n in shown]
        assert leaks == [], (rec["notebook"], leaks, shown[:400])
        assert not str(rec.get("data_file") or "").startswith(("/", "..")), rec["data_file"]
        for meta in (rec.get("inputs") or {}).values():
            assert not meta["file"].startswith(("/", "..")) and (meta["sha256"] is None or len(meta["sha256"]) == 64)
    broken = [r for r in records if r["status"] == "failed" and "broken" in str(r.get("data_file"))]
    assert broken and "not a readable Parquet file" in broken[0]["error"]


# ----------------------------------------------------------------------------- the sanitizer alone

#: Classic filter bypasses (mutation XSS, obfuscated URLs, CSS, meta refresh …), each as an
#: HTML output and as a Markdown output of a notebook exported without running a kernel.
BYPASSES = [
    '<noscript><p title="</noscript><img src=x onerror={js}>">',
    "<math><mtext><table><mglyph><style><img src=x onerror={js}></style></mglyph></table></mtext></math>",
    "<svg><style><img src=x onerror={js}></style></svg>",
    '<a href="jav&#x09;ascript:{js}">tab</a>',
    '<a href=" JaVaScRiPt:{js}">case</a>',
    '<a href="data:text/html,&lt;script&gt;{js}&lt;/script&gt;">data</a>',
    '<img src="data:text/html,x" onerror="{js}">',
    '<form action="javascript:{js}"><button>go</button></form>',
    '<base href="javascript:{js}//">',
    '<meta http-equiv="refresh" content="0;url=javascript:{js}">',
    '<object data="javascript:{js}"></object>',
    '<embed src="javascript:{js}">',
    '<div style="background:url(javascript:{js})">css</div>',
    "<style>*{{background:url('javascript:{js}')}}</style>",
    '<table background="javascript:{js}"><tr><td>x</td></tr></table>',
    '<details open ontoggle="{js}">d</details>',
    '<video><source onerror="{js}"></video>',
    '<body onload="{js}">',
    "<img src=x:x onerror={js}//",
    "<scr<script>ipt>{js}</scr</script>ipt>",
    '<!--<img src="--><img src=x onerror={js}//">',
]


def test_sanitizer_holds_against_known_bypasses_in_chromium(tmp_path):
    import nbformat

    from csworkbench.reporting.html import export_html, write_plotlyjs

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    for i, vector in enumerate(BYPASSES):
        for kind in ("text/html", "text/markdown"):
            code = vector.format(js=_js(f"bypass{i}:{kind}"))
            cell.outputs.append(nbformat.v4.new_output("display_data", data={kind: code, "text/plain": "x"}))
    cell.outputs.append(nbformat.v4.new_output("display_data", data={"application/javascript": _js("js-output")}))
    cell.outputs.append(
        nbformat.v4.new_output("stream", name="stdout", text=f"{config.PROJECT_ROOT}/x.py and {Path.home()}/y\n")
    )
    nb.cells = [cell]
    (tmp_path / "nb").mkdir()
    write_plotlyjs(tmp_path)
    page = tmp_path / "nb" / "page.html"
    page.write_text(export_html(nb, title="bypasses", parameters={}, lang="en"), encoding="utf-8")
    dom = _dump_dom(page, tmp_path, hover=False)
    soup = _parse(dom)
    ran = [t.get(MARK) for t in soup.find_all(True) if t.get(MARK) is not None]
    assert ran == []
    assert [(t.name, a) for t in soup.find_all(True) for a in t.attrs if a.lower().startswith("on")] == []
    bad_urls = [
        (t.name, a, t[a])
        for t in soup.find_all(True)
        for a in _URL_ATTRS
        if isinstance(t.get(a), str)
        and re.sub(r"[\s\x00-\x1f]", "", html.unescape(t[a])).lower().startswith(("javascript:", "data:text"))
    ]
    assert bad_urls == []
    assert soup.find_all(["iframe", "object", "embed", "form", "base", "video", "source"]) == []
    assert [m for m in soup.find_all("meta") if m.get("http-equiv")] == []
    raw = page.read_text(encoding="utf-8")
    assert "url(javascript" not in raw.replace(" ", "").lower() and "url('javascript" not in raw.lower()
    assert str(config.PROJECT_ROOT) not in raw and str(Path.home()) + "/" not in raw and "x.py and ~/y" in raw


# ----------------------------------------------------------------------------- display layer


def test_display_outputs_show_payloads_as_text_and_forged_payloads_are_dropped(tmp_path):
    """Every text the display layer writes (cells, headings, caption, footnote, tile labels and
    units, findings, provenance) is escaped; a table payload of the wrong shape is not shown; a
    Markdown link in the title stays text; the key-figure bundle never reaches the page."""
    import nbformat
    import pandas as pd

    from csworkbench.reporting import display as d
    from csworkbench.reporting.html import export_html, write_plotlyjs

    bundles: list[dict] = []
    original = d._display
    d._display = lambda bundle: bundles.append(json.loads(json.dumps(dict(bundle))))
    try:
        frame = pd.DataFrame({all_payloads("colname"): [all_payloads("cell")] * 20, "n": range(20)})
        d.show_table(frame, lang="en", caption=all_payloads("caption"), footnote=all_payloads("foot"))
        d.show_table(frame.head(3), lang="en", labels={"n": all_payloads("label")})
        d.kpi_tiles([d.KPI("k", all_payloads("kpilabel"), 1.5, all_payloads("unit"))], lang="en")
        d.findings([all_payloads("finding")], [{"text": all_payloads("action"), "flag": True}], lang="en")
        d.provenance(lang="en", data=all_payloads("dataname"), period=all_payloads("period"), n=3)
    finally:
        d._display = original
    forged = {
        "text/html": "<b>fallback</b>",
        d.TABLE_MIME: {"columns": ["a"], "kinds": ["text"], "cells": [[{"x": 1}]]},
    }
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data=b) for b in [*bundles, forged]]
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    write_plotlyjs(tmp_path)
    (tmp_path / "nb").mkdir()
    page = tmp_path / "nb" / "page.html"
    title = "[click](https://evil.example) " + all_payloads("pagetitle")
    page.write_text(export_html(nb, title=title, parameters={}, lang="en"), encoding="utf-8")
    raw = page.read_text(encoding="utf-8")
    soup = _parse(_dump_dom(page, tmp_path, hover=False))
    assert [t.get(MARK) for t in soup.find_all(True) if t.get(MARK) is not None] == []
    assert [(t.name, a) for t in soup.find_all(True) for a in t.attrs if a.lower().startswith("on")] == []
    assert not soup.select('a[href^="https://evil"]') and "[click](https://evil.example)" in soup.h1.get_text()
    text = soup.get_text(" ")
    for place in ("cell", "caption", "foot", "label", "kpilabel", "finding", "action", "dataname"):
        assert f"|{place}:img" in text, place  # shown, as text
    assert "fallback" in text and "{'x': 1}" not in text  # forged payload: the plain output instead
    assert d.KPI_MIME not in raw and "vnd.csworkbench" not in raw
    assert soup.select(".dt-container"), "the long table was made sortable and paged"
