"""Customer lifetime value (客户终身价值): discounted CLV, its pyramid, and checks against the holdout.

* :func:`clv` — CLV over a horizon: the BG/NBD's expected purchases month by month times the
  Gamma-Gamma expected spend, times the margin, discounted;
* :func:`clv_pyramid` — the customer pyramid (客户层级模型) of CLV;
* :func:`tracking` — cumulative repeat purchases, actual vs model, through the calibration
  and holdout periods (the tracking plot's data);
* :func:`holdout_comparison` — conditional expectations against the holdout by calibration
  frequency (条件期望检验);
* :func:`compare_models` — several purchase models side by side: log-likelihood, AIC, BIC and
  how well each forecasts the holdout (模型比较).

References: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer
base analysis", *JMR* 42(4), 415–430; Gupta et al. (2006), "Modeling customer lifetime
value", *Journal of Service Research* 9(2), 139–155.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.clv import BetaGeoModel, GammaGammaModel, clv
>>> m = BetaGeoModel(); m.params_ = pd.Series({"r": 0.2426, "alpha": 4.414, "a": 0.793, "b": 2.426})
>>> gg = GammaGammaModel(); gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "gamma": 15.44})
>>> s = pd.DataFrame({"customer_id": ["x"], "frequency": [2], "recency": [30.43], "T": [38.86],
...                   "monetary_value": [22.35]})
>>> round(float(clv(s, m, gg, annual_discount_rate=0.0)["clv"].iloc[0]), 2)
38.55
"""

from __future__ import annotations

import copy
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ..i18n import check_language, t
from ..schema.source import DEFAULT_TZ, open_transactions, parse_date
from ..tiers.pyramid import TierResult, customer_pyramid
from ._base import aggregate_rows, check_confidence, column_quantiles
from .bgnbd import BetaGeoModel
from .gammagamma import GammaGammaModel, spend_days
from .summary import freq_days

__all__ = ["clv", "clv_pyramid", "tracking", "TrackingResult", "holdout_comparison", "compare_models"]

_SUMMARY_COLUMNS = ("customer_id", "frequency", "recency", "T", "monetary_value")


def _summary_frame(summary: Any, columns: Sequence[str]) -> tuple[pd.DataFrame, str | None]:
    """The summary's table and its time unit (None for a plain frame)."""
    frame = summary if isinstance(summary, pd.DataFrame) else getattr(summary, "table", None)
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"expected the result of summary_from_transactions; got {type(summary).__name__}")
    for col in columns:
        if col not in frame.columns:
            raise DataError(f"missing column {col!r}; expected the output of summary_from_transactions", column=col)
    return frame, getattr(summary, "freq", None)


def _monthly_rate(annual: float | None, monthly: float | None, former: float | None) -> float:
    """The monthly discount rate from exactly one of the annual rate, the monthly rate, the former name."""
    if former is not None:
        if annual is not None:
            raise ParameterError("give annual_discount_rate or discount_rate (its former name), not both")
        annual = former
    if annual is not None and monthly is not None:
        raise ParameterError("give annual_discount_rate or monthly_discount_rate, not both")
    if monthly is not None:
        if not (np.isfinite(monthly) and monthly > -1):
            raise ParameterError(f"monthly_discount_rate must be a monthly rate > -1 (e.g. 0.01); got {monthly!r}")
        return float(monthly)
    annual = 0.10 if annual is None else annual
    if not (np.isfinite(annual) and annual > -1):
        raise ParameterError(
            f"annual_discount_rate (discount_rate) must be an annual rate > -1 (e.g. 0.10); got {annual!r}"
        )
    return float((1 + annual) ** (1 / 12) - 1)


def _clv_values(
    purchases: Any, spend_model: Any, histories, mv, days, month: float, months: int, monthly: float, margin: float
):
    """(CLV, expected purchases over the horizon, expected spend) per customer.

    ``histories`` is :func:`~csworkbench.clv._base.aggregate_rows` of (frequency, recency, T),
    computed once per call of :func:`clv`: the purchase model's expectations (a hypergeometric
    function per customer and month) are computed once per distinct history and spread back to
    the customers (on daily data many customers share a history: 3.6 M customers, a few hundred
    thousand histories), for all months in one vectorised call (a parameter draw of the CLV
    interval is then one call, not one per month: 2,412 calls → 201 for 200 draws).
    """
    spend = spend_model.conditional_expected_spend(days, mv)
    (ux, utx, uT), _, inverse = histories
    n = len(ux)
    k = np.arange(1, months + 1)
    cum = purchases.expected_purchases(
        np.repeat(k * month, n), np.tile(ux, months), np.tile(utx, months), np.tile(uT, months)
    ).reshape(months, n)
    steps = np.diff(cum, axis=0, prepend=0.0)  # purchases in month k
    disc = (steps / ((1 + monthly) ** k)[:, None]).sum(axis=0)  # rows added in month order
    return disc[inverse] * spend * margin, cum[-1][inverse], spend


#: ``spend_basis`` of :func:`clv`: where each customer's expected spend comes from.
SPEND_OWN, SPEND_NO_REPEAT, SPEND_MISSING = "own", "no_repeat_purchase", "amounts_missing"


def _spend_basis(frame: pd.DataFrame, x: np.ndarray, days: np.ndarray, mv: np.ndarray) -> np.ndarray:
    """``spend_basis`` per customer; repeat buyers whose spend is unknown are named in a DataWarning."""
    own = (days > 0) & np.isfinite(mv)
    basis = np.where(own, SPEND_OWN, np.where(x > 0, SPEND_MISSING, SPEND_NO_REPEAT)).astype(object)
    unknown = (x > 0) & ~own
    if unknown.any():
        ids = (
            frame["customer_id"].astype(str).to_numpy()[unknown] if "customer_id" in frame else np.flatnonzero(unknown)
        )
        shown = ", ".join(map(str, ids[:10])) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
        warnings.warn(
            f"clv: {len(ids)} repeat buyer(s) without a known repeat amount get the population mean spend "
            f"(spend_basis {SPEND_MISSING!r}): {shown}",
            DataWarning,
            stacklevel=3,
        )
    return basis


def clv(
    summary: Any,
    bgnbd: Any,
    gamma_gamma: GammaGammaModel,
    *,
    horizon_months: int = 12,
    annual_discount_rate: float | None = None,
    monthly_discount_rate: float | None = None,
    margin: float = 1.0,
    freq: str | None = None,
    discount_rate: float | None = None,
    n_draws: int = 0,
    confidence: float = 0.95,
    random_state: Any = 0,
    lang: str = "zh",
) -> pd.DataFrame:
    """Discounted customer lifetime value over a horizon (客户终身价值).

    CLV = Σₖ₌₁ᴴ (E[Y(k months)] − E[Y(k−1 months)]) × E[spend] × margin / (1 + d)ᵏ, with the
    purchase model's conditional expectation, the Gamma-Gamma conditional expected spend and
    the **monthly** discount rate d — by default d = (1 + annual rate)^(1/12) − 1 from
    ``annual_discount_rate = 0.10``.  Coming from ``lifetimes``: its ``discount_rate`` is
    monthly (default 0.01), here give it as ``monthly_discount_rate``.

    Parameters
    ----------
    summary : SummaryResult or DataFrame
        The result of :func:`~csworkbench.clv.summary_from_transactions` (the state at
        ``calibration_end``, or a summary computed to the latest date for forward-looking CLV).
    bgnbd : fitted BetaGeoModel, ParetoNBDModel or ModifiedBetaGeoModel
        The purchase model (any continuous-time model of the package).
    gamma_gamma : fitted GammaGammaModel
    horizon_months : int
        Horizon in months.
    annual_discount_rate : float, optional
        Discount rate per **year** (default 0.10, i.e. 10 % a year).
    monthly_discount_rate : float, optional
        Discount rate per **month** instead (e.g. 0.01, lifetimes' default); not with
        ``annual_discount_rate``.
    margin : float
        Profit margin as a share of revenue (1 = revenue).
    freq : str, optional
        Time unit of the summary (default: the result's ``freq``; "W" for a plain frame).
    discount_rate : float, optional
        The former name of ``annual_discount_rate`` (an annual rate), kept for old code.
    n_draws : int
        0 (default): no interval. Otherwise draw both models' parameters ``n_draws`` times from
        their asymptotic normal distribution in log θ and add the interval of ``clv``.
    confidence : float
        Level of that interval.
    random_state : int, Generator or None
        Seed of the draws.
    lang : {"zh", "en"}
        Language of ``spend_basis_label``.

    Returns
    -------
    DataFrame
        ``customer_id, frequency, recency, T, monetary_value, probability_alive,
        expected_purchases`` (over the horizon), ``expected_spend``, ``spend_basis`` (and
        ``spend_basis_label`` in ``lang``), ``clv`` — and with
        ``n_draws`` ``ci_low, ci_high`` (the interval of ``clv`` from parameter uncertainty) —
        sorted by ``clv`` descending.

    Notes
    -----
    Expected spend (the missing-amount policy of docs/api-conventions.md): a customer's own
    mean spend counts with the number of repeat days it is over (``monetary_days`` of the
    summary, else ``frequency``).  Without one the Gamma-Gamma expectation is the population
    mean spend ``p γ / (q − 1)`` — the model's answer when nothing about the customer's spend is
    known.  ``spend_basis`` says which: ``own``, ``no_repeat_purchase`` (the population mean) or
    ``amounts_missing`` (the population mean for a repeat buyer none of whose repeat amounts is
    known); the last are also named, by id, in a :class:`~csworkbench.errors.DataWarning`.

    Examples
    --------
    >>> m = BetaGeoModel(); m.params_ = pd.Series({"r": 0.2426, "alpha": 4.414, "a": 0.793, "b": 2.426})
    >>> gg = GammaGammaModel(); gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "gamma": 15.44})
    >>> s = pd.DataFrame({"customer_id": ["x", "y"], "frequency": [2, 0], "recency": [30.43, 0.0],
    ...                   "T": [38.86, 38.86], "monetary_value": [22.35, float("nan")]})
    >>> clv(s, m, gg, horizon_months=12, annual_discount_rate=0.0)["clv"].round(2).tolist()
    [38.55, 8.89]
    """
    if not (isinstance(horizon_months, (int, np.integer)) and horizon_months >= 1):
        raise ParameterError(f"horizon_months must be a positive integer; got {horizon_months!r}")
    monthly = _monthly_rate(annual_discount_rate, monthly_discount_rate, discount_rate)
    if not np.isfinite(margin):
        raise ParameterError(f"margin must be a number (share of revenue); got {margin!r}")
    if not (isinstance(n_draws, (int, np.integer)) and n_draws >= 0):
        raise ParameterError(f"n_draws must be 0 (no interval) or a positive integer; got {n_draws!r}")
    level = check_confidence(confidence)
    check_language(lang)
    frame, result_freq = _summary_frame(summary, _SUMMARY_COLUMNS)
    unit = freq_days(freq or result_freq or "W")
    x, tx, T = (frame[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    mv = frame["monetary_value"].to_numpy(dtype=float)
    days = spend_days(frame, x)
    basis = _spend_basis(frame, x, days, mv)
    month = (365.25 / 12) / unit
    args = (aggregate_rows(x, tx, T), mv, days, month, int(horizon_months), monthly, margin)
    value, purchases, spend = _clv_values(bgnbd, gamma_gamma, *args)
    out = pd.DataFrame(
        {
            "customer_id": frame["customer_id"].to_numpy(),
            "frequency": x,
            "recency": tx,
            "T": T,
            "monetary_value": mv,
            "probability_alive": bgnbd.probability_alive(x, tx, T),
            "expected_purchases": purchases,
            "expected_spend": spend,
            "spend_basis": basis,
            "spend_basis_label": [t(f"clv.spend_basis.{b}", lang) for b in basis],
            "clv": value,
        }
    )
    if n_draws:
        rng = np.random.default_rng(random_state)
        draws_p = bgnbd.parameter_draws(n_draws, random_state=rng)
        draws_s = gamma_gamma.parameter_draws(n_draws, random_state=rng)
        twin_p, twin_s = copy.copy(bgnbd), copy.copy(gamma_gamma)
        sims = np.empty((int(n_draws), len(x)))
        for i in range(int(n_draws)):
            twin_p.params_ = draws_p.iloc[i]
            twin_s.params_ = draws_s.iloc[i]
            sims[i] = _clv_values(twin_p, twin_s, *args)[0]
        out["ci_low"], out["ci_high"] = column_quantiles(sims, [(1 - level) / 2, (1 + level) / 2])
    out["customer_id"] = out["customer_id"].astype("string")
    return out.sort_values("clv", ascending=False, kind="stable").reset_index(drop=True)


def clv_pyramid(
    values: pd.DataFrame, *, cuts: Sequence[float] = (0.01, 0.04, 0.15, 0.80), lang: str = "zh"
) -> TierResult:
    """The customer pyramid of CLV (按终身价值的客户金字塔): :func:`~csworkbench.tiers.customer_pyramid`
    on the ``clv`` column of :func:`clv`.

    Examples
    --------
    >>> v = pd.DataFrame({"customer_id": list("abcd"), "clv": [40.0, 20, 5, 1]})
    >>> clv_pyramid(v, cuts=(0.25, 0.25, 0.25, 0.25), lang="en").table["tier"].tolist()
    ['super_heavy', 'heavy', 'sub_heavy', 'light']
    """
    return customer_pyramid(values, cuts=cuts, value="clv", lang=lang)


@dataclass(frozen=True, eq=False)
class TrackingResult:
    """What :func:`tracking` returns.

    Attributes
    ----------
    table : DataFrame
        One row per period: ``period_end`` (date), ``t`` (time units since the first day),
        ``actual``, ``expected`` (repeat transactions in the period), ``actual_cum``,
        ``expected_cum``, ``holdout`` (bool: after ``calibration_end``).
    problems : DataFrame
        Transaction rows dropped or flagged (columns :data:`csworkbench.codes.PROBLEM_COLUMNS`).
    calibration_end : Timestamp
    """

    table: pd.DataFrame
    problems: pd.DataFrame
    calibration_end: pd.Timestamp


def _repeat_days(transactions: Any, cal_arg: Any, obs_arg: Any, columns: dict[str, Any]):
    """Purchase days per (day, first purchase or not) of the customers who started by calibration_end."""
    cal = parse_date(cal_arg, "calibration_end")
    with open_transactions(transactions, **columns) as src:
        obs = parse_date(obs_arg, "observation_end") if obs_arg is not None else src.cutoff()
        if not (src.first_day <= cal <= obs):
            raise DataError(
                f"need first date {src.first_day.date()} <= calibration_end {cal.date()} <= "
                f"observation_end {obs.date()}",
                path=src.label,
                column=columns["date"],
            )
        days = src.sql(
            """WITH d AS (SELECT DISTINCT customer_id, pday FROM tx
                                     WHERE pday <= ? AND (amount >= 0 OR amount IS NULL)),
                               f AS (SELECT customer_id, min(pday) AS first FROM d GROUP BY customer_id
                                     HAVING min(pday) <= ?)
                          SELECT d.pday, d.pday = f.first AS is_first, count(*) AS n
                          FROM d JOIN f ON d.customer_id = f.customer_id GROUP BY 1, 2""",
            [obs.date(), cal.date()],
        )
    return days, cal, obs, src.problems.frame()


def tracking(
    transactions: pd.DataFrame | str | os.PathLike,
    model: BetaGeoModel,
    calibration_end: str | pd.Timestamp,
    observation_end: str | pd.Timestamp | None = None,
    *,
    freq: str = "W",
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    today: str | pd.Timestamp | None = None,
    date_format: str | None = None,
    tz: str = DEFAULT_TZ,
) -> TrackingResult:
    """Cumulative repeat transactions per period, actual vs BG/NBD (跟踪图数据).

    The expected curve is Σᵢ E[X(t − sᵢ)] over customers with first purchase sᵢ (the model's
    unconditional expectation), as in Fader, Hardie & Lee (2005, fig. 2).

    Parameters
    ----------
    transactions : DataFrame or path
        The transaction log the summary was made from.
    model : BetaGeoModel
        Fitted on the calibration period.
    calibration_end, observation_end : date-like
        As in :func:`~csworkbench.clv.summary_from_transactions`.
    freq, customer_id, date, amount, today, date_format, tz
        As in ``summary_from_transactions``.

    Returns
    -------
    TrackingResult

    Examples
    --------
    >>> from csworkbench.clv import summary_from_transactions
    >>> from csworkbench.datasets.transactions import make_transactions
    >>> tx = make_transactions(500, random_state=4)
    >>> m = BetaGeoModel().fit(summary_from_transactions(tx, "2024-09-30"))
    >>> list(tracking(tx, m, "2024-09-30").table.columns)
    ['period_end', 't', 'actual', 'expected', 'actual_cum', 'expected_cum', 'holdout']
    """
    unit = freq_days(freq)
    step = max(int(round(unit)), 1)
    days, cal, obs, problems = _repeat_days(
        transactions,
        calibration_end,
        observation_end,
        {
            "customer_id": customer_id,
            "date": date,
            "amount": amount,
            "today": today,
            "date_format": date_format,
            "tz": tz,
        },
    )
    start = pd.Timestamp(days["pday"].min())
    offset = (pd.to_datetime(days["pday"]) - start).dt.days.to_numpy()
    n_periods = int(np.ceil(((obs - start).days + 1) / step))
    repeat_mask = ~days["is_first"].to_numpy()
    repeat = np.bincount((offset // step)[repeat_mask], weights=days["n"].to_numpy()[repeat_mask], minlength=n_periods)[
        :n_periods
    ]
    firsts = days[days["is_first"]]
    s_days = (pd.to_datetime(firsts["pday"]) - start).dt.days.to_numpy()
    counts = firsts["n"].to_numpy(dtype=float)
    ends = (np.arange(1, n_periods + 1) * step).astype(float)  # days since start at period end (exclusive)
    ends[-1] = min(ends[-1], (obs - start).days + 1)
    expected_cum = np.array(
        [np.sum(counts * model.expected_purchases_unconditional((e - 1 - s_days) / unit)) for e in ends]
    )
    period_end = start + pd.to_timedelta(ends - 1, unit="D")
    out = pd.DataFrame(
        {
            "period_end": period_end,
            "t": ends / unit,
            "actual": repeat.astype(float),
            "expected": np.diff(np.concatenate([[0.0], expected_cum])),
            "actual_cum": np.cumsum(repeat),
            "expected_cum": expected_cum,
        }
    )
    out["holdout"] = out["period_end"] > cal
    return TrackingResult(out, problems, cal)


def holdout_comparison(summary: Any, model: Any, *, max_frequency: int = 7) -> pd.DataFrame:
    """Conditional expectations vs the holdout (条件期望检验), by calibration frequency.

    Parameters
    ----------
    summary : SummaryResult or DataFrame
        A summary with a holdout period (``observation_end`` after ``calibration_end``).
    model : fitted BetaGeoModel, ParetoNBDModel or ModifiedBetaGeoModel
        Fitted on the calibration period.
    max_frequency : int
        Frequencies from this up are pooled.

    Returns
    -------
    DataFrame
        ``frequency`` (0 … max_frequency, the last meaning "or more"), ``customers``,
        ``actual`` (mean holdout transactions), ``expected`` (mean E[Y(holdout) | history]).

    Examples
    --------
    >>> m = BetaGeoModel(); m.params_ = pd.Series({"r": 0.2426, "alpha": 4.414, "a": 0.793, "b": 2.426})
    >>> s = pd.DataFrame({"frequency": [0, 1], "recency": [0.0, 10], "T": [30.0, 30], "frequency_holdout": [0, 2],
    ...                   "duration_holdout": [39.0, 39.0]})
    >>> holdout_comparison(s, m)["customers"].tolist()
    [1, 1]
    """
    if not (isinstance(max_frequency, (int, np.integer)) and max_frequency >= 1):
        raise ParameterError(f"max_frequency must be a positive integer; got {max_frequency!r}")
    frame, _ = _summary_frame(summary, ("frequency", "recency", "T", "frequency_holdout", "duration_holdout"))
    x, tx, T = (frame[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    expected = model.expected_purchases(frame["duration_holdout"].to_numpy(dtype=float), x, tx, T)
    table = pd.DataFrame(
        {
            "frequency": np.minimum(x, max_frequency).astype(int),
            "actual": frame["frequency_holdout"].to_numpy(dtype=float),
            "expected": expected,
        }
    )
    return (
        table.groupby("frequency")
        .agg(customers=("actual", "size"), actual=("actual", "mean"), expected=("expected", "mean"))
        .reset_index()
    )


def compare_models(calibration_summary: Any, models: Any, *, holdout: bool | None = None) -> pd.DataFrame:
    """Purchase models side by side (模型比较): fit, information criteria and holdout forecasts.

    Each model is fitted afresh (a clone; the models given are not changed) on the
    calibration summary; its holdout forecast for each customer is
    E[Y(duration_holdout) | frequency, recency, T], compared with ``frequency_holdout``.

    Parameters
    ----------
    calibration_summary : SummaryResult or DataFrame
        The result of :func:`~csworkbench.clv.summary_from_transactions` with a holdout
        period (columns ``frequency, recency, T`` and, for the holdout figures,
        ``frequency_holdout, duration_holdout``).
    models : mapping or sequence
        ``{"name": model}`` or a list of models (named by their class) — continuous-time
        models of this package (:class:`BetaGeoModel`, :class:`ParetoNBDModel`,
        :class:`ModifiedBetaGeoModel`), fitted or not.
    holdout : bool, optional
        Compare against the holdout (default: when the summary has a holdout period longer
        than 0).

    Returns
    -------
    DataFrame
        One row per model: ``model, n_params, n_customers, log_likelihood, aic`` (−2 LL + 2k),
        ``bic`` (−2 LL + k log n, n = customers); with the holdout also ``actual`` (holdout
        repeat transactions, all customers), ``expected`` (their forecast), ``aggregate_error``
        ((expected − actual) / actual), ``mae`` and ``rmse`` (per customer, transactions).

    Examples
    --------
    >>> from csworkbench.clv import summary_from_transactions, ParetoNBDModel
    >>> from csworkbench.datasets.transactions import make_transactions
    >>> s = summary_from_transactions(make_transactions(1000, random_state=3), "2024-09-30")
    >>> table = compare_models(s, {"BG/NBD": BetaGeoModel(), "Pareto/NBD": ParetoNBDModel()})
    >>> table["model"].tolist(), bool((table["n_params"] == 4).all())
    (['BG/NBD', 'Pareto/NBD'], True)
    """
    from sklearn.base import clone

    if isinstance(models, Mapping):
        named = [(str(k), m) for k, m in models.items()]
    elif isinstance(models, Sequence) and not isinstance(models, str):
        named = [(type(m).__name__, m) for m in models]
    else:
        raise ParameterError(f"models must be a mapping name → model or a list of models; got {type(models).__name__}")
    if not named:
        raise ParameterError("models is empty; give at least one model")
    for name, m in named:
        if not (hasattr(m, "expected_purchases") and getattr(m, "PARAMS", None) and "T" in _fit_arguments(m)):
            raise ParameterError(
                f"{name}: compare_models takes continuous-time purchase models (BetaGeoModel, ParetoNBDModel, "
                f"ModifiedBetaGeoModel); got {type(m).__name__}"
            )
    frame, _ = _summary_frame(calibration_summary, ("frequency", "recency", "T"))
    has_holdout = {"frequency_holdout", "duration_holdout"} <= set(frame.columns) and bool(
        (frame["duration_holdout"] > 0).any()
    )
    if holdout is None:
        holdout = has_holdout
    elif holdout and not has_holdout:
        raise DataError(
            "holdout=True needs a summary with a holdout period (frequency_holdout, duration_holdout > 0): "
            "give summary_from_transactions an observation_end after calibration_end",
            column="duration_holdout",
        )
    x, tx, T = (frame[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    rows = []
    for name, m in named:
        fitted = clone(m).fit(frequency=x, recency=tx, T=T)
        k, n, ll = len(fitted.PARAMS), len(x), fitted.log_likelihood_
        row: dict[str, Any] = {
            "model": name,
            "n_params": k,
            "n_customers": n,
            "log_likelihood": ll,
            "aic": -2 * ll + 2 * k,
            "bic": -2 * ll + k * np.log(n),
        }
        if holdout:
            actual = frame["frequency_holdout"].to_numpy(dtype=float)
            expected = fitted.expected_purchases(frame["duration_holdout"].to_numpy(dtype=float), x, tx, T)
            err = expected - actual
            row |= {
                "actual": float(actual.sum()),
                "expected": float(expected.sum()),
                "aggregate_error": float(err.sum() / actual.sum()) if actual.sum() > 0 else np.nan,
                "mae": float(np.mean(np.abs(err))),
                "rmse": float(np.sqrt(np.mean(err**2))),
            }
        rows.append(row)
    return pd.DataFrame(rows)


def _fit_arguments(model: Any) -> tuple[str, ...]:
    import inspect

    return tuple(inspect.signature(model.fit).parameters)
