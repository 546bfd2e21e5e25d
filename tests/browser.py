"""Shared by the browser tests: where headless Chromium is, or skip the calling test module.

Needs the Debian package ``chromium`` (``apt-get install -y chromium``; ``make test`` installs
it when run as root).  The calling module is skipped, with that reason, only when the binary
is absent — unless ``CSW_REQUIRE_CHROMIUM=1`` is set (CI after installing it), which turns the
skip into an error.  ``CSW_CHROMIUM`` points to another binary.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def chromium_or_skip() -> Path:
    """The Chromium binary; call at module level (it skips the whole module when absent)."""
    chromium = Path(os.environ.get("CSW_CHROMIUM", "/usr/bin/chromium"))
    if not chromium.exists() and os.environ.get("CSW_REQUIRE_CHROMIUM"):
        raise RuntimeError(f"CSW_REQUIRE_CHROMIUM is set but {chromium} is missing: apt-get install -y chromium")
    if not chromium.exists():
        pytest.skip(
            f"{chromium} not found: install the Debian package with 'apt-get update && apt-get install -y chromium'",
            allow_module_level=True,
        )
    return chromium


def chromium_command(chromium: Path, profile: Path, page: Path, *action: str, budget_ms: int = 15000) -> list[str]:
    """Headless Chromium on ``page`` (a file) with its own ``profile`` folder, local files
    allowed, scripts given ``budget_ms`` of virtual time, then ``action`` (``--dump-dom``,
    ``--print-to-pdf=…``)."""
    return [
        str(chromium),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--allow-file-access-from-files",
        f"--user-data-dir={profile}",
        f"--virtual-time-budget={budget_ms}",
        *action,
        page.as_uri(),
    ]
