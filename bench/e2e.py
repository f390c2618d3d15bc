"""The whole product under load: emulator → bot → Rasa → actions → marketplace → reply, next to a stock
`rasa init` bot's REST webhook measured in the same run.

Every message is typed by a person in the emulator (each with their Telegram app in one of the eight
languages) and timed until the bot's first answer appears in that person's chat. It prints

  * 20 conversations at once, each person waiting for the answer before writing again: messages
    answered per second, p50/p99 latency; once with Telegram's limits on (the bot may make 30
    requests a second, as Telegram allows one bot) and once with them lifted (as a self-hosted Bot
    API server or paid broadcasts allow), which shows what the stack itself can do;
  * an offered load of 30 messages a second (open loop, Telegram's ceiling for one bot) for
    `--seconds`: p50/p99 latency and how many answers arrived;
  * the resident memory (RSS) of every process of the stack, and their sum;
  * the stock bot's REST webhook with 20 conversations (no Telegram in its path) and the ratios.

    .venv/bin/python bench/e2e.py [--messages 400] [--conversations 20] [--rate 30] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.nlu import Figures, start_rasa, stock_model, webhook_bench  # noqa: E402
from sandbox.client import SandboxClient  # noqa: E402
from tests.e2e.stack import Stack, start_stack  # noqa: E402
from tradewind.paths import REPO_ROOT  # noqa: E402

LANGUAGES = ("en", "es", "pt", "de", "fr", "it", "nb", "zh")
# What buyers say, in the eight languages: small talk, searches, cart, orders, shipping and payment
# questions. (No "talk to a human": a handoff makes the bot go quiet on purpose.)
MESSAGES = [
    "hi", "hola", "olá", "hallo", "bonjour", "ciao", "hei", "你好",
    "what can you do", "que puedes hacer", "o que você faz", "was kannst du",
    "busco un suéter de lana", "procuro uma caneca de cerâmica", "ich suche einen schal aus seide",
    "je cherche un panier", "cerco una sciarpa di lana", "jeg ser etter en genser", "我想买茶",
    "show me my cart", "ver carrito", "where is my order 1234", "dónde está mi pedido 1234",
    "how long does shipping take", "which payment methods do you accept",
    "thanks", "gracias", "danke", "merci", "grazie", "takk", "谢谢", "are you a bot?",
]
STOCK_DIR = REPO_ROOT / "var" / "bench" / "stock"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of a process tree in MB."""
    total = 0
    for each in descendants(pid):
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process tree so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for each in descendants(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / ticks


def stack_cpu(stack: Stack) -> dict[str, float]:
    return {name: cpu_seconds(process.pid) for name, process in stack.processes.items() if process.poll() is None}


def stack_memory(stack: Stack) -> dict[str, float]:
    return {name: rss_mb(process.pid) for name, process in stack.processes.items() if process.poll() is None}


async def make_people(client: SandboxClient, count: int, tag: str) -> list[int]:
    users = []
    for index in range(count):
        language = LANGUAGES[index % len(LANGUAGES)]
        user = await client.create_user(f"{tag}{index}", f"{tag}{index}", language)
        users.append(user["id"])
    return users


async def ask(client: SandboxClient, user: int, text: str, timeout: float = 30.0) -> float | None:
    """Send `text` as `user`; seconds until the bot's first answer (None when none came)."""
    started = time.perf_counter()
    sent = await client.send_text(user, text)
    try:
        await client.wait_for_message(user, after=sent["message_id"], timeout=timeout)
    except TimeoutError:
        return None
    return time.perf_counter() - started


async def settle() -> None:
    """Let the last answers (and any paced notices) land before the next measurement."""
    await asyncio.sleep(2.0)


async def closed_loop(url: str, messages: int, conversations: int, tag: str) -> tuple[Figures, int]:
    """`conversations` people at once, each waiting for the answer before writing again."""
    async with SandboxClient(url, timeout=60) as client:
        users = await make_people(client, conversations, tag)
        for user in users:  # first contact (/start) outside the timing, as in the stock bench's warm-up
            await ask(client, user, "/start")
        per = max(1, messages // conversations)
        samples: list[float] = []
        lost = 0

        async def person(index: int, user: int) -> None:
            nonlocal lost
            texts = itertools.islice(itertools.cycle(MESSAGES[index % len(MESSAGES):] + MESSAGES), per)
            for text in texts:
                took = await ask(client, user, text)
                if took is None:
                    lost += 1
                else:
                    samples.append(took)

        started = time.perf_counter()
        await asyncio.gather(*(person(i, u) for i, u in enumerate(users)))
        wall = time.perf_counter() - started
        await settle()
        return Figures(samples, wall), lost


async def open_loop(url: str, rate: float, seconds: float, tag: str) -> tuple[Figures, int, int]:
    """Messages offered at `rate` per second regardless of answers; each person has one in flight at most."""
    people = max(20, int(rate * 2))  # each person writes about every two seconds
    async with SandboxClient(url, timeout=60) as client:
        users = await make_people(client, people, tag)
        for user in users:
            await ask(client, user, "/start")
        busy: set[int] = set()
        samples: list[float] = []
        lost = skipped = 0
        tasks = []

        async def one(user: int, text: str) -> None:
            nonlocal lost
            busy.add(user)
            try:
                took = await ask(client, user, text)
            finally:
                busy.discard(user)
            if took is None:
                lost += 1
            else:
                samples.append(took)

        texts = itertools.cycle(MESSAGES)
        turn = itertools.cycle(users)
        total = int(rate * seconds)
        started = time.perf_counter()
        for index in range(total):
            await asyncio.sleep(max(0.0, started + index / rate - time.perf_counter()))
            user = next(turn)
            if user in busy:  # still waiting for their last answer: a real person would wait too
                skipped += 1
                continue
            tasks.append(asyncio.create_task(one(user, next(texts))))
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - started
        await settle()
        return Figures(samples, wall), lost, skipped


def restart_bot(stack: Stack, env: dict[str, str]) -> None:
    process = stack.processes["bot"]
    process.terminate()
    process.wait(20)
    stack.start("bot", "bot", env=env)
    stack.wait_bot(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400, help="messages per closed-loop measurement")
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--rate", type=float, default=30.0, help="offered messages per second (open loop)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the open-loop measurement")
    args = parser.parse_args()

    stock = stock_model(STOCK_DIR)
    with tempfile.TemporaryDirectory(prefix="tradewind-bench-e2e-") as tmp:
        say("[ours] starting emulator, marketplace (SQLite, seeded), actions, Rasa and the bot …")
        stack = start_stack(Path(tmp), env={"TF_CPP_MIN_LOG_LEVEL": "3"})
        try:
            url = stack.urls["emulator"]
            stack.wait_bot(timeout=60)
            say(f"[ours] {args.conversations} conversations, Telegram's limits on …")
            cpu_before, refused_before = stack_cpu(stack), asyncio.run(refused(url))
            limited, limited_lost = asyncio.run(closed_loop(url, args.messages, args.conversations, "lim"))
            cpu_after, refused_limited = stack_cpu(stack), asyncio.run(refused(url))
            say(f"[ours] offered {args.rate:g} msg/s for {args.seconds:g} s, Telegram's limits on …")
            offered, offered_lost, skipped = asyncio.run(open_loop(url, args.rate, args.seconds, "open"))
            refused_offered = asyncio.run(refused(url))
            memory = stack_memory(stack)
            say(f"[ours] {args.conversations} conversations, Telegram's limits lifted …")
            asyncio.run(_lift_limits(url))
            restart_bot(stack, {"TELEGRAM_MAX_RATE": "1000", "TELEGRAM_CHAT_RATE": "1000", "TELEGRAM_CHAT_BURST": "1000"})
            lifted, lifted_lost = asyncio.run(closed_loop(url, args.messages, args.conversations, "free"))
            memory_after = stack_memory(stack)
        finally:
            stack.stop()

        say("[stock] starting the stock `rasa init` model …")
        stock_stack = Stack(var_dir=Path(tmp), env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}, urls={})
        try:
            stock_url = start_rasa(stock_stack, "stock", stock, STOCK_DIR)
            asyncio.run(_warm(stock_url))
            say(f"[stock] REST webhook, {args.conversations} conversations …")
            theirs = asyncio.run(webhook_bench(stock_url, args.messages, args.conversations))
            stock_memory_mb = rss_mb(stock_stack.processes["stock"].pid)
        finally:
            stock_stack.stop()

    print(f"\nWhole stack, {len(MESSAGES)} texts in 8 languages, first answer timed in the person's chat")
    rows = [(f"ours, {args.conversations} conv., Telegram limits", limited, limited_lost,
             refused_limited - refused_before),
            (f"ours, {args.conversations} conv., limits lifted", lifted, lifted_lost, None),
            (f"ours, offered {args.rate:g} msg/s ({skipped} skipped)", offered, offered_lost,
             refused_offered - refused_limited),
            (f"stock rasa init REST, {args.conversations} conv.", theirs, 0, None)]
    for name, fig, lost, too_many in rows:
        print(f"{name:44} {fig.line()}   lost {lost}" + (f"   429s {too_many}" if too_many is not None else ""))
    print(f"\nthroughput ratio ours/stock at {args.conversations} conversations: "
          f"×{limited.rate / theirs.rate:.2f} with Telegram's limits, ×{lifted.rate / theirs.rate:.2f} lifted")
    print(f"p99 at an offered {args.rate:g} msg/s: {offered.pct(0.99):.0f} ms (target < 250 ms)")
    answered = len(limited.samples) + args.conversations  # and each person's /start
    print("CPU per message (ms), 20 conversations with Telegram's limits: "
          + ", ".join(f"{name} {(cpu_after[name] - cpu_before.get(name, 0.0)) * 1000 / answered:.1f}"
                      for name in sorted(cpu_after)))
    peak = {name: max(memory.get(name, 0.0), memory_after.get(name, 0.0)) for name in {*memory, *memory_after}}
    print("RSS (MB): " + ", ".join(f"{name} {mb:.0f}" for name, mb in sorted(peak.items()))
          + f"; whole stack {sum(peak.values()):.0f} MB (target < 2048); stock Rasa alone {stock_memory_mb:.0f} MB")


async def refused(url: str) -> int:
    """429s the emulator has given the bot so far (its flood control's count)."""
    async with SandboxClient(url) as client:
        return sum((await client.refused()).values())


async def _lift_limits(url: str) -> None:
    async with SandboxClient(url) as client:
        await client.set_limits(flood_control=False)


async def _warm(url: str) -> None:
    import httpx

    async with httpx.AsyncClient(timeout=120) as client:
        for text in MESSAGES[:8]:
            await client.post(f"{url}/webhooks/rest/webhook", json={"sender": "warm-up", "message": text})


if __name__ == "__main__":
    main()
