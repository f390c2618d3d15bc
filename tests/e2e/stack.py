"""The whole product as separate processes on loopback: emulator, marketplace API, actions, Rasa, bot.

Each process is started with the same `tradewind` subcommands `make run` uses, on free ports,
with runtime state in a temporary folder.
"""

from __future__ import annotations

import os
import signal
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
    commands: dict[str, tuple[tuple[str, ...], dict[str, str]]] = field(default_factory=dict)
    probe_user: int | None = None

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> None:
        """Start one `tradewind` subcommand with its output appended to var_dir/<name>.log."""
        self.commands[name] = (args, env or {})
        log = (self.var_dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen([TRADEWIND, *args], env={**self.env, **(env or {})}, stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)

    def signal(self, name: str, signum: int) -> None:
        """Send a signal to a process and everything it started (Sanic's worker processes, …)."""
        try:
            os.killpg(self.processes[name].pid, signum)
        except ProcessLookupError:
            pass

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

    def kill(self, name: str) -> int:
        """SIGKILL one service with its workers (no goodbye, no cleanup), as a crash would; returns its pid."""
        self.signal(name, signal.SIGKILL)
        self.processes[name].wait()
        return self.processes[name].pid

    def restart(self, name: str, *, timeout: float = 180) -> None:
        """Start a killed process again as it was first started, and wait until it answers."""
        if self.processes[name].poll() is None:
            raise RuntimeError(f"{name} is still running")
        args, env = self.commands[name]
        self.start(name, *args, env=env)
        self.wait_ready(name, timeout=timeout)

    def pause(self, name: str) -> None:
        """SIGSTOP: the service keeps its port but answers nothing (a hung service)."""
        self.signal(name, signal.SIGSTOP)

    def resume(self, name: str) -> None:
        """SIGCONT after `pause`."""
        self.signal(name, signal.SIGCONT)

    def wait_ready(self, name: str, *, timeout: float) -> None:
        """Wait until `name` answers its health check (the bot: until it answers a /language of its own user)."""
        urls = self.urls
        if name == "bot":
            self.wait_bot(timeout=timeout)
        elif name == "rasa":
            self.wait_http("rasa", f"{urls['rasa']}/status", timeout=timeout,
                           ok=lambda r: r.status_code == 200 and bool(r.json().get("model_file")))
            for text in WARM_UP_TEXTS:  # the first parse loads models; keep that out of the tests' timings
                httpx.post(f"{urls['rasa']}/model/parse", json={"text": text}, timeout=120).raise_for_status()
        else:
            path = {"emulator": "/sandbox/state", "api": "/healthz", "actions": "/health"}[name]
            self.wait_http(name, f"{urls[name]}{path}", timeout=timeout)

    def wait_bot(self, *, timeout: float) -> None:
        """Send /language as a probe user and wait for the bot's menu (needs no other service)."""
        control = httpx.Client(base_url=self.urls["emulator"], timeout=10)
        with control:
            if self.probe_user is None:
                self.probe_user = control.post("/sandbox/users", json={"first_name": "Probe"}).json()["result"]["id"]
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.processes["bot"].poll() is not None:
                    raise RuntimeError(f"bot exited:\n{self.log('bot')[-3000:]}")
                sent = control.post("/sandbox/messages", json={"user_id": self.probe_user, "text": "/language"})
                after = sent.json()["result"]["message_id"]
                waited = control.get(f"/sandbox/chats/{self.probe_user}/wait", params={"after": after, "timeout": 3},
                                     timeout=10).json()
                if waited.get("ok"):
                    return
        raise TimeoutError(f"bot not answering after {timeout}s:\n{self.log('bot')[-3000:]}")

    def stop(self) -> None:
        """Terminate every process (then kill stragglers)."""
        for name, process in self.processes.items():
            if process.poll() is None:
                self.signal(name, signal.SIGCONT)  # a paused process cannot act on SIGTERM
                process.terminate()
        for name, process in self.processes.items():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
            self.signal(name, signal.SIGKILL)  # workers it left behind


def start_stack(var_dir: Path, *, seed: bool = True, train: bool = True, translator_url: str | None = None,
                env: dict[str, str] | None = None) -> Stack:
    """Start everything and wait until each part answers (training the model first if it is stale).

    The emulator holds the demo world (its staff forum is the bot's support group); with
    `translator_url` the marketplace translates through that LibreTranslate-compatible server.
    `env` is added to (or overrides) every process's environment."""
    if train:
        rasa_model.ensure_trained(say=lambda line: print(line, file=sys.stderr))
    ports = {name: free_port() for name in ("emulator", "api", "actions", "rasa")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    env = {**os.environ, "TRADEWIND_VAR_DIR": str(var_dir), "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
           "TELEGRAM_API_URL": urls["emulator"], "SERVICE_TOKEN": SERVICE_TOKEN,
           "MARKETPLACE_PORT": str(ports["api"]), "MARKETPLACE_URL": urls["api"], "RASA_URL": urls["rasa"],
           "ACTION_SERVER_URL": f"{urls['actions']}/webhook", "REPLY_TIMEOUT": "10",
           "SUPPORT_CHAT_ID": str(STAFF_GROUP_ID),  # the 5 s promise is tested in tests/bot; slow CI must not flake
           **(env or {})}
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
        for name, timeout in (("emulator", 30), ("api", 30), ("actions", 60), ("rasa", 180)):
            stack.wait_ready(name, timeout=timeout)
        stack.start("bot", "bot")
        stack.wait_http("bot", f"{urls['emulator']}/sandbox/calls", timeout=30,
                        ok=lambda r: any(c["method"] == "getUpdates" for c in r.json()["result"]))
    except BaseException:
        stack.stop()
        raise
    return stack
