"""The estimator base shared by every fitted model of the package (估计器基类).

Every model that learns from data — :class:`~csworkbench.pls.PLSPM`, the customer-base models
of :mod:`csworkbench.clv`, :class:`~csworkbench.tiers.RFMClusters`, the complaint classifiers —
follows scikit-learn's contract (see ``docs/api-conventions.md``):

* the constructor stores its keyword arguments unchanged and does nothing else, so
  ``get_params``, ``set_params`` and ``sklearn.base.clone`` work;
* ``fit(...)`` validates the parameters (in ``_validate_params``, one place), learns, and
  returns ``self``; learned attributes end in ``_``;
* a method that needs the fit raises :class:`NotFittedError` before it (a subclass of both
  scikit-learn's ``NotFittedError`` and :class:`csworkbench.errors.ModelError`; also
  ``csworkbench.NotFittedError``);
* ``summary()`` returns a tidy DataFrame; ``conf_int(confidence=0.95)`` the interval table
  where the method has one.

This module imports scikit-learn, so only estimator modules import it (which is why
``NotFittedError`` lives here and not in :mod:`csworkbench.errors`, which imports nothing heavy).

Examples
--------
>>> from sklearn.base import clone
>>> from csworkbench.estimators import Estimator, NotFittedError
>>> class Mean(Estimator):
...     def __init__(self, *, shift: float = 0.0):
...         self.shift = shift
...     def fit(self, x):
...         self.mean_ = sum(x) / len(x) + self.shift
...         return self
>>> m = Mean(shift=1.0)
>>> clone(m).get_params()
{'shift': 1.0}
>>> try:
...     m.check_fitted("mean_")
... except NotFittedError as e:
...     print(e)
Mean is not fitted yet; call fit() first
>>> m.fit([1, 2, 3]).check_fitted("mean_") is m
True
"""

from __future__ import annotations

from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

from .errors import ModelError

__all__ = ["Estimator", "NotFittedError"]


class NotFittedError(ModelError, _SklearnNotFittedError):
    """A method that needs a fitted model was called before ``fit``."""


class Estimator(BaseEstimator):
    """Base class: scikit-learn's parameter handling plus the package's fitted-state check."""

    def check_fitted(self, *attributes: str) -> Estimator:
        """Return ``self``; raise :class:`NotFittedError` unless every attribute named exists.

        Without names, any attribute ending in ``_`` set by ``fit`` counts.
        """
        if attributes:
            fitted = all(hasattr(self, a) for a in attributes)
        else:
            fitted = any(k.endswith("_") and not k.startswith("__") for k in vars(self))
        if not fitted:
            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit() first")
        return self

    def __sklearn_is_fitted__(self) -> bool:  # scikit-learn's check_is_fitted protocol
        try:
            self.check_fitted()
        except NotFittedError:
            return False
        return True
