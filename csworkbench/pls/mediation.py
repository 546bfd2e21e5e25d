"""Mediation analysis of a PLS path model (中介效应分析): specific indirect effects with bootstrap
percentile and BCa intervals and the type of mediation.

Course concept: *how* a driver raises loyalty (顾客满意度研究模型, COURSE.md §2) — image may act
on loyalty directly and through satisfaction (企业形象 → 顾客满意 → 顾客忠诚).  A specific
indirect effect is the product of the path coefficients along one directed chain with at least
one mediator; every chain of the inner model is listed (whatever its source: in the ECSI model
EXPE → QUAL → SAT is as much a mediation as IMAG → EXPE → SAT).

Inference reuses the model's bootstrap (:meth:`PLSPM.bootstrap <csworkbench.pls.PLSPM.bootstrap>`,
same seed, same resamples): the product is formed in every resample.  Intervals: percentile, and
BCa (Efron 1987) with bias correction ``z0 = Φ⁻¹(share of resamples below the estimate)`` (ties
count half) and the acceleration from the jackknife (all n leave-one-out models estimated at once):
``a = Σ(θ̄ − θ₍ᵢ₎)³ / (6 [Σ(θ̄ − θ₍ᵢ₎)²]^{3/2})``.  ``p_value``: two-sided, from
``t = estimate / se`` on n − 1 degrees of freedom (as seminr, SmartPLS).

Type of mediation (Zhao, Lynch & Chen 2010), per specific indirect effect, from whether its
interval (``interval="bca"`` by default, or ``"percentile"``) and the percentile interval of the
direct path exclude 0: *complementary* (both, same sign), *competitive* (both, opposite signs),
*indirect-only*, *direct-only*, *no-effect*.  A pair without a direct path in the model has a
direct effect fixed at 0.

Reference: Zhao, X., Lynch, J. G., Chen, Q. (2010) Reconsidering Baron and Kenny. *J. Consumer
Research* 37, 197–206; Efron, B. (1987) Better bootstrap confidence intervals. *JASA* 82,
171–185; Hair, J. F. et al. (2022) *A Primer on PLS-SEM*, 3rd ed., ch. 7.

Examples
--------
>>> from csworkbench.datasets import load_ecsi
>>> from csworkbench.pls import PLSPM, ecsi_model, specific_indirect_effects
>>> model = PLSPM(**ecsi_model(), scaled=False).fit(load_ecsi())
>>> med = specific_indirect_effects(model, n_boot=200)
>>> row = med.effects.query("path == 'IMAG → SAT → LOY'").iloc[0]
>>> round(float(row["estimate"]), 4), row["mediation"]
(0.0995, 'complementary')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ParameterError
from ..estimators import Estimator
from ._resample import jackknife_weights, weighted_covs
from .algorithm import estimates
from .bootstrap import _quantiles, check_confidence

__all__ = ["MediationResult", "specific_indirect_effects", "indirect_chains", "bca_interval"]

INTERVALS = ("bca", "percentile")


@dataclass(frozen=True, eq=False)
class MediationResult:
    """Result of :func:`specific_indirect_effects`.

    Attributes
    ----------
    effects : DataFrame
        One row per specific indirect effect: ``source, through`` (the mediators, ``" → "``-joined),
        ``target, path, n_mediators, estimate, boot_mean, se, ci_low, ci_high`` (percentile),
        ``ci_low_bca, ci_high_bca, p_value, direct, direct_ci_low, direct_ci_high, mediation``.
    pairs : DataFrame
        One row per (source, target) joined by at least one chain: ``source, target, direct,
        direct_se, direct_ci_low, direct_ci_high, total_indirect, se, ci_low, ci_high, ci_low_bca,
        ci_high_bca, p_value, total, mediation`` (the type by the total indirect effect).
    samples : mapping
        ``"effects"`` and ``"pairs"``: bootstrap draws of the indirect effects (resamples × rows);
        ``"effects_jackknife"``, ``"pairs_jackknife"``: leave-one-out values (n × rows).
    n_boot, confidence, interval, random_state
        As given.
    """

    effects: pd.DataFrame
    pairs: pd.DataFrame
    samples: Mapping[str, np.ndarray]
    n_boot: int
    confidence: float
    interval: str
    random_state: int | np.random.Generator | None

    def summary(self) -> pd.DataFrame:
        """``source, through, target, estimate, se, ci_low_bca, ci_high_bca, p_value, direct,
        mediation`` per specific indirect effect."""
        cols = ["source", "through", "target", "estimate", "se", "ci_low_bca", "ci_high_bca", "p_value"]
        return self.effects[cols + ["direct", "mediation"]].copy()

    def conf_int(self, confidence: float = 0.95, *, method: str = "bca", of: str = "effects") -> pd.DataFrame:
        """Intervals at ``confidence`` from the stored draws: keys of table ``of`` (``"effects"`` or
        ``"pairs"``), ``estimate, ci_low, ci_high``; ``method`` ``"bca"`` or ``"percentile"``."""
        check_confidence(confidence)
        if method not in INTERVALS:
            raise ParameterError(f"method must be one of {', '.join(INTERVALS)}; got {method!r}")
        if of not in ("effects", "pairs"):
            raise ParameterError(f"of must be 'effects' or 'pairs'; got {of!r}")
        table = getattr(self, of)
        key = ["source", "through", "target"] if of == "effects" else ["source", "target"]
        out = table[key].copy()
        est = table["estimate" if of == "effects" else "total_indirect"].to_numpy()
        out["estimate"] = est
        draws = self.samples[of]
        if method == "percentile":
            out["ci_low"], out["ci_high"] = np.quantile(draws, _quantiles(confidence), axis=0)
        else:
            out["ci_low"], out["ci_high"] = bca_interval(est, draws, self.samples[f"{of}_jackknife"], confidence)
        return out


def indirect_chains(adj: np.ndarray) -> list[list[int]]:
    """Every directed chain with at least one mediator (≥ 2 paths) of the acyclic ``adj``."""
    L = adj.shape[0]
    chains: list[list[int]] = []

    def extend(chain: list[int]) -> None:
        for j in np.flatnonzero(adj[chain[-1]]).tolist():
            longer = chain + [j]
            if len(longer) >= 3:
                chains.append(longer)
            extend(longer)

    for i in range(L):
        extend([i])
    return sorted(chains, key=lambda c: (c[0], c[-1], len(c), c))


def bca_interval(estimate, draws, jackknife, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """BCa limits per column: ``estimate`` (k,), bootstrap ``draws`` (B, k), leave-one-out
    ``jackknife`` values (n, k)."""
    estimate = np.asarray(estimate, dtype=float)
    below = (draws < estimate).mean(axis=0) + 0.5 * (draws == estimate).mean(axis=0)
    z0 = stats.norm.ppf(np.clip(below, 1e-10, 1 - 1e-10))
    d = jackknife.mean(axis=0) - jackknife
    num = (d**3).sum(axis=0)
    den = 6 * ((d**2).sum(axis=0)) ** 1.5
    a = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    limits = []
    for q in _quantiles(confidence):
        z = stats.norm.ppf(q)
        adj = stats.norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))
        limits.append(np.array([np.quantile(draws[:, k], adj[k]) for k in range(draws.shape[1])]))
    return limits[0], limits[1]


def _zhao(ind_lo, ind_hi, ind, dir_lo, dir_hi, direct) -> list[str]:
    out = []
    for il, ih, ie, dl, dh, de in zip(ind_lo, ind_hi, ind, dir_lo, dir_hi, direct):
        ind_sig = il > 0 or ih < 0
        dir_sig = (dl > 0 or dh < 0) if np.isfinite(dl) else False
        if ind_sig and dir_sig:
            out.append("complementary" if ie * de > 0 else "competitive")
        elif ind_sig:
            out.append("indirect-only")
        else:
            out.append("direct-only" if dir_sig else "no-effect")
    return out


def _chain_values(paths: np.ndarray, chains: list[list[int]]) -> np.ndarray:
    """Products along each chain for a stack of path matrices (b, L, L) → (b, chains)."""
    return np.stack([np.prod([paths[:, a, b] for a, b in zip(c[:-1], c[1:])], axis=0) for c in chains], axis=1)


def specific_indirect_effects(
    model: Estimator,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
    interval: str = "bca",
) -> MediationResult:
    """Specific indirect effects of a fitted :class:`~csworkbench.pls.PLSPM`, with bootstrap
    percentile and BCa intervals and the type of mediation (Zhao, Lynch & Chen 2010).

    Parameters
    ----------
    model : PLSPM
        A fitted model (not changed).
    n_boot : int
        Bootstrap resamples (≥ 2), drawn by ``model.bootstrap`` with ``random_state``.
    confidence : float
        Coverage of the intervals.
    random_state : int, Generator or None
        Seed of the bootstrap.
    interval : {"bca", "percentile"}
        Interval that decides significance in the ``mediation`` column.

    Returns
    -------
    MediationResult
    """
    model.check_fitted("paths_")
    model._unweighted_only("specific indirect effects")
    if interval not in INTERVALS:
        raise ParameterError(f"interval must be one of {', '.join(INTERVALS)}; got {interval!r}")
    check_confidence(confidence)
    st = model._st
    chains = indirect_chains(st.adj)
    if not chains:
        raise ParameterError("the inner model has no chain with a mediator (no indirect effect to test)")
    boot = model.bootstrap(n_boot=n_boot, confidence=confidence, random_state=random_state, progress=False)
    names = st.names
    L = len(names)
    path_idx = [(names.index(s), names.index(t)) for s, t in zip(model.paths_["source"], model.paths_["target"])]
    B = boot.samples["paths"]
    boot_paths = np.zeros((B.shape[0], L, L))
    for k, (i, j) in enumerate(path_idx):
        boot_paths[:, i, j] = B[:, k]
    # the jackknife: every leave-one-out model at once
    A = model._X.to_numpy()
    S = weighted_covs(A, jackknife_weights(len(A)), scaled=model.scaled)
    jack_paths = estimates(S, st.mask, st.modes, st.adj, model.scheme, model.tol, model.max_iter)["paths"]
    full = np.zeros((1, L, L))
    for (i, j), v in zip(path_idx, model.paths_["estimate"]):
        full[0, i, j] = v

    pairs = sorted({(c[0], c[-1]) for c in chains})
    pair_of = [pairs.index((c[0], c[-1])) for c in chains]

    def pair_values(chain_vals: np.ndarray) -> np.ndarray:
        return np.stack(
            [chain_vals[:, [k for k, p in enumerate(pair_of) if p == q]].sum(axis=1) for q in range(len(pairs))], axis=1
        )

    est_c, boot_c, jack_c = (_chain_values(P, chains) for P in (full, boot_paths, jack_paths))
    est_p, boot_p, jack_p = pair_values(est_c), pair_values(boot_c), pair_values(jack_c)
    n = model.n_obs_
    dof = n - 1

    def table(est, draws, jack) -> pd.DataFrame:
        frame = pd.DataFrame({"estimate": est, "boot_mean": draws.mean(axis=0), "se": draws.std(axis=0, ddof=1)})
        frame["ci_low"], frame["ci_high"] = np.quantile(draws, _quantiles(confidence), axis=0)
        frame["ci_low_bca"], frame["ci_high_bca"] = bca_interval(est, draws, jack, confidence)
        tval = np.divide(est, frame["se"].to_numpy(), out=np.zeros_like(est), where=frame["se"].to_numpy() > 0)
        frame["p_value"] = 2 * stats.t.sf(np.abs(tval), dof)
        return frame

    direct_draws = boot_paths[:, [s for s, _ in pairs], [t for _, t in pairs]]
    direct = full[0, [s for s, _ in pairs], [t for _, t in pairs]]
    has_direct = st.adj[[s for s, _ in pairs], [t for _, t in pairs]].astype(bool)
    dlo, dhi = np.quantile(direct_draws, _quantiles(confidence), axis=0)
    dlo, dhi = np.where(has_direct, dlo, np.nan), np.where(has_direct, dhi, np.nan)
    dse = np.where(has_direct, direct_draws.std(axis=0, ddof=1), np.nan)
    lo_col, hi_col = ("ci_low_bca", "ci_high_bca") if interval == "bca" else ("ci_low", "ci_high")

    eff = table(est_c[0], boot_c, jack_c)
    eff.insert(0, "source", [names[c[0]] for c in chains])
    eff.insert(1, "through", [" → ".join(names[k] for k in c[1:-1]) for c in chains])
    eff.insert(2, "target", [names[c[-1]] for c in chains])
    eff.insert(3, "path", [" → ".join(names[k] for k in c) for c in chains])
    eff.insert(4, "n_mediators", [len(c) - 2 for c in chains])
    eff["direct"] = direct[pair_of]
    eff["direct_ci_low"], eff["direct_ci_high"] = dlo[pair_of], dhi[pair_of]
    eff["mediation"] = _zhao(eff[lo_col], eff[hi_col], eff["estimate"], dlo[pair_of], dhi[pair_of], direct[pair_of])

    tab = table(est_p[0], boot_p, jack_p).rename(columns={"estimate": "total_indirect"})
    pair = pd.DataFrame({"source": [names[s] for s, _ in pairs], "target": [names[t] for _, t in pairs]})
    pair["direct"], pair["direct_se"], pair["direct_ci_low"], pair["direct_ci_high"] = direct, dse, dlo, dhi
    pair = pd.concat([pair, tab.drop(columns=["boot_mean"])], axis=1)
    pair["total"] = pair["direct"] + pair["total_indirect"]
    pair["mediation"] = _zhao(pair[lo_col], pair[hi_col], pair["total_indirect"], dlo, dhi, direct)
    samples = {"effects": boot_c, "pairs": boot_p, "effects_jackknife": jack_c, "pairs_jackknife": jack_p}
    return MediationResult(
        effects=eff,
        pairs=pair,
        samples=MappingProxyType(samples),
        n_boot=int(n_boot),
        confidence=float(confidence),
        interval=interval,
        random_state=random_state,
    )
