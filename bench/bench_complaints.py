"""Speed of the complaint classifier (投诉分类器) against a jieba word TF-IDF pipeline.

Targets (issue 5): predict ≥ 5,000 texts/s and train on 15,000 texts in ≤ 10 s on 2 cores.
Data: the bundled reviews_zh (17,363 Chinese reviews), exact + near-duplicates removed
first, then 15,000 texts to train and the rest to test.  Both pipelines use the same
linear model (logistic regression, liblinear dual, C = 8, Platt-calibrated with 3-fold CV);
only the features differ: ours = character 1–3-gram TF-IDF (:class:`CharNgramTfidf`),
baseline = jieba-segmented words (unigrams + bigrams) with scikit-learn's TfidfVectorizer.
Macro-F1 of both on the same held-out texts.  Prediction throughput is measured on all
17,363 texts (best of 3).  Rows go to ``bench/_work/results*/complaints.json`` through
``bench/_suite.py``; ``make bench`` (``bench/run_all.py``) renders them into bench/RESULTS.md.

Run: ``.venv/bin/python bench/bench_complaints.py [--quick]`` (``--quick``: train on 3,000,
predict 5,000 texts).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import argparse  # noqa: E402

import sklearn  # noqa: E402
from _suite import Bench, timed, traced_peak_mb  # noqa: E402
from sklearn.calibration import CalibratedClassifierCV  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from csworkbench.complaints import ComplaintClassifier, dedupe_texts, macro_f1  # noqa: E402
from csworkbench.datasets import load_reviews_zh  # noqa: E402

N_TRAIN, QUICK_N_TRAIN, QUICK_N_PREDICT = 15_000, 3_000, 5_000


def _jieba_tokens(text: str) -> list[str]:
    import jieba

    return [w for w in jieba.lcut(text) if w.strip()]


def jieba_pipeline():
    """Word TF-IDF over jieba segmentation + the same calibrated logistic regression."""
    return make_pipeline(
        TfidfVectorizer(
            tokenizer=_jieba_tokens, token_pattern=None, lowercase=True, ngram_range=(1, 2), min_df=2, sublinear_tf=True
        ),
        CalibratedClassifierCV(
            LogisticRegression(C=8.0, solver="liblinear", dual=True, max_iter=1000),
            method="sigmoid",
            cv=3,
            ensemble=False,
        ),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="train on 3,000 texts, predict 5,000")
    args = parser.parse_args(argv)
    n_train = QUICK_N_TRAIN if args.quick else N_TRAIN
    bench = Bench("complaints", quick=args.quick)

    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()  # load the dictionary outside the timings (one-off, ~1 s)
    reviews = load_reviews_zh()
    keep, t_dedup = timed(lambda: dedupe_texts(reviews["text"])["keep"].to_numpy())
    data = reviews[keep].sample(frac=1.0, random_state=0).reset_index(drop=True)
    train, test = data.iloc[:n_train], data.iloc[n_train:]
    all_texts = reviews["text"].tolist()
    if args.quick:
        all_texts = all_texts[:QUICK_N_PREDICT]

    ours = ComplaintClassifier()
    _, t_fit = timed(lambda: ours.fit(train["text"], train["sentiment"]), repeat=2)
    f1_ours = macro_f1(test["sentiment"], ours.predict(test["text"]))
    _, t_pred = timed(lambda: ours.predict(all_texts), repeat=3)
    mem_fit = traced_peak_mb(lambda: ComplaintClassifier().fit(train["text"], train["sentiment"]))
    mem_pred = traced_peak_mb(lambda: ours.predict(all_texts))

    base = jieba_pipeline()
    _, t_fit_b = timed(lambda: base.fit(train["text"].tolist(), train["sentiment"]), repeat=2)
    f1_base = macro_f1(test["sentiment"], base.predict(test["text"].tolist()))
    _, t_pred_b = timed(lambda: base.predict(all_texts), repeat=3)

    rate, rate_b = len(all_texts) / t_pred, len(all_texts) / t_pred_b
    print(f"dedup {t_dedup:.2f} s; kept {keep.sum()} of {len(reviews)}")
    print(f"char n-gram: fit {t_fit:.2f} s on {len(train)}, predict {rate:,.0f} texts/s, macro-F1 {f1_ours:.4f}")
    print(f"jieba words: fit {t_fit_b:.2f} s, predict {rate_b:,.0f} texts/s, macro-F1 {f1_base:.4f}")

    baseline = "jieba words (1–2-grams) + `TfidfVectorizer`, same model"
    bench.add(
        "complaint classifier `ComplaintClassifier().fit` (char 1–3-gram TF-IDF)",
        f"{len(train):,} texts",
        t_fit,
        mem_fit,
        "traced",
        baseline,
        t_fit_b,
        note=f"held-out macro-F1 {f1_ours:.3f} vs {f1_base:.3f}"
        + ("" if args.quick else f"; target ≤ 10 s {'met' if t_fit <= 10 else 'MISSED'}"),
    )
    bench.add(
        "complaint classifier `.predict`",
        f"{len(all_texts):,} texts",
        t_pred,
        mem_pred,
        "traced",
        baseline,
        t_pred_b,
        note=f"{rate:,.0f} vs {rate_b:,.0f} texts/s; target ≥ 5,000/s {'met' if rate >= 5000 else 'MISSED'}",
    )
    bench.add("near-duplicate removal `complaints.dedupe_texts`", f"{len(reviews):,} texts", t_dedup, None)
    bench.detail = f"""### complaints — classifier on reviews_zh (`bench/bench_complaints.py`)

scikit-learn {sklearn.__version__}, BLAS threads ≤ 2.  Data: the bundled reviews_zh, {len(reviews):,} texts →
{int(keep.sum()):,} after exact + near-duplicate removal; train on {len(train):,}, test on the other
{len(test):,}; prediction timed on {len(all_texts):,} texts; both sides best of 2 fits and best of 3
predictions.  Both pipelines: logistic regression (liblinear dual, C = 8) with 3-fold Platt
calibration; only the features differ.  Held-out macro-F1: ours {f1_ours:.4f}, jieba {f1_base:.4f}."""
    bench.save()


if __name__ == "__main__":
    main()
