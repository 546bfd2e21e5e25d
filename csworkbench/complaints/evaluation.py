"""Honest evaluation of complaint classifiers (分类器评估) and what to label next.

Course concept: complaint classification (投诉分类, COURSE.md §4) is only useful if its
quality is measured honestly.  :func:`evaluate` therefore

1. removes exact and near-duplicate texts before any split (one text per
   :func:`~csworkbench.complaints.text.near_duplicate_groups` group; otherwise the
   same review sits in train and test and inflates the score — Lopes et al. 2017,
   "DéjàVu: a map of code duplicates"; Elangovan et al. 2021, EACL, on train–test overlap),
2. splits at random, by customer (grouped) or by time (train on earlier months),
3. reports macro-F1 with a percentile bootstrap interval over test texts (Efron &
   Tibshirani 1993), per-class precision / recall and the confusion matrix,
4. always next to the majority-class and keyword baselines in the same table.

:func:`cross_validate_classifier` does the same over k folds of the deduplicated texts
(every text tested once), for one model or several side by side on the same folds; the
interval of the mean is Student's t with the Nadeau–Bengio correction for overlapping
training sets (Nadeau & Bengio 2003, *Machine Learning* 52; Bouckaert & Frank 2004), and
differences between models are paired by fold.

:func:`suggest_labels` ranks unlabelled texts by uncertainty (margin, entropy or least
confidence; Settles 2009, *Active Learning Literature Survey*).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import clone
from sklearn.model_selection import (
    GroupShuffleSplit,
    ShuffleSplit,
    StratifiedGroupKFold,
    StratifiedKFold,
    StratifiedShuffleSplit,
)

from ..errors import DataError, ModelError, ParameterError
from .classify import ComplaintClassifier, KeywordClassifier, _labels
from .text import as_texts, near_duplicate_groups

__all__ = [
    "evaluate",
    "Evaluation",
    "cross_validate_classifier",
    "CrossValidation",
    "macro_f1",
    "bootstrap_macro_f1",
    "suggest_labels",
    "dedupe_texts",
]


def _confusions(true: np.ndarray, pred: np.ndarray, K: int, boot: np.ndarray | None = None) -> np.ndarray:
    """Confusion counts (B, K, K) for bootstrap index rows ``boot`` (or one (1, K, K))."""
    if boot is None:
        boot = np.arange(true.size)[None, :]
    B = boot.shape[0]
    key = (np.arange(B)[:, None] * K * K + true[boot] * K + pred[boot]).ravel()
    return np.bincount(key, minlength=B * K * K).reshape(B, K, K)


def _f1_from_confusion(cm: np.ndarray, present: np.ndarray) -> np.ndarray:
    tp = np.diagonal(cm, axis1=1, axis2=2).astype(float)
    pred = cm.sum(axis=1).astype(float)
    actual = cm.sum(axis=2).astype(float)
    denom = pred + actual
    f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    return f1[:, present].mean(axis=1)


def macro_f1(y_true, y_pred) -> float:
    """Macro-averaged F1 over the classes present in ``y_true`` (as scikit-learn with labels=those).

    >>> macro_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    0.7333333333333334
    """
    classes, true = np.unique(np.asarray(y_true, dtype=object).astype(str), return_inverse=True)
    pred_s = np.asarray(y_pred, dtype=object).astype(str)
    lookup = {c: i for i, c in enumerate(classes)}
    pred = np.array([lookup.get(p, len(classes)) for p in pred_s])
    K = len(classes) + 1
    cm = _confusions(true, pred, K)
    present = np.zeros(K, bool)
    present[: len(classes)] = True
    return float(_f1_from_confusion(cm, present)[0])


@dataclass(frozen=True)
class ScoreInterval:
    """A score with its percentile bootstrap interval.

    Attributes
    ----------
    estimate : float
        The score on the texts given.
    ci_low, ci_high : float
        The interval at ``confidence`` from ``n_boot`` resamples of the texts.
    confidence : float
    n_boot : int
    """

    estimate: float
    ci_low: float
    ci_high: float
    confidence: float
    n_boot: int


def bootstrap_macro_f1(
    y_true, y_pred, *, n_boot: int = 1000, confidence: float = 0.95, random_state: int | np.random.Generator | None = 0
) -> ScoreInterval:
    """Macro-F1 and its percentile bootstrap interval (resampling test texts), vectorised.

    >>> r = bootstrap_macro_f1(["a", "b", "a", "b"], ["a", "b", "a", "a"], n_boot=200)
    >>> round(r.estimate, 3), r.ci_low <= r.estimate <= r.ci_high
    (0.733, True)
    """
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must lie between 0 and 1; got {confidence!r}")
    if int(n_boot) < 1:
        raise ParameterError(f"n_boot must be at least 1; got {n_boot!r}")
    classes, true = np.unique(np.asarray(y_true, dtype=object).astype(str), return_inverse=True)
    lookup = {c: i for i, c in enumerate(classes)}
    pred = np.array([lookup.get(p, len(classes)) for p in np.asarray(y_pred, dtype=object).astype(str)])
    K = len(classes) + 1
    present = np.zeros(K, bool)
    present[: len(classes)] = True
    est = float(_f1_from_confusion(_confusions(true, pred, K), present)[0])
    rng = np.random.default_rng(random_state)
    chunks = []
    for start in range(0, n_boot, 200):  # chunks keep memory flat
        boot = rng.integers(0, true.size, size=(min(200, n_boot - start), true.size))
        chunks.append(_f1_from_confusion(_confusions(true, pred, K, boot), present))
    scores = np.concatenate(chunks)
    alpha = (1 - confidence) / 2
    return ScoreInterval(
        est, float(np.quantile(scores, alpha)), float(np.quantile(scores, 1 - alpha)), confidence, int(n_boot)
    )


def dedupe_texts(texts, **near) -> pd.DataFrame:
    """Which texts to keep: one per exact / near-duplicate group (the first).

    Returns
    -------
    DataFrame
        ``group`` (id), ``keep`` (bool), ``duplicate_of`` (position of the kept text, or -1).
    """
    groups = near_duplicate_groups(texts, **near)
    first = pd.Series(np.arange(groups.size)).groupby(groups).transform("min").to_numpy()
    keep = first == np.arange(groups.size)
    return pd.DataFrame({"group": groups, "keep": keep, "duplicate_of": np.where(keep, -1, first)})


@dataclass
class Evaluation:
    """Result of :func:`evaluate`.

    Attributes
    ----------
    table : DataFrame
        One row per model (``model``, ``majority``, ``keyword``): ``model, macro_f1,
        ci_low, ci_high, accuracy, n_train, n_test``.
    per_class : DataFrame
        ``model, label, precision, recall, f1, support``.
    confusion : DataFrame
        Tidy ``model, true, predicted, count``.
    dedup : DataFrame
        ``n_input, n_exact_duplicates, n_near_duplicates, n_kept, split``.
    train_index, test_index : ndarray
        Positions (in the input) of the texts used for training and testing.
    fitted : ComplaintClassifier
        The model fitted on the training part.
    """

    table: pd.DataFrame
    per_class: pd.DataFrame
    confusion: pd.DataFrame
    dedup: pd.DataFrame
    train_index: np.ndarray
    test_index: np.ndarray
    fitted: object = field(repr=False, default=None)

    def summary(self) -> pd.DataFrame:
        return self.table


def _per_class(name: str, true: np.ndarray, pred: np.ndarray, classes: np.ndarray) -> pd.DataFrame:
    rows = []
    for c in classes:
        tp = int(((pred == c) & (true == c)).sum())
        n_pred = int((pred == c).sum())
        n_true = int((true == c).sum())
        p = tp / n_pred if n_pred else np.nan
        r = tp / n_true if n_true else np.nan
        f = 2 * tp / (n_pred + n_true) if (n_pred + n_true) else np.nan
        rows.append((name, c, p, r, f, n_true))
    return pd.DataFrame(rows, columns=["model", "label", "precision", "recall", "f1", "support"])


def evaluate(
    texts,
    labels,
    *,
    model: ComplaintClassifier | None = None,
    split: str = "random",
    groups=None,
    dates=None,
    test_size: float = 0.2,
    cutoff=None,
    keyword: KeywordClassifier | None | bool = True,
    dedup: bool = True,
    near: dict | None = None,
    n_boot: int = 1000,
    random_state: int | None = 0,
) -> Evaluation:
    """Train on one part, test on another — never with a duplicate on both sides.

    Parameters
    ----------
    texts, labels : sequences
        Texts and their labels (no missing).
    model : ComplaintClassifier, optional
        Unfitted model to evaluate (default ``ComplaintClassifier()``, with fewer calibration
        folds — or none — when the rarest class has fewer training texts than ``cv``); a
        fresh copy is fitted on the training part.
    split : {"random", "group", "temporal"}
        ``random``: stratified holdout; ``group``: whole customers (``groups``) in train
        or test; ``temporal``: train on texts dated before ``cutoff`` (default the
        ``1 - test_size`` quantile of ``dates``), test on the rest.
    groups, dates : sequences, optional
        Customer ids (``split="group"``) or dates (``split="temporal"``).
    keyword : KeywordClassifier, True or None
        The keyword baseline (True: ``KeywordClassifier()`` on the bundled category
        lexicon; None/False: left out).  Its fallback is the training majority class.
    dedup : bool
        Keep one text per exact / near-duplicate group before splitting (default; turn
        off only to show how much duplicates inflate a score).
    near : dict, optional
        Options of :func:`near_duplicate_groups` (``jaccard``, ``containment`` …).
    n_boot : int
        Bootstrap resamples for the macro-F1 interval.

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> from csworkbench.datasets.complaints import make_complaints
    >>> log = make_complaints(300, lang="en", random_state=2)
    >>> ev = evaluate(log["story"], log["category"], n_boot=200)
    >>> ev.table["model"].tolist()
    ['classifier', 'majority', 'keyword']
    >>> bool(ev.table["macro_f1"].iloc[0] > ev.table["macro_f1"].iloc[1])
    True
    """
    docs = as_texts(texts, "evaluate")
    y = _labels(labels, len(docs), "evaluate")
    if split not in ("random", "group", "temporal"):
        raise ModelError(f"split must be 'random', 'group' or 'temporal'; got {split!r}")
    if not 0 < test_size < 1:
        raise ModelError(f"test_size must be between 0 and 1; got {test_size!r}")
    n_input = len(docs)
    kept, n_exact = _kept_texts(docs, dedup, near)
    n_near = n_input - kept.size - n_exact
    yk = y[kept]
    idx = np.arange(kept.size)
    if split == "random":
        classes, counts = np.unique(yk, return_counts=True)
        n_test = int(np.ceil(test_size * kept.size))
        # stratify only where every class can sit in both parts (few texts, many classes: a plain shuffle)
        stratify = counts.min() >= 2 and min(n_test, kept.size - n_test) >= classes.size
        splitter = (StratifiedShuffleSplit if stratify else ShuffleSplit)(
            n_splits=1, test_size=test_size, random_state=random_state
        )
        tr, te = next(splitter.split(idx, yk))
    elif split == "group":
        tr, te = _group_split(groups, n_input, kept, yk, test_size, random_state)
    else:
        tr, te = _temporal_split(dates, n_input, kept, test_size, cutoff)
    if tr.size == 0 or te.size == 0:
        raise ModelError(f"the {split} split left an empty train or test part ({tr.size} / {te.size} texts)")
    train_index, test_index = kept[tr], kept[te]
    tr_docs = [docs[i] for i in train_index]
    te_docs = [docs[i] for i in test_index]
    y_tr, y_te = y[train_index], y[test_index]

    est = _fitted_classifier(model, tr_docs, y_tr)
    preds = {"classifier": est.predict(te_docs)}
    preds.update(_baseline_predictions(keyword, tr_docs, y_tr, te_docs))
    table, per_class, confusion = _scores(preds, y_tr, y_te, n_boot, random_state)
    dedup_table = pd.DataFrame(
        [
            {
                "n_input": n_input,
                "n_exact_duplicates": n_exact,
                "n_near_duplicates": n_near,
                "n_kept": int(kept.size),
                "split": split,
            }
        ]
    )
    return Evaluation(table, per_class, confusion, dedup_table, train_index, test_index, est)


def _kept_texts(docs: list[str], dedup: bool, near: dict | None) -> tuple[np.ndarray, int]:
    """Positions of the texts kept (one per duplicate group if ``dedup``) and the number of exact duplicates."""
    if not dedup:
        return np.arange(len(docs)), 0
    d = dedupe_texts(docs, **(near or {}))
    import re

    from .text import normalize_text

    norm = pd.Series([re.sub(r"[\W_]+", "", t) for t in normalize_text(docs)])
    n_exact = int(norm.duplicated().sum())
    return np.flatnonzero(d["keep"].to_numpy()), n_exact


def _group_split(
    groups, n_input: int, kept: np.ndarray, yk: np.ndarray, test_size: float, random_state: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Train/test positions (within ``kept``) that put each customer wholly on one side."""
    if groups is None:
        raise ModelError("split='group' needs groups= (e.g. the customer id of each text)")
    g = pd.Series(list(groups.tolist() if hasattr(groups, "tolist") else groups), dtype="object")
    if len(g) != n_input:
        raise DataError(f"evaluate: {n_input} texts but {len(g)} groups")
    if g.isna().any():
        raise DataError("evaluate: a group (customer id) is missing", row=int(np.flatnonzero(g.isna())[0]) + 1)
    idx = np.arange(kept.size)
    return next(GroupShuffleSplit(1, test_size=test_size, random_state=random_state).split(idx, yk, g.to_numpy()[kept]))


def _temporal_split(dates, n_input: int, kept: np.ndarray, test_size: float, cutoff) -> tuple[np.ndarray, np.ndarray]:
    """Train/test positions (within ``kept``): texts dated before ``cutoff`` train, the rest test."""
    if dates is None:
        raise ModelError("split='temporal' needs dates= (the date of each text)")
    dt = pd.to_datetime(pd.Series(list(dates.tolist() if hasattr(dates, "tolist") else dates)), errors="coerce")
    if len(dt) != n_input:
        raise DataError(f"evaluate: {n_input} texts but {len(dt)} dates")
    if dt.isna().any():
        raise DataError("evaluate: a date is missing or unparseable", row=int(np.flatnonzero(dt.isna())[0]) + 1)
    dk = dt.to_numpy()[kept]
    cut = pd.Timestamp(cutoff) if cutoff is not None else pd.Series(dk).quantile(1 - test_size)
    return np.flatnonzero(dk < cut.to_datetime64()), np.flatnonzero(dk >= cut.to_datetime64())


def _fitted_classifier(model: ComplaintClassifier | None, tr_docs: list[str], y_tr: np.ndarray) -> ComplaintClassifier:
    """A fresh copy of ``model`` (default: calibrated as far as the rarest class allows) fitted on the training part."""
    params = model.get_params() if model is not None else {}
    if model is None:
        # a rare class (1–2 training texts) cannot feed 3-fold calibration: calibrate with as
        # many folds as the rarest class allows, or not at all, rather than fail the report
        rarest = int(np.unique(y_tr, return_counts=True)[1].min())
        default_cv = int(ComplaintClassifier().cv)
        if rarest < default_cv:
            params = {"cv": rarest, "calibration": "sigmoid"} if rarest >= 2 else {"calibration": None}
    est = ComplaintClassifier(**params)
    est.fit(tr_docs, y_tr)
    return est


def _baseline_predictions(
    keyword: KeywordClassifier | None | bool, tr_docs: list[str], y_tr: np.ndarray, te_docs: list[str]
) -> dict[str, np.ndarray]:
    """Test predictions of the majority-class baseline and (unless switched off) the keyword baseline."""
    values, counts = np.unique(y_tr, return_counts=True)
    majority = values[counts.argmax()]
    preds = {"majority": np.array([majority] * len(te_docs), dtype=object)}
    if keyword is True:
        keyword = KeywordClassifier()
    if keyword:
        kw = KeywordClassifier(**{k: getattr(keyword, k) for k in ("scheme", "lang", "lexicon", "path", "default")})
        preds["keyword"] = kw.fit(tr_docs, y_tr).predict(te_docs)
    return preds


def _scores(
    preds: dict[str, np.ndarray], y_tr: np.ndarray, y_te: np.ndarray, n_boot: int, random_state: int | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per model: macro-F1 with its interval and accuracy; precision/recall per class; the confusion counts."""
    classes = np.unique(np.concatenate([y_tr, y_te]))
    rows, per, conf = [], [], []
    for name, pred in preds.items():
        f1 = bootstrap_macro_f1(y_te, pred, n_boot=n_boot, random_state=random_state)
        est_f1, lo, hi = f1.estimate, f1.ci_low, f1.ci_high
        rows.append((name, est_f1, lo, hi, float((pred == y_te).mean()), y_tr.size, y_te.size))
        per.append(_per_class(name, y_te, pred, classes))
        ct = pd.crosstab(pd.Series(y_te, name="true"), pd.Series(pred, name="predicted")).stack()
        conf.append(ct.rename("count").reset_index().assign(model=name))
    table = pd.DataFrame(rows, columns=["model", "macro_f1", "ci_low", "ci_high", "accuracy", "n_train", "n_test"])
    confusion = pd.concat(conf, ignore_index=True)[["model", "true", "predicted", "count"]]
    return table, pd.concat(per, ignore_index=True), confusion


@dataclass(frozen=True)
class CrossValidation:
    """Result of :func:`cross_validate_classifier`.

    Attributes
    ----------
    folds : DataFrame
        One row per model and fold: ``model, fold, macro_f1, accuracy, n_train, n_test``.
    table : DataFrame
        One row per model: ``model, macro_f1`` (mean over folds), ``sd`` (of the fold
        scores), ``se`` (corrected, see below), ``ci_low, ci_high``, ``n_folds``.
    differences : DataFrame
        Each model against the first one, paired by fold: ``model, reference, difference``
        (mean of model − reference), ``se, ci_low, ci_high``.  Empty for one model.
    dedup : DataFrame
        ``n_input, n_exact_duplicates, n_near_duplicates, n_kept, split`` (as :class:`Evaluation`).
    confidence : float
    n_splits : int

    Notes
    -----
    The interval is Student's t with k − 1 degrees of freedom around the mean of the k fold
    scores, with the variance corrected for the overlap of the training sets
    (Nadeau & Bengio 2003): se = sd · √(1/k + n_test/n_train).  The naive sd/√k ignores that
    the folds share most of their training texts and is too narrow.  The interval is cut to
    [0, 1] (a difference's to [−1, 1]).
    """

    folds: pd.DataFrame
    table: pd.DataFrame
    differences: pd.DataFrame
    dedup: pd.DataFrame
    confidence: float
    n_splits: int

    def summary(self) -> pd.DataFrame:
        """The per-model table (mean macro-F1 with its interval)."""
        return self.table

    def conf_int(self, confidence: float | None = None) -> pd.DataFrame:
        """``model, ci_low, ci_high`` of the mean macro-F1 at another ``confidence`` (nothing refitted)."""
        level = self.confidence if confidence is None else float(confidence)
        if not 0 < level < 1:
            raise ParameterError(f"confidence must lie between 0 and 1; got {confidence!r}")
        q = stats.t.ppf(0.5 + level / 2, self.n_splits - 1)
        t = self.table
        return pd.DataFrame(
            {
                "model": t["model"],
                "ci_low": (t["macro_f1"] - q * t["se"]).clip(lower=0.0),
                "ci_high": (t["macro_f1"] + q * t["se"]).clip(upper=1.0),
            }
        )


def _corrected(
    scores: np.ndarray, ratio: float, confidence: float, lo: float = 0.0, hi: float = 1.0
) -> tuple[float, float, float, float, float]:
    """(mean, sd, se, ci_low, ci_high) of k fold scores with the Nadeau–Bengio corrected variance,
    the interval cut to the range the score can take ([lo, hi])."""
    k = scores.size
    mean = float(scores.mean())
    sd = float(scores.std(ddof=1)) if k > 1 else 0.0
    se = sd * float(np.sqrt(1.0 / k + ratio))
    q = float(stats.t.ppf(0.5 + confidence / 2, k - 1))
    return mean, sd, se, max(mean - q * se, lo), min(mean + q * se, hi)


def cross_validate_classifier(
    texts,
    labels,
    *,
    models=None,
    cv: int = 5,
    groups=None,
    dedup: bool = True,
    near: dict | None = None,
    confidence: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
) -> CrossValidation:
    """k-fold cross-validated macro-F1 on deduplicated texts, with an interval (交叉验证).

    Duplicates and near-duplicates are removed first (as in :func:`evaluate`); the kept
    texts are split into ``cv`` stratified folds (whole customers per fold with ``groups``);
    each model is fitted on k − 1 folds and scored on the remaining one, all models on the
    same folds, so their differences are paired.

    Parameters
    ----------
    texts, labels : sequences
    models : estimator or mapping name → estimator, optional
        Unfitted models with ``fit(texts, labels)`` and ``predict(texts)`` (a fresh clone is
        fitted per fold).  Default ``{"classifier": ComplaintClassifier()}``.  The first one
        is the reference of :attr:`CrossValidation.differences`.
    cv : int, default 5
        Number of folds (≥ 2; every class needs at least ``cv`` texts).
    groups : sequence, optional
        Customer ids: a customer's texts stay in one fold (``StratifiedGroupKFold``).
    dedup, near : as :func:`evaluate`
    confidence : float, default 0.95
    random_state : int, Generator or None, default 0
        Shuffles the folds.

    Returns
    -------
    CrossValidation
        Fold scores, the mean with its corrected t interval, and paired differences.

    Examples
    --------
    >>> from csworkbench.datasets.complaints import make_complaints
    >>> log = make_complaints(200, lang="en", random_state=2)
    >>> res = cross_validate_classifier(log["story"], log["category"], models=ComplaintClassifier(calibration=None), cv=3)
    >>> row = res.table.iloc[0]
    >>> res.folds.shape[0], bool(row["ci_low"] <= row["macro_f1"] <= row["ci_high"]), int(res.folds["n_test"].sum())
    (3, True, 193)
    """
    docs = as_texts(texts, "cross_validate_classifier")
    y = _labels(labels, len(docs), "cross_validate_classifier")
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or int(cv) < 2:
        raise ParameterError(f"cv must be a number of folds >= 2; got {cv!r}")
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must lie between 0 and 1; got {confidence!r}")
    if models is None:
        models = {"classifier": ComplaintClassifier()}
    elif not isinstance(models, Mapping):
        models = {"classifier": models}
    if not models:
        raise ParameterError("models is empty; give at least one model")
    kept, n_exact = _kept_texts(docs, dedup, near)
    yk = y[kept]
    classes, counts = np.unique(yk, return_counts=True)
    if classes.size < 2:
        raise ModelError(f"need at least two classes; got only {classes.tolist()!r}")
    if counts.min() < int(cv):
        raise ModelError(
            f"class {classes[counts.argmin()]!r} has {counts.min()} text(s) after deduplication; "
            f"cv={cv} folds need at least {cv} per class"
        )
    seed = random_state if not isinstance(random_state, np.random.Generator) else int(random_state.integers(2**31))
    idx = np.arange(kept.size)
    if groups is not None:
        g = pd.Series(list(groups.tolist() if hasattr(groups, "tolist") else groups), dtype="object")
        if len(g) != len(docs) or g.isna().any():
            raise DataError(f"cross_validate_classifier: {len(docs)} texts need as many groups, none missing")
        splits = list(StratifiedGroupKFold(int(cv), shuffle=True, random_state=seed).split(idx, yk, g.to_numpy()[kept]))
    else:
        splits = list(StratifiedKFold(int(cv), shuffle=True, random_state=seed).split(idx, yk))
    rows = []
    for fold, (tr, te) in enumerate(splits, start=1):
        tr_docs = [docs[i] for i in kept[tr]]
        te_docs = [docs[i] for i in kept[te]]
        for name, model in models.items():
            pred = np.asarray(clone(model).fit(tr_docs, yk[tr]).predict(te_docs), dtype=object)
            rows.append((str(name), fold, macro_f1(yk[te], pred), float((pred == yk[te]).mean()), tr.size, te.size))
    folds = pd.DataFrame(rows, columns=["model", "fold", "macro_f1", "accuracy", "n_train", "n_test"])
    ratio = float((folds["n_test"] / folds["n_train"]).mean())
    names = [str(n) for n in models]
    table_rows, diff_rows = [], []
    by_model = {n: folds.loc[folds["model"] == n, "macro_f1"].to_numpy() for n in names}
    for name in names:
        table_rows.append((name, *_corrected(by_model[name], ratio, confidence), len(splits)))
    for name in names[1:]:
        mean, _, se, lo, hi = _corrected(by_model[name] - by_model[names[0]], ratio, confidence, -1.0, 1.0)
        diff_rows.append((name, names[0], mean, se, lo, hi))
    table = pd.DataFrame(table_rows, columns=["model", "macro_f1", "sd", "se", "ci_low", "ci_high", "n_folds"])
    differences = pd.DataFrame(diff_rows, columns=["model", "reference", "difference", "se", "ci_low", "ci_high"])
    dedup_table = pd.DataFrame(
        [
            {
                "n_input": len(docs),
                "n_exact_duplicates": n_exact,
                "n_near_duplicates": len(docs) - kept.size - n_exact,
                "n_kept": int(kept.size),
                "split": f"{int(cv)}-fold" + (" grouped" if groups is not None else ""),
            }
        ]
    )
    return CrossValidation(folds, table, differences, dedup_table, float(confidence), len(splits))


def suggest_labels(model, texts, *, n: int = 20, strategy: str = "margin") -> pd.DataFrame:
    """The texts the model is least sure about — label these next (uncertainty sampling).

    Parameters
    ----------
    model : fitted ComplaintClassifier
    texts : sequence of str
        Unlabelled texts.
    n : int
        How many to return.
    strategy : {"margin", "entropy", "least_confident"}
        Smallest gap between the two most probable classes; highest entropy; lowest top
        probability.

    Returns
    -------
    DataFrame
        ``position, text, predicted, confidence, margin, entropy``, most uncertain first.
    """
    if strategy not in ("margin", "entropy", "least_confident"):
        raise ModelError(f"strategy must be 'margin', 'entropy' or 'least_confident'; got {strategy!r}")
    docs = as_texts(texts, "suggest_labels")
    proba = model.predict_proba(docs)
    srt = np.sort(proba, axis=1)
    top = srt[:, -1]
    margin = top - srt[:, -2]
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy = -np.nansum(np.where(proba > 0, proba * np.log(proba), 0.0), axis=1)
    score = {"margin": margin, "entropy": -entropy, "least_confident": top}[strategy]
    order = np.argsort(score, kind="stable")[: int(n)]
    return pd.DataFrame(
        {
            "position": order,
            "text": [docs[i] for i in order],
            "predicted": model.classes_[proba[order].argmax(axis=1)],
            "confidence": top[order],
            "margin": margin[order],
            "entropy": entropy[order],
        }
    )


def _scored_table(y_true: np.ndarray, preds: dict, n_boot: int, random_state) -> pd.DataFrame:
    rows = []
    for name, pred in preds.items():
        f1 = bootstrap_macro_f1(y_true, pred, n_boot=n_boot, random_state=random_state)
        est, lo, hi = f1.estimate, f1.ci_low, f1.ci_high
        rows.append((name, est, lo, hi, float((np.asarray(pred) == y_true).mean()), np.nan, y_true.size))
    return pd.DataFrame(rows, columns=["model", "macro_f1", "ci_low", "ci_high", "accuracy", "n_train", "n_test"])


def classify_log(
    frame: pd.DataFrame,
    label: str = "category",
    *,
    text: str = "story",
    model_path: str = "",
    keyword_mode: bool = False,
    lang: str | None = None,
    n_boot: int = 1000,
    random_state: int | None = 0,  # scikit-learn's splitters take an int, not a Generator
):
    """Fill ``label`` for every complaint and measure how well it is done (for the report).

    Three modes: a saved model (``model_path``), the keyword lexicon (``keyword_mode``), or
    — by default — a :class:`ComplaintClassifier` evaluated with :func:`evaluate` on the
    labelled rows and then fitted on all of them.  Recorded labels are kept; missing ones
    are predicted.

    Returns
    -------
    (DataFrame, DataFrame or None, object)
        The log with ``label`` filled and ``<label>_source`` (``recorded``, ``model``,
        ``keyword``); the quality table (as :attr:`Evaluation.table`, None when nothing
        is labelled); the model used.
    """
    if text not in frame.columns:
        raise DataError(f"classify_log: the log has no text column {text!r}", column=text)
    data = frame.copy()
    texts = data[text].fillna("").astype(str)
    labelled = data[label].notna().to_numpy() if label in data.columns else np.zeros(len(data), bool)
    y = (
        data.loc[labelled, label].astype(str).to_numpy(dtype=object)
        if label in data.columns
        else np.array([], dtype=object)
    )
    quality = None
    source = "model"
    if model_path:
        model = ComplaintClassifier.load(model_path)
        pred = model.predict(texts)
        if labelled.any():
            quality = _scored_table(y, {"classifier": pred[labelled]}, n_boot, random_state)
    elif keyword_mode or labelled.sum() < 20 or len(set(y)) < 2:
        model = KeywordClassifier(lang=lang).fit(
            texts[labelled] if labelled.any() else None, y if labelled.any() else None
        )
        pred = model.predict(texts)
        source = "keyword"
        if labelled.any():
            quality = _scored_table(y, {"keyword": pred[labelled]}, n_boot, random_state)
    else:
        ev = evaluate(
            texts[labelled], y, keyword=KeywordClassifier(lang=lang), n_boot=n_boot, random_state=random_state
        )
        quality = ev.table
        classes, counts = np.unique(y, return_counts=True)
        model = ComplaintClassifier(
            cv=int(min(3, counts.min())) if counts.min() >= 2 else 2,
            calibration="sigmoid" if counts.min() >= 2 else None,
        ).fit(texts[labelled], y)
        pred = model.predict(texts)
    recorded = (
        data[label].astype(object).to_numpy() if label in data.columns else np.full(len(data), None, dtype=object)
    )
    filled = np.where(labelled, recorded, pred)
    data[label] = filled
    data[f"{label}_source"] = np.where(labelled, "recorded", source)
    return data, quality, model
