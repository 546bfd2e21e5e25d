"""A user's own PLS model from the run YAML: same fit as the built-in spec, clear errors naming what is wrong."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from csworkbench.datasets import load_ecsi
from csworkbench.errors import ModelError, ParameterError
from csworkbench.pls import PLSPM, check_indicators, ecsi_model, model_spec

OWN = """
blocks:
  IMAG: [imag1, imag2, imag3, imag4, imag5]
  EXPE: [expe1, expe2, expe3, expe4, expe5]
  QUAL: [qual1, qual2, qual3, qual4, qual5]
  VAL: [val1, val2, val3, val4]
  SAT: [sat1, sat2, sat3, sat4]
  LOY: [loy1, loy2, loy3, loy4]
paths:
  IMAG: [EXPE, SAT, LOY]
  EXPE: [QUAL, VAL, SAT]
  QUAL: [VAL, SAT]
  VAL: SAT
  SAT: LOY
"""


def test_own_model_from_yaml_fits_as_the_builtin_ecsi():
    spec = model_spec(yaml.safe_load(OWN))
    data = load_ecsi()
    a = PLSPM(**spec).fit(data).paths_.sort_values(["source", "target"]).reset_index(drop=True)
    b = PLSPM(**ecsi_model()).fit(data).paths_.sort_values(["source", "target"]).reset_index(drop=True)
    assert len(a) == 10
    np.testing.assert_allclose(a["estimate"].to_numpy(float), b["estimate"].to_numpy(float), atol=1e-10)


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("blocks: {SAT: [s1]}\n", ParameterError, "needs paths"),
        ("paths: [[A, B]]\n", ParameterError, "needs blocks"),
        (
            "blocks: {SAT: [s1], LOY: [l1]}\npaths: [[SAT, TRUST]]\n",
            ParameterError,
            "construct 'TRUST', which has no block",
        ),
        ("blocks: {SAT: [s1], LOY: [l1]}\npaths: [[SAT, LOY]]\nmodes: {SAT: C}\n", ParameterError, "'A' or 'B'"),
        ("blocks: {SAT: [s1], LOY: [l1]}\npaths: [[SAT, LOY]]\nweights: 1\n", ParameterError, "unknown keys"),
        ("blocks: {SAT: [s1], LOY: [s1]}\npaths: [[SAT, LOY]]\n", ModelError, "in two blocks"),
        ("blocks: {SAT: [s1], LOY: [l1]}\npaths: [[SAT, LOY], [LOY, SAT]]\n", ModelError, "cycle"),
    ],
)
def test_bad_models_are_named(text, error, match):
    with pytest.raises(error, match=match):
        model_spec(yaml.safe_load(text))


def test_missing_indicator_is_named_with_its_block():
    spec = model_spec(yaml.safe_load(OWN))
    with pytest.raises(ParameterError, match=r"block 'VAL' names indicator 'val4', which the data do not have"):
        check_indicators(spec, load_ecsi().drop(columns="val4").columns)
