"""The benchmark suite (bench/run_all.py + bench/_suite.py): one table with machine and date.

Runs the real runner in quick mode on the cheapest script (gaps, ~20,000 respondents) into a
temporary page and results directory, and the runner's failure handling on two throw-away
scripts.  Nothing here times anything against a threshold, and the committed bench/RESULTS.md
is never written (checked).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
COLUMNS = ["bench", "work", "size", "time", "peak memory", "baseline", "baseline time", "ratio"]

sys.path.insert(0, str(BENCH))
import _suite  # noqa: E402
import run_all  # noqa: E402


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _table(text: str) -> tuple[list[str], list[list[str]]]:
    """Header cells and body rows of the first Markdown table in ``text``."""
    lines = [ln for ln in text.splitlines() if ln.startswith("|")]
    split = [[c.strip() for c in re.split(r"(?<!\\)\|", ln)[1:-1]] for ln in lines]
    assert split, "no table in the page"
    assert set("".join(split[1])) <= set("-:"), "second table line is not the separator"
    return split[0], split[2:]


def test_quick_run_of_the_real_runner_writes_one_table_with_machine_and_date(tmp_path):
    committed = BENCH / "RESULTS.md"
    before = _digest(committed)
    page, results = tmp_path / "RESULTS.md", tmp_path / "results"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run_all.py"),
            "--quick",
            "--only",
            "gaps",
            "--output",
            str(page),
            "--results-dir",
            str(results),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert _digest(committed) == before, "the quick run must not rewrite the committed bench/RESULTS.md"

    text = page.read_text(encoding="utf-8")
    header, rows = _table(text)
    assert header == COLUMNS
    # machine and date in the header
    machine = _suite.machine()
    assert re.search(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", text)
    assert f"{machine['cores']} cores available" in text
    assert re.search(r"\d+\.\d GiB memory", text)
    assert machine["cpu_model"] in text
    for name in ("Python", "pandas", "NumPy"):
        assert f"{name} {machine['versions'][name]}" in text
    assert re.search(r"load \d+\.\d → \d+\.\d", text)
    assert re.search(r"Whole suite:\*\* [\d.]+ m?s wall time for 1 script", text)

    # the gaps rows: ours and the baseline timed, ratio = baseline / ours (from the JSON, not re-timed)
    record = json.loads((results / "gaps.json").read_text(encoding="utf-8"))
    assert record["quick"] is True and record["script"] == "gaps"
    main = record["rows"][0]
    assert main["seconds"] > 0 and main["baseline_seconds"] > 0 and main["peak_mb"] > 0
    assert main["ratio"] == pytest.approx(main["baseline_seconds"] / main["seconds"])
    gaps_rows = [r for r in rows if r[0] == "`gaps`"]
    assert len(gaps_rows) == len(record["rows"])
    first = dict(zip(COLUMNS, gaps_rows[0]))
    assert re.fullmatch(r"[\d.]+ m?s", first["time"])
    assert first["peak memory"].endswith("MB (traced)")
    assert "groupby().apply" in first["baseline"]
    assert re.fullmatch(r"\*\*[\d.,]+×\*\*", first["ratio"])
    assert "20,000 respondents" in first["size"]
    assert "### gaps" in text  # the script's detail section follows the table


FAKE_OK = """
import _suite
b = _suite.Bench("fake_ok", quick=_suite.cli_quick())
b.add("work A", "10 rows", 0.5, 12.0, "traced", "slow way", 2.0, note="agree")
b.add("work B", "10 rows", 0.25, None)
b.detail = "### fake_ok detail"
b.save()
"""

FAKE_FAIL = """
import sys
print("something went wrong here")
sys.exit(3)
"""


def test_runner_renders_failures_and_never_a_stale_row(tmp_path, monkeypatch):
    scripts = {"fake_ok": tmp_path / "bench_fake_ok.py", "fake_fail": tmp_path / "bench_fake_fail.py"}
    scripts["fake_ok"].write_text(FAKE_OK, encoding="utf-8")
    scripts["fake_fail"].write_text(FAKE_FAIL, encoding="utf-8")
    monkeypatch.setattr(run_all, "scripts", lambda: scripts)
    monkeypatch.setenv("PYTHONPATH", str(BENCH))
    results, page = tmp_path / "results", tmp_path / "R.md"
    results.mkdir()
    stale = {"script": "fake_fail", "rows": [{"work": "STALE"}]}
    (results / "fake_fail.json").write_text(json.dumps(stale), encoding="utf-8")

    code = run_all.main(["--quick", "--output", str(page), "--results-dir", str(results)])

    assert code == 1
    text = page.read_text(encoding="utf-8")
    assert "STALE" not in text
    header, rows = _table(text)
    assert header == COLUMNS
    by_work = {r[1]: dict(zip(COLUMNS, r)) for r in rows}
    a = by_work["work A — agree"]
    assert (a["time"], a["peak memory"], a["baseline"], a["baseline time"], a["ratio"]) == (
        "0.50 s",
        "12 MB (traced)",
        "slow way",
        "2.00 s",
        "**4.0×**",
    )
    b = by_work["work B"]
    assert (b["peak memory"], b["baseline"], b["ratio"]) == ("—", "—", "—")
    failed = [r for r in rows if r[0] == "`fake_fail`"]
    assert len(failed) == 1 and "exit code 3" in failed[0][1] and "something went wrong here" in failed[0][1]
    assert "### fake_ok detail" in text
    assert (tmp_path / "logs" / "fake_fail-quick.log").read_text(
        encoding="utf-8"
    ).strip() == "something went wrong here"

    # --render rebuilds the same table from the JSON without running anything
    again = tmp_path / "again.md"
    assert run_all.main(["--render", "--quick", "--output", str(again), "--results-dir", str(results)]) == 0
    rerendered = _table(again.read_text(encoding="utf-8"))[1]
    assert [r for r in rerendered if r[0] == "`fake_ok`"] == [r for r in rows if r[0] == "`fake_ok`"]
    assert [r[1] for r in rerendered if r[0] == "`fake_fail`"] == [
        "**no results**: no rows in `" + str(results) + "` (not run yet, or it failed earlier)"
    ]


def test_measured_command_reports_time_and_the_largest_process():
    out = _suite.run_measured(
        [
            [sys.executable, "-c", "x = bytearray(200 * 2**20); x[::4096] = b'1' * len(x[::4096])"],
            [sys.executable, "-c", "print('second')"],
        ]
    )
    assert out["codes"] == [0, 0]
    assert out["tails"][1][0].strip() == "second"
    assert out["seconds"] > 0
    assert out["peak_mb"] > 200  # the 200 MB child, not the sum and not the wrapper alone
