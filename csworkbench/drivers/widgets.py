"""Interactive key-driver panel for JupyterLab (驱动因素交互探索): :func:`driver_explorer`.

Course concept: exploring the satisfaction research model (顾客满意度研究模型, COURSE.md §2) in
class — switch the target (satisfaction, loyalty …) and the method (relative weights, Shapley
value, standardised coefficients) from drop-downs and watch the ranking of the drivers change.

Reference: Johnson (2000) relative weights; Budescu (1993) dominance analysis.

Examples
--------
>>> from csworkbench.datasets import load_attitude
>>> from csworkbench.drivers import driver_explorer
>>> att = load_attitude()
>>> panel = driver_explorer(att, ["rating"], list(att.columns), lang="en", n_boot=0)
>>> [w.description for w in panel.children[0].children]
['To', 'Method']
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..i18n import check_language, t
from .figures import importance_figure
from .regression import key_drivers
from .shapley import dominance
from .weights import relative_weights

__all__ = ["driver_explorer"]


def driver_explorer(
    data: pd.DataFrame,
    targets: Sequence[str],
    predictors: Sequence[str],
    *,
    lang: str = "zh",
    n_boot: int = 1000,
    random_state: int | np.random.Generator | None = 0,
) -> widgets.VBox:
    """An ipywidgets panel for JupyterLab: pick the target and the method, see the driver chart.

    Methods: relative weights, Shapley value (general dominance) and standardised regression
    coefficients; the predictors are ``predictors`` minus the chosen target.  Returns the
    widget (display it as the last expression of a cell); the first chart is drawn at once,
    the others when the choices change.  ``n_boot`` and ``random_state`` go to the bootstrap
    intervals of relative weights and dominance.

    >>> from csworkbench.datasets import load_attitude
    >>> att = load_attitude()
    >>> panel = driver_explorer(att, ["rating"], list(att.columns), lang="en", n_boot=0)
    >>> panel.children[0].children[1].value = "dominance"   # the chart follows the choice
    >>> len(panel.children[1].outputs)
    1
    """
    check_language(lang)
    if not list(targets):
        raise ParameterError("give at least one target")
    target_w = widgets.Dropdown(options=list(targets), description=t("drivers.col.target", lang))
    method_w = widgets.Dropdown(
        options=[
            (t("drivers.relative_weight_pct", lang), "relative_weights"),
            (t("drivers.general_dominance", lang), "dominance"),
            (t("drivers.beta", lang), "key_drivers"),
        ],
        description=t("drivers.method", lang),
    )
    out = widgets.Output()

    def render(*_):
        target = target_w.value
        xs = [c for c in predictors if c != target]
        if method_w.value == "relative_weights":
            result = relative_weights(data, target, xs, n_boot=n_boot, random_state=random_state)
        elif method_w.value == "dominance":
            result = dominance(data, target, xs, n_boot=n_boot, random_state=random_state)
        else:
            result = key_drivers(data, target, xs)
        out.outputs = ()
        out.append_display_data(importance_figure(result, lang=lang))

    target_w.observe(render, names="value")
    method_w.observe(render, names="value")
    render()
    return widgets.VBox([widgets.HBox([target_w, method_w]), out])
