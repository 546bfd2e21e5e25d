"""What a PLS-SEM write-up reports (csworkbench.pls), against seminr's own test fixtures.

Reference values: the R package seminr (sem-in-r/seminr), ``tests/fixtures/``, each produced by the
test file named beside it, on seminr's ``mobi`` data (``data/raw/drivers/ecsi_mobi.csv``):

* ``V_3_6_0/reliability.csv`` (commit a36aa3c; ``tests/testthat/test-summary.R``): alpha, rhoC,
  AVE, rhoA of the model Image (IMAG1–5), Expectation (CUEX1–3), Value (PERV1–2), Satisfaction
  (CUSA1–3), all ``composite(..., weights = mode_A)``, paths Image, Expectation, Value →
  Satisfaction, ``inner_weights = path_weighting`` (seminr's default; ``maxIt=300,
  stopCriterion=7``).  The same model ("SUMMARY" below) gives
* ``V_3_6_0/fl_table.csv`` (bc6711a; ``test_validity.R``, ``summary1$validity$fl_criteria``),
* ``vifs/flat_item_vifs1.csv`` (a7d3ca1; ``test_validity.R``) and
  ``V_3_5_X/vifs/flat_vif_antecedents1.csv`` (0358b3b): outer and inner VIF,
* ``V_3_5_X/htmt.csv`` (f337c1a; ``test-summary.R``, HTMT depends on the data only),
* ``V_3_6_0/rsquared1.csv`` (a380adb; ``test-metric.R``): R² and adjusted R²,
* ``V_3_5_X/fsquared1.csv`` (52d361e; ``test-metrics`` of fSquared: ``fSquared(model, "Image",
  "Satisfaction")``, which re-estimates the model without the path).
* ``vifs/flat_vif_antecedents2.csv`` (3780c7a; ``test_validity.R``): the same blocks with the extra
  paths Image, Expectation → Value.

seminr rounds nothing: its own tests compare with ``tolerance = 0.00001`` (relative); here the
bar is an absolute 1e-6 unless stated.
"""

from __future__ import annotations

import pandas as pd
import pytest

from csworkbench.config import RAW_DIR
from csworkbench.pls import PLSPM

SEMINR_TOL = 1e-6

#: tests/test_pls.py, seminr-mobi-basic-outer-model.csv: Mode B Quality, path scheme
MOBI_B_BLOCKS = {
    "Expectation": ["CUEX1", "CUEX2", "CUEX3"],
    "Quality": [f"PERQ{i}" for i in range(1, 8)],
    "Loyalty": ["CUSL1", "CUSL2", "CUSL3"],
    "Image": [f"IMAG{i}" for i in range(1, 6)],
    "Complaints": ["CUSCO"],
}
MOBI_B_INNER = [("Expectation", "Loyalty"), ("Quality", "Loyalty"), ("Image", "Expectation"), ("Complaints", "Loyalty")]

SUMMARY_BLOCKS = {
    "Image": [f"IMAG{i}" for i in range(1, 6)],
    "Expectation": [f"CUEX{i}" for i in range(1, 4)],
    "Value": ["PERV1", "PERV2"],
    "Satisfaction": [f"CUSA{i}" for i in range(1, 4)],
}
SUMMARY_INNER = [("Image", "Satisfaction"), ("Expectation", "Satisfaction"), ("Value", "Satisfaction")]


@pytest.fixture(scope="module")
def mobi() -> pd.DataFrame:
    return pd.read_csv(RAW_DIR / "drivers" / "ecsi_mobi.csv")


@pytest.fixture(scope="module")
def summary_model(mobi) -> PLSPM:
    return PLSPM(SUMMARY_INNER, SUMMARY_BLOCKS, scheme="path").fit(mobi)


# ----------------------------------------------------------------------------- convergence


def test_default_tolerance_reaches_seminr_stopping_point(mobi):
    """seminr stops when sum |Δ normalised weight| < 1e-7; so do we by default (tol=1e-7)."""
    from test_pls import SEMINR_OUTER, SEMINR_PATHS, _csv

    model = PLSPM(MOBI_B_INNER, MOBI_B_BLOCKS, modes={"Quality": "B"}, scheme="path").fit(mobi)
    ref = _csv(SEMINR_OUTER).set_index("indicator")
    ours = model.outer_.set_index("indicator").loc[ref.index]
    assert (ours[["weight", "loading"]] - ref[["weight", "loading"]]).abs().to_numpy().max() < SEMINR_TOL
    est = model.paths_.set_index(["source", "target"])["estimate"]
    for key, value in SEMINR_PATHS.items():
        assert est[key] == pytest.approx(value, abs=SEMINR_TOL)
    assert (PLSPM().get_params()["tol"], PLSPM().get_params()["max_iter"]) == (1e-7, 300)
