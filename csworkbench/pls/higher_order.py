"""Higher-order constructs in a PLS path model (高阶构念): repeated indicators and the two-stage
approach, :func:`higher_order_model` and :func:`higher_order_spec`.

Course concept: an overall judgement built from dimensions (COURSE.md §2) — overall service
quality (服务质量) as a second-order construct of the SERVQUAL dimensions, or satisfaction of
image and value.  A higher-order construct (HOC) has no items of its own; it is measured through
its lower-order constructs (LOCs, the "dimensions"):

* ``method="repeated_indicators"`` (Lohmöller 1989; Wold): the HOC's block is every indicator of
  its dimensions again (copied columns ``<item>@<HOC>``); Mode A HOCs are reflective–reflective
  (paths HOC → each dimension), Mode B HOCs reflective–formative (each dimension → HOC; the
  dimensions then explain the HOC completely, R² ≈ 1, and antecedent paths into the HOC vanish —
  use the two-stage approach there, Becker, Klein & Wetzels 2012).
* ``method="two_stage"`` (embedded two-stage, as seminr's ``two_stage_HOC`` /
  ``higher_composite``): stage 1 replaces the HOC by its dimensions (each antecedent of the HOC
  → every dimension, every dimension → each outcome of the HOC) and gives their scores; stage 2
  measures the HOC by those scores (one indicator per dimension) in the original inner model.

Checked against seminr's two-stage fixture on ``mobi`` (``tests/test_pls_analyses.py``).

Reference: Becker, J.-M., Klein, K., Wetzels, M. (2012) Hierarchical latent variable models in
PLS-SEM. *Long Range Planning* 45, 359–394; Sarstedt, M. et al. (2019) How to specify, estimate,
and validate higher-order constructs in PLS-SEM. *Australasian Marketing Journal* 27, 197–211.

Examples
--------
>>> from csworkbench.datasets import load_mobi
>>> from csworkbench.pls import higher_order_model
>>> spec = {
...     "inner": [("EXPE", "SATX"), ("SATX", "LOY")],
...     "blocks": {"EXPE": ["CUEX1", "CUEX2", "CUEX3"], "IMAG": [f"IMAG{i}" for i in range(1, 6)],
...                "VAL": ["PERV1", "PERV2"], "LOY": ["CUSL1", "CUSL2", "CUSL3"]},
... }
>>> hoc = higher_order_model(spec, load_mobi(), hoc={"SATX": ["IMAG", "VAL"]}, scheme="path")
>>> list(hoc.hoc_outer["indicator"])
['IMAG', 'VAL']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import ModelError, ParameterError
from ..estimators import Estimator

__all__ = ["HigherOrderResult", "higher_order_model", "higher_order_spec"]

METHODS = ("two_stage", "repeated_indicators")


@dataclass(frozen=True, eq=False)
class HigherOrderResult:
    """Result of :func:`higher_order_model`.

    Attributes
    ----------
    model : PLSPM
        The final model (stage 2, or the repeated-indicators model).
    first_stage : PLSPM or None
        The stage-1 model of the two-stage approach.
    spec : dict
        The final specification (``inner, blocks, modes``).
    paths : DataFrame
        ``model.paths_`` (``source, target, estimate, se, t, p_value``).
    hoc_outer : DataFrame
        The outer model rows of the higher-order constructs (weights and loadings of their
        indicators: dimension scores, or repeated items).
    method : str
    hoc : mapping
        HOC → its dimensions.
    """

    model: Estimator
    first_stage: Estimator | None
    spec: dict
    paths: pd.DataFrame
    hoc_outer: pd.DataFrame
    method: str
    hoc: Mapping[str, list[str]]

    def summary(self) -> pd.DataFrame:
        """The final model's path table (``model.summary()``)."""
        return self.model.summary()

    def conf_int(self, confidence: float = 0.95) -> pd.DataFrame:
        """OLS intervals of the final paths (``model.conf_int``); percentile bootstrap intervals:
        ``result.model.bootstrap()`` (stage-1 scores held fixed)."""
        return self.model.conf_int(confidence)


def _check(spec: Mapping[str, Any], hoc: Mapping[str, Sequence[str]]) -> tuple[list, dict, dict, dict]:
    if not isinstance(spec, Mapping) or "inner" not in spec or "blocks" not in spec:
        raise ParameterError("spec must be a dict with 'inner' and 'blocks' (and optionally 'modes')")
    if not isinstance(hoc, Mapping) or not hoc:
        raise ParameterError(
            "hoc must map each higher-order construct to its dimensions, e.g. {'SAT': ['IMAG', 'VAL']}"
        )
    blocks = {str(k): list(v) for k, v in spec["blocks"].items()}
    modes = dict(spec.get("modes") or {})
    dims = {str(h): [str(d) for d in ds] for h, ds in hoc.items()}
    for h, ds in dims.items():
        if h in blocks:
            raise ParameterError(f"the higher-order construct {h!r} must not have a block of its own")
        if len(ds) < 2:
            raise ParameterError(f"the higher-order construct {h!r} needs at least two dimensions")
        missing = [d for d in ds if d not in blocks]
        if missing:
            raise ParameterError(f"dimensions {missing} of {h!r} have no block in spec['blocks']")
    inner = [(str(s), str(t)) for s, t in spec["inner"]]
    return inner, blocks, modes, dims


def higher_order_spec(
    spec: Mapping[str, Any], hoc: Mapping[str, Sequence[str]], *, hoc_mode: str = "A"
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The repeated-indicators specification and the columns to copy.

    Returns ``(spec, copies)``: ``spec`` ready for ``PLSPM(**spec)`` and ``copies`` mapping each
    new column ``<item>@<HOC>`` to ``[original column]``; add them with
    ``data.assign(**{new: data[old[0]] for new, old in copies.items()})``.

    >>> spec = {"inner": [("H", "Y")], "blocks": {"A": ["a1", "a2"], "B": ["b1"], "Y": ["y1"]}}
    >>> s, copies = higher_order_spec(spec, {"H": ["A", "B"]})
    >>> s["blocks"]["H"], s["inner"][-1]
    (['a1@H', 'a2@H', 'b1@H'], ('H', 'B'))
    """
    inner, blocks, modes, dims = _check(spec, hoc)
    copies: dict[str, list[str]] = {}
    for h, ds in dims.items():
        cols = [c for d in ds for c in blocks[d]]
        blocks[h] = [f"{c}@{h}" for c in cols]
        copies.update({f"{c}@{h}": [c] for c in cols})
        modes[h] = hoc_mode
        inner += [(h, d) if hoc_mode == "A" else (d, h) for d in ds]
    return {"inner": inner, "blocks": blocks, "modes": modes}, copies


def _first_stage_inner(inner: list, dims: dict[str, list[str]]) -> list:
    out: list = []
    for s, t in inner:
        sources = dims.get(s, [s])
        targets = dims.get(t, [t])
        out += [(a, b) for a in sources for b in targets if (a, b) not in out]
    return out


def higher_order_model(
    spec: Mapping[str, Any],
    data: pd.DataFrame,
    *,
    hoc: Mapping[str, Sequence[str]],
    method: str = "two_stage",
    hoc_mode: str = "A",
    **pls_options: Any,
) -> HigherOrderResult:
    """Estimate a model with higher-order constructs.

    Parameters
    ----------
    spec : dict
        ``inner`` (paths among first-order constructs and HOCs), ``blocks`` (first-order
        constructs only, the dimensions included), ``modes`` (optional).
    data : DataFrame
        The indicators.
    hoc : mapping
        HOC name → its dimensions (constructs of ``spec["blocks"]``).
    method : {"two_stage", "repeated_indicators"}
    hoc_mode : {"A", "B"}
        Mode of the HOCs' outer model.
    **pls_options
        ``scheme``, ``scaled``, ``tol``, ``max_iter`` of :class:`~csworkbench.pls.PLSPM`.

    Returns
    -------
    HigherOrderResult
    """
    from .model import PLSPM

    if method not in METHODS:
        raise ParameterError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if str(hoc_mode).upper() not in ("A", "B"):
        raise ParameterError(f"hoc_mode must be 'A' or 'B'; got {hoc_mode!r}")
    hoc_mode = str(hoc_mode).upper()
    unknown = set(pls_options) - {"scheme", "scaled", "tol", "max_iter"}
    if unknown:
        raise ParameterError(f"unknown PLSPM options {sorted(unknown)}")
    inner, blocks, modes, dims = _check(spec, hoc)
    first = None
    if method == "repeated_indicators":
        final, copies = higher_order_spec(spec, hoc, hoc_mode=hoc_mode)
        used = data.assign(**{new: data[old[0]] for new, old in copies.items()})
    else:
        dim_names = [d for ds in dims.values() for d in ds]
        inner1 = _first_stage_inner(inner, dims)
        if any(d not in {c for edge in inner1 for c in edge} for d in dim_names):
            raise ModelError("in stage 1 every dimension needs a path: give the HOC an antecedent or an outcome")
        first = PLSPM(inner1, blocks, modes=modes or None, **pls_options).fit(data)
        used = data.loc[first.scores_.index].assign(**{d: first.scores_[d] for d in dim_names})
        clash = [d for d in dim_names if d in data.columns]
        if clash:
            raise ParameterError(f"data columns {clash} have the names of dimensions; rename them")
        keep = {k: v for k, v in blocks.items() if k not in dim_names or any(k in e for e in inner)}
        final_blocks = keep | {h: list(ds) for h, ds in dims.items()}
        final_modes = {k: v for k, v in modes.items() if k in final_blocks} | {h: hoc_mode for h in dims}
        final = {"inner": inner, "blocks": final_blocks, "modes": final_modes}
    model = PLSPM(final["inner"], final["blocks"], modes=final["modes"] or None, **pls_options).fit(used)
    outer = model.outer_[model.outer_["construct"].isin(list(dims))].reset_index(drop=True)
    return HigherOrderResult(
        model=model,
        first_stage=first,
        spec=final,
        paths=model.paths_.copy(),
        hoc_outer=outer,
        method=method,
        hoc=dims,
    )
