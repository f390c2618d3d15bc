"""Where the project's files live: the repo root and the runtime `var/` folder."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def var_dir() -> Path:
    """The folder for runtime state (databases, media, local secrets); `TRADEWIND_VAR_DIR` overrides."""
    return Path(os.environ.get("TRADEWIND_VAR_DIR") or REPO_ROOT / "var")
