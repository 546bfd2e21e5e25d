"""The Pareto/NBD model of repeat purchases (Pareto/NBD 模型): the original "buy till you die" model.

While alive a customer buys at rate λ ~ Gamma(r, α); their lifetime is exponential with rate
μ ~ Gamma(s, β), independent of λ (Schmittlein, Morrison & Colombo 1987).  Unlike the BG/NBD,
a customer can drop out at any time, not only just after a purchase.
:class:`ParetoNBDModel` estimates (r, α, s, β) by maximum likelihood from the per-customer
summary (frequency, recency, T).

The likelihood (Fader & Hardie 2005, "A note on deriving the Pareto/NBD model and related
expressions", eq. 22) contains A₀, a difference of two Gauss hypergeometric terms whose form
depends on whether α ≥ β or α < β.  Each term is evaluated in log space after Euler's
transformation 2F1(a, b; c; z) = (1 − z)^(c−a−b) 2F1(c − a, c − b; c; z): with c − a = 1 the
remaining series 2F1(1, ·; ·; z) has positive terms only, so neither the divergence at z → 1
nor the difference of two large numbers loses precision.  The fit uses the analytic gradient of
the log-likelihood in log θ: the derivatives of that positive series in its parameters, summed
alongside it, once per distinct (x, tₓ) and (x, T).

References: Schmittlein, Morrison & Colombo (1987), "Counting your customers: who are they
and what will they do next?", *Management Science* 33(1), 1–24; Fader & Hardie (2005), the
note above (CDNOW: r = 0.5533, α = 10.5776, s = 0.6061, β = 11.6650, LL = −9594.98), and
(2006) "Deriving an expression for P(X(t) = x) under the Pareto/NBD model".

Examples
--------
>>> import pandas as pd
>>> from csworkbench.clv import ParetoNBDModel
>>> m = ParetoNBDModel()
>>> m.params_ = pd.Series({"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562})
>>> round(float(m.probability_alive(26, 30.86, 31)[0]), 4)  # R BTYD walkthrough: 0.9979
0.9979
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special, stats

from ..errors import ParameterError
from ._base import CustomerBaseModel, Memo, aggregate_rows, as_array, history_data, wdot, x_groups

__all__ = ["ParetoNBDModel"]


def _log_2f1_one(b: np.ndarray, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """log 2F1(1, b; c; z) for c > b > 0, 0 ≤ z < 1 (a series of positive terms)."""
    with np.errstate(all="ignore"):
        return np.log(special.hyp2f1(1.0, b, c, z))


def _log_a0_term(r, alpha, s, beta, x, u):
    """log of 2F1(r+s+x, ·; r+s+x+1; |α−β|/(max(α,β)+u)) / (max(α,β)+u)^(r+s+x), Euler-transformed.

    α ≥ β: 2F1(r+s+x, s+1; …) = ((β+u)/(α+u))^(−s) · 2F1(1, r+x; r+s+x+1; z);
    α < β: 2F1(r+s+x, r+x; …) = ((α+u)/(β+u))^(1−r−x) · 2F1(1, s+1; r+s+x+1; z).
    """
    c = r + s + x + 1
    if alpha >= beta:
        z = (alpha - beta) / (alpha + u)
        return -s * (np.log(beta + u) - np.log(alpha + u)) + _log_2f1_one(r + x, c, z) - (c - 1) * np.log(alpha + u)
    z = (beta - alpha) / (beta + u)
    return (1 - r - x) * (np.log(alpha + u) - np.log(beta + u)) + _log_2f1_one(s + 1, c, z) - (c - 1) * np.log(beta + u)


def _log_a0(r, alpha, s, beta, x, tx, T):
    """log A₀ of Fader & Hardie (2005) (−inf where recency = T, A₀ = 0)."""
    hi = _log_a0_term(r, alpha, s, beta, x, tx)
    lo = _log_a0_term(r, alpha, s, beta, x, T)
    with np.errstate(divide="ignore", invalid="ignore"):
        return hi + np.log(-np.expm1(np.minimum(lo - hi, 0.0)))


def _log_dead_ratio(r, alpha, s, beta, x, tx, T):
    """log of P(dead) / P(alive) given (x, tₓ, T)."""
    return (
        np.log(s)
        - np.log(r + s + x)
        + (r + x) * np.log(alpha + T)
        + s * np.log(beta + T)
        + _log_a0(r, alpha, s, beta, x, tx, T)
    )


def _one_minus_power_over(s: float, base: np.ndarray) -> np.ndarray:
    """(1 − base^(−(s−1))) / (s − 1) for base ≥ 1, with its limit log(base) at s = 1."""
    L = np.log(base)
    if abs(s - 1.0) < 1e-10:
        return L
    return -np.expm1(-(s - 1.0) * L) / (s - 1.0)


_SERIES_MAX_TERMS = 20_000


def _series_2f1_one(
    b: np.ndarray, c: np.ndarray, z: np.ndarray, omz: np.ndarray, max_terms: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """S = 2F1(1, b; c; z) = Σ tₙ (c > b > 0, 0 ≤ z < 1, ``omz`` = 1 − z) and its derivatives.

    tₙ = (b)ₙ/(c)ₙ zⁿ, all positive, each ratio tₙ₊₁/tₙ = (b+n)/(c+n)·z < z.  Returns
    ``(log S, ∂log S/∂b, ∂log S/∂c, ∂log S/∂z, converged)``: ∂tₙ/∂b = tₙ Σₖ₍ₙ 1/(b+k),
    ∂tₙ/∂c = −tₙ Σₖ₍ₙ 1/(c+k), ∂tₙ/∂z = n·pₙ with pₙ = (b)ₙ/(c)ₙ z^(n−1) (no division by z,
    which is 0 where α = β).  Vectorised over rows; a row stops once the bound on the rest of
    its sums, tₙ((n+1)/(1−z) + 1/(1−z)²), is below 1e-16 of S (so S'/S is exact to ~1e-16 too);
    rows still running after ``max_terms`` terms (default ``_SERIES_MAX_TERMS``) are flagged
    not converged.
    """
    max_terms = _SERIES_MAX_TERMS if max_terms is None else max_terms
    m = len(b)
    out = np.zeros((4, m))
    out[0] = 1.0
    conv = np.zeros(m, dtype=bool)
    idx = np.arange(m)
    b_, c_, z_, om = b.copy(), c.copy(), z.copy(), omz.copy()
    p = b_ / c_  # p₁
    B, C = 1.0 / b_, 1.0 / c_  # B₁, C₁
    S, Sb, Sc, Sz = np.ones(m), np.zeros(m), np.zeros(m), np.zeros(m)
    for n in range(1, max_terms + 1):
        t = p * z_
        S += t
        Sb += t * B
        Sc += t * C
        Sz += n * p
        done = t * ((n + 1) / om + 1.0 / (om * om)) <= 1e-16 * S
        if done.any():
            out[:, idx[done]] = S[done], Sb[done], Sc[done], Sz[done]
            conv[idx[done]] = True
            keep = ~done
            if not keep.any():
                break
            idx, b_, c_, z_, om, p, B, C = (v[keep] for v in (idx, b_, c_, z_, om, p, B, C))
            S, Sb, Sc, Sz = S[keep], Sb[keep], Sc[keep], Sz[keep]
        p = p * (b_ + n) / (c_ + n) * z_
        B = B + 1.0 / (b_ + n)
        C = C + 1.0 / (c_ + n)
    S_all = out[0]
    return np.log(S_all), out[1] / S_all, -out[2] / S_all, out[3] / S_all, conv


def _a0_term_and_gradient(r, alpha, s, beta, x, u):
    """``_log_a0_term`` at u and its gradient in (r, α, s, β) (a 4 × n array), from the series.

    α ≥ β: L = −s(log(β+u) − log(α+u)) + log S(r+x, c, (α−β)/(α+u)) − (c−1) log(α+u);
    α < β: L = (1−r−x)(log(α+u) − log(β+u)) + log S(s+1, c, (β−α)/(β+u)) − (c−1) log(β+u);
    c = r+s+x+1.  Returns ``(L, ∇L, converged)``.
    """
    c = r + s + x + 1
    au, bu = alpha + u, beta + u
    la, lb = np.log(au), np.log(bu)
    if alpha >= beta:
        lS, dSb, dSc, dSz, ok = _series_2f1_one(r + x, c, (alpha - beta) / au, bu / au)
        val = -s * (lb - la) + lS - (c - 1) * la
        grad = [dSb + dSc - la, s / au + dSz * bu / (au * au) - (c - 1) / au, dSc - lb, -s / bu - dSz / au]
    else:
        lS, dSb, dSc, dSz, ok = _series_2f1_one(np.full(np.shape(x), s + 1.0), c, (beta - alpha) / bu, au / bu)
        k = 1 - r - x
        val = k * (la - lb) + lS - (c - 1) * lb
        grad = [dSc - la, k / au - dSz / bu, dSb + dSc - lb, -k / bu + dSz * au / (bu * bu) - (c - 1) / bu]
    return val, np.array(grad), ok


def _a0_layout(x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, ...]:
    """Where A₀ > 0 (tₓ < T), and the distinct (x, u) pairs its two terms need (u = tₓ, u = T).

    The terms depend on (x, u) alone, and customers share far fewer (x, tₓ) and (x, T) pairs
    than (x, tₓ, T) histories (69,109 histories, 4,088 + 2,078 pairs on 364,000 customers).
    Returns ``(some, pair_x, pair_u, hi_index, lo_index)`` over the rows with tₓ < T.
    """
    some = tx < T
    k = int(some.sum())
    (px, pu), _, inv = aggregate_rows(np.concatenate([x[some], x[some]]), np.concatenate([tx[some], T[some]]))
    return some, px, pu, inv[:k], inv[k:]


def _log_a0_and_gradient(r, alpha, s, beta, layout):
    """log A₀ and its gradient in (r, α, s, β) where tₓ < T (A₀ > 0); ``converged`` per row.

    A₀ = e^hi − e^lo, so ∇log A₀ = (∇hi − q∇lo)/(1 − q) with q = e^(lo−hi).
    """
    _, px, pu, i_hi, i_lo = layout
    L, gL, okL = _a0_term_and_gradient(r, alpha, s, beta, px, pu)
    hi, lo = L[i_hi], L[i_lo]
    d = np.minimum(lo - hi, 0.0)
    one_minus_q = -np.expm1(d)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_a0 = hi + np.log(one_minus_q)
        grad = (gL[:, i_hi] - np.exp(d) * gL[:, i_lo]) / one_minus_q
    ok = okL[i_hi] & okL[i_lo] & (one_minus_q > 0) & np.all(np.isfinite(grad), axis=0)
    return log_a0, grad, ok


def _central_gradient(theta: np.ndarray, x, tx, T, w, step: float = 1e-5) -> np.ndarray:
    """∂ log-likelihood / ∂ log θ by central differences of the closed form (rows whose series
    did not converge)."""
    g = np.zeros(4)
    for i in range(4):
        e = np.zeros(4)
        e[i] = step
        up = ParetoNBDModel._loglik(theta * np.exp(e), x, tx, T, w)
        down = ParetoNBDModel._loglik(theta * np.exp(-e), x, tx, T, w)
        g[i] = (up - down) / (2 * step)
    return g


class ParetoNBDModel(CustomerBaseModel):
    """The Pareto/NBD model of repeat purchases (Pareto/NBD 模型; Schmittlein, Morrison & Colombo 1987).

    Purchase rate while alive λ ~ Gamma(r, α), dropout rate μ ~ Gamma(s, β), lifetimes
    exponential; the same interface as :class:`~csworkbench.clv.BetaGeoModel`.

    Parameters
    ----------
    initial_params : dict, optional
        Starting values ``{"r", "alpha", "s", "beta"}``. Default: two starts, all 1 and
        (0.5, mean T / 4, 0.5, mean T / 4); the better optimum is kept.
    tol : float
        Gradient tolerance of BFGS on the log-parameters, for the mean log-likelihood per
        customer (analytic gradient; so independent of the number of customers).
    max_iter : int

    Attributes
    ----------
    params_ : pandas.Series
        ``r, alpha, s, beta`` (time in the summary's unit).
    se_, cov_, log_likelihood_, n_customers_, n_repeat_buyers_, n_iter_
        As in :class:`~csworkbench.clv.BetaGeoModel`.

    Examples
    --------
    >>> import pandas as pd
    >>> m = ParetoNBDModel()
    >>> m.params_ = pd.Series({"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562})
    >>> m.expected_purchases_unconditional([0, 9]).round(2).tolist()  # R BTYD (its own estimate): 0, 0.389
    [0.0, 0.39]
    """

    PARAMS = ("r", "alpha", "s", "beta")

    @staticmethod
    def _loglik(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> float:
        r, alpha, s, beta = theta
        head = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
        died = np.log(s) - np.log(r + s + x) + _log_a0(r, alpha, s, beta, x, tx, T)
        return float(np.sum(w * (head + np.logaddexp(alive, died))))

    @staticmethod
    def _value_and_gradient(
        theta: np.ndarray,
        x: np.ndarray,
        tx: np.ndarray,
        T: np.ndarray,
        w: np.ndarray,
        layout: tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, ...]] | None = None,
    ) -> tuple[float, np.ndarray]:
        """Log-likelihood and its analytic gradient in log θ (the gamma terms once per distinct x,
        the hypergeometric terms once per distinct (x, tₓ) and (x, T): ``layout``).

        Per row ℓ = head + log(e^alive + e^died) with head = log Γ(r+x) − log Γ(r) + r log α
        + s log β, alive = −(r+x) log(α+T) − s log(β+T), died = log s − log(r+s+x) + log A₀;
        so ∇ℓ = ∇head + P(alive)·∇alive + P(died)·∇died, ∇log A₀ from the hypergeometric
        series (:func:`_log_a0_and_gradient`).  Rows with tₓ = T (A₀ = 0) count through
        ``alive`` alone.  Rows whose series does not converge within its term cap take value and
        gradient from the closed form ``_loglik`` (central differences), never a wrong gradient.
        """
        r, alpha, s, beta = (float(v) for v in theta)
        (ux, xi), a0_layout = layout if layout is not None else (x_groups(x), _a0_layout(x, tx, T))
        n = len(x)
        log_aT, log_bT = np.log(alpha + T), np.log(beta + T)
        alive = -(r + x) * log_aT - s * log_bT
        died, g_died, ok = np.full(n, -np.inf), np.zeros((4, n)), np.ones(n, dtype=bool)
        some = a0_layout[0]
        if some.any():
            log_a0, g_a0, ok[some] = _log_a0_and_gradient(r, alpha, s, beta, a0_layout)
            rsx = r + s + x[some]
            died[some] = np.log(s) - np.log(rsx) + log_a0
            g_a0[0] -= 1.0 / rsx
            g_a0[2] += 1.0 / s - 1.0 / rsx
            g_died[:, some] = g_a0
        top = np.logaddexp(alive, died)
        p_alive, p_died = np.exp(alive - top), np.exp(died - top)
        head = special.gammaln(r + ux)[xi] - special.gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        rows = head + top
        with np.errstate(invalid="ignore"):  # rows flagged not converged are replaced below
            g = np.array(
                [
                    special.digamma(r + ux)[xi] - special.digamma(r) + np.log(alpha) - p_alive * log_aT,
                    r / alpha - p_alive * (r + x) / (alpha + T),
                    np.log(beta) - p_alive * log_bT,
                    s / beta - p_alive * s / (beta + T),
                ]
            ) + np.where(p_died > 0, p_died * g_died, 0.0)
        bad = ~ok | ~np.isfinite(rows) | ~np.all(np.isfinite(g), axis=0)
        good = ~bad
        value = wdot(w[good], rows[good])
        grad = np.array([wdot(w[good], gi[good]) for gi in g]) * np.array([r, alpha, s, beta])
        if bad.any():
            args = (x[bad], tx[bad], T[bad], w[bad])
            value += ParetoNBDModel._loglik(np.asarray(theta, dtype=float), *args)
            grad = grad + _central_gradient(np.asarray(theta, dtype=float), *args)
        return value, grad

    @staticmethod
    def _gradient(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> np.ndarray:
        """∂ log-likelihood / ∂ log θ (analytic)."""
        return ParetoNBDModel._value_and_gradient(theta, x, tx, T, w)[1]

    def fit(self, summary: Any = None, *, frequency: Any = None, recency: Any = None, T: Any = None) -> ParetoNBDModel:
        """Fit by maximum likelihood; returns ``self``.

        Customers with the same (frequency, recency, T) are counted once, with a weight; the
        optimiser climbs the mean log-likelihood per customer with its analytic gradient from
        the default starts (the best optimum is kept).

        Parameters
        ----------
        summary : SummaryResult or DataFrame, optional
            The result of :func:`~csworkbench.clv.summary_from_transactions` (or a frame with
            ``frequency, recency, T``).
        frequency, recency, T : array-like, optional
            The same columns as arrays, instead of ``summary``.
        """
        x0 = self._validate_params()
        x, tx, T_ = history_data(summary, frequency, recency, T, "Pareto/NBD")
        (ux, utx, uT), w, _ = aggregate_rows(x, tx, T_)

        def value_and_gradient(logt: np.ndarray) -> tuple[float, np.ndarray]:
            with np.errstate(all="ignore"):
                val, g = self._value_and_gradient(np.exp(logt), ux, utx, uT, w, layout)
            if not np.isfinite(val):
                return 1e300, np.zeros_like(logt)
            return -val, np.where(np.isfinite(g), -g, 0.0)

        layout = (x_groups(ux), _a0_layout(ux, utx, uT))
        memo = Memo(value_and_gradient)
        scale = max(float(np.mean(T_)), 1.0) / 4
        starts = [x0] if self.initial_params else [x0, np.log([0.5, scale, 0.5, scale])]
        self._fit_and_store(memo.value, starts, model="Pareto/NBD", n_customers=len(x), jac=memo.gradient, n_obs=len(x))
        self.n_repeat_buyers_ = int((x > 0).sum())
        return self

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(alive | x, tₓ, T) (客户存活概率) (Fader & Hardie 2005, eq. 18)."""
        r, alpha, s, beta = self._params()
        x, tx, T = np.broadcast_arrays(as_array(frequency), as_array(recency), as_array(T))
        with np.errstate(all="ignore"):
            return special.expit(-_log_dead_ratio(r, alpha, s, beta, x, tx, T))

    def expected_purchases_unconditional(self, t: Any) -> np.ndarray:
        """E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)]: expected repeat purchases of a new customer."""
        r, alpha, s, beta = self._params()
        t = np.clip(as_array(t), 0, None)
        return r * beta / alpha * _one_minus_power_over(s, (beta + t) / beta)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """E[Y(t) | x, tₓ, T]: expected repeat purchases in the next ``t`` time units (eq. 21).

        Examples
        --------
        >>> import pandas as pd
        >>> m = ParetoNBDModel()
        >>> m.params_ = pd.Series({"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562})
        >>> round(float(m.expected_purchases(52, 26, 30.86, 31)[0]), 2)  # R BTYD walkthrough: 25.46 (to ± 0.01)
        25.45
        """
        r, alpha, s, beta = self._params()
        t, x, tx, T = np.broadcast_arrays(
            np.clip(as_array(t), 0, None), as_array(frequency), as_array(recency), as_array(T)
        )
        alive = self.probability_alive(x, tx, T)
        rate = (r + x) * (beta + T) / (alpha + T)
        return alive * rate * _one_minus_power_over(s, (beta + T + t) / (beta + T))

    def probability_of_n_purchases(self, t: Any, n: Any) -> np.ndarray:
        """P(X(t) = n): probability that a new customer makes exactly ``n`` repeat purchases in (0, t].

        Fader & Hardie (2006), "Deriving an expression for P(X(t) = x) under the Pareto/NBD
        model", eq. (5): the NBD count of a customer alive at t, plus α^r β^s B(r+n, s+1)/B(r, s)
        · {B₁ − Σⱼ₌₀ⁿ Γ(r+s+j)/(Γ(r+s) j!) tʲ B₂ⱼ} for those who died before t (the 2F1 in log
        space; the two cases α ≥ β and α < β).  Vectorised over ``t`` and ``n``.

        Examples
        --------
        >>> import pandas as pd
        >>> m = ParetoNBDModel()
        >>> m.params_ = pd.Series({"r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.67})
        >>> p = m.probability_of_n_purchases(39, range(60))
        >>> round(float(p.sum()), 6)
        1.0
        """
        r, alpha, s, beta = self._params()
        t, n = np.broadcast_arrays(np.clip(as_array(t), 0, None), as_array(n))
        if np.any((n < 0) | (n % 1 != 0)):
            raise ParameterError(f"n must be a non-negative integer count of purchases; got {n}")
        out = np.empty(t.shape)
        for i, (ti, ni) in enumerate(zip(t.flat, n.flat)):
            out.flat[i] = _pnbd_pmf(r, alpha, s, beta, float(ti), int(ni))
        return out


def _pnbd_pmf(r: float, alpha: float, s: float, beta: float, t: float, x: int) -> float:
    """P(X(t) = x) under the Pareto/NBD (one t, one x)."""
    alive = stats.nbinom.pmf(x, r, alpha / (alpha + t)) * (beta / (beta + t)) ** s
    if t == 0:
        return float(alive)
    c = r + s + x + 1
    j = np.arange(x + 1)
    if alpha >= beta:
        b, rho, d = s + 1, alpha, alpha - beta
    else:
        b, rho, d = r + x, beta, beta - alpha
    with np.errstate(all="ignore"):
        log_b1 = np.log(special.hyp2f1(r + s, b, c, d / rho)) - (r + s) * np.log(rho)
        log_b2 = (
            special.gammaln(r + s + j)
            - special.gammaln(r + s)
            - special.gammaln(j + 1)
            + j * np.log(t)
            + np.log(special.hyp2f1(r + s + j, b, c, d / (rho + t)))
            - (r + s + j) * np.log(rho + t)
        )
    top = max(log_b1, float(np.max(log_b2)))
    bracket = np.exp(log_b1 - top) - np.sum(np.exp(log_b2 - top))
    log_front = r * np.log(alpha) + s * np.log(beta) + special.betaln(r + x, s + 1) - special.betaln(r, s) + top
    return float(alive + max(bracket, 0.0) * np.exp(log_front))
