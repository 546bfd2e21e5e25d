"""Topics of unlabelled complaints (投诉主题发现): NMF on word TF-IDF.

Course concept: classifying complaints by content (COURSE.md §4) needs categories; when a
log has none yet, :func:`complaint_topics` proposes groups of complaints that share words —
a starting point for a category list and for labelling (then :class:`ComplaintClassifier`).

Method: jieba words (multi-character, :func:`~csworkbench.complaints.text.segment_words`)
→ TF-IDF (sublinear tf, unit rows) → non-negative matrix factorisation X ≈ W·H (Lee & Seung
1999; scikit-learn ``NMF``, NNDSVDa start, Frobenius loss).  A topic is a row of H (its
words and weights); a complaint's topic is the largest entry of its row of W.

What is left out, so topics are about *what* went wrong rather than how it is told: words
with digits or masking stars (dates, phone numbers, masked personal data), the words of the
escalation cues in the lexicon (投诉, 曝光, 律师 … — how far a complaint escalated is
:func:`escalation_level`'s job), and words in more than ``max_df`` of the texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfTransformer

from ..errors import DataError, ModelError, ParameterError
from ..lexicon import load_lexicon
from .text import CharNgramTfidf, as_texts, segment_words

__all__ = ["complaint_topics", "ComplaintTopics"]

_NOISE = re.compile(r"[\d*]")


@dataclass(frozen=True)
class ComplaintTopics:
    """Result of :func:`complaint_topics`.

    Attributes
    ----------
    topics : DataFrame
        ``topic, rank, term, weight``: the ``n_terms`` heaviest terms of each topic (1…k).
    examples : DataFrame
        ``topic, rank, position, text, weight``: the ``n_examples`` texts that load most on
        each topic (``position`` in the input; texts as given — mask them before showing).
    assignments : DataFrame
        One row per text: ``position, topic`` (the largest loading; 0 when the text has no
        term the model knows), ``weight`` (its share of the text's loadings).
    n_topics : int
    features : str
    reconstruction_error : float
        Frobenius norm of X − W·H.
    """

    topics: pd.DataFrame
    examples: pd.DataFrame
    assignments: pd.DataFrame
    n_topics: int
    features: str
    reconstruction_error: float

    def summary(self) -> pd.DataFrame:
        """One row per topic: ``topic, n_texts, share, terms`` (the top five, comma separated)."""
        a = self.assignments
        counts = a["topic"].value_counts()
        terms = self.topics[self.topics["rank"] <= 5].groupby("topic")["term"].agg(", ".join)
        rows = [
            (k, int(counts.get(k, 0)), float(counts.get(k, 0)) / max(len(a), 1), terms.get(k, ""))
            for k in range(1, self.n_topics + 1)
        ]
        return pd.DataFrame(rows, columns=["topic", "n_texts", "share", "terms"])


def _escalation_words() -> set[str]:
    words = [w for ws in load_lexicon("escalation").values() for w in ws if not w.startswith("re:")]
    return {t for ws in segment_words(words, min_length=1) for t in ws} | {w.lower() for w in words}


def _word_matrix(docs: list[str], min_df: int, max_df: float) -> tuple[sp.csr_matrix, np.ndarray]:
    stop = _escalation_words()
    tokens = [[t for t in ws if t not in stop and not _NOISE.search(t)] for ws in segment_words(docs, min_length=2)]
    doc = np.repeat(np.arange(len(tokens)), [len(t) for t in tokens])
    flat = np.asarray([t for ws in tokens for t in ws], dtype=str)
    if flat.size == 0:
        raise ModelError("the texts have no words to build topics from")
    vocab, col = np.unique(flat, return_inverse=True)
    X = sp.csr_matrix((np.ones(doc.size), (doc, col)), shape=(len(docs), vocab.size))
    X.sum_duplicates()
    df = np.bincount(X.indices, minlength=vocab.size)
    keep = (df >= min_df) & (df <= max_df * len(docs))
    if keep.sum() < 2:
        raise ModelError(f"fewer than two words occur in {min_df}–{max_df:.0%} of the texts; lower min_df")
    return X[:, np.flatnonzero(keep)], vocab[keep]


def complaint_topics(
    texts,
    *,
    n_topics: int = 8,
    features: str = "word",
    n_terms: int = 10,
    n_examples: int = 3,
    min_df: int = 2,
    max_df: float = 0.15,
    random_state: int | None = 0,
) -> ComplaintTopics:
    """Topics of complaint texts without labels (NMF on TF-IDF), their words and examples.

    Parameters
    ----------
    texts : sequence of str
        Complaint texts (mask personal data first if the examples will be shown).
    n_topics : int, default 8
    features : {"word", "char+word"}, default "word"
        jieba words (multi-character) only, or words plus character 2–3-grams (for texts
        jieba segments badly; topics then list n-grams too).
    n_terms, n_examples : int
        Terms and example texts per topic.
    min_df : int, default 2
        Drop words found in fewer texts.
    max_df : float, default 0.15
        Drop words found in a larger share of the texts (openers, politeness, boilerplate).
    random_state : int or None, default 0
        NMF's initialisation (NNDSVDa is deterministic; the seed breaks its ties).

    Returns
    -------
    ComplaintTopics

    Examples
    --------
    >>> from csworkbench.datasets import make_complaints
    >>> log = make_complaints(300, random_state=1)
    >>> res = complaint_topics(log["story"], n_topics=5)
    >>> res.topics.columns.tolist(), res.topics["topic"].nunique(), len(res.assignments)
    (['topic', 'rank', 'term', 'weight'], 5, 300)
    """
    docs = as_texts(texts, "complaint_topics")
    if features not in ("word", "char+word"):
        raise ParameterError(f"features must be 'word' or 'char+word'; got {features!r}")
    if isinstance(n_topics, bool) or not isinstance(n_topics, (int, np.integer)) or n_topics < 2:
        raise ParameterError(f"n_topics must be an integer >= 2; got {n_topics!r}")
    if not 0 < max_df <= 1:
        raise ParameterError(f"max_df must be a share in (0, 1]; got {max_df!r}")
    if len(docs) < n_topics:
        raise DataError(f"complaint_topics: {len(docs)} texts cannot make {n_topics} topics")
    counts, names = _word_matrix(docs, int(min_df), float(max_df))
    X = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    if features == "char+word":
        chars = CharNgramTfidf(ngram_range=(2, 3), min_df=min_df)
        Xc = chars.fit_transform(docs)
        cdf = np.bincount(Xc.indices, minlength=Xc.shape[1])
        ckeep = np.flatnonzero(cdf <= max_df * len(docs))
        X = sp.hstack([X, Xc[:, ckeep]], format="csr")
        names = np.concatenate([names.astype(object), chars.get_feature_names_out()[ckeep]])
        X = sp.csr_matrix(X.multiply(1 / np.sqrt(np.maximum(np.asarray(X.multiply(X).sum(axis=1)), 1e-12))))
    nmf = NMF(int(n_topics), init="nndsvda", random_state=random_state, max_iter=1000)
    W = nmf.fit_transform(X)
    H = nmf.components_
    rows: list[tuple[int, int, str, float]] = []
    for k in range(int(n_topics)):
        order = np.argsort(-H[k], kind="stable")[: int(n_terms)]
        rows.extend((k + 1, r, str(names[j]), float(H[k, j])) for r, j in enumerate(order, start=1) if H[k, j] > 0)
    topics = pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])
    total = W.sum(axis=1)
    best = W.argmax(axis=1)
    has = total > 0
    assignments = pd.DataFrame(
        {
            "position": np.arange(len(docs)),
            "topic": np.where(has, best + 1, 0),
            "weight": np.where(has, W[np.arange(len(docs)), best] / np.where(has, total, 1), 0.0),
        }
    )
    ex: list[tuple[int, int, int, str, float]] = []
    for k in range(int(n_topics)):
        order = np.argsort(-W[:, k], kind="stable")[: int(n_examples)]
        ex.extend((k + 1, r, int(i), docs[i], float(W[i, k])) for r, i in enumerate(order, start=1) if W[i, k] > 0)
    examples = pd.DataFrame(ex, columns=["topic", "rank", "position", "text", "weight"])
    return ComplaintTopics(topics, examples, assignments, int(n_topics), features, float(nmf.reconstruction_err_))
