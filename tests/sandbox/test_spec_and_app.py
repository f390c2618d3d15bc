"""Spec loading/checking, app factory isolation, CLI parsing and the web page."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import httpx
import pytest

from sandbox import create_app
from sandbox.__main__ import parse_args
from sandbox.client import SandboxClient
from sandbox.spec import ENV_VAR, PACKAGED, SHARED, Spec, default_spec_path, load_spec

from .conftest import Server
from .spec_check import problems


def test_packaged_spec_matches_shared_copy() -> None:
    """The package ships the same api.json (and its licence) as ../shared."""
    assert PACKAGED.exists() and (PACKAGED.parent / "LICENSE").exists()
    if SHARED.exists():
        assert filecmp.cmp(PACKAGED, SHARED, shallow=False)


def test_env_var_overrides_spec_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TELEGRAM_API_SPEC points the loader elsewhere."""
    mini = {
        "version": "Bot API 0.1",
        "methods": {"getMe": {"name": "getMe", "returns": ["User"], "fields": []}},
        "types": {
            "User": {
                "name": "User",
                "fields": [
                    {"name": "id", "types": ["Integer"], "required": True, "description": ""}
                ],
            }
        },
    }
    path = tmp_path / "api.json"
    path.write_text(json.dumps(mini))
    monkeypatch.setenv(ENV_VAR, str(path))
    assert default_spec_path() == path
    spec = load_spec()
    assert spec.version == "Bot API 0.1" and spec.method("GETME") is not None


def test_spec_required_fields_and_checker() -> None:
    """Required fields come from api.json; the checker reports gaps, wrong types and extras."""
    spec: Spec = load_spec(PACKAGED)
    assert spec.version == "Bot API 10.1"
    assert spec.required_fields("User") == ["id", "is_bot", "first_name"]
    assert set(spec.required_fields("Message")) == {"message_id", "date", "chat"}
    assert spec.check({"id": 1, "is_bot": False, "first_name": "A"}, "User") == []
    assert spec.check({"id": 1}, "User") == [
        "$: User lacks required field 'is_bot'",
        "$: User lacks required field 'first_name'",
    ]
    assert spec.check({"id": "1", "is_bot": False, "first_name": "A", "x": 1}, "User") == [
        "$.id: expected Integer, got '1'",
        "$: User has field 'x' not in the spec",
    ]
    assert problems({"message_id": 1, "date": 0, "chat": {"id": 1}}, "Message") == [
        "$.chat: Chat misses required type"
    ]
    assert problems(True, ["Message", "Boolean"]) == []


def test_apps_do_not_share_state() -> None:
    """Each create_app has its own in-memory world."""
    a, b = create_app(), create_app()
    a.state.rt.state.add_user("Ann")
    assert a.state.rt.state.users and not b.state.rt.state.users


def test_cli_arguments() -> None:
    """python -m sandbox accepts host/port and options."""
    args = parse_args(
        ["--host", "127.0.0.1", "--port", "9090", "--bot", "1:x", "--no-flood-control"]
    )
    assert (args.host, args.port, args.bot, args.no_flood_control) == (
        "127.0.0.1",
        9090,
        ["1:x"],
        True,
    )


@pytest.mark.asyncio
async def test_control_api_state_reset_and_limits(client: SandboxClient) -> None:
    """The control API lists the world, resets it and exposes limits."""
    bot2 = await client.create_bot(username="seller_bot")
    assert bot2["user"]["is_bot"] and ":" in bot2["token"]
    user = await client.create_user("Ann", "ann", "de")
    group = await client.create_group(
        "Staff", members=[user["id"]], bots=[bot2["token"]], forum=True
    )
    state = await client.state()
    assert len(state["bots"]) == 2 and state["users"][0]["language_code"] == "de"
    assert state["groups"][0]["chat"] == group and group["is_forum"] is True
    limits = await client.set_limits(private_burst=1)
    assert limits["private_burst"] == 1 and limits["max_text"] == 4096
    await client.reset()
    assert (await client.state())["users"] == []


@pytest.mark.asyncio
async def test_web_page_served(sandbox: Server) -> None:
    """The chat page is plain HTML with inline JS and no external resources."""
    async with httpx.AsyncClient(verify=False, follow_redirects=True) as http:
        page = await http.get(f"{sandbox.url}/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    html = page.text
    assert "<script>" in html and "/sandbox/state" in html
    assert "http://" not in html and "https://" not in html and "cdn" not in html.lower()


def test_python_m_sandbox_serves(tmp_path: Path) -> None:
    """`python -m sandbox --host --port --bot` starts a working server."""
    import subprocess
    import sys
    import time

    from .conftest import free_socket

    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--bot",
            "42:cli-token",
            "--log-level",
            "warning",
        ],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                resp = httpx.get(f"http://127.0.0.1:{port}/bot42:cli-token/getMe", verify=False)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.05)
        assert resp.json()["result"]["id"] == 42
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.asyncio
async def test_web_page_renders_in_headless_chromium(
    sandbox: Server, client: SandboxClient
) -> None:
    """Headless Chromium runs the page's JS: panes, messages, buttons and a Pay button show up."""
    import asyncio
    import shutil

    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice

    from .conftest import make_bot

    browser = (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )
    if browser is None:
        pytest.skip("no Chromium installed (apt-get install chromium)")
    user = await client.create_user("Bea", "bea_buyer", "en")
    await client.send_command(user["id"], "start")
    async with make_bot(sandbox.url) as bot:
        await bot.send_message(
            user["id"],
            "Pick a category",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Sneakers", callback_data="s")]]
            ),
        )
        await bot.send_invoice(
            user["id"], "Order 7", "Nike Air", "o7", "XTR", [LabeledPrice("x", 150)]
        )
    proc = await asyncio.create_subprocess_exec(
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--virtual-time-budget=3000",
        "--dump-dom",
        f"{sandbox.url}/sandbox/ui",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    dom = (await asyncio.wait_for(proc.communicate(), 60))[0].decode()
    assert 'class="pane"' in dom and "Pick a category" in dom
    assert ">Sneakers</button>" in dom and "Pay 150 XTR" in dom
