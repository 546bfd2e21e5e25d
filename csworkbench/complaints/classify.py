"""Complaint classifiers (投诉分类器): character n-gram TF-IDF + linear model, and keywords.

Course concept: classify complaints by content, quality defect, product, region and
responsible department (按内容、质量缺陷、产品、地区、责任部门分类, COURSE.md §4).

* :class:`ComplaintClassifier` — character 1–3-gram TF-IDF (works for Chinese without
  word segmentation, and for English) + L2 logistic regression, probabilities calibrated
  with Platt scaling on cross-validated scores (Platt 1999; scikit-learn
  ``CalibratedClassifierCV(method="sigmoid", ensemble=False)``).  ``features="char+word"``
  adds jieba words (the weights then read as words too).  Explainable with
  :meth:`ComplaintClassifier.top_terms`.  Saved with ``skops`` and loaded only after
  checking every type in the file against :data:`TRUSTED_TYPES` — never ``pickle``.
* :class:`KeywordClassifier` — a cold start from an editable zh/en keyword lexicon
  (``csworkbench/data/complaint_keywords.yml``), the matched words given as evidence.

Any label works: content category, defect, department, service aspect or sentiment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from ..errors import DataError, ModelError, ParameterError
from ..estimators import Estimator
from ..lexicon import LEXICON_PATH, load_lexicon  # noqa: F401  (re-exported)
from .text import CharNgramTfidf, CharWordTfidf, JiebaWordTfidf, as_texts, normalize_text

__all__ = [
    "ComplaintClassifier",
    "KeywordClassifier",
    "load_lexicon",
    "LEXICON_PATH",
    "TRUSTED_TYPES",
]


#: Every type a saved :class:`ComplaintClassifier` may contain; :meth:`ComplaintClassifier.load`
#: refuses a file holding anything else.
TRUSTED_TYPES: tuple[str, ...] = (
    "csworkbench.complaints.classify.ComplaintClassifier",
    "csworkbench.complaints.text.CharNgramTfidf",
    "csworkbench.complaints.text.CharWordTfidf",
    "csworkbench.complaints.text.JiebaWordTfidf",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.multiclass.OneVsRestClassifier",
    "sklearn.preprocessing._label.LabelBinarizer",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.model_selection._split.KFold",
    "sklearn.preprocessing._label.LabelEncoder",
    "sklearn.utils._bunch.Bunch",
    "builtins.slice",
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.float64",
    "numpy.int64",
    "numpy.str_",
    "scipy.sparse._csr.csr_matrix",
    "builtins.tuple",
)


#: Feature sets of :class:`ComplaintClassifier` (``features=``).
FEATURES: tuple[str, ...] = ("char", "char+word", "word")


def _labels(y: Iterable, n: int, where: str) -> np.ndarray:
    values = pd.Series(list(y.tolist() if hasattr(y, "tolist") else y), dtype="object")
    if len(values) != n:
        raise DataError(f"{where}: {n} texts but {len(values)} labels; expected one label per text")
    missing = values.isna().to_numpy()
    if missing.any():
        raise DataError(
            f"{where}: a label is missing (drop unlabelled rows, or use suggest_labels to pick rows to label)",
            row=int(np.flatnonzero(missing)[0]) + 1,
        )
    return values.astype(str).to_numpy(dtype=object)


class ComplaintClassifier(Estimator):
    """Character n-gram TF-IDF + calibrated logistic regression for any complaint label.

    Parameters
    ----------
    features : {"char", "char+word", "word"}, default "char"
        ``"char"``: character n-grams (:class:`CharNgramTfidf`); ``"char+word"``: character
        n-grams and multi-character jieba words (:class:`CharWordTfidf`, so :meth:`top_terms`
        shows words as well); ``"word"``: jieba words only (:class:`JiebaWordTfidf`).  The
        default stays ``"char"``: in 5-fold cross-validation on the deduplicated reviews_zh
        (``bench/bench_complaints_text.py``) the words add less than the interval of the
        difference, and they cost segmentation time.
    ngram_range : (int, int), default (1, 3)
        Character n-gram lengths (≤ 3).
    min_df : int, default 2
        Drop n-grams seen in fewer training texts.
    C : float, default 8.0
        Inverse L2 penalty of the logistic regression (liblinear, dual; one-vs-rest for
        more than two classes).  8 was best on the deduplicated reviews_zh holdout among
        2, 4, 8, 16.
    calibration : {"sigmoid", "isotonic", None}, default "sigmoid"
        Calibrate probabilities on ``cv``-fold cross-validated scores; ``None`` keeps the
        logistic regression's own probabilities (faster).
    cv : int, default 3
        Folds for calibration.
    class_weight : None or "balanced"
    max_iter : int, default 1000

    Attributes
    ----------
    classes_ : ndarray
    vectorizer_ : CharNgramTfidf
    model_ : fitted calibrated classifier (or LogisticRegression)
    n_train_ : int

    Examples
    --------
    >>> texts = ["快递太慢了", "送货慢三天", "物流很慢", "质量很差坏了", "用两天就坏了", "质量差开裂"] * 3
    >>> labels = ["delivery"] * 3 + ["quality"] * 3
    >>> clf = ComplaintClassifier(min_df=1, cv=2).fit(texts, labels * 3)
    >>> clf.predict(["快递慢死了", "刚买就坏了"]).tolist()
    ['delivery', 'quality']
    """

    def __init__(
        self,
        *,
        features="char",
        ngram_range=(1, 3),
        min_df=2,
        C=8.0,
        calibration="sigmoid",
        cv=3,
        class_weight=None,
        max_iter=1000,
    ):
        self.features = features
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.C = C
        self.calibration = calibration
        self.cv = cv
        self.class_weight = class_weight
        self.max_iter = max_iter

    def _validate_params(self) -> None:
        if self.features not in FEATURES:
            raise ParameterError(f"features must be one of {', '.join(FEATURES)}; got {self.features!r}")
        if self.calibration not in ("sigmoid", "isotonic", None):
            raise ParameterError(f"calibration must be 'sigmoid', 'isotonic' or None; got {self.calibration!r}")
        if not float(self.C) > 0:
            raise ParameterError(f"C must be positive; got {self.C!r}")
        if self.calibration is not None and int(self.cv) < 2:
            raise ParameterError(f"cv must be at least 2 for calibration; got {self.cv!r}")

    def fit(self, texts, y) -> ComplaintClassifier:
        """Learn from texts and their labels; returns self."""
        self._validate_params()
        docs = as_texts(texts, "ComplaintClassifier.fit")
        labels = _labels(y, len(docs), "ComplaintClassifier.fit")
        classes, counts = np.unique(labels, return_counts=True)
        if classes.size < 2:
            raise ModelError(f"need at least two classes to learn; got only {classes.tolist()!r}")
        self.vectorizer_ = self._vectorizer()
        X = self.vectorizer_.fit_transform(docs)
        # liblinear's dual solver is the fast one when n-grams far outnumber texts (0.4 s vs 7 s
        # for lbfgs on 14,000 reviews); it is binary, so several classes go one-vs-rest
        base = LogisticRegression(
            C=float(self.C), class_weight=self.class_weight, max_iter=int(self.max_iter), solver="liblinear", dual=True
        )
        if classes.size > 2:
            base = OneVsRestClassifier(base)
        if self.calibration is None:
            self.model_ = base.fit(X, labels)
        else:
            if counts.min() < int(self.cv):
                small = classes[counts.argmin()]
                raise ModelError(
                    f"class {small!r} has {counts.min()} example(s); calibration with cv={self.cv} "
                    f"needs at least {self.cv} per class (label more, or calibration=None)"
                )
            self.model_ = CalibratedClassifierCV(base, method=self.calibration, cv=int(self.cv), ensemble=False).fit(
                X, labels
            )
        self.classes_ = np.asarray(self.model_.classes_, dtype=object)
        self.n_train_ = len(docs)
        return self

    def _vectorizer(self) -> CharNgramTfidf | CharWordTfidf | JiebaWordTfidf:
        if self.features == "word":
            return JiebaWordTfidf(min_df=self.min_df)
        if self.features == "char+word":
            return CharWordTfidf(ngram_range=tuple(self.ngram_range), min_df=self.min_df, word_min_df=self.min_df)
        return CharNgramTfidf(ngram_range=tuple(self.ngram_range), min_df=self.min_df)

    def _check_fitted(self) -> None:
        self.check_fitted("model_")

    def predict_proba(self, texts) -> np.ndarray:
        """Calibrated class probabilities, columns in the order of ``classes_``."""
        self._check_fitted()
        return self.model_.predict_proba(self.vectorizer_.transform(as_texts(texts, "predict")))

    def predict(self, texts) -> np.ndarray:
        """Most probable label per text."""
        proba = self.predict_proba(texts)
        return self.classes_[proba.argmax(axis=1)]

    @property
    def linear_model_(self):
        """The logistic regression(s) fitted on all training texts (their coefficients explain)."""
        self._check_fitted()
        if isinstance(self.model_, (LogisticRegression, OneVsRestClassifier)):
            return self.model_
        return self.model_.calibrated_classifiers_[0].estimator

    def _coef(self) -> tuple[np.ndarray, np.ndarray]:
        """(coefficients per class, intercept per class), one row per class in ``classes_``."""
        lm = self.linear_model_
        if isinstance(lm, OneVsRestClassifier):
            coef = np.vstack([e.coef_ for e in lm.estimators_])
            icpt = np.concatenate([e.intercept_ for e in lm.estimators_])
            return coef, icpt
        return np.vstack([-lm.coef_[0], lm.coef_[0]]), np.r_[-lm.intercept_, lm.intercept_]

    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """The n-grams that weigh most for each class (可解释性).

        Returns
        -------
        DataFrame
            Columns ``label, rank, term, weight`` (log-odds coefficient; for two classes
            the second class gets the largest, the first the most negative).
        """
        names = self.vectorizer_.get_feature_names_out()
        coef, _ = self._coef()
        rows = []
        for k, label in enumerate(self.classes_):
            order = np.argsort(-coef[k], kind="stable")[:n]
            for r, j in enumerate(order, start=1):
                rows.append((label, r, names[j], float(coef[k, j])))
        return pd.DataFrame(rows, columns=["label", "rank", "term", "weight"])

    def summary(self) -> pd.DataFrame:
        """One row per class: ``label, n_terms, intercept`` plus training size."""
        _, icpt = self._coef()
        return pd.DataFrame(
            {
                "label": self.classes_,
                "intercept": icpt,
                "n_terms": len(self.vectorizer_.idf_),
                "n_train": self.n_train_,
            }
        )

    def save(self, path: str | PathLike) -> Path:
        """Write the fitted model with ``skops.io`` (no pickle); returns the path."""
        import skops.io as sio

        self._check_fitted()
        path = Path(path)
        sio.dump(self, path)
        return path

    @classmethod
    def load(cls, path: str | PathLike, trusted: Sequence[str] = TRUSTED_TYPES) -> ComplaintClassifier:
        """Load a model saved by :meth:`save`, refusing any type outside ``trusted``.

        Raises
        ------
        ModelError
            The file holds a type that is not in :data:`TRUSTED_TYPES` (it may have been
            tampered with; nothing is executed), or it is not a ComplaintClassifier.
        """
        import skops.io as sio

        path = Path(path)
        if not path.exists():
            raise DataError("model file not found", path=path)
        try:
            untrusted = sio.get_untrusted_types(file=path)
        except Exception as exc:  # corrupt or not a skops file
            raise DataError(f"not a skops model file ({exc})", path=path) from None
        unknown = sorted(set(untrusted) - set(trusted))
        if unknown:
            raise ModelError(
                f"{path.name}: refusing to load; it contains types that are not trusted: {', '.join(unknown)}"
            )
        model = sio.load(path, trusted=sorted(set(untrusted)))
        if not isinstance(model, cls):
            raise ModelError(f"{path.name}: expected a ComplaintClassifier; found {type(model).__name__}")
        return model


class KeywordClassifier(Estimator):
    """Cold-start classifier: the label whose lexicon keywords match most (关键词分类).

    Parameters
    ----------
    scheme : str, default "category"
        Lexicon section (see :func:`load_lexicon`).
    lang : {"zh", "en"} or None
        Keywords of one language, or both (None, default).
    lexicon : mapping label → keywords, optional
        Overrides the file.
    path : path, optional
        Another lexicon file.
    default : str, optional
        Label when no keyword matches; :meth:`fit` sets it to the majority class.
        Without it (and unfitted) a text with no match gets ``"unmatched"``.

    Examples
    --------
    >>> kw = KeywordClassifier(lexicon={"delivery": ["快递", "送货"], "quality": ["坏了"]}).fit()
    >>> kw.explain(["快递三天没到，送货太慢", "灯坏了", "你好"])[["label", "matched"]].values.tolist()
    [['delivery', '快递, 送货'], ['quality', '坏了'], ['unmatched', '']]
    """

    def __init__(self, *, scheme="category", lang=None, lexicon=None, path=None, default=None):
        self.scheme = scheme
        self.lang = lang
        self.lexicon = lexicon
        self.path = path
        self.default = default

    def _lexicon(self) -> dict[str, list[str]]:
        lex = self.lexicon if self.lexicon is not None else load_lexicon(self.scheme, self.lang, self.path)
        if not lex:
            raise ModelError("the keyword lexicon is empty")
        # normalise keywords as texts are, so full-width and case do not matter
        return {label: [w for w in normalize_text(list(words)) if w] for label, words in lex.items()}

    def fit(self, texts=None, y=None) -> KeywordClassifier:
        """Nothing to learn; with labels, remember the majority class as the fallback."""
        self.lexicon_ = self._lexicon()
        if y is not None:
            values, counts = np.unique(_labels(y, len(y), "KeywordClassifier.fit"), return_counts=True)
            self.default_ = str(values[counts.argmax()]) if self.default is None else self.default
        else:
            self.default_ = self.default if self.default is not None else "unmatched"
        self.classes_ = np.array(sorted(set(self.lexicon_) | {self.default_}), dtype=object)
        return self

    def explain(self, texts) -> pd.DataFrame:
        """Label and evidence per text.

        Returns
        -------
        DataFrame
            ``label, n_matches, matched`` (the matched keywords, comma separated), one row
            per text.  Ties go to the label listed first in the lexicon.
        """
        self.check_fitted("lexicon_")
        docs = normalize_text(as_texts(texts, "KeywordClassifier"))
        labels, counts, matched = [], [], []
        for doc in docs:
            best, best_n, best_words = self.default_, 0, []
            for label, words in self.lexicon_.items():
                hits = [w for w in words if w in doc]
                if len(hits) > best_n:
                    best, best_n, best_words = label, len(hits), hits
            labels.append(best)
            counts.append(best_n)
            matched.append(", ".join(best_words))
        return pd.DataFrame({"label": labels, "n_matches": counts, "matched": matched})

    def predict(self, texts) -> np.ndarray:
        """Label per text (the fallback where nothing matches)."""
        return self.explain(texts)["label"].to_numpy(dtype=object)
