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
