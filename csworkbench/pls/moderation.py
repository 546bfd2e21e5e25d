"""Moderation in a PLS path model by the two-stage approach (调节效应, 两阶段法):
:func:`moderated_model` and :class:`ModerationResult`.

Course concept: *for whom* a driver matters (顾客满意度研究模型, COURSE.md §2) — does the effect
of perceived value on satisfaction depend on image (企业形象)?  Two stages (Henseler & Chin 2010;
seminr's ``interaction_term(..., method = two_stage)``):

1. the main-effects model gives latent-variable scores (mean 0, variance 1);
2. the interaction term is the product of the standardised scores of predictor and moderator, a
   single-indicator construct ``"<predictor>*<moderator>"`` with a path to the target; the model
   is estimated again with it (the other constructs keep their indicators).

The interaction construct is the *standardised* product, so the simple slope of the predictor at
moderator level m (in SD units) is ``b_predictor + b_interaction · m / sd(product)``; reported at
m = −1, 0, +1 SD, with bootstrap percentile intervals (the stage-1 scores held fixed, as seminr).
seminr reports the interaction path on the scale of the raw product (``estimate / product_sd``);
with that conversion a two-stage HOC + two-stage interaction model on ``mobi`` agrees with seminr's
fixture to 2e-5 and its main effects to 1e-6 (``tests/test_pls_analyses.py``).

Reference: Henseler, J., Chin, W. W. (2010) A comparison of approaches for the analysis of
interaction effects between latent variables using PLS path modeling. *Structural Equation
Modeling* 17, 82–109; Hair, J. F. et al. (2022) *A Primer on PLS-SEM*, 3rd ed., ch. 7.

Examples
--------
>>> from csworkbench.datasets import load_ecsi
>>> from csworkbench.pls import PLSPM, ecsi_model, moderated_model
>>> model = PLSPM(**ecsi_model(), scaled=False).fit(load_ecsi())
>>> mod = moderated_model(model, predictor="VAL", moderator="IMAG", target="SAT", n_boot=100)
>>> mod.interaction["source"]
'VAL*IMAG'
>>> list(mod.simple_slopes["moderator_sd"])
[-1.0, 0.0, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ModelError, ParameterError
from ..estimators import Estimator
from .bootstrap import PLSBootstrap, _quantiles, check_confidence

__all__ = ["ModerationResult", "moderated_model"]

LEVELS = (-1.0, 0.0, 1.0)


@dataclass(frozen=True, eq=False)
class ModerationResult:
    """Result of :func:`moderated_model`.

    Attributes
    ----------
    model : PLSPM
        The stage-2 model (with the interaction construct).
    paths : DataFrame
        Stage-2 paths ``source, target, estimate, se, ci_low, ci_high, p_value`` (bootstrap ``se``
        and percentile interval; OLS ``se`` and ``p_value`` of the model when ``n_boot=0``).
    interaction : Series
        The row of ``paths`` of the interaction term.
    simple_slopes : DataFrame
        ``moderator_sd`` (−1, 0, +1), ``slope, se, ci_low, ci_high``: effect of the predictor on
        the target at that moderator level.
    bootstrap : PLSBootstrap or None
        The stage-2 bootstrap (None when ``n_boot=0``).
    predictor, moderator, target, interaction_name : str
    product_sd : float
        SD of the product of the stage-1 scores.
    confidence : float
    """

    model: Estimator
    paths: pd.DataFrame
    interaction: pd.Series
    simple_slopes: pd.DataFrame
    bootstrap: PLSBootstrap | None
    predictor: str
    moderator: str
    target: str
    interaction_name: str
    product_sd: float
    confidence: float

    def summary(self) -> pd.DataFrame:
        """The stage-2 path table (``paths``)."""
        return self.paths.copy()

    def conf_int(self, confidence: float = 0.95) -> pd.DataFrame:
        """Percentile bootstrap intervals at ``confidence``: ``source, target, estimate, ci_low,
        ci_high`` (requires ``n_boot > 0``)."""
        if self.bootstrap is None:
            raise ParameterError("no bootstrap: call moderated_model(..., n_boot=1000)")
        return self.bootstrap.conf_int(confidence)


def moderated_model(
    model: Estimator,
    *,
    predictor: str,
    moderator: str,
    target: str,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
) -> ModerationResult:
    """Two-stage moderation of the path ``predictor → target`` by ``moderator``.

    Parameters
    ----------
    model : PLSPM
        The fitted main-effects model (stage 1; not changed).  It must hold the paths
        ``predictor → target`` and ``moderator → target``.
    predictor, moderator, target : str
        Construct names.
    n_boot : int
        Bootstrap resamples of the stage-2 model (0: none).
    confidence : float
        Coverage of the intervals.
    random_state : int, Generator or None
        Seed of the bootstrap.

    Returns
    -------
    ModerationResult
    """
    from .model import PLSPM

    model.check_fitted("paths_")
    model._unweighted_only("moderated_model")
    check_confidence(confidence)
    if not (isinstance(n_boot, (int, np.integer)) and (n_boot == 0 or n_boot >= 2)):
        raise ParameterError(f"n_boot must be 0 or an integer ≥ 2; got {n_boot!r}")
    st = model._st
    for name in (predictor, moderator, target):
        if name not in st.names:
            raise ParameterError(f"unknown construct {name!r}; constructs are {st.names}")
    idx = {n: i for i, n in enumerate(st.names)}
    for src in (predictor, moderator):
        if not st.adj[idx[src], idx[target]]:
            raise ModelError(f"the model has no path {src} → {target}; moderation needs both main effects")
    name = f"{predictor}*{moderator}"
    if name in st.names or name in model._X.columns:
        raise ParameterError(f"the name {name!r} of the interaction term is already taken")
    scores = model.scores_
    product = (scores[predictor] * scores[moderator]).to_numpy()
    product_sd = float(product.std())
    data = model._X.copy()
    data[name] = product
    inner = [(s, t) for s, t in zip(model.paths_["source"], model.paths_["target"])] + [(name, target)]
    blocks = dict(zip(st.names, st.blocks)) | {name: [name]}
    modes = dict(zip(st.names, st.modes)) | {name: "A"}
    params = model.get_params() | {"inner": inner, "blocks": blocks, "modes": modes}
    stage2 = PLSPM(**params).fit(data)
    paths = stage2.paths_[["source", "target", "estimate", "se", "p_value"]].copy()
    est = paths.set_index(["source", "target"])["estimate"]
    b_x, b_i = est[(predictor, target)], est[(name, target)]
    levels = np.array(LEVELS)
    slopes = pd.DataFrame({"moderator_sd": levels, "slope": b_x + b_i * levels / product_sd})
    boot = None
    if n_boot:
        boot = stage2.bootstrap(n_boot=n_boot, confidence=confidence, random_state=random_state, progress=False)
        bp = boot.paths
        paths["se"], paths["ci_low"], paths["ci_high"] = (
            bp["se"].to_numpy(),
            bp["ci_low"].to_numpy(),
            bp["ci_high"].to_numpy(),
        )
        from scipy import stats

        paths["p_value"] = 2 * stats.t.sf(np.abs(paths["estimate"] / paths["se"]), stage2.n_obs_ - 1)
        keys = list(zip(stage2.paths_["source"], stage2.paths_["target"]))
        D = boot.samples["paths"]
        draws = D[:, [keys.index((predictor, target))]] + D[:, [keys.index((name, target))]] * levels / product_sd
        slopes["se"] = draws.std(axis=0, ddof=1)
        slopes["ci_low"], slopes["ci_high"] = np.quantile(draws, _quantiles(confidence), axis=0)
    else:
        ci = stage2.conf_int(confidence)
        paths["ci_low"], paths["ci_high"] = ci["ci_low"].to_numpy(), ci["ci_high"].to_numpy()
        slopes["se"] = slopes["ci_low"] = slopes["ci_high"] = np.nan
    paths = paths[["source", "target", "estimate", "se", "ci_low", "ci_high", "p_value"]]
    interaction = paths.loc[(paths["source"] == name) & (paths["target"] == target)].iloc[0]
    return ModerationResult(
        model=stage2,
        paths=paths.reset_index(drop=True),
        interaction=interaction,
        simple_slopes=slopes,
        bootstrap=boot,
        predictor=predictor,
        moderator=moderator,
        target=target,
        interaction_name=name,
        product_sd=product_sd,
        confidence=float(confidence),
    )
