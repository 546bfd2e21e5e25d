"""Lazy package namespaces (PEP 562): a name is imported from its submodule on first use.

Every package of csworkbench declares ``_EXPORTS`` (public name → the submodule that defines
it) and takes its ``__getattr__`` and ``__dir__`` from :func:`lazy_namespace`, so that
``import csworkbench.<package>`` stays light (no scikit-learn, no plotly) and a notebook pays
only for what it uses.  A leaf: it imports nothing of the package.

Examples
--------
>>> import csworkbench.gaps as gaps
>>> "servqual" in dir(gaps), gaps.servqual.__module__
(True, 'csworkbench.gaps.service_quality')
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_namespace"]


def lazy_namespace(
    package: str, exports: Mapping[str, str], submodules: Iterable[str] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``, whose public names live in the submodules
    ``exports`` names (relative, e.g. ``"service_quality"``); a loaded name is cached on the
    package.  ``submodules`` may be reached as attributes too (``csworkbench.gaps``)."""
    subs = frozenset(submodules)

    def __getattr__(name: str) -> Any:
        if name in exports:
            value = getattr(importlib.import_module(f".{exports[name]}", package), name)
            setattr(sys.modules[package], name, value)
            return value
        if name in subs:
            return importlib.import_module(f".{name}", package)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports) | subs)

    return __getattr__, __dir__
