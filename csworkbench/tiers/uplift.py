"""The bank decision tree with a control group (决策树与对照组): uplift per segment.

The course's data-mining example: a bank makes an offer to a randomised experiment group and
keeps a control group.  :func:`uplift_tree` (1) checks that the two groups have the same
make-up, (2) grows a readable decision tree on part of the experiment group, (3) drops the
control group and the held-out experiment customers down the same tree and (4) reports per
leaf the response rates, the uplift (experiment − control) with its confidence interval and
the benefit of making the offer there.

Reference: Radcliffe & Surry (2011), "Real-world uplift modelling with significance-based
uplift trees", Stochastic Solutions white paper; COURSE.md §3 (银行决策树).

Examples
--------
>>> from csworkbench.datasets.transactions import make_bank_customers
>>> from csworkbench.tiers import uplift_tree
>>> res = uplift_tree(make_bank_customers(4000, random_state=1), "treatment", "response",
...                   ["age", "salary", "owns_car"], lang="en")
>>> list(res.leaves.columns[:4])
['leaf', 'rule', 'customers', 'n_train']
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ..i18n import check_language, t
from ._base import seed_of

__all__ = ["uplift_tree", "UpliftTreeResult"]


@dataclass(frozen=True, eq=False)
class UpliftTreeResult:
    """What :func:`uplift_tree` returns.

    Attributes
    ----------
    balance : DataFrame
        Covariate balance of experiment vs control: ``feature, feature_label, mean_treated,
        mean_control, smd`` (standardised mean difference), ``p_value`` (Welch t-test),
        ``balanced`` (|smd| < 0.1).
    leaves : DataFrame
        Per leaf: ``leaf, rule, customers, n_train`` (experiment customers the tree was grown
        on), ``n_treated`` (held-out experiment customers), ``n_control``,
        ``rate_treated_train``, ``rate_treated`` (held-out experiment group), ``rate_control``,
        ``uplift = rate_treated − rate_control`` with ``se`` and ``ci_low, ci_high`` (Wald
        interval of the difference at ``confidence``), ``benefit_per_customer`` (uplift × value
        − cost) and ``benefit`` (times the leaf's customers), sorted by uplift descending. The
        uplift is estimated on customers the tree never saw, so choosing the leaves does not
        inflate it.
    rules : str
        The tree as text in ``lang`` (``export_text`` layout), each leaf with its response
        rates (experiment / control), uplift and interval.
    tree : sklearn.tree.DecisionTreeClassifier
        The tree grown on the experiment group's training part.
    features : list of str
    lang : str
        The language of ``rules`` and of the rules in ``leaves``.
    train_rows, holdout_rows : ndarray
        Positions (0-based) of the experiment customers the tree was grown on / held out.
    """

    balance: pd.DataFrame
    leaves: pd.DataFrame
    rules: str
    tree: Any
    features: list[str]
    lang: str
    train_rows: np.ndarray
    holdout_rows: np.ndarray


def _leaf_rules(tree: Any, features: Sequence[str], names: Mapping[str, str], lang: str) -> dict[int, str]:
    """Conjunction of split conditions leading to each leaf."""
    tr = tree.tree_
    conj = " 且 " if lang == "zh" else " and "
    rules: dict[int, str] = {}

    def walk(node: int, conds: list[str]) -> None:
        if tr.children_left[node] == -1:
            rules[node] = conj.join(conds) if conds else t("uplift.all_customers", lang)
            return
        name = names.get(features[tr.feature[node]], features[tr.feature[node]])
        thr = tr.threshold[node]
        walk(tr.children_left[node], conds + [f"{name} <= {thr:g}"])
        walk(tr.children_right[node], conds + [f"{name} > {thr:g}"])

    walk(0, [])
    return rules


def _tree_text(tree: Any, features: Sequence[str], names: Mapping[str, str], stats: pd.DataFrame, lang: str) -> str:
    """The tree in ``export_text`` layout, each leaf with its response rates and uplift."""
    tr = tree.tree_
    lines: list[str] = []

    def walk(node: int, depth: int) -> None:
        pad = "|   " * depth + "|--- "
        if tr.children_left[node] == -1:
            st = stats.loc[node]
            lines.append(
                pad
                + t(
                    "uplift.leaf_text",
                    lang,
                    rt=st["rate_treated"],
                    rc=st["rate_control"],
                    u=st["uplift"],
                    lo=st["ci_low"],
                    hi=st["ci_high"],
                    n=int(st["customers"]),
                )
            )
            return
        name = names.get(features[tr.feature[node]], features[tr.feature[node]])
        lines.append(pad + f"{name} <= {tr.threshold[node]:g}")
        walk(tr.children_left[node], depth + 1)
        lines.append(pad + f"{name} >  {tr.threshold[node]:g}")
        walk(tr.children_right[node], depth + 1)

    walk(0, 0)
    return "\n".join(lines)


def _check(
    data: pd.DataFrame, treatment: str, outcome: str, features: list[str], holdout_share: float, confidence: float
) -> pd.DataFrame:
    """The numeric feature matrix; DataError / ParameterError for what cannot be used."""
    if not 0 < holdout_share < 1:
        raise ParameterError(f"holdout_share must lie strictly between 0 and 1; got {holdout_share!r}")
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must lie strictly between 0 and 1 (e.g. 0.95); got {confidence!r}")
    for col in [treatment, outcome, *features]:
        if col not in data.columns:
            raise DataError(f"no column {col!r}; found {list(data.columns)}", column=col)
    for col in (treatment, outcome):
        vals = set(pd.unique(data[col].dropna()))
        if not vals <= {0, 1}:  # True and False are 1 and 0
            raise DataError(f"must hold 0/1; found {sorted(map(str, vals))[:5]}", column=col)
        if data[col].isna().any():
            row = int(np.flatnonzero(data[col].isna().to_numpy())[0]) + 1
            raise DataError("missing value; every customer needs a group and an outcome", column=col, row=row)
    X = data[features].apply(pd.to_numeric, errors="coerce")
    if X.isna().any().any():
        col = X.columns[X.isna().any()][0]
        row = int(np.flatnonzero(X[col].isna().to_numpy())[0]) + 1
        raise DataError("must be numeric with no missing values (encode categories as 0/1 first)", column=col, row=row)
    treat = data[treatment].astype(int).to_numpy()
    if treat.sum() < 20 or (1 - treat).sum() < 20:
        raise DataError(
            f"need at least 20 customers in each group; got {int(treat.sum())} experiment, "
            f"{int((1 - treat).sum())} control",
            column=treatment,
        )
    return X


def _balance(X: pd.DataFrame, treat: np.ndarray, labels: Mapping[str, str]) -> pd.DataFrame:
    """Step (1): means, standardised mean difference and Welch p-value per feature."""
    from scipy import stats

    rows = []
    for col in X.columns:
        a, b = X[col].to_numpy()[treat == 1], X[col].to_numpy()[treat == 0]
        pooled = np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
        smd = (a.mean() - b.mean()) / pooled if pooled > 0 else 0.0
        p = stats.ttest_ind(a, b, equal_var=False).pvalue if pooled > 0 else 1.0
        rows.append(
            {
                "feature": col,
                "feature_label": labels.get(col, col),
                "mean_treated": a.mean(),
                "mean_control": b.mean(),
                "smd": smd,
                "p_value": p,
                "balanced": abs(smd) < 0.1,
            }
        )
    balance = pd.DataFrame(rows)
    if not balance["balanced"].all():
        warnings.warn(
            "uplift_tree: experiment and control groups differ on "
            f"{balance.loc[~balance['balanced'], 'feature'].tolist()} (|SMD| >= 0.1); "
            "the uplift per leaf may be biased",
            DataWarning,
            stacklevel=3,
        )
    return balance


def _leaf_table(
    rules: Mapping[int, str],
    leaf: np.ndarray,
    y: np.ndarray,
    treat: np.ndarray,
    train: np.ndarray,
    hold: np.ndarray,
    z: float,
    value_per_response: float,
    cost_per_contact: float,
) -> pd.DataFrame:
    """Steps (3)–(4): response rates, uplift with its interval and the benefit per leaf."""
    recs = []
    for node, rule in rules.items():
        m = leaf == node
        nt, nc = int((m & train).sum()), int((m & (treat == 0)).sum())
        # honest estimate: the leaf was chosen on the training part, so the uplift compares the
        # held-out experiment customers with the control group (no winner's curse)
        mt = m & hold
        rt = y[mt].mean() if mt.any() else np.nan
        rc = y[m & (treat == 0)].mean() if nc else np.nan
        se = np.sqrt(rt * (1 - rt) / max(mt.sum(), 1) + rc * (1 - rc) / max(nc, 1)) if nc and mt.any() else np.nan
        upl = rt - rc
        recs.append(
            {
                "leaf": int(node),
                "rule": rule,
                "customers": int(m.sum()),
                "n_train": nt,
                "n_treated": int(mt.sum()),
                "n_control": nc,
                "rate_treated_train": y[m & train].mean() if nt else np.nan,
                "rate_treated": rt,
                "rate_control": rc,
                "uplift": upl,
                "se": se,
                "ci_low": upl - z * se,
                "ci_high": upl + z * se,
                "benefit_per_customer": upl * value_per_response - cost_per_contact,
                "benefit": (upl * value_per_response - cost_per_contact) * int(m.sum()),
            }
        )
    return pd.DataFrame(recs).sort_values("uplift", ascending=False, kind="stable").reset_index(drop=True)


def uplift_tree(
    data: pd.DataFrame,
    treatment: str,
    outcome: str,
    features: Sequence[str],
    *,
    max_depth: int = 3,
    min_samples_leaf: int | float = 0.05,
    holdout_share: float = 0.3,
    value_per_response: float = 1.0,
    cost_per_contact: float = 0.0,
    confidence: float = 0.95,
    feature_labels: Mapping[str, str] | None = None,
    random_state: Any = 0,
    lang: str = "zh",
) -> UpliftTreeResult:
    """The course's bank decision tree with a control group (决策树与对照组).

    Steps (COURSE.md §3): (1) check that the randomised experiment group (``treatment = 1``,
    offer made) and the control group (``treatment = 0``) have the same make-up on the
    covariates; (2) grow a depth-limited decision tree (scikit-learn) on a training part of
    the experiment group, predicting the response; (3) drop the control group and the held-out
    part of the experiment group down the same tree; (4) per leaf report the response rates,
    the uplift (held-out experiment − control) with a Wald confidence interval, and the benefit.

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    treatment : str
        0/1 column, 1 = experiment group.
    outcome : str
        0/1 response column.
    features : list of str
        Numeric (or 0/1) covariates for the tree and the balance check.
    max_depth : int
        Depth limit keeping the tree readable.
    min_samples_leaf : int or float
        Passed to :class:`~sklearn.tree.DecisionTreeClassifier`.
    holdout_share : float
        Share of the experiment group held out to validate the leaves' response rates.
    value_per_response : float
        Value of one extra response (e.g. margin of one product sold, yuan).
    cost_per_contact : float
        Cost of making the offer to one customer.
    confidence : float, default 0.95
        Confidence level of the uplift intervals.
    feature_labels : mapping, optional
        Display names of the features in the rules (e.g. ``{"age": "年龄"}``).
    random_state : int, numpy.random.Generator or None, default 0
        Seed of the holdout draw and of the tree.
    lang : {"zh", "en"}

    Returns
    -------
    UpliftTreeResult

    Raises
    ------
    ParameterError
        ``holdout_share`` or ``confidence`` outside (0, 1).
    DataError
        Columns missing, groups or outcomes not 0/1 or missing, non-numeric features, fewer
        than 20 customers in a group.

    Examples
    --------
    >>> from csworkbench.datasets.transactions import make_bank_customers
    >>> bank = make_bank_customers(4000, random_state=1)
    >>> res = uplift_tree(bank, "treatment", "response", ["age", "salary", "owns_car"], lang="en")
    >>> bool(res.balance["balanced"].all())
    True
    >>> bool(res.leaves["uplift"].iloc[0] > res.leaves["uplift"].iloc[-1])
    True
    """
    from scipy import stats
    from sklearn.tree import DecisionTreeClassifier

    check_language(lang)
    features = list(features)
    X = _check(data, treatment, outcome, features, holdout_share, confidence)
    treat = data[treatment].astype(int).to_numpy()
    y = data[outcome].astype(int).to_numpy()
    names = dict(feature_labels or {})
    balance = _balance(X, treat, names)

    # (2) tree on the experiment group's training part
    rng = np.random.default_rng(random_state)
    idx_t = np.flatnonzero(treat == 1)
    hold = np.zeros(len(data), dtype=bool)
    hold[rng.choice(idx_t, size=int(round(holdout_share * len(idx_t))), replace=False)] = True
    train = (treat == 1) & ~hold
    seed = seed_of(rng if isinstance(random_state, np.random.Generator) else random_state)
    tree = DecisionTreeClassifier(max_depth=int(max_depth), min_samples_leaf=min_samples_leaf, random_state=seed).fit(
        X.to_numpy()[train], y[train]
    )
    leaf = tree.apply(X.to_numpy())

    # (3)-(4) per leaf
    rules = _leaf_rules(tree, features, names, lang)
    z = stats.norm.ppf(0.5 + confidence / 2)
    leaves = _leaf_table(rules, leaf, y, treat, train, hold, z, value_per_response, cost_per_contact)
    text = _tree_text(tree, features, names, leaves.set_index("leaf"), lang)
    return UpliftTreeResult(balance, leaves, text, tree, features, lang, np.flatnonzero(train), np.flatnonzero(hold))
