"""The emulator's web chat in headless Chromium (Playwright): type a message, see the bot's reply."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.stack import Stack


def chromium() -> str:
    """Debian's Chromium; never a downloaded browser."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("no Chromium: `apt-get install chromium` enables this test (CI installs it)")
    return path


def test_web_chat_sends_a_message_and_shows_the_reply(stack: Stack) -> None:
    from playwright.sync_api import expect, sync_playwright

    executable = chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            page.goto(f"{stack.urls['emulator']}/")
            pane = page.locator(".pane").first
            pane.locator("select").first.select_option(label="María @maria_ba")
            pane.locator("input[type=text]").fill("hola, buenas tardes")
            pane.locator("input[type=text]").press("Enter")
            expect(pane.locator(".msgs")).to_contain_text("¡Hola! Soy Tradewind", timeout=20_000)
        finally:
            browser.close()
