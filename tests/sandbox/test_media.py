"""Photos and documents: multipart upload, PhotoSize lists, file_id reuse, getFile and download."""

from __future__ import annotations

import httpx
import pytest
import telegram
from telegram.error import BadRequest

from sandbox.client import SandboxClient

from .conftest import Server
from .images import png


async def started(client: SandboxClient) -> int:
    """A user who started the bot."""
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "/start")
    return int(user["id"])


@pytest.mark.asyncio
async def test_photo_upload_sizes_and_download(
    sandbox: Server, bot: telegram.Bot, client: SandboxClient
) -> None:
    """Multipart upload yields scaled PhotoSizes; getFile + download returns the bytes."""
    uid = await started(client)
    image = png(1000, 500)
    msg = await bot.send_photo(uid, image, caption="<b>Sneakers</b>", parse_mode="HTML")
    sizes = [(p.width, p.height) for p in msg.photo]
    assert sizes == [(90, 45), (320, 160), (800, 400), (1000, 500)]
    assert msg.caption == "Sneakers" and msg.caption_entities[0].type == "bold"
    assert len({p.file_id for p in msg.photo}) == 4
    file = await bot.get_file(msg.photo[-1].file_id)
    assert file.file_path.startswith(f"{sandbox.url}/file/bot{bot.token}/photos/")
    assert bytes(await file.download_as_bytearray()) == image
    async with httpx.AsyncClient(verify=False) as http:
        raw = await http.post(
            f"{sandbox.url}/bot{bot.token}/getFile", json={"file_id": msg.photo[0].file_id}
        )
        path = raw.json()["result"]["file_path"]
        assert (await http.get(f"{sandbox.url}/file/bot{bot.token}/{path}")).content == image
        assert (await http.get(f"{sandbox.url}/file/bot1:bad/{path}")).status_code == 401
        assert (
            await http.get(f"{sandbox.url}/file/bot{bot.token}/photos/nope.jpg")
        ).status_code == 404


@pytest.mark.asyncio
async def test_resend_by_file_id_and_bad_id(bot: telegram.Bot, client: SandboxClient) -> None:
    """A file_id can be re-sent; unknown ids give Telegram's error."""
    uid = await started(client)
    first = await bot.send_photo(uid, png(64, 64))
    again = await bot.send_photo(uid, first.photo[-1].file_id, caption="again")
    assert [p.file_id for p in again.photo] == [p.file_id for p in first.photo]
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_photo(uid, "AgACAgIAAxkBAAIbogus")
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.get_file("nope")


@pytest.mark.asyncio
async def test_photo_by_url_gets_placeholder(bot: telegram.Bot, client: SandboxClient) -> None:
    """HTTP URLs are accepted offline and produce a placeholder photo."""
    uid = await started(client)
    msg = await bot.send_photo(uid, "https://example.com/item.jpg")
    assert msg.photo[-1].width == 1280 and len(msg.photo) == 4


@pytest.mark.asyncio
async def test_document_roundtrip(bot: telegram.Bot, client: SandboxClient) -> None:
    """Documents keep file name and mime type and download intact."""
    uid = await started(client)
    msg = await bot.send_document(uid, b"col1,col2\n1,2\n", filename="orders.csv", caption="export")
    assert msg.document.file_name == "orders.csv" and msg.caption == "export"
    data = await (await bot.get_file(msg.document.file_id)).download_as_bytearray()
    assert bytes(data) == b"col1,col2\n1,2\n"
    stored = await client.bot_messages(uid)
    assert stored[-1]["document"]["file_id"] == msg.document.file_id


@pytest.mark.asyncio
async def test_user_photo_reaches_bot(bot: telegram.Bot, client: SandboxClient) -> None:
    """A photo sent by a user arrives as an update and can be downloaded by the bot."""
    user = await client.create_user("Ann")
    image = png(300, 200)
    await client.send_photo(user["id"], image, caption="is this legit?")
    update = (await bot.get_updates(timeout=1))[-1]
    assert update.message.caption == "is this legit?"
    biggest = update.message.photo[-1]
    assert (biggest.width, biggest.height) == (300, 200)
    assert bytes(await (await bot.get_file(biggest.file_id)).download_as_bytearray()) == image
    assert await client.file_content(biggest.file_id) == image


@pytest.mark.asyncio
async def test_edit_message_media_replaces_the_photo_caption_and_keyboard(
    bot: telegram.Bot, client: SandboxClient
) -> None:
    """A card browsed in place: a new upload or a known file_id, a new caption and keyboard, same message."""
    uid = await started(client)
    keyboard = telegram.InlineKeyboardMarkup([[telegram.InlineKeyboardButton("▶", callback_data="n")]])
    first = await bot.send_photo(uid, png(640, 480), caption="<b>One</b>", parse_mode="HTML", reply_markup=keyboard)
    other = await bot.send_photo(uid, png(200, 100))
    edited = await bot.edit_message_media(
        telegram.InputMediaPhoto(png(1000, 500), caption="<b>Two</b>", parse_mode="HTML"), uid, first.message_id)
    assert edited.message_id == first.message_id and edited.caption == "Two"
    assert edited.caption_entities[0].type == "bold" and (edited.photo[-1].width, edited.photo[-1].height) == (1000, 500)
    assert edited.reply_markup is None and edited.edit_date is not None  # no keyboard given: none kept
    by_id = await bot.edit_message_media(telegram.InputMediaPhoto(other.photo[-1].file_id, caption="Three"), uid,
                                         first.message_id, reply_markup=keyboard)
    assert by_id.photo[-1].file_id == other.photo[-1].file_id and by_id.reply_markup == keyboard
    shown = [m for m in await client.messages(uid) if m["message_id"] == first.message_id]
    assert shown and shown[0]["caption"] == "Three"
    with pytest.raises(BadRequest, match="[Mm]essage is not modified"):
        await bot.edit_message_media(telegram.InputMediaPhoto(other.photo[-1].file_id, caption="Three"), uid,
                                     first.message_id, reply_markup=keyboard)
    with pytest.raises(BadRequest, match="[Mm]essage to edit not found"):
        await bot.edit_message_media(telegram.InputMediaPhoto(other.photo[-1].file_id), uid, 99999)
