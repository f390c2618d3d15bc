"""One running stack for the end-to-end tests (starting Rasa takes a while)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import Stack, start_stack
from tests.translation_server import StandInTranslator


@pytest.fixture(scope="session")
def translator() -> Iterator[StandInTranslator]:
    """The translation provider's stand-in: answers "[<target>] <text>" over real HTTP."""
    with StandInTranslator() as server:
        yield server


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, translator: StandInTranslator) -> Iterator[Stack]:
    """Emulator (demo world), marketplace API (SQLite, seeded, translating through the stand-in),
    action server, Rasa with the trained model, bot."""
    running = start_stack(Path(tmp_path_factory.mktemp("stack")), translator_url=translator.url,
                          train=os.environ.get("TRADEWIND_E2E_TRAIN", "1") == "1")
    yield running
    running.stop()
