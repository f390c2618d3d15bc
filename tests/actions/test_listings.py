"""Listing a product from the chat: the form's answers, the preview card, publishing into the
seller's own shop, and a buyer being told how to open a shop instead."""

from __future__ import annotations

import io

from PIL import Image
from rasa_sdk.executor import CollectingDispatcher

from actions.listings import (
    ActionAskListingCategory,
    ActionAskListingPhoto,
    ActionAskListingPrice,
    ActionDropListing,
    ActionPreviewListing,
    ActionPublishListing,
    ActionStartListing,
    ValidateListingForm,
)
from actions.marketplace import Marketplace
from tests.actions.sellers import BUYER, run, slots_set, tracker

DRAFT = {"listing_title": "Votter i ull", "listing_price": "349.00", "listing_stock": 6,
         "listing_category": "clothing", "listing_description": "Varme votter strikket i Bergen",
         "listing_photo": ""}


async def upload(market: Marketplace) -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "firebrick").save(out, format="JPEG")
    response = await market._http.post("/media", files={"file": ("mittens.jpg", out.getvalue(), "image/jpeg")})
    assert response.status_code == 201, response.text
    return response.json()["path"]


async def test_only_a_shop_owner_can_start_a_listing(market: Marketplace) -> None:
    messages, events = await run(ActionStartListing(), tracker("quiero añadir un producto", "add_product",
                                                               user=BUYER, language="es"))
    assert messages[0]["text"] == "Todavía no tienes una tienda: di «quiero vender» para abrir una."
    assert events == []
    messages, events = await run(ActionStartListing(), tracker("legg til et produkt", "add_product"))
    assert messages == [] and events[-1]["name"] == "listing_form"
    assert slots_set(events) == dict.fromkeys(DRAFT)


async def test_each_answer_is_checked_in_the_shops_currency(market: Marketplace) -> None:
    form, said = ValidateListingForm(), tracker("", "inform")

    async def check(slot: str, value: object) -> tuple[object, list[str]]:
        dispatcher = CollectingDispatcher()
        result = await getattr(form, f"validate_{slot}")(value, dispatcher, said, {})
        return result[slot], [m["text"] for m in dispatcher.messages]

    assert await check("listing_title", " Votter   i ull ") == ("Votter i ull", [])
    assert await check("listing_title", "ab") == (None, ["Skriv en tittel på 3 til 200 tegn."])
    assert await check("listing_price", "1.450,50 kr") == ("1450.50", [])
    assert await check("listing_price", "349") == ("349.00", [])
    assert await check("listing_price", "12.345") == ("12345.00", [])
    assert await check("listing_price", "gratis") == (None, [
        "Jeg fant ingen pris i «gratis». Skriv bare beløpet, som 149,50\xa0kr."])
    assert await check("listing_price", "0,001") == (None, [
        "Jeg fant ingen pris i «0,001». Skriv bare beløpet, som 149,50\xa0kr."])  # rounds to nothing in NOK
    assert await check("listing_stock", "jeg har 6") == (6, [])
    assert await check("listing_stock", 4) == (4, [])
    assert await check("listing_stock", "-2") == (None, ["Skriv hvor mange du har: et heltall fra 0 til 100000."])
    assert await check("listing_category", "Klær") == ("clothing", [])
    assert await check("listing_category", "服装") == ("clothing", [])
    assert await check("listing_category", "sko") == (None, ["Velg en av kategoriene på knappene."])
    assert await check("listing_description", "") == ("", [])
    assert await check("listing_description", "x" * 4001) == (None, ["Det er for langt: høyst 4000 tegn."])
    assert await check("listing_photo", "uploads/" + "ab" * 20 + ".jpg") == ("uploads/" + "ab" * 20 + ".jpg", [])
    assert await check("listing_photo", "../../secrets/service-token") == (None, [
        "Her trenger jeg et bilde: send bildet, eller trykk «Uten bilde»."])


async def test_the_form_takes_photos_skips_and_refuses_words_where_a_photo_is_asked(market: Marketplace) -> None:
    form, path = ValidateListingForm(), "uploads/" + "cd" * 20 + ".png"
    photo = tracker("/send_photo", "send_photo", metadata={"photo": path}, slots={"requested_slot": "listing_title"})
    assert slots_set((await run(form, photo))[1]) == {"listing_photo": path}  # early photos are kept
    skip = tracker("/skip", "skip", slots={"requested_slot": "listing_photo"})
    assert slots_set((await run(form, skip))[1]) == {"listing_photo": ""}
    words = tracker("den er rød", "inform", slots={"requested_slot": "listing_photo"})
    messages, events = await run(form, words)
    assert slots_set(events) == {"listing_photo": None}
    assert messages[0]["text"] == "Her trenger jeg et bilde: send bildet, eller trykk «Uten bilde»."
    no = tracker("nei", "deny", slots={"requested_slot": "listing_description"})
    assert slots_set((await run(form, no))[1]) == {"listing_description": ""}  # optional: no means none
    no = tracker("nei", "deny", slots={"requested_slot": "listing_price"})
    assert (await run(form, no))[1] == []  # nothing extracted: Rasa rejects and the stop rule runs
    pressed = tracker('/choose{"choice":"kitchen"}', "choose", choice="kitchen",
                      slots={"requested_slot": "listing_category"})
    assert slots_set((await run(form, pressed))[1]) == {"listing_category": "kitchen"}


async def test_questions_name_the_currency_and_offer_buttons(market: Marketplace) -> None:
    messages, _ = await run(ActionAskListingPrice(), tracker("", "inform", language="es"))
    assert messages[0]["text"] == "¿Cuál es el precio en NOK? Por ejemplo 149,50\xa0NOK."
    messages, _ = await run(ActionAskListingCategory(), tracker("", "inform", language="de"))
    assert messages[0]["buttons"][0] == {"title": "Kleidung", "payload": '/choose{"choice":"clothing"}'}
    messages, _ = await run(ActionAskListingPhoto(), tracker("", "inform", language="zh"))
    assert messages[0]["buttons"] == [{"title": "不加照片 ▶", "payload": "/skip"}]


async def test_preview_then_publish_into_the_senders_shop(market: Marketplace) -> None:
    path = await upload(market)
    draft = {**DRAFT, "listing_photo": path}
    messages, _ = await run(ActionPreviewListing(), tracker("", "inform", slots=draft))
    card = messages[0]["custom"]
    assert card["type"] == "product_card" and card["photo"] == path
    assert card["text"] == "Votter i ull\n349,00\xa0kr · på lager: 6 · Klær\nVarme votter strikket i Bergen"
    assert card["buttons"] == [{"title": "✅ Publiser", "payload": "/affirm"}, {"title": "✖ Avbryt", "payload": "/deny"}]
    messages, events = await run(ActionPublishListing(), tracker("/affirm", "affirm", slots=draft))
    product_id = int(messages[0]["text"].split("#")[1].split(":")[0])
    assert messages[0]["text"].startswith(f"✅ Lagt ut som #{product_id}: Votter i ull, 349,00\xa0kr.")
    assert slots_set(events) == dict.fromkeys(DRAFT)
    product = await market.get(f"/products/{product_id}", lang="nb")
    assert (product["shop"]["id"], product["photos"], product["stock"], product["category"]) == (1, [path], 6, "clothing")
    found = await market.get("/search", q="votter", lang="nb")
    assert product_id in [item["id"] for item in found["items"]]


async def test_publishing_without_a_shop_or_a_draft_creates_nothing(market: Marketplace) -> None:
    before = (await market.get("/search", q="votter", lang="nb"))["total"]
    messages, _ = await run(ActionPublishListing(), tracker("/affirm", "affirm", user=BUYER, language="es", slots=DRAFT))
    assert messages[0]["text"] == "Todavía no tienes una tienda: di «quiero vender» para abrir una."
    messages, _ = await run(ActionPublishListing(), tracker("/affirm", "affirm", slots={**DRAFT, "listing_title": None}))
    assert messages[0]["text"] == "Den knappen hørte til et spørsmål som allerede er avsluttet."
    assert (await market.get("/search", q="votter", lang="nb"))["total"] == before
    messages, events = await run(ActionDropListing(), tracker("/deny", "deny", slots=DRAFT))
    assert messages[0]["text"] == "Greit, jeg forkastet utkastet." and slots_set(events) == dict.fromkeys(DRAFT)
