"""Rasa speed: our model next to a stock `rasa init` model, both measured in this run.

For each model it prints
  * `/model/parse` p50/p99 one request at a time, and parse throughput with 20 requests in flight;
  * REST-webhook (`/webhooks/rest/webhook`) throughput and p50/p99 with one conversation at a time
    and with 20 conversations at once (every message waits for the bot's full answer, custom actions
    included: ours run against the real action server and a seeded marketplace);
and the ratios ours / stock.

    .venv/bin/python bench/nlu.py [--messages 400] [--concurrency 20]

The stock model is made with `rasa init --no-prompt` in var/bench/stock (it trains TED and
UnexpecTED, as a fresh Rasa project does), so the first run takes a few minutes; later runs reuse it
(delete the folder to make a new one).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.stack import SERVICE_TOKEN, Stack  # noqa: E402
from tests.support import free_port  # noqa: E402
from tradewind import rasa_model  # noqa: E402
from tradewind.paths import REPO_ROOT  # noqa: E402

RASA = REPO_ROOT / ".venv-rasa" / "bin" / "rasa"
TRADEWIND = str(Path(sys.executable).with_name("tradewind"))

# What people say, in the eight languages (not the evaluation split): small talk, searches, cart,
# orders, sellers. Both models get the same texts.
MESSAGES = [
    "hi", "hola", "olá", "hallo", "bonjour", "ciao", "hei", "你好",
    "what can you do", "que puedes hacer", "o que você faz", "was kannst du",
    "busco un suéter de lana", "procuro uma caneca de cerâmica", "ich suche einen schal aus seide",
    "je cherche un panier", "cerco una sciarpa di lana", "jeg ser etter en genser", "我想买茶",
    "show me my cart", "ver carrito", "where is my order 1234", "dónde está mi pedido 1234",
    "thanks", "gracias", "danke", "merci", "grazie", "takk", "谢谢", "bye", "adiós",
    "how much did I sell this month", "hvor mye solgte jeg i dag", "which products are low on stock",
    "i want to talk to a human", "quiero hablar con una persona", "are you a bot?",
]


@dataclass
class Figures:
    """Latency samples (seconds) and wall time for one measurement."""

    samples: list[float]
    wall: float

    @property
    def rate(self) -> float:
        return len(self.samples) / self.wall

    def pct(self, q: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self) -> str:
        return f"{self.rate:7.1f} msg/s   p50 {self.pct(0.5):7.1f} ms   p99 {self.pct(0.99):7.1f} ms"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def stock_model(folder: Path) -> Path:
    """`rasa init --no-prompt` (trains the default project) and return its model file."""
    existing = sorted((folder / "models").glob("*.tar.gz"))
    if existing:
        say(f"[stock] reusing {existing[-1]}")
        return existing[-1]
    folder.mkdir(parents=True, exist_ok=True)
    say("[stock] rasa init --no-prompt (trains the default project's NLU, TED and UnexpecTED)…")
    started = time.monotonic()
    subprocess.run([str(RASA), "init", "--no-prompt", "--init-dir", str(folder)], cwd=folder, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    model = max((folder / "models").glob("*.tar.gz"))
    say(f"[stock] trained in {time.monotonic() - started:.0f}s: {model.name}")
    return model


async def timed_post(client: httpx.AsyncClient, url: str, body: dict) -> float:
    started = time.perf_counter()
    response = await client.post(url, json=body)
    response.raise_for_status()
    return time.perf_counter() - started


async def parse_bench(url: str, n: int, concurrency: int) -> tuple[Figures, Figures]:
    """Parse latency one at a time, then throughput with `concurrency` requests in flight."""
    texts = list(itertools.islice(itertools.cycle(MESSAGES), n))
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:
        started = time.perf_counter()
        serial = [await timed_post(client, f"{url}/model/parse", {"text": t}) for t in texts]
        serial_fig = Figures(serial, time.perf_counter() - started)
        queue = iter(texts)
        samples: list[float] = []

        async def worker() -> None:
            for text in queue:
                samples.append(await timed_post(client, f"{url}/model/parse", {"text": text}))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return serial_fig, Figures(samples, time.perf_counter() - started)


async def webhook_bench(url: str, n: int, conversations: int) -> Figures:
    """`conversations` people chatting at once, each waiting for the answer before the next message."""
    per = max(1, n // conversations)
    samples: list[float] = []
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=conversations)) as client:

        async def person(index: int) -> None:
            sender = f"bench-{uuid.uuid4().hex[:8]}"
            for text in itertools.islice(itertools.cycle(MESSAGES[index % len(MESSAGES):] + MESSAGES), per):
                samples.append(await timed_post(client, f"{url}/webhooks/rest/webhook",
                                                {"sender": sender, "message": text}))

        started = time.perf_counter()
        await asyncio.gather(*(person(i) for i in range(conversations)))
        return Figures(samples, time.perf_counter() - started)


async def measure(name: str, url: str, n: int, concurrency: int) -> dict[str, Figures]:
    async with httpx.AsyncClient(timeout=120) as client:
        for text in MESSAGES[:8]:  # load everything once; keep that out of the timings
            await client.post(f"{url}/model/parse", json={"text": text})
            await client.post(f"{url}/webhooks/rest/webhook", json={"sender": "warm-up", "message": text})
    say(f"[{name}] /model/parse …")
    parse_serial, parse_parallel = await parse_bench(url, n, concurrency)
    say(f"[{name}] REST webhook, 1 conversation …")
    one = await webhook_bench(url, n // 2, 1)
    say(f"[{name}] REST webhook, {concurrency} conversations …")
    many = await webhook_bench(url, n, concurrency)
    return {"parse, 1 at a time": parse_serial, f"parse, {concurrency} in flight": parse_parallel,
            "webhook, 1 conversation": one, f"webhook, {concurrency} conversations": many}


def start_rasa(stack: Stack, name: str, model: Path, cwd: Path) -> str:
    port = free_port()
    log = (stack.var_dir / f"{name}.log").open("wb")
    stack.processes[name] = subprocess.Popen(
        [str(RASA), "run", "--enable-api", "-m", str(model), "--port", str(port), "-i", "127.0.0.1"],
        cwd=cwd, env=stack.env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    stack.wait_http(name, f"{url}/status", timeout=240,
                    ok=lambda r: r.status_code == 200 and bool(r.json().get("model_file")))
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()

    rasa_model.ensure_trained(say=say)
    with tempfile.TemporaryDirectory(prefix="tradewind-bench-nlu-") as tmp:
        tmp_path = Path(tmp)
        stock_dir = REPO_ROOT / "var" / "bench" / "stock"
        stock = stock_model(stock_dir)
        ports = {name: free_port() for name in ("api", "actions", "rasa")}
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        env = {**os.environ, "TRADEWIND_VAR_DIR": str(tmp_path / "var"), "SERVICE_TOKEN": SERVICE_TOKEN,
               "MARKETPLACE_PORT": str(ports["api"]), "MARKETPLACE_URL": urls["api"],
               "ACTION_SERVER_URL": f"{urls['actions']}/webhook", "TF_CPP_MIN_LOG_LEVEL": "3"}
        env.pop("DATABASE_URL", None)
        stack = Stack(var_dir=tmp_path, env=env, urls=urls)
        try:
            say("[ours] seeding the demo catalog, starting marketplace, actions and Rasa …")
            subprocess.run([TRADEWIND, "seed"], env=env, check=True, capture_output=True)
            stack.start("api", "api")
            stack.start("actions", "actions", "--port", str(ports["actions"]))
            stack.wait_http("api", f"{urls['api']}/healthz", timeout=60)
            stack.wait_http("actions", f"{urls['actions']}/health", timeout=60)
            stack.start("rasa", "rasa", "--port", str(ports["rasa"]))
            stack.wait_http("rasa", f"{urls['rasa']}/status", timeout=240,
                            ok=lambda r: r.status_code == 200 and bool(r.json().get("model_file")))
            ours = asyncio.run(measure("ours", urls["rasa"], args.messages, args.concurrency))
            stack.processes.pop("rasa").terminate()
            say("[stock] starting the stock model …")
            stock_url = start_rasa(stack, "stock", stock, stock_dir)
            theirs = asyncio.run(measure("stock", stock_url, args.messages, args.concurrency))
        finally:
            stack.stop()

    print(f"\nRasa speed, {args.messages} messages per measurement, {len(MESSAGES)} texts in 8 languages")
    print(f"{'':34} {'ours':>44} | {'stock rasa init':>44} | ratio (throughput, p99)")
    for key, fig in ours.items():
        other = theirs[key]
        print(f"{key:34} {fig.line()} | {other.line()} | "
              f"×{fig.rate / other.rate:4.2f}, ×{fig.pct(0.99) / other.pct(0.99):4.2f}")
    print("\nratio > 1 on throughput = ours faster; ratio < 1 on p99 = ours answers sooner.")


if __name__ == "__main__":
    main()
