"""Customer lifetime value (客户终身价值): BG/NBD purchases, Gamma-Gamma spend, discounted CLV.

The course (COURSE.md §3) says customer value is computable and that lifetime value is how CRM
predicts it.  This package implements the standard "buy till you die" route, one module per step:

==============  ==========================================================================
``summary``     :func:`summary_from_transactions` — frequency, recency, T, spend, holdout (RFM 汇总)
``bgnbd``       :class:`BetaGeoModel` — the BG/NBD model: alive probability, expected purchases
``paretonbd``   :class:`ParetoNBDModel` — the Pareto/NBD model (dropout at any time)
``mbgnbd``      :class:`ModifiedBetaGeoModel` — the MBG/NBD model (dropout also at time zero)
``bgbb``        :class:`BetaGeoBetaBinomModel` — the BG/BB model of discrete opportunities
``gammagamma``  :class:`GammaGammaModel` — the Gamma-Gamma model of spend per transaction
``value``       :func:`clv`, :func:`clv_pyramid`, :func:`tracking`, :func:`holdout_comparison`,
                :func:`compare_models`
``figures``     :func:`tracking_figure`, :func:`clv_distribution_figure`,
                :func:`calibration_holdout_figure`
==============  ==========================================================================

Why hand-written: ``lifetimes`` 0.11.3 (the reference implementation, last release 2020) is
archived and fails on pandas 3 / NumPy 2; ``btyd`` 0.1b3, its fork, has had no release since
2022 and pins the same old stack; ``pymc-marketing`` is maintained but brings PyMC, PyTensor
and ArviZ for what is here a four-parameter maximum-likelihood problem.  The likelihoods are
short closed forms, written with NumPy/SciPy and tested against the published CDNOW
estimates (r = 0.2426, α = 4.414, a = 0.793, b = 2.426, LL = −9582.43; p = 6.25, q = 3.74,
γ = 15.44) and against synthetic data with known truth
(:func:`csworkbench.datasets.transactions.make_transactions`).

Estimation: maximum likelihood over the logarithms of the parameters with BFGS, the
log-likelihood in log space; identical customers are collapsed into weighted rows; BG/NBD,
Pareto/NBD, MBG/NBD, BG/BB and Gamma-Gamma use analytic gradients on the mean log-likelihood per customer
(10 M transactions → summary, both fits and CLV in seconds: ``bench/bench_clv_scale.py``).  Standard
errors come from a numerical Hessian (delta method); ``summary()`` and
``conf_int(confidence=0.95)`` give Wald intervals in log θ.  A fit that does not converge
raises :class:`~csworkbench.errors.ConvergenceError`.  Names are imported lazily, so
``import csworkbench.clv`` loads neither scikit-learn nor plotly.

Examples
--------
>>> from csworkbench import clv
>>> from csworkbench.datasets.transactions import make_transactions
>>> summary = clv.summary_from_transactions(make_transactions(2000, random_state=2), "2024-09-30")
>>> purchases = clv.BetaGeoModel().fit(summary)
>>> spend = clv.GammaGammaModel().fit(summary)
>>> value = clv.clv(summary, purchases, spend, horizon_months=12)
>>> bool(value["clv"].is_monotonic_decreasing)
True
"""

from __future__ import annotations

from .._lazy import lazy_namespace

# public name → submodule that defines it
_EXPORTS: dict[str, str] = {
    "FREQ_DAYS": "summary",
    "SummaryResult": "summary",
    "summary_from_transactions": "summary",
    "BetaGeoModel": "bgnbd",
    "ParetoNBDModel": "paretonbd",
    "ModifiedBetaGeoModel": "mbgnbd",
    "BetaGeoBetaBinomModel": "bgbb",
    "compare_models": "value",
    "calibration_holdout_figure": "figures",
    "GammaGammaModel": "gammagamma",
    "clv": "value",
    "clv_pyramid": "value",
    "tracking": "value",
    "TrackingResult": "value",
    "holdout_comparison": "value",
    "tracking_figure": "figures",
    "clv_distribution_figure": "figures",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_namespace(__name__, _EXPORTS)
