"""Complaint text as features: normalisation, character n-grams, near-duplicates (文本特征与去重).

Course concept: classifying complaints by content (顾客抱怨分类, COURSE.md §4) needs text
features that work for Chinese without word segmentation and for English alike —
character n-grams (Cavnar & Trenkle 1994; for Chinese, Li & Sun 2007, *Int. J. Comput.
Process. Oriental Lang.* 20) — and an honest evaluation needs near-duplicate texts kept
out of opposite sides of a split (Broder 1997, "On the resemblance and containment of
documents": Jaccard resemblance and containment of character shingles).

Why hand-written: scikit-learn's ``TfidfVectorizer(analyzer="char")`` builds every
n-gram as a Python string and looks it up in a dict one at a time (about 4,500
texts/s here); :class:`CharNgramTfidf` encodes each n-gram as one 63-bit integer with
NumPy and looks the whole corpus up with one ``searchsorted`` — the same matrix
(tested column for column against scikit-learn) at many times the speed.

Words: :class:`JiebaWordTfidf` segments Chinese with jieba (Sun Junyi, MIT licence; a
prefix-dictionary DAG with an HMM for unknown words), and :class:`CharWordTfidf` joins its
words to the character n-grams, so a model's weights can be read as words (质量, 物流,
不错) as well as characters.  jieba is imported only when word features are used, its
dictionary is built once per process from the file shipped in its wheel (never from a
cache file in the shared temporary directory) and its start-up messages are silenced
through its logger.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize as _l2_normalize

from ..errors import DataError, ModelError

__all__ = [
    "normalize_text",
    "CharNgramTfidf",
    "JiebaWordTfidf",
    "CharWordTfidf",
    "segment_words",
    "near_duplicate_groups",
    "as_texts",
]

_SEP = "\x00"
_NON_WORD = re.compile(r"[\W_]+")
_BITS = 21  # every code point + 1 fits in 21 bits, so a trigram fits in 63


def as_texts(texts: Iterable, where: str = "texts") -> list[str]:
    """A list of strings; a missing or non-text entry is a :class:`DataError` naming its row."""
    if isinstance(texts, str):
        raise DataError(f"{where}: expected a list or column of texts; got a single string")
    values = list(texts.tolist() if hasattr(texts, "tolist") else texts)
    for i, v in enumerate(values):
        if not isinstance(v, str):
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
                raise DataError(f"{where}: a text is missing (fill it or drop the row first)", row=i + 1)
            raise DataError(f"{where}: expected text; got {type(v).__name__} {v!r}", row=i + 1)
    return values


def normalize_text(
    texts: Sequence[str], *, form: Literal["NFC", "NFD", "NFKC", "NFKD"] | None = "NFKC", lowercase: bool = True
) -> list[str]:
    """Unicode-normalise (full-width → half-width), lower-case, collapse white space and trim it.

    Done on the whole corpus at once (joined with NUL), so it costs one C call each.  White
    space around a text (spaces, tabs, newlines, the full-width space U+3000) is removed, so it
    cannot change the n-grams — or a classifier's answer — of a complaint.

    >>> normalize_text(["ＡＢＣ  好！", "Hello\\tWorld", "\\u3000 质量差\\n"])
    ['abc 好!', 'hello world', '质量差']
    """
    if not texts:
        return []
    joined = _SEP.join(t.replace(_SEP, " ") for t in texts)
    if form:
        joined = unicodedata.normalize(form, joined)
    if lowercase:
        joined = joined.lower()
    joined = re.sub(r"[^\S\x00]+", " ", joined)
    out = [t.strip(" ") for t in joined.split(_SEP)]
    if len(out) != len(texts):  # pragma: no cover - NFKC never creates NUL
        raise ModelError("text normalisation changed the number of texts")
    return out


def _codes(docs: list[str], n_min: int, n_max: int) -> tuple[np.ndarray, np.ndarray]:
    """(document index, n-gram code) for every character n-gram of every document."""
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    chars = np.frombuffer("".join(docs).encode("utf-32-le"), dtype=np.uint32).astype(np.int64) + 1
    doc = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    ends = np.cumsum(lengths)[doc]
    pos = np.arange(total, dtype=np.int64)
    docs_out, codes_out = [], []
    for n in range(n_min, n_max + 1):
        valid = pos + n <= ends
        start = pos[valid]
        code = np.zeros(start.size, dtype=np.int64)
        for k in range(n):
            code = (code << _BITS) | chars[start + k]
        docs_out.append(doc[valid])
        codes_out.append(code)
    return np.concatenate(docs_out), np.concatenate(codes_out)


def _decode(code: int) -> str:
    chars = []
    while code:
        chars.append(chr((code & ((1 << _BITS) - 1)) - 1))
        code >>= _BITS
    return "".join(reversed(chars))


def _kept_terms(X: sp.csr_matrix, n_terms: int, min_df: int, max_features: int | None, what: str) -> np.ndarray:
    """Mask of the terms in at least ``min_df`` texts; of those, the ``max_features`` most frequent."""
    keep = np.bincount(X.indices, minlength=n_terms) >= int(min_df)
    if max_features is not None and keep.sum() > int(max_features):
        tf = np.asarray(X.sum(axis=0)).ravel()
        order = np.argsort(-np.where(keep, tf, -1), kind="stable")[: int(max_features)]
        keep = np.zeros_like(keep)
        keep[order] = True
    if not keep.any():
        raise ModelError(f"no {what} occurs in at least min_df={min_df} texts; lower min_df")
    return keep


class CharNgramTfidf(TransformerMixin, BaseEstimator):
    """Character n-gram TF-IDF, vectorised with NumPy (the same matrix as scikit-learn's).

    Equivalent to ``TfidfVectorizer(analyzer="char", ngram_range=ngram_range,
    min_df=min_df, sublinear_tf=sublinear_tf, preprocessor=normalize_text)`` up to the
    order of the columns (here by code point, there alphabetical).

    Parameters
    ----------
    ngram_range : (int, int), default (1, 3)
        Shortest and longest n-gram, at most 3 characters (63-bit codes).
    min_df : int, default 2
        Drop n-grams found in fewer training texts.
    max_features : int, optional
        Keep the most frequent n-grams only.
    sublinear_tf : bool, default True
        Use 1 + log(tf).
    normalize : str or None, default "NFKC"
        Unicode normal form applied before the n-grams (see :func:`normalize_text`).

    Attributes
    ----------
    vocabulary_codes_ : ndarray of int64
        Sorted n-gram codes (decode with :meth:`get_feature_names_out`).
    idf_ : ndarray
        Inverse document frequencies (smoothed, as scikit-learn).

    Examples
    --------
    >>> v = CharNgramTfidf(ngram_range=(1, 2), min_df=1).fit(["送货慢", "送货快"])
    >>> v.get_feature_names_out().tolist()
    ['快', '慢', '货', '送', '货快', '货慢', '送货']
    >>> v.transform(["送货"]).shape
    (1, 7)
    """

    def __init__(self, ngram_range=(1, 3), min_df=2, max_features=None, sublinear_tf=True, normalize="NFKC"):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.normalize = normalize

    def _validate_params(self) -> tuple[int, int]:
        lo, hi = self.ngram_range
        if not (1 <= lo <= hi <= 3):
            raise ModelError(f"ngram_range must satisfy 1 <= low <= high <= 3; got {self.ngram_range!r}")
        if int(self.min_df) < 1:
            raise ModelError(f"min_df must be a count >= 1; got {self.min_df!r}")
        return int(lo), int(hi)

    def _counts(self, texts, lo, hi, vocab=None):
        docs = normalize_text(as_texts(texts), form=self.normalize)
        doc, code = _codes(docs, lo, hi)
        if vocab is None:
            vocab, col = np.unique(code, return_inverse=True)
        else:
            col = np.searchsorted(vocab, code)
            col[col >= vocab.size] = 0
            found = (vocab[col] == code) if vocab.size else np.zeros(code.size, bool)
            doc, col = doc[found], col[found]
        X = sp.csr_matrix((np.ones(doc.size, dtype=np.float64), (doc, col)), shape=(len(docs), vocab.size))
        X.sum_duplicates()
        return X, vocab

    def fit(self, texts, y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None):
        lo, hi = self._validate_params()
        X, vocab = self._counts(texts, lo, hi)
        keep = _kept_terms(X, vocab.size, self.min_df, self.max_features, "character n-gram")
        X = X[:, np.flatnonzero(keep)]
        self.vocabulary_codes_ = vocab[keep]
        self._tfidf = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(X)
        self.idf_ = self._tfidf.idf_
        return self._tfidf.transform(X).astype(np.float32)

    def transform(self, texts):
        if not hasattr(self, "vocabulary_codes_"):
            raise ModelError("CharNgramTfidf is not fitted; call fit first")
        lo, hi = self._validate_params()
        X, _ = self._counts(texts, lo, hi, vocab=self.vocabulary_codes_)
        return self._tfidf.transform(X).astype(np.float32)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array([_decode(int(c)) for c in self.vocabulary_codes_], dtype=object)


_JIEBA_LOCK = threading.Lock()
_JIEBA: list = []  # the one initialised jieba.Tokenizer of this process
_WORDISH = re.compile(r"\w")


def _tokenizer():
    """The process's jieba tokenizer, its dictionary built once, its start-up messages silenced.

    jieba logs "Building prefix dict …" to stderr at DEBUG level: its logger is set to WARNING
    (before anything is built, so nothing is printed whatever the order of imports).  The prefix
    dictionary is built from the ``dict.txt`` shipped in jieba's wheel (~0.5 s), never loaded
    from the ``jieba.cache`` file jieba otherwise reads from the shared temporary directory: a
    file anyone could have written would change the segmentation.
    """
    if _JIEBA:
        return _JIEBA[0]
    with _JIEBA_LOCK:
        if not _JIEBA:
            try:
                import jieba
            except ImportError as exc:  # pragma: no cover - jieba is a runtime dependency
                raise ModelError("word features need jieba (pip install jieba)") from exc
            logging.getLogger("jieba").setLevel(logging.WARNING)
            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            with tok.lock:
                tok.FREQ, tok.total = tok.gen_pfdict(tok.get_dict_file())
                tok.initialized = True
            _JIEBA.append(tok)
    return _JIEBA[0]


def segment_words(texts: Sequence[str], *, min_length: int = 1, hmm: bool = True) -> list[list[str]]:
    """Words of each text by jieba (结巴分词), after :func:`normalize_text`; punctuation and spaces dropped.

    Parameters
    ----------
    min_length : int, default 1
        Drop shorter words (2: multi-character words only).
    hmm : bool, default True
        Let jieba's HMM join characters into words its dictionary lacks.

    >>> segment_words(["快递太慢了，质量也不好"])
    [['快递', '太慢', '了', '质量', '也', '不好']]
    """
    tok = _tokenizer()
    return [
        [w for w in tok.lcut(doc, HMM=hmm) if len(w) >= min_length and _WORDISH.search(w)]
        for doc in normalize_text(as_texts(texts))
    ]


class JiebaWordTfidf(TransformerMixin, BaseEstimator):
    """Word (and word n-gram) TF-IDF over jieba segmentation (分词特征).

    Parameters
    ----------
    ngram_range : (int, int), default (1, 1)
        Shortest and longest run of words (joined by a space).
    min_df : int, default 2
        Drop terms found in fewer training texts.
    min_length : int, default 1
        Drop shorter words before the n-grams (2 keeps multi-character words only — next to
        character n-grams, single characters are already there).
    max_features : int, optional
        Keep the most frequent terms only.
    sublinear_tf : bool, default True
    hmm : bool, default True
        jieba's HMM for words not in its dictionary.

    Attributes
    ----------
    vocabulary_ : ndarray of str
        Sorted terms (column order).
    idf_ : ndarray

    Examples
    --------
    >>> v = JiebaWordTfidf(min_df=1).fit(["快递太慢了", "快递很快"])
    >>> v.get_feature_names_out().tolist()
    ['了', '太慢', '很快', '快递']
    """

    def __init__(self, ngram_range=(1, 1), min_df=2, min_length=1, max_features=None, sublinear_tf=True, hmm=True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.min_length = min_length
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.hmm = hmm

    def _validate_params(self) -> tuple[int, int]:
        lo, hi = self.ngram_range
        if not (1 <= lo <= hi):
            raise ModelError(f"ngram_range must satisfy 1 <= low <= high; got {self.ngram_range!r}")
        if int(self.min_df) < 1:
            raise ModelError(f"min_df must be a count >= 1; got {self.min_df!r}")
        return int(lo), int(hi)

    def _terms(self, texts, lo: int, hi: int) -> tuple[np.ndarray, list[str]]:
        words = segment_words(texts, min_length=int(self.min_length), hmm=bool(self.hmm))
        doc: list[int] = []
        terms: list[str] = []
        for i, ws in enumerate(words):
            for n in range(lo, hi + 1):
                grams = ws if n == 1 else [" ".join(ws[k : k + n]) for k in range(len(ws) - n + 1)]
                terms.extend(grams)
                doc.extend([i] * len(grams))
        return np.asarray(doc, dtype=np.int64), terms

    def _matrix(self, doc: np.ndarray, col: np.ndarray, n_docs: int, n_terms: int) -> sp.csr_matrix:
        X = sp.csr_matrix((np.ones(doc.size, dtype=np.float64), (doc, col)), shape=(n_docs, n_terms))
        X.sum_duplicates()
        return X

    def fit(self, texts, y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None):
        lo, hi = self._validate_params()
        docs = as_texts(texts)
        doc, terms = self._terms(docs, lo, hi)
        vocab, col = np.unique(np.asarray(terms, dtype=str), return_inverse=True)
        X = self._matrix(doc, col.astype(np.int64), len(docs), vocab.size)
        keep = _kept_terms(X, vocab.size, self.min_df, self.max_features, "word")
        X = X[:, np.flatnonzero(keep)]
        self.vocabulary_ = vocab[keep]
        self._tfidf = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(X)
        self.idf_ = self._tfidf.idf_
        return self._tfidf.transform(X).astype(np.float32)

    def transform(self, texts):
        if not hasattr(self, "vocabulary_"):
            raise ModelError("JiebaWordTfidf is not fitted; call fit first")
        lo, hi = self._validate_params()
        docs = as_texts(texts)
        doc, terms = self._terms(docs, lo, hi)
        vocab = self.vocabulary_
        t = np.asarray(terms, dtype=str) if terms else np.zeros(0, dtype=vocab.dtype)
        col = np.searchsorted(vocab, t) if vocab.size else np.zeros(t.size, np.int64)
        col[col >= vocab.size] = 0
        found = (vocab[col] == t) if vocab.size else np.zeros(t.size, bool)
        X = self._matrix(doc[found], col[found].astype(np.int64), len(docs), vocab.size)
        return self._tfidf.transform(X).astype(np.float32)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.asarray(self.vocabulary_, dtype=object)


class CharWordTfidf(TransformerMixin, BaseEstimator):
    """Character n-grams and jieba words side by side (字 + 词), rows scaled to unit length.

    Each block is TF-IDF with unit rows (:class:`CharNgramTfidf`, :class:`JiebaWordTfidf`);
    the word block is multiplied by ``word_weight`` and the joined row scaled back to unit
    length, so a linear model's penalty means the same as with one block.

    Parameters
    ----------
    ngram_range, min_df : character n-grams (as :class:`CharNgramTfidf`)
    word_ngram_range : (int, int), default (1, 1)
    word_min_df : int, default 2
    word_min_length : int, default 2
        Multi-character words only: single characters are already character 1-grams.
    word_weight : float, default 1.0

    Attributes
    ----------
    char_ : CharNgramTfidf
    word_ : JiebaWordTfidf
    idf_ : ndarray
        Both blocks' inverse document frequencies, in column order.

    Examples
    --------
    >>> v = CharWordTfidf(ngram_range=(1, 1), min_df=1, word_min_df=1).fit(["快递太慢", "快递很快"])
    >>> v.get_feature_names_out().tolist()
    ['太', '很', '快', '慢', '递', '太慢', '很快', '快递']
    """

    def __init__(
        self, ngram_range=(1, 3), min_df=2, word_ngram_range=(1, 1), word_min_df=2, word_min_length=2, word_weight=1.0
    ):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.word_ngram_range = word_ngram_range
        self.word_min_df = word_min_df
        self.word_min_length = word_min_length
        self.word_weight = word_weight

    def _join(self, Xc, Xw):
        X = sp.hstack([Xc, Xw * np.float32(self.word_weight)], format="csr")
        return _l2_normalize(X).astype(np.float32)

    def fit(self, texts, y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None):
        if not float(self.word_weight) >= 0:
            raise ModelError(f"word_weight must be >= 0; got {self.word_weight!r}")
        docs = as_texts(texts)
        self.char_ = CharNgramTfidf(ngram_range=tuple(self.ngram_range), min_df=self.min_df)
        self.word_ = JiebaWordTfidf(
            ngram_range=tuple(self.word_ngram_range), min_df=self.word_min_df, min_length=self.word_min_length
        )
        Xc = self.char_.fit_transform(docs)
        Xw = self.word_.fit_transform(docs)
        self.idf_ = np.concatenate([self.char_.idf_, self.word_.idf_])
        return self._join(Xc, Xw)

    def transform(self, texts):
        if not hasattr(self, "char_"):
            raise ModelError("CharWordTfidf is not fitted; call fit first")
        docs = as_texts(texts)
        return self._join(self.char_.transform(docs), self.word_.transform(docs))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.concatenate([self.char_.get_feature_names_out(), self.word_.get_feature_names_out()])


def near_duplicate_groups(
    texts: Sequence[str],
    *,
    jaccard: float = 0.7,
    containment: float = 0.9,
    min_shingles: int = 8,
    shingle: int = 3,
    chunk: int = 2000,
) -> np.ndarray:
    """Group exact and near-duplicate texts (近似重复) so a split can keep each group together.

    Texts are normalised (NFKC, lower case, punctuation and spaces removed) and cut into
    character ``shingle``-grams.  Two texts are near-duplicates when the Jaccard
    resemblance of their shingle sets is at least ``jaccard``, or when the shorter one
    (with at least ``min_shingles`` shingles) is contained in the other to at least
    ``containment`` (Broder 1997).  Groups are the connected components of that relation,
    so identical normalised texts always share a group.

    Returns
    -------
    ndarray of int
        Group id per text (0 … n_groups − 1, in order of first appearance).

    Examples
    --------
    >>> near_duplicate_groups(["房间很大，早餐很差！", "1. 房间很大, 早餐很差", "服务很好"]).tolist()
    [0, 0, 1]
    """
    values = as_texts(texts)
    if not 0 < jaccard <= 1 or not 0 < containment <= 1:
        raise ModelError(f"jaccard and containment must be in (0, 1]; got {jaccard!r}, {containment!r}")
    norm = [_NON_WORD.sub("", t) for t in normalize_text(values)]
    # strings shorter than a shingle become one padded shingle, so "好" and "好" still match
    padded = [t if len(t) >= shingle else t.ljust(shingle, "\x01") for t in norm]
    doc, code = _codes(padded, shingle, shingle)
    uniq, col = np.unique(code, return_inverse=True)
    B = sp.csr_matrix((np.ones(doc.size, np.float32), (doc, col)), shape=(len(values), max(uniq.size, 1)))
    B.data[:] = 1.0
    B.sum_duplicates()
    B.data[:] = 1.0
    sizes = np.asarray(B.sum(axis=1)).ravel()
    BT = B.T.tocsr()
    rows, cols = [], []
    for start in range(0, B.shape[0], chunk):
        inter = (B[start : start + chunk] @ BT).tocoo()
        r = inter.row + start
        c = inter.col
        d = inter.data
        upper = r < c
        r, c, d = r[upper], c[upper], d[upper]
        small = np.minimum(sizes[r], sizes[c])
        close = (d / (sizes[r] + sizes[c] - d) >= jaccard) | ((small >= min_shingles) & (d / small >= containment))
        rows.append(r[close])
        cols.append(c[close])
    r = np.concatenate(rows) if rows else np.zeros(0, int)
    c = np.concatenate(cols) if cols else np.zeros(0, int)
    graph = sp.coo_matrix((np.ones(r.size), (r, c)), shape=(len(values), len(values)))
    _, labels = connected_components(graph, directed=False)
    # renumber in order of first appearance
    _, first = np.unique(labels, return_index=True)
    return np.argsort(np.argsort(first))[labels]
