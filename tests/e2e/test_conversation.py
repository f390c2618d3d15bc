"""End to end: a person in the emulator talks to the real bot, Rasa model, action server and API."""

from __future__ import annotations

import asyncio
from itertools import count

import httpx
import yaml

from sandbox.client import SandboxClient
from tests.e2e.stack import Stack
from tradewind.paths import REPO_ROOT

_ids = count(710001)


def responses(name: str) -> dict[str | None, str]:
    """A domain response's texts by language (None: the default variation)."""
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    result: dict[str | None, str] = {}
    for variation in domain["responses"][name]:
        language = next((c["value"] for c in variation.get("condition", []) if c["name"] == "language"), None)
        result[language] = variation["text"].strip()
    return result


async def new_person(client: SandboxClient, language: str) -> int:
    user = await client.create_user(f"Person {next(_ids)}", None, language)
    return user["id"]


async def test_a_spanish_speaker_says_hello_and_is_answered_in_spanish(stack: Stack) -> None:
    async with SandboxClient(stack.urls["emulator"]) as client:
        user = await new_person(client, "es")
        await client.send_command(user, "start")
        greeting = await client.wait_for_message(user, timeout=15)
        assert greeting["text"] == responses("utter_greet")["es"]
        await client.send_text(user, "hola buenas, que tal")
        again = await client.wait_for_message(user, timeout=15)
        assert again["text"] == responses("utter_greet")["es"]


async def test_chinese_text_is_understood_and_answered_in_chinese(stack: Stack) -> None:
    async with SandboxClient(stack.urls["emulator"]) as client:
        user = await new_person(client, "en")  # the app says English; the words are Chinese
        await client.send_text(user, "你好，请问你是机器人吗？")
        reply = await client.wait_for_message(user, timeout=15)
        assert reply["text"] == responses("utter_iamabot")["zh"]


async def test_a_button_press_round_trips_through_rasa(stack: Stack) -> None:
    async with SandboxClient(stack.urls["emulator"]) as client:
        user = await new_person(client, "de")
        await client.send_command(user, "language")
        menu = await client.wait_for_message(user, timeout=10)
        await client.press_button(user, menu["message_id"], text="Português")
        help_text = await client.wait_for_message(user, timeout=15)
        assert help_text["text"] == responses("utter_help")["pt"]


async def test_a_429_from_telegram_is_waited_out_not_lost(stack: Stack) -> None:
    async with SandboxClient(stack.urls["emulator"]) as client:
        await client.set_limits(private_burst=1, private_per_second=0.5)
        try:
            user = await new_person(client, "it")
            for text in ("ciao", "buongiorno", "salve"):
                await client.send_text(user, text)
            replies = [await client.wait_for_message(user, timeout=30) for _ in range(3)]
            assert all(r["text"] == responses("utter_greet")["it"] for r in replies)
            calls = await client.calls()
            assert any(c.get("status") == 429 for c in calls)
        finally:
            await client.set_limits(private_burst=3, private_per_second=1.0)


async def test_the_bot_sends_only_parameters_the_bot_api_defines(stack: Stack) -> None:
    async with SandboxClient(stack.urls["emulator"]) as client:
        user = await new_person(client, "fr")
        await client.send_command(user, "start")
        await client.wait_for_message(user, timeout=15)
        assert await client.unknown_params() == []


async def test_rasa_parses_entities_through_its_own_api(stack: Stack) -> None:
    async with httpx.AsyncClient() as http:
        parsed = (await http.post(f"{stack.urls['rasa']}/model/parse",
                                  json={"text": "busco un suéter de lana de Noruega"})).json()
    assert parsed["intent"]["name"] == "search_product"
    assert {"entity": "country", "value": "NO"}.items() <= next(
        e for e in parsed["entities"] if e["entity"] == "country").items()
    await asyncio.sleep(0)
