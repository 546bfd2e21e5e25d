"""Personal data planted in every shown column of every report on a user's file never reaches the page.

Issue 15, item 7.  Each report that takes a user file (``overview``, ``customer_tiers``,
``complaints`` with and without category labels, ``service_quality``) runs through the batch
runner on a file in which every format :func:`csworkbench.complaints.mask_pii` handles (see
``tests/test_privacy_formats.py``) is planted:

* as **customer, complaint and respondent ids** (mobiles in several writings, a landline, a Hong
  Kong phone, 15- and 18-digit ID numbers, a bank card, an e-mail, a passport, a plate, a
  full-width mobile) — they end up in the problem tables (cited ids, examples), the top-customer
  table, the repeat-complainer table;
* as **bad values** of date/amount columns, which the problem tables cite (QQ, WeChat, a
  mistyped labelled ID, an address, a Chinese e-mail, a card with its label …);
* in the **free text** of every complaint (each labelled format, the complainant's name spaced
  out), in the **contact** and **complainant** columns.

The rendered page is searched whole: its visible text, every attribute, the plotly figure JSON
(``\\uXXXX`` escapes decoded), every ``data:`` URI (the CSV downloads, base64-decoded) and the
index page.  Each planted value is listed with the pieces that identify the person; none of
them may appear anywhere.  A customer id that is a phone number is masked on the page while
the report still counts each customer once.  A Markdown link or HTML tag in ``title`` is text.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from csworkbench.reporting import load_run, run_reports

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parent.parent

#: Customer / complaint ids that are personal data → pieces that must not appear on any page.
PII_IDS = {
    "13948275163": ["13948275163", "1394827", "48275163"],
    "139.4827.5164": ["139.4827", "4827.5164"],
    "+86 137 2231 9988": ["2231 9988", "137 2231", "13722319988"],
    "010-62345678": ["62345678", "010-6234"],
    "11010519491231002X": ["0519491231", "11010519491231002X"],
    "110105491231002": ["110105491231002", "0105491231"],
    "zhang.san@corp.cn": ["zhang.san", "hang.san@"],
    "+852 9123 4567": ["9123 4567", "+852 9123"],
    "6222021234567894": ["6222021234567894", "02123456"],
    "E48213579": ["E48213579", "4821357"],
    "京A73915": ["京A73915", "京A739"],
    "１３９００２２３３４４": ["１３９００２２", "13900223344", "3900223"],
}

#: Bad cell values (cited by the problem tables) and free-text snippets, each with a label where
#: the format needs one → the pieces that must not appear.
PII_TEXTS = {
    "手机138.0013.8000": ["138.0013", "0013.8000"],
    "手机138 001 38000": ["138 001 3", "001 38000"],
    "座机（010）1234-5678": ["1234-5678", "（010）1234"],
    "总机 021-6123 4567 转 808": ["6123 4567", "转 808"],
    "台湾手机0912-345-678": ["0912-345", "345-678"],
    "澳门 +853 6123 4568": ["6123 4568"],
    "身份证110105194912310021": ["110105194912310021", "0519491231"],
    "身份证 1101 0519 4912 3100 2X": ["0519 4912"],
    "卡号 6222 0212 3456 7890": ["0212 3456", "6222 0212"],
    "邮箱 张三丰@例子.中国": ["张三丰@", "三丰@"],
    "邮箱ｚｈａｎｇ＠ｑｑ．ｃｏｍ": ["ｚｈａｎｇ", "zhang@qq"],
    "写信 li.si (at) corp (dot) cn": ["li.si (at)", "li.si"],
    "QQ 52013145": ["52013145", "520131"],
    "微信：wang_wu88": ["wang_wu88", "ang_wu"],
    "护照 G73859214": ["G73859214", "7385921"],
    "车牌粤B·D54321": ["D54321", "D543"],
    "寄到北京市朝阳区建国路88号1号楼2单元301室": ["88号1号楼", "2单元301室", "路88号"],
}

#: The complainant's name (masked wherever it appears, also spaced out in the story), and the names of
#: the staff member and of the agent who took the complaint, named in the story too.
NAME = "司马相如"
STAFF, RECEIVER = "欧阳修远", "诸葛亮亮"
NAME_SECRETS = ["司马相如", "司马 相如", "马相如", "马 相如", STAFF, "阳修远", RECEIVER, "葛亮亮"]

TITLE = '[点我领奖](https://evil.example/x) <b>粗体</b> <img src=x onerror="alert(1)">'


def _transactions(tmp: Path) -> tuple[Path, int]:
    """A transaction log with PII customer ids and PII in bad cells; (path, distinct customers)."""
    from csworkbench.datasets.transactions import make_transactions

    tx = make_transactions(800, random_state=3)
    tx["customer_id"] = tx["customer_id"].astype(str)
    tx["date"] = tx["date"].dt.strftime("%Y-%m-%d")
    # the best customers get ids that are personal data (they reach the top-customer table)
    best = tx.groupby("customer_id")["amount"].sum().nlargest(len(PII_IDS)).index
    tx["customer_id"] = tx["customer_id"].replace(dict(zip(best, PII_IDS)))
    zero = pd.DataFrame({"customer_id": list(PII_IDS), "date": "2025-06-15", "quantity": 1, "amount": 0.0})
    bad = pd.DataFrame(  # bad dates and bad amounts, cited by the problem tables
        {
            "customer_id": tx["customer_id"].drop_duplicates().iloc[-len(PII_TEXTS) :].tolist(),
            "date": [text if i % 2 == 0 else "2025-05-05" for i, text in enumerate(PII_TEXTS)],
            "quantity": 1,
            "amount": ["10" if i % 2 == 0 else text for i, text in enumerate(PII_TEXTS)],
        }
    )
    frame = pd.concat([tx.astype({"amount": object}), zero, bad], ignore_index=True)
    path = tmp / "orders.csv"
    frame.to_csv(path, index=False)
    return path, int(tx["customer_id"].nunique())


def _complaints(tmp: Path, *, labelled: bool) -> Path:
    from csworkbench.datasets.complaints import make_complaints

    log = make_complaints(160, lang="zh", random_state=4)
    texts = list(PII_TEXTS)
    # each story holds one planted format (all of them in every story would make the stories
    # near-duplicates of each other, which the classifier's evaluation collapses) and the name
    log["story"] = [
        f"{story}{texts[i % len(texts)]}。我是{NAME[:2]} {NAME[2:]}，员工{STAFF}态度差，{RECEIVER}没回电。"
        for i, story in enumerate(log["story"].astype(str))
    ]
    log["staff_name"], log["receiver"] = STAFF, RECEIVER
    ids = list(PII_IDS)
    log["complaint_id"] = log["complaint_id"].astype(str)
    log.loc[: len(ids) - 1, "complaint_id"] = ids
    log.loc[: len(ids) - 1, "customer_id"] = ids[::-1]
    contacts = ["010-62345678", "+852 9123 4567", "0912-345-678", "13948275163", "zhang.san@corp.cn"]
    log["contact"] = [contacts[i % len(contacts)] for i in range(len(log))]  # repeat complainers
    log["complainant"] = NAME
    log = log.astype({"date": "object", "resolved_at": "object", "loss": "object"})
    log.loc[20, "date"] = "手机138.0013.8000"  # bad cells, cited by the problem tables
    log.loc[21, "resolved_at"] = "QQ 52013145"
    log.loc[22, "loss"] = "寄到北京市朝阳区建国路88号1号楼2单元301室"
    log.loc[23, "date"] = "微信：wang_wu88"
    log = pd.concat([log, log.iloc[[0]]], ignore_index=True)  # a duplicate complaint id (a PII one)
    log.loc[len(log) - 1, "story"] = "重复的记录，" + "；".join(texts)
    if not labelled:
        log = log.drop(columns=["category"])
    path = tmp / ("complaints.csv" if labelled else "complaints_unlabelled.csv")
    log.to_csv(path, index=False)
    return path


def _survey(tmp: Path) -> Path:
    """A wide Chinese survey whose respondent ids are personal data, each with an off-scale answer
    (cited by the problem tables by that id)."""
    rng = np.random.default_rng(5)
    n = 120
    ids = [f"{i:06d}" for i in range(1, n + 1)]
    ids[: len(PII_IDS)] = list(PII_IDS)
    wide = pd.DataFrame({"问卷编号": ids})
    for i, shift in {1: -1.0, 2: -1.0, 3: 0.0, 4: 0.5}.items():
        e = rng.integers(4, 7, n)
        wide[f"期望{i}"] = e
        wide[f"感知{i}"] = np.clip(e + np.round(shift + rng.normal(0, 0.6, n)), 1, 7).astype(int)
    wide.loc[: len(PII_IDS) - 1, "感知3"] = 9  # off the 1–7 scale
    path = tmp / "survey.csv"
    wide.to_csv(path, index=False)
    return path


def data_uris(page: str) -> list[str]:
    """Every base64 ``data:`` payload of the page (the tables' CSV downloads), decoded."""
    out = []
    for m in re.finditer(r"data:[\w/+.-]+(?:;[\w=.-]+)*;base64,([A-Za-z0-9+/=]+)", page):
        try:
            out.append(base64.b64decode(m.group(1)).decode("utf-8", errors="replace"))
        except ValueError:
            continue
    return out


def haystack(page: str) -> str:
    """Everything a page carries, as text: the source with entities and JSON escapes decoded,
    plus every base64 ``data:`` payload decoded."""
    parts = [page, html.unescape(page)]
    decoded = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
    parts += [decoded, html.unescape(decoded).replace("\\/", "/")]
    return "\n".join(parts + data_uris(page))


def _live_evil_link(href: str) -> bool:
    """A link that leaves the page for the title's URL (a file slug or a #anchor naming it is local)."""
    target = href.split("#", 1)[0]
    return "evil.example" in target and ":" in target


def leaks(page: str) -> list[str]:
    text = haystack(page)
    secrets = [s for group in (*PII_IDS.values(), *PII_TEXTS.values(), NAME_SECRETS) for s in group]
    return sorted({s for s in secrets if s in text})


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report-pii")
    tx, n_customers = _transactions(tmp)
    labelled = _complaints(tmp, labelled=True)
    unlabelled = _complaints(tmp, labelled=False)
    survey = _survey(tmp)
    spec = load_run(
        {
            "output": str(tmp / "reports"),
            "run_id": "pii",
            "notebooks": [
                {"name": "overview", "parameters": {"data_path": str(tx), "title": TITLE}},
                {
                    "name": "customer_tiers",  # an English page of one quarter
                    "parameters": {
                        "data_path": str(tx),
                        "clv_draws": 0,
                        "title": TITLE,
                        "lang": "en",
                        "period": "2025-Q2",
                    },
                },
                {
                    "name": "complaints",
                    "grid": [
                        {"data_path": str(labelled), "title": TITLE},
                        {"data_path": str(unlabelled), "n_topics": 4, "lang": "en"},
                    ],
                },
                {
                    "name": "service_quality",
                    "parameters": {
                        "data_path": str(survey),
                        "mapping": {"前台服务": [1, 2], "客房": [3, 4]},
                        "title": TITLE,
                    },
                },
            ],
        },
        base=ROOT,
    )
    result = run_reports(spec, workers=2, progress=False, timeout=900, base=ROOT)
    pages = {}
    for record in result.records:
        key = (record["notebook"], Path(record["parameters"].get("data_path", "")).stem)
        assert record.get("status") == "ok", (key, record.get("error"))
        pages[key] = (spec.run_dir / record["html"]).read_text(encoding="utf-8")
    index = (spec.run_dir / "index.html").read_text(encoding="utf-8")
    return pages, index, n_customers, spec.run_dir


def test_every_report_ran(run):
    pages, _, _, _ = run
    assert set(pages) == {
        ("overview", "orders"),
        ("customer_tiers", "orders"),
        ("complaints", "complaints"),
        ("complaints", "complaints_unlabelled"),
        ("service_quality", "survey"),
    }


@pytest.mark.parametrize(
    "key",
    [
        ("overview", "orders"),
        ("customer_tiers", "orders"),
        ("complaints", "complaints"),
        ("complaints", "complaints_unlabelled"),
        ("service_quality", "survey"),
    ],
    ids=lambda k: f"{k[0]}-{k[1]}",
)
def test_no_planted_value_reaches_the_page(run, key):
    pages, _, _, _ = run
    page = pages[key]
    assert leaks(page) == []
    assert "****" in page  # the planted values are there, masked


def test_masked_ids_are_shown_in_the_tables(run):
    pages, _, _, _ = run
    # ids cited by the problem tables and the top-customer table, masked
    for key in (("overview", "orders"), ("customer_tiers", "orders")):
        text = haystack(pages[key])
        assert "139****5163" in text and "010-****5678" in text, key
        # the CSV downloads are searched (decoded) and hold the ids masked too
        assert any("139****5163" in csv for csv in data_uris(pages[key])), key
    assert "1101**********002X" in haystack(pages[("complaints", "complaints")])
    assert "139****5163" in haystack(pages[("service_quality", "survey")])  # a respondent's id, cited


def test_index_page_holds_no_planted_value(run):
    from bs4 import BeautifulSoup

    _, index, _, _ = run
    assert leaks(index) == []
    hrefs = [str(a.get("href", "")) for a in BeautifulSoup(index, "html.parser").find_all("a")]
    assert not [h for h in hrefs if _live_evil_link(h)]  # the title is text there too


def test_no_planted_value_in_any_published_file(run):
    """Every file the run writes (pages, executed notebooks, status, index, store) — the run folder
    is what gets shared."""
    _, _, _, run_dir = run
    found = {}
    for path in sorted(run_dir.parent.rglob("*")):
        if path.is_file():
            hits = leaks(path.read_bytes().decode("utf-8", errors="replace"))
            if hits:
                found[str(path.relative_to(run_dir.parent))] = hits
    assert found == {}


def test_the_planted_values_are_found_where_they_are_not_masked(run, tmp_path):
    """The search is not blind: each piece searched for is found in the planted files, and the
    masked forms do not contain them."""
    from csworkbench.complaints import mask_pii

    tx, _ = _transactions(tmp_path)
    import unicodedata

    raw = tx.read_text(encoding="utf-8") + _complaints(tmp_path, labelled=True).read_text("utf-8")
    half = unicodedata.normalize("NFKC", raw)  # also searched for: half-width and digits-only forms
    planted = haystack("\n".join([raw, half, re.sub(r"(?<=\d)[ .-](?=\d)", "", half)]))
    secrets = [s for group in (*PII_IDS.values(), *PII_TEXTS.values(), NAME_SECRETS) for s in group]
    assert [s for s in secrets if s not in planted] == []
    masked = "\n".join(mask_pii(v) for v in (*PII_IDS, *PII_TEXTS))
    assert leaks(masked) == []


def test_customers_are_counted_once_though_masked_alike(run, tmp_path):
    """13948275163 and 139.4827.5164 both show as 139****516x; +86 137… and the full-width
    mobile are distinct customers: the key figures count every id once (overview: all data;
    customer_tiers: the customers with a purchase in 2025-Q2)."""
    from csworkbench.reporting.store import ResultsStore

    _, _, n_customers, run_dir = run
    figures = ResultsStore(run_dir.parent).read()
    got = figures[(figures["notebook"] == "overview") & (figures["key"] == "customers")]["value"]
    assert got.tolist() == [float(n_customers)]
    raw = pd.read_csv(_transactions(tmp_path)[0], dtype=str)
    dates = pd.to_datetime(raw["date"], errors="coerce", format="%Y-%m-%d")
    in_q2 = raw.loc[(dates >= "2025-04-01") & (dates <= "2025-06-30"), "customer_id"]
    assert len(set(PII_IDS) & set(in_q2)) >= 10  # most of the PII ids bought in the quarter
    got = figures[(figures["notebook"] == "customer_tiers") & (figures["key"] == "customers")]["value"]
    assert got.tolist() == [float(in_q2.nunique())]


@pytest.mark.parametrize(
    "key",
    [
        ("overview", "orders"),
        ("customer_tiers", "orders"),
        ("complaints", "complaints"),
        ("service_quality", "survey"),
    ],
    ids=lambda k: k[0],
)
def test_title_markup_is_text(run, key):
    from bs4 import BeautifulSoup

    pages, _, _, _ = run
    soup = BeautifulSoup(pages[key], "html.parser")
    hrefs = [str(a.get("href", "")) for a in soup.find_all("a")]
    assert not [h for h in hrefs if _live_evil_link(h)]
    assert not soup.find_all("img", src="x") and not soup.find_all("b", string="粗体")
    assert soup.select_one(".csw-header h1").get_text(strip=True) == TITLE  # shown as written
    assert [h.get_text(strip=True) for h in soup.find_all("h1")] == [TITLE]  # once: the body's copy is dropped
