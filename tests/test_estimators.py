"""Every fitted model of the package keeps scikit-learn's estimator contract (docs/api-conventions.md).

The estimators are found by walking the package, so a new one is checked without being listed:
the constructor stores its parameters unchanged (``clone`` and ``get_params``/``set_params``
work), and a method that needs the fit raises ``csworkbench.estimators.NotFittedError`` — also
scikit-learn's ``NotFittedError`` and a ``ModelError`` — before ``fit``.
"""

from __future__ import annotations

import importlib
import pkgutil

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError as SklearnNotFittedError

import csworkbench
from csworkbench.errors import ModelError
from csworkbench.estimators import Estimator, NotFittedError


def _estimators() -> list[type]:
    for m in pkgutil.walk_packages(csworkbench.__path__, prefix="csworkbench."):
        importlib.import_module(m.name)
    found, todo = [], [Estimator]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("csworkbench.") and not sub.__name__.startswith("_"):
                found.append(sub)
    return sorted(
        {c for c in found if "fit" in vars(c) or any("fit" in vars(b) for b in c.__mro__[1:-2])},
        key=lambda c: c.__name__,
    )


ESTIMATORS = _estimators()
# a method per estimator that needs the fit, with arguments of the right shape
NEEDS_FIT = {
    "PLSPM": ("summary", ()),
    "BetaGeoModel": ("probability_alive", (np.array([1.0]), np.array([2.0]), np.array([5.0]))),
    "GammaGammaModel": ("conditional_expected_spend", (np.array([2.0]), np.array([10.0]))),
    "ParetoNBDModel": ("probability_alive", (np.array([1.0]), np.array([2.0]), np.array([5.0]))),
    "ModifiedBetaGeoModel": ("probability_alive", (np.array([1.0]), np.array([2.0]), np.array([5.0]))),
    "BetaGeoBetaBinomModel": ("probability_alive", (np.array([1.0]), np.array([2.0]), np.array([5.0]))),
    "RFMClusters": ("summary", ()),
    "ComplaintClassifier": ("predict", (["送货太慢"],)),
    "KeywordClassifier": ("explain", (["送货太慢"],)),
}


def _instance(cls: type):
    if cls.__name__ == "PLSPM":
        from csworkbench.pls import ecsi_model

        return cls(**ecsi_model())
    return cls()


def test_the_walk_finds_every_estimator():
    assert {c.__name__ for c in ESTIMATORS} == set(NEEDS_FIT)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_parameters_round_trip_and_clone(cls):
    est = _instance(cls)
    params = est.get_params(deep=False)
    twin = clone(est)
    assert type(twin) is cls and twin is not est
    assert twin.get_params(deep=False).keys() == params.keys()
    name = next(iter(params))
    assert est.set_params(**{name: params[name]}) is est


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_a_method_that_needs_the_fit_says_so(cls):
    method, args = NEEDS_FIT[cls.__name__]
    est = _instance(cls)
    with pytest.raises(NotFittedError) as info:
        getattr(est, method)(*args)
    assert isinstance(info.value, SklearnNotFittedError) and isinstance(info.value, ModelError)
    assert "fit" in str(info.value)
    assert est.__sklearn_is_fitted__() is False
