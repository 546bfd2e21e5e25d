"""Grönroos' perceived service quality (顾客感知服务质量; Grönroos 1984, *Eur. J. Marketing* 18(4)).

Customers perceive *what* they get (technical quality, 技术质量) and *how* they get it
(functional quality, 功能质量), both seen through the firm's image (企业形象) — the course's
"image as a filter".  :func:`perceived_quality` scores each part as the respondent's mean of its
items and fits, by OLS on mean-centred scores (statsmodels)::

    overall ~ technical + functional + image + technical:image + functional:image

with intervals at ``confidence`` and a plain-language reading in Chinese or English.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from csworkbench.gaps import perceived_quality
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame(rng.normal(size=(200, 3)), columns=["t1", "f1", "i1"])
>>> df["q"] = df.t1 + df.f1 + 0.5 * df.f1 * df.i1 + rng.normal(0, 0.3, 200)
>>> res = perceived_quality(df, technical=["t1"], functional=["f1"], image="i1", overall="q", lang="en")
>>> round(float(res.coefficients.set_index("term").loc["functional:image", "estimate"]), 1)
0.5
>>> ci90, ci95 = res.conf_int(0.90), res.conf_int()
>>> bool(((ci90.ci_high - ci90.ci_low) < (ci95.ci_high - ci95.ci_low)).all())
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ModelError, ParameterError
from ..i18n import t
from ..problems import Problems
from ._common import check_confidence, check_lang, interval_table, numbers, require

__all__ = ["GronroosResult", "perceived_quality"]


@dataclass(frozen=True)
class GronroosResult:
    """Result of :func:`perceived_quality`.

    Attributes
    ----------
    scores : DataFrame
        ``technical, functional, image, overall`` per respondent (raw means of the items; the
        fit uses the predictors centred).
    coefficients : DataFrame
        ``term, estimate, se, ci_low, ci_high, p_value`` (interval at ``confidence``).
    reading : str
        A plain-language paragraph in ``lang``.
    model : statsmodels RegressionResults
        The fitted OLS model.
    problems : DataFrame
        The data problems (respondents left out of the regression; columns of
        :data:`csworkbench.codes.PROBLEM_COLUMNS`).
    confidence : float
        Level of ``ci_low``/``ci_high`` in ``coefficients``.

    Methods
    -------
    summary()
        The coefficient table (a copy of ``coefficients``).
    conf_int(confidence=None)
        ``term, estimate, ci_low, ci_high``.  At the result's own ``confidence`` (or None) the
        reported interval; at another level ``estimate ± t(df_resid)·se``, the OLS interval,
        recomputed from the stored estimates and the model's residual degrees of freedom.
    """

    scores: pd.DataFrame
    coefficients: pd.DataFrame
    reading: str
    model: Any
    problems: pd.DataFrame
    confidence: float = 0.95

    def summary(self) -> pd.DataFrame:
        """The coefficient table (a copy of ``coefficients``): ``term, estimate, se, ci_low, ci_high, p_value``."""
        return self.coefficients.copy()

    def conf_int(self, confidence: float | None = None) -> pd.DataFrame:
        """``term, estimate, ci_low, ci_high`` of the regression coefficients.

        ``confidence`` None (or the result's own level) returns the interval in
        ``coefficients``; another level is recomputed as ``estimate ± t(df_resid)·se`` (what
        statsmodels' ``conf_int`` gives for OLS) from the stored table and the fitted model's
        residual degrees of freedom.  Nothing is refitted.

        Raises
        ------
        ParameterError
            A confidence outside (0, 1), or another level when the result holds no fitted model
            (``model`` None): run :func:`perceived_quality` again with that confidence.
        """
        df_resid = getattr(self.model, "df_resid", None)
        if confidence is not None and df_resid is None:
            level = check_confidence(confidence)
            if not np.isclose(level, self.confidence, rtol=0.0, atol=1e-12):
                raise ParameterError(
                    f"this Grönroos result holds no fitted model, so intervals at {level} cannot be recomputed from "
                    f"the ones at {self.confidence}; run perceived_quality(..., confidence={level}) again"
                )
        return interval_table(
            self.coefficients,
            "term",
            self.confidence,
            confidence,
            estimate="estimate",
            df=np.nan if df_resid is None else float(df_resid),
        )


def perceived_quality(
    data: pd.DataFrame,
    *,
    technical: Sequence[str],
    functional: Sequence[str],
    image: Sequence[str] | str,
    overall: str,
    confidence: float = 0.95,
    lang: str = "zh",
) -> GronroosResult:
    """Grönroos' perceived service quality (顾客感知服务质量): technical + functional quality, image as filter.

    Scores are the respondent means of each item group (available items; a respondent with
    no answer in a group gets NaN and is left out of the regression, reported).  A positive
    ``functional:image`` coefficient means a better image makes the *how* count more (and
    forgives slips less); a negative one means a good image cushions poor functional quality.

    Parameters
    ----------
    data : DataFrame
        One row per respondent, item columns and the overall-quality column.
    technical, functional : list of str or str
        Item columns of technical (技术质量, what is delivered) and functional quality
        (功能质量, how it is delivered).
    image : list of str or str
        Image (形象) item column(s).
    overall : str
        Overall perceived-quality column.
    confidence : float, default 0.95
        Level of the coefficient intervals; 1 − confidence is the significance level of the
        reading.
    lang : {"zh", "en"}
        Language of ``reading``.

    Returns
    -------
    GronroosResult
        ``scores``, ``coefficients`` (also ``summary()``; intervals by ``conf_int()``),
        ``reading``, ``model``, ``problems``, ``confidence``.

    Raises
    ------
    DataError
        Missing columns or text in an item column.
    ModelError
        Fewer than 8 complete respondents.
    ParameterError
        No technical, functional or image item named; a confidence outside (0, 1).
    """
    import statsmodels.formula.api as smf

    check_lang(lang)
    confidence = check_confidence(confidence)
    technical, functional, image = ([c] if isinstance(c, str) else list(c) for c in (technical, functional, image))
    for name, given in (("technical", technical), ("functional", functional), ("image", image)):
        if not given:
            raise ParameterError(f"{name} must name at least one item column; got {given!r}")
    cols = [*technical, *functional, *image, overall]
    require(data, cols, "the perceived-quality survey")
    num = pd.DataFrame({c: numbers(data, c) for c in dict.fromkeys(cols)})
    scores = pd.DataFrame(
        {
            "technical": num[list(technical)].mean(axis=1),
            "functional": num[list(functional)].mean(axis=1),
            "image": num[image].mean(axis=1),
            "overall": num[overall],
        }
    )
    problems = Problems(path=data.attrs.get("source"), warn=True)
    incomplete = scores.isna().any(axis=1)
    if incomplete.any():
        problems.add("gronroos_incomplete", rows=np.flatnonzero(incomplete.to_numpy()) + 1, action="excluded")
    fit_data = scores[~incomplete]
    if len(fit_data) < 8:
        raise ModelError(f"the Grönroos regression needs at least 8 complete respondents; got {len(fit_data)}")
    centred = fit_data.assign(**{c: fit_data[c] - fit_data[c].mean() for c in ("technical", "functional", "image")})
    model = smf.ols("overall ~ technical + functional + image + technical:image + functional:image", data=centred).fit()
    ci = model.conf_int(1 - confidence)
    coefs = pd.DataFrame(
        {
            "term": model.params.index,
            "estimate": model.params.to_numpy(),
            "se": model.bse.to_numpy(),
            "ci_low": ci[0].to_numpy(),
            "ci_high": ci[1].to_numpy(),
            "p_value": model.pvalues.to_numpy(),
        }
    ).reset_index(drop=True)
    reading = _reading(coefs.set_index("term"), fit_data, 1 - confidence, lang)
    return GronroosResult(
        scores=scores,
        coefficients=coefs,
        reading=reading,
        model=model,
        problems=problems.frame(),
        confidence=confidence,
    )


def _reading(c: pd.DataFrame, data: pd.DataFrame, alpha: float, lang: str) -> str:
    def f(x):
        return f"{x:.2f}"

    tq, fq = c.loc["technical", "estimate"], c.loc["functional", "estimate"]
    stronger = "technical" if abs(tq) >= abs(fq) else "functional"
    parts = [
        t("gaps.gronroos.main", lang, technical=f(tq), functional=f(fq), stronger=t(f"gaps.gronroos.{stronger}", lang))
    ]
    sd_img = float(data["image"].std(ddof=1))
    for q in ("functional", "technical"):
        term = f"{q}:image"
        est, p = c.loc[term, "estimate"], c.loc[term, "p_value"]
        if p < alpha:
            base = c.loc[q, "estimate"]
            key = "gaps.gronroos.amplify" if est > 0 else "gaps.gronroos.cushion"
            parts.append(
                t(
                    key,
                    lang,
                    quality=t(f"gaps.gronroos.{q}", lang),
                    high=f(base + est * sd_img),
                    low=f(base - est * sd_img),
                )
            )
    if len(parts) == 1:
        parts.append(t("gaps.gronroos.no_moderation", lang))
    return ("" if lang == "zh" else " ").join(parts)
