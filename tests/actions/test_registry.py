"""The action server can load the whole package, and every action the domain lists exists."""

from __future__ import annotations

import yaml
from rasa_sdk.executor import ActionExecutor

from tradewind.paths import REPO_ROOT


def test_every_domain_action_is_registered_and_the_package_loads() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["actions"]) <= set(executor.actions)
