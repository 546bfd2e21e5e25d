"""Model specifications of PLS path models (模型设定): the standard ECSI/ACSI models and the checks
that turn a specification into the arrays the algorithm uses.

Course concept: the satisfaction index models (顾客满意度指数模型, COURSE.md §2) — the European
(ECSI) and American (ACSI, Fornell et al. 1996) customer satisfaction index chains from image
(企业形象) and expectations (期望) through perceived quality (感知质量) and value (感知价值) to
satisfaction (顾客满意), complaints (顾客抱怨) and loyalty (顾客忠诚).

A specification is a dict ``inner`` (list of (source, target)), ``blocks`` (construct → indicator
columns) and ``modes`` (construct → "A"/"B"), ready for ``PLSPM(**spec)``.

Reference: Fornell, C. et al. (1996) The American Customer Satisfaction Index. *Journal of
Marketing* 60(4), 7–18; Tenenhaus, M. et al. (2005) PLS path modeling. *CSDA* 48, 159–205.

Examples
--------
>>> from csworkbench.pls import ecsi_model, standard_model
>>> spec = ecsi_model()
>>> spec["inner"][0], len(spec["blocks"])
(('IMAG', 'EXPE'), 6)
>>> standard_model("acsi")["blocks"]["COMP"]
['CUSCO']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ModelError, ParameterError

__all__ = [
    "ecsi_model",
    "acsi_model",
    "standard_model",
    "model_spec",
    "check_indicators",
    "construct_label",
    "CONSTRUCT_LABEL_KEYS",
]

MODES = ("A", "B")

#: label keys (core.yml) of the usual index-model constructs, used by the figures
CONSTRUCT_LABEL_KEYS = {
    "IMAG": "construct.image",
    "EXPE": "construct.expectation",
    "QUAL": "construct.quality",
    "VAL": "construct.value",
    "SAT": "construct.satisfaction",
    "LOY": "construct.loyalty",
    "COMP": "construct.complaints",
}


def construct_label(name: str, lang: str = "zh") -> str:
    """Display label of a construct: the i18n label for the ECSI/ACSI names, else the name itself.

    >>> construct_label("SAT", "en")
    'Customer satisfaction'
    >>> construct_label("Trust", "en")
    'Trust'
    """
    from ..i18n import t

    key = CONSTRUCT_LABEL_KEYS.get(name)
    return t(key, lang) if key else str(name)


def ecsi_model() -> dict[str, Any]:
    """The standard ECSI model (European Customer Satisfaction Index) for ``load_ecsi()`` data.

    Paths IMAG→EXPE, IMAG→SAT, IMAG→LOY, EXPE→QUAL, EXPE→VAL, EXPE→SAT, QUAL→VAL, QUAL→SAT,
    VAL→SAT, SAT→LOY; blocks ``imag1–5, expe1–5, qual1–5, val1–4, sat1–4, loy1–4``; all Mode A.

    Returns
    -------
    dict
        ``inner`` (list of (source, target)), ``blocks`` (construct → columns), ``modes``
        (construct → "A"/"B"), ready for ``PLSPM(**ecsi_model(), scheme=..., scaled=...)``.

    Examples
    --------
    >>> spec = ecsi_model()
    >>> spec["inner"][0], spec["blocks"]["VAL"]
    (('IMAG', 'EXPE'), ['val1', 'val2', 'val3', 'val4'])
    """
    blocks = {
        "IMAG": [f"imag{i}" for i in range(1, 6)],
        "EXPE": [f"expe{i}" for i in range(1, 6)],
        "QUAL": [f"qual{i}" for i in range(1, 6)],
        "VAL": [f"val{i}" for i in range(1, 5)],
        "SAT": [f"sat{i}" for i in range(1, 5)],
        "LOY": [f"loy{i}" for i in range(1, 5)],
    }
    inner = [
        ("IMAG", "EXPE"),
        ("IMAG", "SAT"),
        ("IMAG", "LOY"),
        ("EXPE", "QUAL"),
        ("EXPE", "VAL"),
        ("EXPE", "SAT"),
        ("QUAL", "VAL"),
        ("QUAL", "SAT"),
        ("VAL", "SAT"),
        ("SAT", "LOY"),
    ]
    return {"inner": inner, "blocks": blocks, "modes": {k: "A" for k in blocks}}


def acsi_model() -> dict[str, Any]:
    """The ACSI model (American Customer Satisfaction Index, Fornell et al. 1996) for ``load_mobi()``.

    Expectations (EXPE: CUEX1–3) → perceived quality (QUAL: PERQ1–7), value (VAL: PERV1–2) and
    satisfaction (SAT: CUSA1–3); quality → value, satisfaction; value → satisfaction;
    satisfaction → complaints (COMP: CUSCO) and loyalty (LOY: CUSL1–3); complaints → loyalty.
    All Mode A.

    >>> sorted(acsi_model()["blocks"])
    ['COMP', 'EXPE', 'LOY', 'QUAL', 'SAT', 'VAL']
    """
    blocks = {
        "EXPE": ["CUEX1", "CUEX2", "CUEX3"],
        "QUAL": [f"PERQ{i}" for i in range(1, 8)],
        "VAL": ["PERV1", "PERV2"],
        "SAT": ["CUSA1", "CUSA2", "CUSA3"],
        "COMP": ["CUSCO"],
        "LOY": ["CUSL1", "CUSL2", "CUSL3"],
    }
    inner = [
        ("EXPE", "QUAL"),
        ("EXPE", "VAL"),
        ("EXPE", "SAT"),
        ("QUAL", "VAL"),
        ("QUAL", "SAT"),
        ("VAL", "SAT"),
        ("SAT", "COMP"),
        ("SAT", "LOY"),
        ("COMP", "LOY"),
    ]
    return {"inner": inner, "blocks": blocks, "modes": {k: "A" for k in blocks}}


def standard_model(name: str) -> dict[str, Any]:
    """``ecsi_model()`` or ``acsi_model()`` by name (``"ecsi"`` / ``"acsi"``, any case).

    >>> standard_model("ACSI")["blocks"]["COMP"]
    ['CUSCO']
    """
    models = {"ecsi": ecsi_model, "acsi": acsi_model}
    key = str(name).lower()
    if key not in models:
        raise ParameterError(f"unknown standard model {name!r}; choose one of {sorted(models)}")
    return models[key]()


def model_spec(model: str | Mapping[str, Any]) -> dict[str, Any]:
    """A PLS model specification from a report parameter: a standard model's name or the user's own model.

    Parameters
    ----------
    model : str or mapping
        ``"ecsi"`` / ``"acsi"``, or a mapping (e.g. read from the run YAML) with ``blocks``
        (construct → indicator columns), ``paths`` (or ``inner``: a list of ``[source,
        target]`` pairs, or source → targets) and optional ``modes`` (construct → ``A``/``B``,
        default ``A``).

    Returns
    -------
    dict
        ``inner`` (list of (source, target)), ``blocks``, ``modes`` — ready for ``PLSPM(**spec)``.

    Raises
    ------
    ParameterError
        An unknown name, a mapping without ``blocks`` or ``paths``, an unknown key, a path
        naming a construct without a block (the construct is named), a mode other than A/B.
    ModelError
        A model that cannot be a PLS path model (shared indicator, cycle, isolated construct).

    Examples
    --------
    >>> spec = model_spec({"blocks": {"服务": ["s1", "s2"], "满意": ["m1", "m2"]}, "paths": [["服务", "满意"]]})
    >>> spec["inner"], spec["modes"]
    ([('服务', '满意')], {'服务': 'A', '满意': 'A'})
    """
    if isinstance(model, str):
        return standard_model(model)
    if not isinstance(model, Mapping):
        raise ParameterError(
            f"model must be 'ecsi', 'acsi' or a mapping with blocks and paths; got {type(model).__name__}"
        )
    unknown = sorted(set(map(str, model)) - {"blocks", "paths", "inner", "modes", "labels"})
    if unknown:
        raise ParameterError(f"model: unknown keys {unknown}; a model has blocks, paths and modes")
    blocks, paths = model.get("blocks"), model.get("paths", model.get("inner"))
    if not isinstance(blocks, Mapping) or not blocks:
        raise ParameterError("model needs blocks: each construct with its indicator columns, e.g. {SAT: [sat1, sat2]}")
    if not paths:
        raise ParameterError("model needs paths: a list of [source, target] pairs, e.g. [[QUAL, SAT]]")
    clean_blocks = {str(k): [str(c) for c in ([v] if isinstance(v, str) else (v or []))] for k, v in blocks.items()}
    if isinstance(paths, Mapping):
        pairs = [(str(a), str(b)) for a, bs in paths.items() for b in ([bs] if isinstance(bs, str) else bs)]
    else:
        pairs = []
        for pair in paths:
            if isinstance(pair, str) or len(pair) != 2:
                raise ParameterError(f"model: a path must be a [source, target] pair; got {pair!r}")
            pairs.append((str(pair[0]), str(pair[1])))
    for a, b in pairs:
        for c in (a, b):
            if c not in clean_blocks:
                raise ParameterError(
                    f"model: path {a} → {b} names construct {c!r}, which has no block; blocks are {list(clean_blocks)}"
                )
    modes = {str(k): str(v).upper() for k, v in (model.get("modes") or {}).items()}
    spec = {"inner": pairs, "blocks": clean_blocks, "modes": {k: modes.get(k, "A") for k in clean_blocks}}
    for k in modes:
        if k not in clean_blocks:
            raise ParameterError(
                f"model: modes names construct {k!r}, which has no block; blocks are {list(clean_blocks)}"
            )
    structure(spec["inner"], spec["blocks"], spec["modes"])  # the rest of the checks
    return spec


def check_indicators(spec: Mapping[str, Any], columns: Sequence[Any]) -> None:
    """Raise :class:`ParameterError` naming each block whose indicators the data lack.

    >>> check_indicators({"blocks": {"SAT": ["sat1", "sat9"]}}, ["sat1", "sat2"])
    Traceback (most recent call last):
    ...
    csworkbench.errors.ParameterError: model: block 'SAT' names indicator 'sat9', which the data do not have; the data have: sat1, sat2
    """
    have = set(map(str, columns))
    for block, cols in spec["blocks"].items():
        missing = [c for c in cols if c not in have]
        if missing:
            shown = ", ".join(map(str, list(columns)[:30]))
            which = f"indicator {missing[0]!r}" if len(missing) == 1 else f"indicators {missing}"
            raise ParameterError(
                f"model: block {block!r} names {which}, which the data do not have; the data have: {shown}"
            )


# --------------------------------------------------------------------------------------
# from a specification to arrays
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Structure:
    """A checked model specification as arrays (internal to the package).

    names : construct names in block order; blocks : indicator columns per construct;
    modes : "A"/"B" per construct; adj : (L, L) 0/1, ``adj[i, j] = 1`` for a path i → j;
    indicators : every indicator column in block order; mask : (p, L) bool, indicator × construct.
    """

    names: list[str]
    blocks: list[list[str]]
    modes: list[str]
    adj: np.ndarray
    indicators: list[str]
    mask: np.ndarray


def structure(inner: Any, blocks: Any, modes: Any) -> Structure:
    """Check a specification and return its :class:`Structure`.

    Bad argument types and values raise :class:`~csworkbench.errors.ParameterError`; a model that
    cannot be a PLS path model (empty block, shared indicator, construct without a block or a
    path, cycle) raises :class:`~csworkbench.errors.ModelError`.
    """
    names, block_cols = _blocks(blocks)
    mode_list = _modes(modes, names)
    adj = _adjacency(inner, names)
    indicators = [c for cols in block_cols for c in cols]
    mask = np.zeros((len(indicators), len(names)), dtype=bool)
    r = 0
    for j, cols in enumerate(block_cols):
        mask[r : r + len(cols), j] = True
        r += len(cols)
    return Structure(names, block_cols, mode_list, adj, indicators, mask)


def _blocks(blocks: Any) -> tuple[list[str], list[list[str]]]:
    if not isinstance(blocks, Mapping) or not blocks:
        raise ParameterError("blocks must map each construct to its indicator columns, e.g. {'SAT': ['sat1', 'sat2']}")
    seen: dict[str, str] = {}
    out: list[list[str]] = []
    for name, cols in blocks.items():
        cols = [str(c) for c in ([cols] if isinstance(cols, str) else cols)]
        if not cols:
            raise ModelError(f"construct {name!r} has no indicators (empty block)")
        for c in cols:
            if c in seen:
                raise ModelError(
                    f"indicator {c!r} is in two blocks ({seen[c]!r} and {name!r}); each column may measure one construct"
                )
            seen[c] = str(name)
        out.append(cols)
    return [str(k) for k in blocks], out


def _modes(modes: Mapping[str, str] | Sequence[str] | None, names: list[str]) -> list[str]:
    if modes is None:
        out = ["A"] * len(names)
    elif isinstance(modes, Mapping):
        unknown = set(map(str, modes)) - set(names)
        if unknown:
            raise ParameterError(f"modes given for unknown constructs {sorted(unknown)}; constructs are {names}")
        out = [str(modes.get(n, "A")).upper() for n in names]
    else:
        out = [str(m).upper() for m in modes]
        if len(out) != len(names):
            raise ParameterError(f"modes must have one entry per construct ({len(names)}); got {len(out)}")
    for n, m in zip(names, out):
        if m not in MODES:
            raise ParameterError(f"mode of {n!r} must be 'A' or 'B'; got {m!r}")
    return out


def _adjacency(inner: Any, names: list[str]) -> np.ndarray:
    if isinstance(inner, Mapping):
        edges = [(str(s), str(t)) for s, ts in inner.items() for t in ([ts] if isinstance(ts, str) else ts)]
    else:
        try:
            edges = [(str(s), str(t)) for s, t in inner]
        except (TypeError, ValueError):
            raise ParameterError(
                "inner must be a list of (source, target) pairs or a mapping source → targets"
            ) from None
    if not edges:
        raise ModelError("the inner model has no paths")
    idx = {n: i for i, n in enumerate(names)}
    adj = np.zeros((len(names), len(names)), dtype=int)
    for s, t in edges:
        for c in (s, t):
            if c not in idx:
                raise ModelError(f"construct {c!r} of path {s}→{t} has no block of indicators (empty block)")
        if s == t:
            raise ModelError(f"path {s}→{t} is a cycle (a construct cannot cause itself)")
        adj[idx[s], idx[t]] = 1
    isolated = [n for i, n in enumerate(names) if adj[i].sum() + adj[:, i].sum() == 0]
    if isolated:
        raise ModelError(f"constructs {isolated} have no path in the inner model")
    cycle = _find_cycle(adj, names)
    if cycle:
        raise ModelError(f"the inner model has a cycle: {' → '.join(cycle)}; PLS path models must be recursive")
    return adj


def _find_cycle(adj: np.ndarray, names: list[str]) -> list[str] | None:
    """A directed cycle as a list of names (first repeated at the end), or None."""
    state = [0] * len(names)
    stack: list[int] = []

    def visit(i: int) -> list[str] | None:
        state[i] = 1
        stack.append(i)
        for j in np.flatnonzero(adj[i]).tolist():
            if state[j] == 1:
                return [names[k] for k in stack[stack.index(j) :] + [j]]
            if state[j] == 0:
                found = visit(j)
                if found:
                    return found
        state[i] = 2
        stack.pop()
        return None

    for i in range(len(names)):
        if state[i] == 0:
            found = visit(i)
            if found:
                return found
    return None
