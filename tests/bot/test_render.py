"""Rasa replies rendered in Telegram: product cards become photos with captions and buttons."""

from __future__ import annotations

import httpx

from bot.media import MediaCache
from bot.rasa_client import BotReply
from bot.render import send_reply
from tests.bot.conftest import Emulator, bot_settings, running_bot


async def test_product_card_is_a_photo_with_caption_and_buttons(emulator: Emulator) -> None:
    downloads = []
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4e60000000049454e44ae426082")

    def marketplace(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer test-service-token"
        assert request.url.path == "/media/products/sweater.png"
        downloads.append(request.url.path)
        return httpx.Response(200, content=png, headers={"content-type": "image/png"})

    async with running_bot(bot_settings(emulator)) as app:
        user = await emulator.client.create_user("María", "maria2", "es")
        await emulator.client.send_command(user["id"], "start")
        await emulator.client.wait_for_message(user["id"], timeout=6)
        media = MediaCache(httpx.AsyncClient(transport=httpx.MockTransport(marketplace), base_url="http://m"),
                           "http://m", "test-service-token")
        card = {"type": "product_card", "product_id": 1, "photo": "products/sweater.png",
                "text": "Suéter de lana <Lusekofte> & más\n$131.538,79  (NOK1.450,00)",
                "buttons": [{"title": "🛒 Añadir al carrito", "payload": '/add_to_cart{"product_id":1}'}]}
        first = await send_reply(app.bot, user["id"], BotReply(custom=card), media)
        second = await send_reply(app.bot, user["id"], BotReply(custom=card), media)
    assert first.caption == "Suéter de lana <Lusekofte> & más\n$131.538,79  (NOK1.450,00)"  # escaped, shown as written
    assert first.reply_markup.inline_keyboard[0][0].callback_data == 'r:/add_to_cart{"product_id":1}'
    assert second.photo[-1].file_id == first.photo[-1].file_id and len(downloads) == 1  # uploaded once


async def test_a_page_turn_edits_the_card_pressed_instead_of_sending_another(emulator: Emulator) -> None:
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4e60000000049454e44ae426082")
    media = MediaCache(httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=png)),
                                         base_url="http://m"), "http://m", "test-service-token")

    def card(product: int, page: int, replace: bool) -> dict:
        return {"type": "product_card", "product_id": product, "photo": f"products/{product}.png",
                "text": f"Product {product}\n\n{page} of 3", "replace": replace,
                "buttons": [{"title": "🛒 Add to cart", "payload": f'/add_to_cart{{"product_id":{product}}}'}],
                "nav": [{"title": "◀ Previous", "payload": f'/search_product{{"page":{page - 1}}}'},
                        {"title": "Next ▶", "payload": f'/search_product{{"page":{page + 1}}}'}]}

    async with running_bot(bot_settings(emulator)) as app:
        user = await emulator.client.create_user("Ann", "ann_cards", "en")
        await emulator.client.send_command(user["id"], "start")
        await emulator.client.wait_for_message(user["id"], timeout=6)
        first = await send_reply(app.bot, user["id"], BotReply(custom=card(7, 2, False)), media)
        turned = await send_reply(app.bot, user["id"], BotReply(custom=card(8, 3, True)), media, pressed=first)
        again = await send_reply(app.bot, user["id"], BotReply(custom=card(8, 3, True)), media, pressed=turned)
        await app.bot.delete_message(user["id"], first.message_id)
        gone = await send_reply(app.bot, user["id"], BotReply(custom=card(9, 1, True)), media, pressed=first)
        typed = await send_reply(app.bot, user["id"], BotReply(custom=card(9, 1, False)), media, pressed=gone)
        shown = await emulator.client.bot_messages(user["id"])
    rows = [[b.text for b in row] for row in first.reply_markup.inline_keyboard]
    assert rows == [["🛒 Add to cart"], ["◀ Previous", "Next ▶"]]  # ◀ ▶ side by side under the card's buttons
    assert turned.message_id == first.message_id and turned.caption == "Product 8\n\n3 of 3"
    assert again.message_id == first.message_id  # pressed twice: already showing it, nothing new sent
    assert gone.message_id != first.message_id and gone.caption.startswith("Product 9")  # deleted: a new card
    assert typed.message_id != gone.message_id  # a new search is a new card, not an edit
    cards = [m for m in shown if m.get("photo")]
    assert [m["caption"].split("\n")[0] for m in cards] == ["Product 9", "Product 9"]
