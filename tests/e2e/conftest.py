"""One running stack for the end-to-end tests (starting Rasa takes a while)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import Stack, start_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Emulator, marketplace API (SQLite, seeded), action server, Rasa with the trained model, bot."""
    running = start_stack(Path(tmp_path_factory.mktemp("stack")), train=os.environ.get("TRADEWIND_E2E_TRAIN", "1") == "1")
    yield running
    running.stop()
