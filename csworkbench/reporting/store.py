"""The results store (结果库): every report's key figures, by period, in ``<output>/results.parquet``.

A report notebook publishes its key figures once, as a display bundle of MIME type
:data:`KPI_MIME` (``csworkbench.reporting.display.kpi_tiles``; see "Report pages" in
``docs/api-conventions.md``).  After each report that was published, the batch runner reads
those bundles from the executed notebook (:func:`kpi_bundle_figures`) and writes them into the
store of the output folder, one row per

    notebook × parameters-without-period × period × key

with the columns :data:`COLUMNS`.  Writing a report again replaces its rows (one row per key,
the latest run wins); other reports' rows are kept.

What identifies "the same report" (``params_key``)
--------------------------------------------------
``params_key`` is the JSON (sorted keys) of the report's parameters **without** ``period`` and
without the presentation parameters :data:`PRESENTATION_PARAMETERS` (``lang``, ``title``,
``previous_kpis``): a key figure does not depend on the language of the page or its title, so
the zh and en pages of one report share their rows (the ``label`` is the one of whichever
language ran last, ``lang`` says which), and a change of language never breaks the comparison
with the previous period.  Any other parameter (``data_path``, a segment, a threshold) is part
of the key: figures computed from other data or settings are never compared.

Previous period
---------------
Before a report whose notebook declares ``previous_kpis`` runs with a ``period``, the runner
looks up the rows of :meth:`csworkbench.periods.Period.previous` with the same ``params_key``
(:meth:`ResultsStore.previous`) and passes them as JSON: ``{key: {"value", "ci_low",
"ci_high", "period"}}`` (``""`` when that period was never run).  The previous period comes
from an earlier run (``csw report --period …`` month after month) or from the same run: a run
holding a chain of periods (a backfill ``period: [2026-09, 2026-10, 2026-11]``) runs them in
waves, each after the one before it (:mod:`.batch`).

The store is written only by the parent process of a run, under a file lock
(``.results.lock``), so two runs into one output folder do not lose each other's rows; the file
itself is replaced atomically.

Examples
--------
>>> import tempfile, pathlib
>>> store = ResultsStore(pathlib.Path(tempfile.mkdtemp()))
>>> fig = {"key": "nps", "label": "NPS", "value": 31.0, "unit": "", "ci_low": 25.0, "ci_high": 37.0,
...        "better": "higher"}
>>> store.record("overview", {"lang": "zh", "period": "2026-09"}, [fig], run_id="2026-09", lang="zh")
1
>>> store.previous("overview", {"lang": "en", "period": "2026-10"})
{'nps': {'value': 31.0, 'ci_low': 25.0, 'ci_high': 37.0, 'period': '2026-09'}}
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
import os
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ReportError
from ..periods import Period
from .files import atomic_write_bytes

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "KPI_MIME",
    "COLUMNS",
    "PRESENTATION_PARAMETERS",
    "STORE_FILE",
    "ResultsStore",
    "kpi_bundle_figures",
    "params_key",
]

KPI_MIME = "application/vnd.csworkbench.kpi+json"
STORE_FILE = "results.parquet"
#: parameters that change how a page looks, not its figures (not part of ``params_key``)
PRESENTATION_PARAMETERS = ("lang", "title", "previous_kpis")
COLUMNS = (
    "notebook",
    "params_key",
    "period",
    "key",
    "label",
    "value",
    "value_text",
    "ci_low",
    "ci_high",
    "unit",
    "kind",
    "better",
    "position",
    "run_id",
    "slug",
    "lang",
    "recorded",
)


def params_key(parameters: Mapping[str, Any]) -> str:
    """The parameters that identify a report's figures: all but ``period`` and the presentation ones.

    >>> params_key({"lang": "zh", "period": "2026-10", "data_path": "a.csv"})
    '{"data_path": "a.csv"}'
    """
    kept = {k: v for k, v in parameters.items() if k != "period" and k not in PRESENTATION_PARAMETERS}
    return json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str)


def kpi_bundle_figures(nb: Any) -> list[dict[str, Any]]:
    """The key figures an executed notebook published (every :data:`KPI_MIME` bundle, in order).

    A key published twice keeps its last value.  Malformed entries (no ``key``) are skipped.
    """
    found: dict[str, dict[str, Any]] = {}
    for cell in getattr(nb, "cells", None) or nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            bundle = (output.get("data") or {}).get(KPI_MIME)
            if isinstance(bundle, str):
                try:
                    bundle = json.loads(bundle)
                except ValueError:
                    continue
            if not isinstance(bundle, Mapping):
                continue
            for fig in bundle.get("figures") or []:
                if isinstance(fig, Mapping) and fig.get("key"):
                    found[str(fig["key"])] = dict(fig)
    return list(found.values())


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class ResultsStore:
    """The key figures of every report run into one output folder (``<output>/results.parquet``).

    Parameters
    ----------
    output : path
        The reports' output folder (``reports/``), the parent of the run folders.
    """

    def __init__(self, output: str | PathLike) -> None:
        self.output = Path(output)
        self.path = self.output / STORE_FILE

    @contextmanager
    def _locked(self):
        self.output.mkdir(parents=True, exist_ok=True)
        if fcntl is None:  # pragma: no cover - Windows: one writer at a time is the user's job
            yield
            return
        fd = os.open(self.output / ".results.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def read(self) -> pd.DataFrame:
        """Every stored row (an empty frame with :data:`COLUMNS` when there is no store yet)."""
        if not self.path.is_file():
            return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
        try:
            frame = pd.read_parquet(self.path)
        except Exception as exc:  # a damaged store must say so, not pass as "no previous figures"
            raise ReportError(f"{self.path}: cannot read the results store ({type(exc).__name__}: {exc})") from None
        for column in COLUMNS:
            if column not in frame.columns:
                frame[column] = None
        return frame

    def record(
        self,
        notebook: str,
        parameters: Mapping[str, Any],
        figures: Iterable[Mapping[str, Any]],
        *,
        run_id: str = "",
        slug: str = "",
        lang: str | None = None,
    ) -> int:
        """Store one report's figures (replacing its earlier rows for this period); rows written."""
        period = Period.parse(str(parameters.get("period") or "")).text
        pkey = params_key(parameters)
        now = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        rows = []
        for position, fig in enumerate(figures):
            value = fig.get("value")
            rows.append(
                {
                    "notebook": notebook,
                    "params_key": pkey,
                    "period": period,
                    "key": str(fig["key"]),
                    "label": str(fig.get("label") or fig["key"]),
                    "value": _number(value),
                    "value_text": value if isinstance(value, str) else None,
                    "ci_low": _number(fig.get("ci_low")),
                    "ci_high": _number(fig.get("ci_high")),
                    "unit": str(fig.get("unit") or ""),
                    "kind": str(fig.get("kind") or ""),
                    "better": fig.get("better") if fig.get("better") in ("higher", "lower") else None,
                    "position": position,
                    "run_id": run_id,
                    "slug": slug,
                    "lang": lang or str(parameters.get("lang") or ""),
                    "recorded": now,
                }
            )
        if not rows:
            return 0
        new = pd.DataFrame(rows, columns=list(COLUMNS))
        with self._locked():
            old = self.read()
            same = (old["notebook"] == notebook) & (old["params_key"] == pkey) & (old["period"] == period)
            frame = pd.concat([old.loc[~same, list(COLUMNS)], new], ignore_index=True) if len(old) else new
            for column in ("value", "ci_low", "ci_high"):
                frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
            frame["position"] = pd.to_numeric(frame["position"], errors="coerce").fillna(0).astype("int64")
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
            atomic_write_bytes(self.path, buffer.getvalue())
        return len(rows)

    def figures(self, notebook: str, parameters: Mapping[str, Any], period: str | None = None) -> pd.DataFrame:
        """The stored rows of one report for ``period`` (default: the parameters' own), in published order."""
        frame = self.read()
        text = Period.parse(str(parameters.get("period") or "") if period is None else period).text
        mask = (
            (frame["notebook"] == notebook)
            & (frame["params_key"] == params_key(parameters))
            & (frame["period"] == text)
        )
        return frame.loc[mask].sort_values("position", kind="stable")

    def previous(self, notebook: str, parameters: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        """``{key: {value, ci_low, ci_high, period}}`` of the previous period, same other parameters.

        ``{}`` when the report has no period (all data) or the previous period was never stored.
        """
        current = Period.parse(str(parameters.get("period") or ""))
        if current.is_all:
            return {}
        before = current.previous().text
        rows = self.figures(notebook, parameters, before)
        out: dict[str, dict[str, Any]] = {}
        for row in rows.itertuples(index=False):
            value = row.value if _number(row.value) is not None else row.value_text
            out[str(row.key)] = {
                "value": value,
                "ci_low": _number(row.ci_low),
                "ci_high": _number(row.ci_high),
                "period": before,
            }
        return out
