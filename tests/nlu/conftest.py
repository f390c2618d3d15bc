"""Shared fixtures for the NLU tests (run with .venv-rasa/bin/python -m pytest tests/nlu).

`model_path` uses $TRADEWIND_RASA_MODEL (a path, or "train" to force a fresh one), else the
newest full model in models/ (from ``rasa train --data data/nlu data/rules.yml
data/stories.yml``), else trains one (a few minutes) into a temporary directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


TRAIN_DATA = [REPO / "data" / "nlu", REPO / "data" / "rules.yml", REPO / "data" / "stories.yml"]


def _full_models(directory: Path) -> list[Path]:
    # full models have a core part; evaluate_nlu.py writes NLU-only "nlu-*" models
    return sorted((p for p in directory.glob("*.tar.gz") if not p.name.startswith("nlu-")),
                  key=lambda p: p.stat().st_mtime)


@pytest.fixture(scope="session")
def model_path(tmp_path_factory) -> str:
    requested = os.environ.get("TRADEWIND_RASA_MODEL")
    if requested and requested != "train":
        return requested
    existing = _full_models(REPO / "models") if not requested else []
    if existing:
        return str(existing[-1])
    from rasa.model_training import train

    out = tmp_path_factory.mktemp("models")
    config = yaml.safe_load((REPO / "config.yml").read_text())
    for component in config["pipeline"]:
        if component["name"] == "DIETClassifier":
            component["epochs"] = 25  # quicker session model; same pipeline otherwise
    config_path = out / "config.yml"
    config_path.write_text(yaml.safe_dump(config))
    result = train(str(REPO / "domain.yml"), str(config_path), [str(p) for p in TRAIN_DATA], str(out))
    assert result.code == 0, "training the session model failed"
    return result.model


@pytest.fixture(scope="session")
def agent(model_path):
    from rasa.core.agent import Agent

    return Agent.load(model_path)
