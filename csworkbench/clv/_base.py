"""Shared maximum-likelihood plumbing of the customer-base models (BG/NBD, Pareto/NBD, MBG/NBD,
BG/BB, Gamma-Gamma).

Every model estimates a few positive parameters by maximising a closed-form log-likelihood
over their logarithms with BFGS (an analytic gradient where the model gives one; Nelder-Mead
polishing where BFGS stalls).  Models with an analytic gradient climb the mean log-likelihood
per customer (so the tolerance means the same for 2,000 and 3.6 M customers), are polished by
Newton steps, and take their Hessian from differences of the gradient; the others from a
central-difference Hessian of the log-likelihood.  Standard errors are mapped to the natural
scale with the delta method, and intervals are Wald intervals in log θ.  :class:`CustomerBaseModel` adds per-customer intervals (``predict_interval``) by
drawing the parameters from their asymptotic normal distribution in log θ.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..errors import ConvergenceError, DataError, DataWarning, ModelError, ParameterError
from ..estimators import Estimator


def table_of(summary: Any, columns: Sequence[str]) -> pd.DataFrame:
    """The summary frame (a :class:`~csworkbench.clv.SummaryResult`'s table or a frame) with ``columns``."""
    frame = summary if isinstance(summary, pd.DataFrame) else getattr(summary, "table", None)
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"expected the result of summary_from_transactions or a frame; got {type(summary).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"missing column(s) {missing}; expected the output of summary_from_transactions", column=missing[0]
        )
    return frame


def model_data(summary: Any, arrays: Mapping[str, Any]) -> list[np.ndarray]:
    """The columns a model fits on, as float arrays: from ``summary`` or from the keyword ``arrays``.

    ``summary`` is a :class:`~csworkbench.clv.SummaryResult` or a frame with the columns named
    in ``arrays``; without it every keyword array must be given, all of one length.
    """
    given = [k for k, v in arrays.items() if v is not None]
    if summary is not None:
        if given:
            raise ParameterError(f"give the summary or the arrays {list(arrays)}, not both (got {given})")
        frame = table_of(summary, list(arrays))
        return [frame[k].to_numpy(dtype=float) for k in arrays]
    lacking = [k for k in arrays if arrays[k] is None]
    if lacking:
        raise ParameterError(
            f"give a summary (the result of summary_from_transactions) or all of {list(arrays)}; {lacking} missing"
        )
    out = [np.asarray(arrays[k], dtype=float).reshape(-1) for k in arrays]
    if len({len(a) for a in out}) > 1:
        raise DataError(f"{' and '.join(arrays)} differ in length ({', '.join(str(len(a)) for a in out)})")
    return out


def as_array(x: Any) -> np.ndarray:
    """``x`` as a 1-d float array (a scalar becomes one element)."""
    arr = np.asarray(x, dtype=float)
    return arr.reshape(1) if arr.ndim == 0 else arr


def check_history(x: np.ndarray, tx: np.ndarray, T: np.ndarray, model: str) -> None:
    """DataError for missing values or a (frequency, recency, T) history no customer can have."""
    for name, v in (("frequency", x), ("recency", tx), ("T", T)):
        if np.isnan(v).any():
            raise DataError(
                f"missing values; the {model} needs every customer's {name}",
                column=name,
                row=int(np.flatnonzero(np.isnan(v))[0]) + 1,
            )
    bad = (x < 0) | (x % 1 != 0) | (tx < 0) | (tx > T + 1e-9) | ((x == 0) & (tx != 0)) | ((x > 0) & (tx <= 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"inconsistent history: need integer frequency >= 0, 0 <= recency <= T, recency 0 iff "
            f"frequency 0; got frequency={x[i]:g}, recency={tx[i]:g}, T={T[i]:g}",
            row=i + 1,
        )


def history_data(
    summary: Any, frequency: Any, recency: Any, T: Any, model: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(frequency, recency, T)`` for a customer-base model's fit: from ``summary`` or the arrays,
    checked (:func:`check_history`) and large enough to fit (10 customers, 2 repeat buyers)."""
    x, tx, T_ = model_data(summary, {"frequency": frequency, "recency": recency, "T": T})
    check_history(x, tx, T_, model)
    if len(x) < 10 or (x > 0).sum() < 2:
        raise DataError(
            f"need at least 10 customers and 2 repeat buyers to fit the {model}; got {len(x)} "
            f"customers, {int((x > 0).sum())} repeat buyers"
        )
    return x, tx, T_


def check_confidence(confidence: float) -> float:
    if not (isinstance(confidence, (int, float, np.floating)) and 0 < float(confidence) < 1):
        raise ParameterError(f"confidence must lie strictly between 0 and 1 (e.g. 0.95); got {confidence!r}")
    return float(confidence)


def _numerical_hessian(fun: Callable[[np.ndarray], float], x: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian of ``fun`` at ``x``."""
    k = len(x)
    h = step * np.maximum(np.abs(x), 1.0)
    H = np.empty((k, k))
    f0 = fun(x)
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = h[i]
        H[i, i] = (fun(x + ei) - 2 * f0 + fun(x - ei)) / h[i] ** 2
        for j in range(i + 1, k):
            ej = np.zeros(k)
            ej[j] = h[j]
            H[i, j] = H[j, i] = (fun(x + ei + ej) - fun(x + ei - ej) - fun(x - ei + ej) + fun(x - ei - ej)) / (
                4 * h[i] * h[j]
            )
    return H


def _minimise(
    negll: Callable[[np.ndarray], float],
    starts: Sequence[np.ndarray],
    tol: float,
    max_iter: int,
    jac: Callable[[np.ndarray], np.ndarray] | None = None,
    good: Callable[[Any], bool] | None = None,
) -> Any:
    """The best BFGS optimum over ``starts`` (Nelder-Mead polishing where BFGS stalls).

    ``good(result)``, if given, accepts a BFGS result that stopped short of ``tol`` (e.g. on
    rounding noise) but whose gradient already passes the fit's convergence check, so that no
    Nelder-Mead crawl follows.
    """

    def run(x0: np.ndarray) -> Any:
        res = optimize.minimize(negll, x0, jac=jac, method="BFGS", options={"gtol": tol, "maxiter": max_iter})
        ok = res.success or (good is not None and np.isfinite(res.fun) and good(res))
        if not np.isfinite(res.fun) or not ok:
            # BFGS can stall on a flat ridge; polish with Nelder-Mead, then BFGS again
            nm = optimize.minimize(
                negll,
                res.x if np.all(np.isfinite(res.x)) else x0,
                method="Nelder-Mead",
                options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": max_iter * 20},
            )
            res = optimize.minimize(negll, nm.x, jac=jac, method="BFGS", options={"gtol": tol, "maxiter": max_iter})
        return res

    results = [run(np.asarray(x0, dtype=float)) for x0 in starts]
    return min(results, key=lambda r: r.fun if np.isfinite(r.fun) else np.inf)


def _gradient_hessian(jac: Callable[[np.ndarray], np.ndarray], x: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """Symmetric Hessian from central differences of the analytic gradient ``jac`` at ``x``."""
    k = len(x)
    h = step * np.maximum(np.abs(x), 1.0)
    H = np.empty((k, k))
    for i in range(k):
        e = np.zeros(k)
        e[i] = h[i]
        H[:, i] = (jac(x + e) - jac(x - e)) / (2 * h[i])
    return (H + H.T) / 2


def _newton_polish(
    fun: Callable[[np.ndarray], float],
    jac: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    f: float,
    steps: int,
) -> tuple[np.ndarray, float, int]:
    """Up to ``steps`` Newton steps from a BFGS optimum (Hessian from the analytic gradient).

    BFGS stops once the gradient is below its tolerance; one or two Newton steps take the
    estimate to the optimum within rounding, so that a fast fit and a straightforward one agree
    to many digits.  A step is kept only if it does not raise the objective.
    """
    done = 0
    for _ in range(max(0, steps)):
        g = jac(x)
        if not np.all(np.isfinite(g)) or np.max(np.abs(g)) == 0:
            break
        try:
            H = _gradient_hessian(jac, x)
            if not np.all(np.isfinite(H)) or np.any(np.linalg.eigvalsh(H) <= 0):
                break
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        x_new = x - step
        f_new = fun(x_new)
        done += 1
        if not (np.isfinite(f_new) and f_new <= f + 1e-13 * max(1.0, abs(f))):
            break
        g_new = jac(x_new)
        if not np.max(np.abs(g_new)) < np.max(np.abs(g)):
            break
        x, f = x_new, f_new
        if np.max(np.abs(step)) < 1e-12:
            break
    return x, f, done


def fit_log_mle(
    negll: Callable[[np.ndarray], float],
    names: Sequence[str],
    starts: Sequence[np.ndarray],
    *,
    tol: float,
    max_iter: int,
    model: str,
    jac: Callable[[np.ndarray], np.ndarray] | None = None,
    n_obs: float | None = None,
) -> dict[str, Any]:
    """Minimise ``negll(log θ)`` from each start, keep the best; return params, log-likelihood,
    SEs (delta method) and diagnostics.  :class:`ConvergenceError` when the gradient is not ~0.

    ``jac``, if given, is the analytic gradient of ``negll`` in log θ: BFGS uses it, a few
    Newton steps (Hessian from differences of ``jac``) polish the BFGS optimum within the
    ``max_iter`` budget, and the standard errors come from that Hessian.  Without it the
    gradient is a finite difference and the Hessian a central difference of ``negll``.

    ``n_obs``, if given (the number of customers ``negll`` sums over), makes the optimiser work
    on the mean per customer, ``negll / n_obs``: the gradient tolerance ``tol`` and the
    convergence check are then relative to one customer's log-likelihood, whatever the number
    of customers (on the sum, an absolute tolerance grows out of reach as customers are added).
    """
    scale = float(n_obs) if n_obs else 1.0

    def fun(z: np.ndarray) -> float:
        return negll(z) / scale

    grad: Callable[[np.ndarray], np.ndarray] | None = None
    if jac is not None:
        jac_ = jac

        def grad(z: np.ndarray) -> np.ndarray:
            return jac_(z) / scale

    def passes(g: np.ndarray, f: float) -> bool:
        return bool(np.all(np.isfinite(g)) and np.max(np.abs(g)) <= 1e-5 * max(1.0, abs(f)))

    with np.errstate(all="ignore"):
        good = None if grad is None else (lambda res: passes(grad(res.x), res.fun))
        res = _minimise(fun, starts, tol, max_iter, grad, good)
        x_opt, f_opt, n_iter = np.asarray(res.x, dtype=float), float(res.fun), int(res.nit)
        if grad is not None and np.isfinite(f_opt):
            x_opt, f_opt, extra = _newton_polish(fun, grad, x_opt, f_opt, min(3, int(max_iter) - n_iter))
            n_iter += extra
        g = grad(x_opt) if grad is not None else optimize.approx_fprime(x_opt, fun, 1e-7)
    if not np.isfinite(f_opt) or not passes(g, f_opt):
        raise ConvergenceError(
            f"{model}: maximum likelihood did not converge after {n_iter} iterations "
            f"(log-likelihood {-f_opt * scale:.4f}, largest gradient {np.max(np.abs(g)) * scale:.3g}; optimiser "
            f"says: {res.message}). Check the data (enough repeat buyers?) or give other initial_params."
        )
    theta = np.exp(x_opt)
    with np.errstate(all="ignore"):
        H = (_gradient_hessian(grad, x_opt) if grad is not None else _numerical_hessian(fun, x_opt)) * scale
    try:
        cov_log = np.linalg.inv(H)
        se = theta * np.sqrt(np.where(np.diag(cov_log) > 0, np.diag(cov_log), np.nan))
        cov = cov_log * np.outer(theta, theta)
    except np.linalg.LinAlgError:
        se = np.full(len(theta), np.nan)
        cov = np.full((len(theta), len(theta)), np.nan)
    if np.isnan(se).any():
        warnings.warn(
            f"{model}: the Hessian is not positive definite at the optimum; some standard errors are NaN",
            DataWarning,
            stacklevel=3,
        )
    return {
        "params": pd.Series(theta, index=list(names)),
        "se": pd.Series(se, index=list(names)),
        "cov": pd.DataFrame(cov, index=list(names), columns=list(names)),
        "ll": float(-f_opt * scale),
        "n_iter": n_iter,
    }


def aggregate_rows(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The distinct rows of ``columns`` (sorted), how often each occurs, and each row's index.

    Returns ``(distinct columns, counts, inverse)`` with ``column[i] == distinct[inverse[i]]``.
    Hash-based (``pandas.factorize`` per column, then on the combined integer code), so 3.6 M
    customers take a fraction of a second where ``numpy.unique(axis=0)`` sorts rows for seconds.
    """
    codes, uniques = [], []
    for col in columns:
        c, u = pd.factorize(np.asarray(col, dtype=float), sort=True, use_na_sentinel=False)
        codes.append(c.astype(np.int64))
        uniques.append(np.asarray(u, dtype=float))
    sizes = [max(len(u), 1) for u in uniques]
    if float(np.prod(np.array(sizes, dtype=float))) >= 2.0**62:  # combined code would overflow
        stacked = np.column_stack([np.asarray(c, dtype=float) for c in columns])
        distinct, inverse, counts = np.unique(stacked, axis=0, return_inverse=True, return_counts=True)
        return list(distinct.T), counts.astype(float), inverse.reshape(-1)
    key = codes[0]
    for c, size in zip(codes[1:], sizes[1:]):
        key = key * size + c
    inverse, keys = pd.factorize(key, sort=True)
    counts = np.bincount(inverse, minlength=len(keys)).astype(float)
    out = []
    rest = np.asarray(keys, dtype=np.int64)
    for u, size in zip(reversed(uniques), reversed(sizes)):
        out.append(u[rest % size])
        rest = rest // size
    return out[::-1], counts, inverse


def wdot(a: np.ndarray, b: np.ndarray) -> float:
    """Σ aᵢ bᵢ without BLAS: OpenBLAS threads its dot product over long vectors, and on a busy
    2-core machine (DuckDB's threads, other processes) those threads made a 70 ms fit take seconds
    at random; NumPy's own sum-of-products loop has no threads to wait for."""
    return float(np.einsum("i,i->", np.asarray(a, dtype=float), np.asarray(b, dtype=float)))


def x_groups(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``x`` and each element's index into them (terms that depend on the
    frequency alone are computed once per distinct frequency)."""
    codes, distinct = pd.factorize(np.asarray(x, dtype=float), sort=True, use_na_sentinel=False)
    return np.asarray(distinct, dtype=float), codes.astype(np.intp)


class Memo:
    """Caches the last ``(value, gradient)`` of ``fn(z)`` so that ``value`` and ``gradient`` can be
    handed to an optimiser separately without computing the shared terms twice."""

    def __init__(self, fn: Callable[[np.ndarray], tuple[float, np.ndarray]]) -> None:
        self.fn = fn
        self.z: np.ndarray | None = None
        self.out: tuple[float, np.ndarray] = (np.nan, np.array([]))

    def _at(self, z: np.ndarray) -> tuple[float, np.ndarray]:
        if self.z is None or not np.array_equal(z, self.z):
            self.out = self.fn(np.asarray(z, dtype=float))
            self.z = np.array(z, dtype=float)
        return self.out

    def value(self, z: np.ndarray) -> float:
        return self._at(z)[0]

    def gradient(self, z: np.ndarray) -> np.ndarray:
        return self._at(z)[1]


class PositiveParameterModel(Estimator):
    """Shared plumbing of the maximum-likelihood models: parameters stored, starting values checked.

    Subclasses name their parameters in ``PARAMS``; the optimiser works on their logarithms.
    ``fit`` sets ``params_``, ``se_``, ``cov_``, ``log_likelihood_``, ``n_iter_`` and
    ``n_customers_``.
    """

    PARAMS: tuple[str, ...] = ()

    def __init__(
        self, *, initial_params: Mapping[str, float] | None = None, tol: float = 1e-7, max_iter: int = 2000
    ) -> None:
        self.initial_params = initial_params
        self.tol = tol
        self.max_iter = max_iter

    def _validate_params(self) -> np.ndarray:
        """Log of the starting values; ParameterError for unknown names, non-positive values, bad tol."""
        init = {k: 1.0 for k in self.PARAMS} | dict(self.initial_params or {})
        if set(init) - set(self.PARAMS):
            raise ParameterError(f"initial_params keys must be {list(self.PARAMS)}; got {sorted(init)}")
        x0 = np.array([init[k] for k in self.PARAMS], dtype=float)
        if np.any(~np.isfinite(x0)) or np.any(x0 <= 0):
            raise ParameterError(f"initial_params must be positive; got {init}")
        if not (self.tol > 0 and int(self.max_iter) > 0):
            raise ParameterError(f"tol and max_iter must be positive; got tol={self.tol!r}, max_iter={self.max_iter!r}")
        return np.log(x0)

    def _fit_and_store(
        self,
        negll: Callable[[np.ndarray], float],
        starts: Sequence[np.ndarray],
        *,
        model: str,
        n_customers: int,
        jac: Callable[[np.ndarray], np.ndarray] | None = None,
        n_obs: float | None = None,
    ) -> None:
        """Maximise the likelihood from ``starts`` (:func:`fit_log_mle` with this model's
        ``tol`` and ``max_iter``) and keep the fitted state (``params_``, ``se_``, …)."""
        fit = fit_log_mle(
            negll, self.PARAMS, starts, tol=self.tol, max_iter=int(self.max_iter), model=model, jac=jac, n_obs=n_obs
        )
        self._store(fit, n_customers)

    def _store(self, fit: dict[str, Any], n_customers: int) -> None:
        self.params_, self.se_, self.cov_ = fit["params"], fit["se"], fit["cov"]
        self.log_likelihood_, self.n_iter_ = fit["ll"], fit["n_iter"]
        self.n_customers_ = n_customers

    def _params(self) -> tuple[float, ...]:
        """The fitted parameters as floats, in ``PARAMS`` order; NotFittedError before ``fit``."""
        self.check_fitted("params_")
        return tuple(float(v) for v in self.params_.to_numpy())

    def parameter_draws(self, n_draws: int = 1000, *, random_state: Any = 0) -> pd.DataFrame:
        """Draws of the parameters from their asymptotic distribution: log θ ~ N(log θ̂, Σ_log).

        Σ_log is the inverse Hessian of the negative log-likelihood in log θ (the fit's own
        scale, where the likelihood is close to quadratic), so every draw is positive.  One row
        per draw, one column per parameter.
        """
        self.check_fitted("params_", "cov_")
        n = check_n_draws(n_draws)
        theta = self.params_.to_numpy(dtype=float)
        cov_log = self.cov_.to_numpy(dtype=float) / np.outer(theta, theta)
        if not np.all(np.isfinite(cov_log)):
            raise ModelError(f"{type(self).__name__}: the covariance of the estimates is not finite; no draws")
        rng = np.random.default_rng(random_state)
        logs = rng.multivariate_normal(np.log(theta), cov_log, size=n, method="eigh")
        return pd.DataFrame(np.exp(logs), columns=self.params_.index)

    def conf_int(self, confidence: float = 0.95) -> pd.DataFrame:
        """Wald intervals in log θ, ``θ·exp(±z·se/θ)``: ``parameter, ci_low, ci_high``.

        The parameters are positive and their likelihood is far more symmetric in log θ, where
        the fit is done, so the interval is too.
        """
        self.check_fitted("params_", "se_")
        z = stats.norm.ppf(0.5 + check_confidence(confidence) / 2)
        spread = np.exp(z * self.se_ / self.params_)
        return pd.DataFrame(
            {
                "parameter": self.params_.index,
                "ci_low": (self.params_ / spread).to_numpy(),
                "ci_high": (self.params_ * spread).to_numpy(),
            }
        )

    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """Tidy table ``parameter, estimate, se, ci_low, ci_high`` (intervals of :meth:`conf_int`).

        The fit's log-likelihood and customers are the attributes ``log_likelihood_`` and
        ``n_customers_``.
        """
        ci = self.conf_int(confidence)
        return pd.DataFrame(
            {
                "parameter": self.params_.index,
                "estimate": self.params_.to_numpy(),
                "se": self.se_.to_numpy(),
                "ci_low": ci["ci_low"].to_numpy(),
                "ci_high": ci["ci_high"].to_numpy(),
            }
        )


def check_n_draws(n_draws: Any) -> int:
    if not (isinstance(n_draws, (int, np.integer)) and not isinstance(n_draws, bool) and n_draws >= 2):
        raise ParameterError(f"n_draws must be an integer >= 2 (e.g. 1000); got {n_draws!r}")
    return int(n_draws)


class CustomerBaseModel(PositiveParameterModel):
    """A model of repeat purchases (BG/NBD, Pareto/NBD, MBG/NBD, BG/BB) with per-customer intervals.

    Subclasses define ``expected_purchases(t, frequency, recency, T)`` and
    ``probability_alive(frequency, recency, T)`` from ``self._params()``.
    """

    def predict_interval(
        self,
        t: Any,
        frequency: Any,
        recency: Any,
        T: Any,
        *,
        what: str = "expected_purchases",
        n_draws: int = 1000,
        confidence: float = 0.95,
        random_state: Any = 0,
    ) -> pd.DataFrame:
        """Per-customer intervals for expected purchases or P(alive) from the parameters' uncertainty.

        The parameters are drawn ``n_draws`` times from their asymptotic normal distribution in
        log θ (:meth:`parameter_draws`); the prediction is computed for every draw and the
        interval is the central ``confidence`` share of the draws.  It carries the estimation
        error of the population parameters only — not the customer's own Poisson randomness.

        Parameters
        ----------
        t : float or array-like
            Length of the coming period (ignored for ``what="probability_alive"``).
        frequency, recency, T : array-like
            The customers' histories (``T``: the number of opportunities for the BG/BB).
        what : {"expected_purchases", "probability_alive"}
        n_draws : int
        confidence : float
        random_state : int, Generator or None

        Returns
        -------
        DataFrame
            One row per customer: ``estimate`` (at the maximum-likelihood estimate), ``se``
            (standard deviation over the draws), ``ci_low``, ``ci_high``.
        """
        if what not in ("expected_purchases", "probability_alive"):
            raise ParameterError(f'what must be "expected_purchases" or "probability_alive"; got {what!r}')
        level = check_confidence(confidence)
        draws = self.parameter_draws(n_draws, random_state=random_state)

        def predict(model: CustomerBaseModel) -> np.ndarray:
            if what == "probability_alive":
                return np.asarray(model.probability_alive(frequency, recency, T), dtype=float)
            return np.asarray(model.expected_purchases(t, frequency, recency, T), dtype=float)

        estimate = predict(self)
        twin = copy.copy(self)
        sims = np.empty((len(draws), estimate.size))
        for i, row in enumerate(draws.to_numpy()):
            twin.params_ = pd.Series(row, index=draws.columns)
            sims[i] = predict(twin)
        lo, hi = column_quantiles(sims, [(1 - level) / 2, (1 + level) / 2])
        return pd.DataFrame({"estimate": estimate, "se": np.nanstd(sims, axis=0, ddof=1), "ci_low": lo, "ci_high": hi})


def column_quantiles(sims: np.ndarray, q: list[float]) -> np.ndarray:
    """Quantiles ``q`` of each column of ``sims``, NaN skipped: ``numpy.nanquantile(sims, q,
    axis=0)``, which loops over the columns in Python (70 ms for 200 draws × 2,357 customers),
    as one vectorised ``numpy.quantile`` (9 ms, equal bit for bit) when there is no NaN.

    >>> column_quantiles(np.array([[1.0, np.nan], [3.0, 2.0]]), [0.5]).tolist()
    [[2.0, 2.0]]
    """
    if np.isnan(sims).any():
        return np.nanquantile(sims, q, axis=0)
    return np.quantile(sims, q, axis=0)
