"""Covariance matrices of reweighted rows (internal): jackknife, group subsets and permutations.

Every PLS estimate is a function of the indicators' covariance matrix, so a stack of row weights
(one row of weights per resample, each summing to 1) gives a stack of covariance matrices that
:func:`csworkbench.pls.algorithm.estimates` estimates at once (as :mod:`csworkbench.pls.bootstrap`).

Examples
--------
>>> import numpy as np
>>> from csworkbench.pls._resample import weighted_covs
>>> A = np.arange(12.0).reshape(6, 2) ** 1.5
>>> S = weighted_covs(A, np.full((1, 6), 1 / 6), scaled=False)
>>> bool(np.allclose(S[0], np.cov(A, rowvar=False, ddof=0)))
True
"""

from __future__ import annotations

import numpy as np

from .algorithm import standardise_cov

__all__ = ["weighted_covs", "jackknife_weights", "group_weights"]


def weighted_covs(A: np.ndarray, weights: np.ndarray, *, scaled: bool) -> np.ndarray:
    """Covariance matrices (b, p, p) of the rows of ``A`` (n, p) under row ``weights`` (b, n)
    (each row of weights sums to 1); standardised to correlations when ``scaled``."""
    A = A - A.mean(axis=0)
    n, p = A.shape
    m1 = weights @ A
    S = np.einsum("bn,np,nq->bpq", weights, A, A, optimize=True) - m1[:, :, None] * m1[:, None, :]
    return standardise_cov(S) if scaled else S


def jackknife_weights(n: int) -> np.ndarray:
    """Leave-one-out row weights (n, n): row i leaves out observation i."""
    return (1.0 - np.eye(n)) / (n - 1)


def group_weights(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row weights of the two groups coded True/False in each row of ``labels`` (b, n)."""
    g1 = labels.astype(float)
    g2 = 1.0 - g1
    return g1 / g1.sum(axis=1, keepdims=True), g2 / g2.sum(axis=1, keepdims=True)
