"""Plotly figures in the course book (课程讲义; ``book/conf.py``, Sphinx + myst-nb).

A lesson's ``fig.show()`` leaves only plotly's JSON (``application/vnd.plotly.v1+json``) in the
executed notebook, and myst-nb has no renderer for it: the book showed none of its charts.
:class:`PlotlyFigures` is a myst-nb mime renderer (entry point ``myst_nb.mime_renderers`` in
pyproject.toml) that writes each figure as in a report page — a ``<div>`` and its
``Plotly.newPlot`` call, drawn once the book's CJK font has loaded — for a book that asks for it
(``csw_plotly_figures = True`` in its ``conf.py``, where it also gives plotly's JSON a priority
and ships the offline ``plotly.min.js``); any other myst-nb project is left as it was.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PLOTLY_MIME", "CONFIG_FLAG", "PlotlyFigures"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: The Sphinx configuration value a book sets to have its plotly figures drawn.
CONFIG_FLAG = "csw_plotly_figures"


def _wanted(renderer: Any) -> bool:
    """True in a Sphinx build whose configuration sets :data:`CONFIG_FLAG`."""
    document = getattr(getattr(renderer, "renderer", None), "document", None)
    env = getattr(getattr(document, "settings", None), "env", None)
    return bool(getattr(getattr(env, "config", None), CONFIG_FLAG, False))


class PlotlyFigures:
    """myst-nb mime renderer: a plotly figure → raw HTML (``<div>`` + ``Plotly.newPlot``).

    Examples
    --------
    >>> PlotlyFigures.handle_mime(object(), object(), False) is None  # not a book that asked for it
    True
    """

    #: None here: the book's own ``nb_mime_priority_overrides`` makes plotly's JSON the output
    #: chosen, so other projects' choices do not change with csworkbench installed
    mime_priority_overrides: list[tuple[str, str, int | None]] = []

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[Any] | None:
        """Nodes for ``data`` when it is a plotly figure in a book that asked for them, else None."""
        if inline or getattr(data, "mime_type", None) != PLOTLY_MIME or not _wanted(renderer):
            return None
        from docutils import nodes

        from .html import _plot_html

        content = data.content if isinstance(data.content, dict) else {}
        div_id = f"csw-fig-{data.cell_index}-{data.output_index}"
        html = _plot_html(dict(content), {"displaylogo": False}, div_id, None)
        return [nodes.raw("", html, format="html")]
