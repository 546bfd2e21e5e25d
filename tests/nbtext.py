"""Helpers shared by the notebook tests (imported as a plain module: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import json


def outputs_text(nb) -> str:
    """Every output of an executed notebook as one searchable text (rich data as JSON, streams as text)."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(json.dumps(out.get("data", {}), ensure_ascii=False))
            parts.append(out.get("text", ""))
    return "\n".join(parts)
