"""Service-quality survey data (服务质量调查数据): SERVQUAL and Kano generators with a known truth, and the course's CEM example.

* :func:`make_servqual_survey` draws answers to the 22-item SERVQUAL instrument
  (Parasuraman, Zeithaml & Berry 1988, *Journal of Retailing* 64(1); the five dimensions
  服务质量五要素) asked as expectation (E) and perception (P) on a 1–7 scale, plus the
  100-point importance split over the five dimensions (Parasuraman, Berry & Zeithaml 1991).
  The true gaps are **on the observed answer scale**: the generator solves for latent means so
  that the expected value of the rounded, clipped answer P minus that of E equals the gap
  asked for, so a correct estimator recovers them exactly in expectation.
* :func:`make_kano_survey` draws functional/dysfunctional answer pairs for features with a
  planted Kano category (Kano et al. 1984; the course's customer-needs window 客户需要之窗).
* :func:`load_cem_example` loads the course's CEM seven-steps table (客户体验管理七步法,
  COURSE.md §1) from ``data/raw/course/cem_example.csv``; blank cells load as NaN.

Examples
--------
>>> from csworkbench.datasets.servqual import make_servqual_survey
>>> df = make_servqual_survey(50, random_state=1)
>>> sorted(df["kind"].unique())
['E', 'I', 'P']
>>> df.attrs["truth"]["dimension_gaps"]["reliability"]
-1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special

from ..codes import SERVQUAL_DIMENSIONS
from ..config import RAW_DIR
from ..errors import DataError

__all__ = [
    "SERVQUAL_DIMENSIONS",
    "DEFAULT_TRUE_GAPS",
    "DEFAULT_IMPORTANCE",
    "make_servqual_survey",
    "make_kano_survey",
    "load_cem_example",
]


#: Default true gaps P − E per dimension (every item of a dimension gets its dimension's gap).
DEFAULT_TRUE_GAPS: dict[str, float] = {
    "tangibles": 0.3,
    "reliability": -1.0,
    "responsiveness": -0.7,
    "assurance": -0.4,
    "empathy": -0.5,
}

#: Default mean importance shares, as reported by Parasuraman, Berry & Zeithaml (1991):
#: reliability 32, responsiveness 22, assurance 19, empathy 16, tangibles 11 points of 100.
DEFAULT_IMPORTANCE: dict[str, float] = {
    "tangibles": 0.11,
    "reliability": 0.32,
    "responsiveness": 0.22,
    "assurance": 0.19,
    "empathy": 0.16,
}


def _expected_answer(mu: np.ndarray | float, sd: float, lo: int, hi: int) -> np.ndarray:
    """E[clip(round(X), lo, hi)] for X ~ N(mu, sd): lo + Σ_{k=lo}^{hi-1} P(X > k + ½)."""
    mu = np.asarray(mu, dtype=float)
    cuts = np.arange(lo, hi) + 0.5
    return lo + special.ndtr((mu.ravel()[None, :] - cuts[:, None]) / sd).sum(axis=0).reshape(mu.shape)


def _latent_means_for(targets: np.ndarray, sd: float, lo: int, hi: int) -> np.ndarray:
    """Latent means whose rounded, clipped answers have expected values ``targets`` (vectorised bisection)."""
    targets = np.asarray(targets, dtype=float)
    a = np.full(targets.shape, lo - 20 * sd)
    b = np.full(targets.shape, hi + 20 * sd)
    for _ in range(80):  # the bracket shrinks 2**80-fold: far below float precision
        mid = (a + b) / 2
        below = _expected_answer(mid, sd, lo, hi) < targets
        a = np.where(below, mid, a)
        b = np.where(below, b, mid)
    return (a + b) / 2


def _item_gaps(true_gaps, mapping: Mapping[str, Sequence[str]]) -> dict[str, float]:
    items = [it for its in mapping.values() for it in its]
    if true_gaps is None:
        true_gaps = {d: DEFAULT_TRUE_GAPS.get(d, 0.0) for d in mapping}
    if isinstance(true_gaps, pd.Series):
        true_gaps = true_gaps.to_dict()
    if isinstance(true_gaps, Mapping):
        out = {}
        for d, its in mapping.items():
            for it in its:
                if it in true_gaps:
                    out[it] = float(true_gaps[it])
                elif d in true_gaps:
                    out[it] = float(true_gaps[d])
                else:
                    raise DataError(
                        f"true_gaps gives no gap for item {it!r} or its dimension {d!r}", column="true_gaps"
                    )
        unknown = set(true_gaps) - set(items) - set(mapping)
        if unknown:
            raise DataError(f"true_gaps names unknown items/dimensions {sorted(map(str, unknown))}", column="true_gaps")
        return out
    values = np.asarray(true_gaps, dtype=float).ravel()
    if values.size != len(items):
        raise DataError(
            f"true_gaps must hold {len(items)} item gaps (or a mapping); got {values.size}", column="true_gaps"
        )
    return dict(zip(items, values.tolist()))


def make_servqual_survey(
    n: int = 200,
    true_gaps: Mapping[str, float] | Sequence[float] | None = None,
    *,
    random_state: int | np.random.Generator | None = 0,
    mapping: Mapping[str, Sequence[str]] | None = None,
    scale: tuple[int, int] = (1, 7),
    expectation_range: tuple[float, float] = (5.2, 6.2),
    shared_sd: float = 0.5,
    dimension_sd: float = 0.6,
    noise_sd: float = 0.8,
    importance: Mapping[str, float] | None = None,
    importance_concentration: float = 20.0,
    missing_rate: float = 0.0,
    segments: Sequence[str] | None = None,
    periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Synthetic SERVQUAL answers in long format with a known truth (已知真值的模拟SERVQUAL数据).

    Generative model, per respondent *r*, item *i* (dimension *d*) and kind *k* ∈ {E, P}::

        latent = μ[i, k] + a[r] + u[r, d, k] + e[r, i, k]
        answer = clip(round(latent), lo, hi)

    with a shared scale-use effect ``a ~ N(0, shared_sd)``, a dimension effect
    ``u ~ N(0, dimension_sd)`` (this makes the items of a dimension hang together, so
    Cronbach's α is high) and noise ``e ~ N(0, noise_sd)``.  ``μ[i, E]`` is drawn uniformly
    from the *expected-answer* range ``expectation_range`` and ``μ[i, P]`` is solved so that
    ``E[answer P] − E[answer E]`` equals the item's true gap exactly.  Importance: each
    respondent's shares ``p ~ Dirichlet(importance_concentration · w)`` and points
    ``~ Multinomial(100, p)``, so every respondent's points sum to exactly 100 and the mean
    share of dimension *d* is ``w[d]``.

    Parameters
    ----------
    n : int
        Number of respondents.
    true_gaps : mapping or sequence, optional
        True P − E gaps on the answer scale: a mapping dimension → gap (every item of the
        dimension) and/or item → gap, or a sequence of one gap per item in instrument order.
        Default :data:`DEFAULT_TRUE_GAPS`.
    random_state : int, numpy Generator or None, default 0
        Seed; the same seed gives the same frame.
    mapping : mapping, optional
        Dimension → item labels; default :data:`SERVQUAL_DIMENSIONS` (22 items ``q1``–``q22``).
    scale : (int, int)
        Answer scale, default 1–7.
    expectation_range : (float, float)
        Range of the expected E answers per item.
    shared_sd, dimension_sd, noise_sd : float
        Standard deviations of the latent effects (see above).
    importance : mapping, optional
        Mean importance shares per dimension (normalised to sum 1); default
        :data:`DEFAULT_IMPORTANCE` (Parasuraman, Berry & Zeithaml 1991).
    importance_concentration : float
        Dirichlet concentration: larger = respondents agree more on importance.
    missing_rate : float
        Share of P/E answers blanked completely at random (NaN), default 0.
    segments, periods : sequence of str, optional
        If given, each respondent is assigned uniformly at random to a ``segment`` and a
        ``period`` (extra columns, the truth is the same in all).

    Returns
    -------
    pandas.DataFrame
        Long format, one row per answer: ``respondent`` (int, 1…n), ``item`` (category:
        item label, or the dimension key for importance rows), ``kind`` (category ``"E"``
        expectation, ``"P"`` perception, ``"I"`` importance points), ``score`` (float; NaN
        = missing), then ``segment``/``period`` when asked for.  Rows: ``n · (2 · items +
        dimensions)``.  ``frame.attrs["truth"]`` holds plain dicts: ``item_gaps``,
        ``dimension_gaps`` (mean of the item gaps), ``importance_weights``, ``overall_gap``
        (mean of the dimension gaps), ``weighted_gap`` (Σ w·gap), ``expectation_means``,
        ``perception_means`` (expected answers), ``scale``, ``mapping``.

    Examples
    --------
    >>> df = make_servqual_survey(10, {"reliability": -1.5}, random_state=0,
    ...     mapping={"reliability": ["q5", "q6"]}, importance={"reliability": 1.0})
    >>> len(df), df.attrs["truth"]["item_gaps"]
    (50, {'q5': -1.5, 'q6': -1.5})
    """
    rng = np.random.default_rng(random_state)
    mapping = {str(d): [str(i) for i in its] for d, its in (mapping or SERVQUAL_DIMENSIONS).items()}
    if n < 1:
        raise DataError(f"n must be a positive number of respondents; got {n}", column="n")
    lo, hi = int(scale[0]), int(scale[1])
    if hi <= lo:
        raise DataError(f"scale must be (low, high) with low < high; got {scale}", column="scale")
    gaps = _item_gaps(true_gaps, mapping)
    items = list(gaps)
    dims = list(mapping)
    dim_of = np.array([dims.index(d) for d, its in mapping.items() for _ in its])
    sd = float(np.sqrt(shared_sd**2 + dimension_sd**2 + noise_sd**2))

    e_mean = rng.uniform(*expectation_range, size=len(items))
    p_mean = e_mean + np.array([gaps[i] for i in items])
    _check_expected_answers(items, e_mean, p_mean, lo, hi)
    mu_e, mu_p = _latent_means_for(np.concatenate([e_mean, p_mean]), sd, lo, hi).reshape(2, -1)

    a = rng.normal(0.0, shared_sd, size=(n, 1))
    answers = {}
    for kind, mu in (("E", mu_e), ("P", mu_p)):
        u = rng.normal(0.0, dimension_sd, size=(n, len(dims)))[:, dim_of]
        latent = mu[None, :] + a + u + rng.normal(0.0, noise_sd, size=(n, len(items)))
        x = np.clip(np.rint(latent), lo, hi)
        if missing_rate > 0:
            x[rng.random(size=x.shape) < missing_rate] = np.nan
        answers[kind] = x

    w = _importance_weights(importance, dims)
    shares = rng.dirichlet(importance_concentration * np.maximum(w, 1e-9), size=n)
    points = rng.multinomial(100, shares).astype(float)

    frame = _long_answers(items, dims, answers, points)
    for column, labels in (("segment", segments), ("period", periods)):
        if labels is not None:
            drawn = np.asarray(list(labels), dtype=object)[rng.integers(0, len(labels), size=n)]
            frame[column] = pd.Series(drawn[frame["respondent"].to_numpy() - 1], dtype="str")

    dim_gaps = {d: float(np.mean([gaps[i] for i in mapping[d]])) for d in dims}
    frame.attrs["truth"] = {
        "item_gaps": {i: float(gaps[i]) for i in items},
        "dimension_gaps": dim_gaps,
        "importance_weights": dict(zip(dims, w.tolist())),
        "overall_gap": float(np.mean(list(dim_gaps.values()))),
        "weighted_gap": float(sum(w[j] * dim_gaps[d] for j, d in enumerate(dims))),
        "expectation_means": dict(zip(items, e_mean.tolist())),
        "perception_means": dict(zip(items, p_mean.tolist())),
        "scale": [lo, hi],
        "mapping": {d: list(its) for d, its in mapping.items()},
    }
    return frame


def _check_expected_answers(items: list[str], e_mean: np.ndarray, p_mean: np.ndarray, lo: int, hi: int) -> None:
    """Raise unless every expected E and P answer lies strictly inside the scale."""
    bad = [(it, round(m, 3)) for it, m in zip(items, p_mean) if not lo < m < hi]
    if bad or not (lo < e_mean.min() and e_mean.max() < hi):
        raise DataError(
            f"true gaps put the expected perception outside the open scale ({lo}, {hi}) for items {bad}; "
            "use smaller gaps or another expectation_range",
            column="true_gaps",
        )


def _importance_weights(importance: Mapping[str, float] | None, dims: list[str]) -> np.ndarray:
    """Mean importance shares per dimension, normalised to sum 1 (equal shares for unknown dimensions)."""
    w = np.array([(importance or DEFAULT_IMPORTANCE).get(d, 0.0) for d in dims], dtype=float)
    if importance is None and not set(dims) <= set(DEFAULT_IMPORTANCE):
        w = np.full(len(dims), 1.0 / len(dims))
    if w.sum() <= 0 or (w < 0).any():
        raise DataError(
            f"importance shares must be non-negative and not all zero; got {dict(zip(dims, w))}", column="importance"
        )
    return w / w.sum()


def _long_answers(
    items: list[str], dims: list[str], answers: dict[str, np.ndarray], points: np.ndarray
) -> pd.DataFrame:
    """The long frame ``respondent, item, kind, score``: E rows, P rows, then importance rows."""
    n, k = points.shape[0], len(items)
    resp = np.arange(1, n + 1)
    item_cat = pd.CategoricalDtype(items + [d for d in dims if d not in items])
    kind_cat = pd.CategoricalDtype(["E", "P", "I"])
    parts = []
    for kind in ("E", "P"):
        parts.append(
            pd.DataFrame(
                {
                    "respondent": np.repeat(resp, k),
                    "item": pd.Categorical.from_codes(np.tile(np.arange(k), n), dtype=item_cat),
                    "kind": pd.Categorical.from_codes(
                        np.full(n * k, kind_cat.categories.get_loc(kind)), dtype=kind_cat
                    ),
                    "score": answers[kind].ravel(),
                }
            )
        )
    dim_codes = np.array([item_cat.categories.get_loc(d) for d in dims])
    parts.append(
        pd.DataFrame(
            {
                "respondent": np.repeat(resp, len(dims)),
                "item": pd.Categorical.from_codes(np.tile(dim_codes, n), dtype=item_cat),
                "kind": pd.Categorical.from_codes(np.full(n * len(dims), 2), dtype=kind_cat),
                "score": points.ravel(),
            }
        )
    )
    return pd.concat(parts, ignore_index=True)


#: Canonical (functional, dysfunctional) answers per Kano category, codes 1 like, 2 must-be,
#: 3 neutral, 4 live with, 5 dislike (Berger et al. 1993 evaluation table).
_KANO_PATTERNS: dict[str, list[tuple[int, int]]] = {
    "A": [(1, 2), (1, 3), (1, 4)],
    "O": [(1, 5)],
    "M": [(2, 5), (3, 5), (4, 5)],
    "I": [(2, 2), (2, 3), (2, 4), (3, 2), (3, 3), (3, 4), (4, 2), (4, 3), (4, 4)],
    "R": [(5, 1), (5, 2), (5, 3), (5, 4), (2, 1), (3, 1), (4, 1)],
    "Q": [(1, 1), (5, 5)],
}


def make_kano_survey(
    n: int = 100,
    categories: Mapping[str, str] | None = None,
    *,
    random_state: int | np.random.Generator | None = 0,
    noise: float = 0.2,
) -> pd.DataFrame:
    """Synthetic Kano answer pairs (卡诺模型模拟数据) with a planted category per feature.

    Each respondent answers the functional ("how do you feel if the feature is present?")
    and dysfunctional ("… if it is absent?") question per feature with codes 1 like,
    2 must-be, 3 neutral, 4 live with, 5 dislike.  With probability ``1 − noise`` the pair
    is drawn uniformly from the canonical pairs of the feature's planted category (A, O, M,
    I or R; see the standard evaluation table), otherwise uniformly from all 25 pairs.

    Parameters
    ----------
    n : int
        Respondents.
    categories : mapping feature → category, optional
        Planted categories; default five features, one per category A, O, M, I, R
        (``wifi_on_board: A``, ``on_time: O``, ``safety: M``, ``logo_colour: I``, ``loud_music: R``).
    random_state : int, numpy Generator or None, default 0
        Seed.
    noise : float
        Share of answer pairs drawn at random, default 0.2.

    Returns
    -------
    pandas.DataFrame
        ``respondent, feature, functional, dysfunctional`` (ints 1–5), one row per respondent
        and feature.  ``frame.attrs["truth"] = {"categories": {feature: category}, "noise": noise}``.

    Examples
    --------
    >>> df = make_kano_survey(20, {"fast_checkout": "O"}, random_state=3)
    >>> df.shape, df.attrs["truth"]["categories"]
    ((20, 4), {'fast_checkout': 'O'})
    """
    rng = np.random.default_rng(random_state)
    categories = dict(
        categories or {"wifi_on_board": "A", "on_time": "O", "safety": "M", "logo_colour": "I", "loud_music": "R"}
    )
    rows = []
    for feature, cat in categories.items():
        if cat not in _KANO_PATTERNS:
            raise DataError(
                f"category for feature {feature!r} must be one of A, O, M, I, R, Q; got {cat!r}", column="categories"
            )
        pats = np.array(_KANO_PATTERNS[cat])
        pick = pats[rng.integers(0, len(pats), size=n)]
        rand = rng.integers(1, 6, size=(n, 2))
        noisy = rng.random(n) < noise
        pairs = np.where(noisy[:, None], rand, pick)
        rows.append(
            pd.DataFrame(
                {
                    "respondent": np.arange(1, n + 1),
                    "feature": feature,
                    "functional": pairs[:, 0],
                    "dysfunctional": pairs[:, 1],
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    frame.attrs["truth"] = {"categories": categories, "noise": float(noise)}
    return frame


def load_cem_example() -> pd.DataFrame:
    """The course's CEM seven-steps example (客户体验管理七步法案例), COURSE.md §1.

    A Hong Kong electronics chain with four shops on one street; six experience drivers
    scored 0–10.  Only the course's inputs are stored; run the frame through
    :func:`csworkbench.gaps.cem_table` for the derived columns.

    Returns
    -------
    pandas.DataFrame
        ``attribute`` (key: convenience, product, price, brand_image, service,
        relationship), ``name_zh``, ``perception`` (2a, the experience score 体验), ``expectation`` (2b),
        ``importance`` (2d), ``ideal`` (4a), all scores float; cells the course leaves
        blank are NaN, never 0.

    Examples
    --------
    >>> cem = load_cem_example()
    >>> cem.loc[0, ["attribute", "perception", "expectation", "importance", "ideal"]].tolist()
    ['convenience', 5.0, 7.0, 9.0, 10.0]
    >>> int(cem["importance"].isna().sum())
    5
    """
    from ..io import read_table

    frame = read_table(RAW_DIR / "course" / "cem_example.csv")
    for col in ("perception", "expectation", "importance", "ideal"):
        frame[col] = pd.to_numeric(frame[col]).astype(float)
    frame["attribute"] = frame["attribute"].astype("str")
    return frame
