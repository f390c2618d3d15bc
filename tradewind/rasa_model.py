"""The Rasa model: train it (in .venv-rasa) when its inputs changed, and the command that serves it."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from tradewind.paths import REPO_ROOT

RASA_VENV = REPO_ROOT / ".venv-rasa"
MODELS = REPO_ROOT / "models"
MODEL_NAME = "tradewind"
TRAINING_DATA = ("data/nlu", "data/rules.yml", "data/stories.yml")
INPUTS = ("config.yml", "domain.yml", *TRAINING_DATA, "nlu")


def rasa_bin() -> Path:
    """The rasa executable of the Rasa virtualenv."""
    return RASA_VENV / "bin" / "rasa"


def rasa_env() -> dict[str, str]:
    """Environment for Rasa: the repo on PYTHONPATH (custom components in nlu/), no telemetry."""
    path = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {"ACTION_SERVER_URL": "http://127.0.0.1:5055/webhook", **os.environ, "PYTHONPATH": path,
            "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def inputs_hash(root: Path = REPO_ROOT) -> str:
    """A hash over everything the model is trained from (config, domain, data, components)."""
    digest = hashlib.sha256()
    for name in INPUTS:
        base = root / name
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for path in files:
            if path.is_file() and path.suffix in (".yml", ".yaml", ".py", ".json", ".txt"):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def model_path() -> Path:
    """Where the trained model is kept."""
    return MODELS / f"{MODEL_NAME}.tar.gz"


def is_current() -> bool:
    """Whether models/ holds a model trained from the current inputs."""
    stamp = MODELS / f"{MODEL_NAME}.inputs"
    return model_path().exists() and stamp.exists() and stamp.read_text().strip() == inputs_hash()


def ensure_trained(*, force: bool = False, say: Callable[[str], None] = print) -> Path:
    """Train when the model is missing or out of date; Rasa prints its own progress."""
    if not force and is_current():
        say(f"Rasa model is up to date ({model_path().relative_to(REPO_ROOT)})")
        return model_path()
    if not rasa_bin().exists():
        raise SystemExit("Rasa is not installed: run `scripts/setup.sh rasa` (make does it for you)")
    say("training the Rasa model (a few minutes on two cores; progress below)")
    wanted = inputs_hash()
    command = [str(rasa_bin()), "train", "--config", "config.yml", "--domain", "domain.yml",
               "--data", *TRAINING_DATA, "--out", str(MODELS), "--fixed-model-name", MODEL_NAME]
    subprocess.run(command, cwd=REPO_ROOT, env=rasa_env(), check=True)
    (MODELS / f"{MODEL_NAME}.inputs").write_text(wanted)
    say(f"trained {model_path().relative_to(REPO_ROOT)}")
    return model_path()


def serve_command(*, port: int = 5005, host: str = "127.0.0.1", endpoints: Path | str = "endpoints.yml") -> list[str]:
    """`rasa run --enable-api` on the trained model, with our endpoints and the REST channel."""
    # `python -m rasa_runtime` = `rasa` with two measured hot spots of Rasa 3.6 made cheap (rasa_runtime/speedups.py)
    return [str(RASA_VENV / "bin" / "python"), "-m", "rasa_runtime", "run", "--enable-api", "--model", str(model_path()), "--port", str(port),
            "--interface", host,
            "--endpoints", str(endpoints), "--credentials", "credentials.yml"]
