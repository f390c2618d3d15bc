"""The whole product as separate processes on loopback: emulator, marketplace API, actions, Rasa, bot.

Each process is started with the same `tradewind` subcommands `make run` uses, on free ports,
with runtime state in a temporary folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.rasa_client import WARM_UP_TEXTS
from tests.support import free_port
from tradewind import rasa_model
from tradewind.demo_world import STAFF_GROUP_ID

TRADEWIND = str(Path(sys.executable).with_name("tradewind"))
BOT_TOKEN = "777000222:AAtradewind-e2e-token"
SERVICE_TOKEN = "e2e-service-token"


@dataclass
class Stack:
    """Running processes and where they listen."""

    var_dir: Path
    env: dict[str, str]
    urls: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> None:
        """Start one `tradewind` subcommand with its output in var_dir/<name>.log."""
        log = (self.var_dir / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen([TRADEWIND, *args], env={**self.env, **(env or {})}, stdout=log,
                                                stderr=subprocess.STDOUT)

    def log(self, name: str) -> str:
        """What a process printed so far."""
        return (self.var_dir / f"{name}.log").read_text(errors="replace")

    def wait_http(self, name: str, url: str, *, timeout: float, ok: callable = lambda r: r.status_code == 200) -> None:
        """Poll `url` until it answers as `ok` says, or fail with the process log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited:\n{self.log(name)[-3000:]}")
            try:
                if ok(httpx.get(url, timeout=2)):
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"{name} not ready after {timeout}s:\n{self.log(name)[-3000:]}")

    def stop(self) -> None:
        """Terminate every process (then kill stragglers)."""
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def start_stack(var_dir: Path, *, seed: bool = True, train: bool = True, translator_url: str | None = None) -> Stack:
    """Start everything and wait until each part answers (training the model first if it is stale).

    The emulator holds the demo world (its staff forum is the bot's support group); with
    `translator_url` the marketplace translates through that LibreTranslate-compatible server."""
    if train:
        rasa_model.ensure_trained(say=lambda line: print(line, file=sys.stderr))
    ports = {name: free_port() for name in ("emulator", "api", "actions", "rasa")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    env = {**os.environ, "TRADEWIND_VAR_DIR": str(var_dir), "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
           "TELEGRAM_API_URL": urls["emulator"], "SERVICE_TOKEN": SERVICE_TOKEN,
           "MARKETPLACE_PORT": str(ports["api"]), "MARKETPLACE_URL": urls["api"], "RASA_URL": urls["rasa"],
           "ACTION_SERVER_URL": f"{urls['actions']}/webhook", "REPLY_TIMEOUT": "10",
           "SUPPORT_CHAT_ID": str(STAFF_GROUP_ID)}  # the 5 s promise is tested in tests/bot; here, slow CI must not flake
    env.pop("DATABASE_URL", None)
    stack = Stack(var_dir=var_dir, env=env, urls=urls)
    if seed:
        subprocess.run([TRADEWIND, "seed"], env=env, check=True, capture_output=True)
    try:
        stack.start("emulator", "emulator", "--port", str(ports["emulator"]))
        translating = {"TRANSLATOR_PROVIDER": "libre", "TRANSLATOR_URL": translator_url} if translator_url else {}
        stack.start("api", "api", env=translating)
        stack.start("actions", "actions", "--port", str(ports["actions"]))
        stack.start("rasa", "rasa", "--port", str(ports["rasa"]))
        stack.wait_http("emulator", f"{urls['emulator']}/sandbox/state", timeout=30)
        stack.wait_http("api", f"{urls['api']}/healthz", timeout=30)
        stack.wait_http("actions", f"{urls['actions']}/health", timeout=60)
        stack.wait_http("rasa", f"{urls['rasa']}/status", timeout=180,
                        ok=lambda r: r.status_code == 200 and bool(r.json().get("model_file")))
        for text in WARM_UP_TEXTS:  # the first parse loads models; keep that out of the tests' timings
            httpx.post(f"{urls['rasa']}/model/parse", json={"text": text}, timeout=120).raise_for_status()
        stack.start("bot", "bot")
        stack.wait_http("bot", f"{urls['emulator']}/sandbox/calls", timeout=30,
                        ok=lambda r: any(c["method"] == "getUpdates" for c in r.json()["result"]))
    except BaseException:
        stack.stop()
        raise
    return stack
