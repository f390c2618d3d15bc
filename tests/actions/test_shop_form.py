"""Opening a shop from the chat: start, the form's answers slot by slot, confirm, create (once)."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.marketplace import Marketplace
from actions.shop_form import (
    ActionAskShopCurrency,
    ActionAskShopLanguage,
    ActionConfirmShop,
    ActionCreateShop,
    ActionDropShop,
    ActionStartShop,
    ValidateShopForm,
)
from tests.actions.sellers import BUYER, SELLER, run, slots_set, tracker

NEWCOMER = 910001
FILLED = {"shop_name": "Casa Lima", "shop_country": "PT", "shop_currency": "EUR", "shop_language": "pt",
          "shop_description": "Cerâmica pintada à mão em Lisboa"}


async def test_an_owner_is_told_about_their_shop_and_a_newcomer_starts_the_form(market: Marketplace) -> None:
    messages, events = await run(ActionStartShop(), tracker("jeg vil selge", "sell_register"))
    assert messages[0]["text"] == ("Du har allerede en butikk: Bergen Strikkestue (Norge, priser i NOK). Si «legg til "
                                   "et produkt» for å legge ut noe, eller spør meg om ordrer eller salg.")
    assert events == []
    messages, events = await run(ActionStartShop(), tracker("quiero vender", "sell_register", user=NEWCOMER,
                                                            language="es"))
    assert messages == []
    assert events[-1] == {"event": "followup", "name": "shop_form", "timestamp": None}
    assert slots_set(events) == dict.fromkeys(FILLED)  # a clean sheet
    messages, events = await run(ActionStartShop(), tracker("quiero vender", "sell_register", user=None, language="es"))
    assert messages[0]["text"].startswith("La tienda no responde") and events == []


async def test_each_answer_is_checked_and_normalised(market: Marketplace) -> None:
    form, said = ValidateShopForm(), tracker("", "inform", user=NEWCOMER, language="es")

    async def check(slot: str, value: str) -> tuple[object, list[str]]:
        dispatcher = CollectingDispatcher()
        result = await getattr(form, f"validate_{slot}")(value, dispatcher, said, {})
        return result[slot], [m["text"] for m in dispatcher.messages]

    assert await check("shop_name", "  Casa   Lima ") == ("Casa Lima", [])
    assert await check("shop_name", "X") == (None, ["Escribe un nombre de 2 a 120 caracteres."])
    assert await check("shop_country", "Portugal") == ("PT", [])
    assert await check("shop_country", "Noruega") == ("NO", [])
    assert await check("shop_country", "阿根廷") == ("AR", [])
    value, said_back = await check("shop_country", "Australia")
    assert value is None and said_back[0].startswith("No conozco el país «Australia» o todavía no enviamos desde allí.")
    assert "Noruega" in said_back[0] and "Argentina" in said_back[0]
    assert await check("shop_currency", "eur") == ("EUR", [])
    assert await check("shop_currency", "corona noruega") == ("NOK", [])
    assert await check("shop_currency", "XYZ") == (None, [
        "No puedo usar «XYZ» como moneda. Elige un botón o escribe un código como EUR."])
    assert await check("shop_language", "pt") == ("pt", [])
    assert await check("shop_language", "Deutsch") == ("de", [])
    assert await check("shop_language", "noruego") == ("nb", [])
    assert await check("shop_language", "klingon") == (None, ["Elige uno de los ocho idiomas de los botones."])
    assert await check("shop_description", "Cerámica") == ("Cerámica", [])
    assert await check("shop_description", "ok") == (None, ["Escribe entre 5 y 2000 caracteres sobre tu tienda."])


async def test_the_form_reads_buttons_words_and_the_first_message_and_no_is_not_an_answer(market: Marketplace) -> None:
    form = ValidateShopForm()
    pressed = tracker('/choose{"choice":"CHF"}', "choose", user=NEWCOMER, language="de", choice="CHF",
                      slots={"requested_slot": "shop_currency", "shop_country": "CH"})
    _, events = await run(form, pressed)
    assert slots_set(events) == {"shop_currency": "CHF"}
    written = tracker("Alpenglück Keramik", "search_product", user=NEWCOMER, language="de",
                      slots={"requested_slot": "shop_name"})
    assert slots_set((await run(form, written))[1]) == {"shop_name": "Alpenglück Keramik"}
    country = tracker("die Schweiz", "inform", user=NEWCOMER, language="de", country="CH",
                      slots={"requested_slot": "shop_country"})
    assert slots_set((await run(form, country))[1]) == {"shop_country": "CH"}
    first = tracker("ich möchte aus der Schweiz verkaufen", "sell_register", user=NEWCOMER, language="de", country="CH")
    assert slots_set((await run(form, first))[1]) == {"shop_country": "CH"}
    no = tracker("nein", "deny", user=NEWCOMER, language="de", slots={"requested_slot": "shop_name"})
    messages, events = await run(form, no)
    assert events == [] and messages == []  # nothing extracted: Rasa rejects the form and the stop rule runs


async def test_questions_offer_the_countrys_currency_and_the_eight_languages(market: Marketplace) -> None:
    messages, _ = await run(ActionAskShopCurrency(), tracker("", "inform", language="fr",
                                                             slots={"shop_country": "CH"}))
    assert messages[0]["text"] == "Dans quelle devise seront tes prix ?"
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/choose{"choice":"CHF"}', '/choose{"choice":"EUR"}', '/choose{"choice":"USD"}']
    messages, _ = await run(ActionAskShopLanguage(), tracker("", "inform", language="zh"))
    assert [b["title"] for b in messages[0]["buttons"]][-2:] == ["Norsk bokmål", "中文"]
    assert len(messages[0]["buttons"]) == 8


async def test_confirm_then_create_once_owned_by_the_sender(market: Marketplace) -> None:
    messages, _ = await run(ActionConfirmShop(), tracker("", "inform", user=NEWCOMER, language="pt", slots=FILLED))
    assert messages[0]["text"] == ("Casa Lima\nEnvia de: Portugal\nPreços em: EUR\nAnúncios em: Português\n"
                                   "Cerâmica pintada à mão em Lisboa\n\nAbrir esta loja?")
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny"]
    yes = tracker("/affirm", "affirm", user=NEWCOMER, language="pt", slots=FILLED)
    messages, events = await run(ActionCreateShop(), yes)
    assert messages[0]["text"] == "🎉 Casa Lima está aberta! Diga “adicionar um produto” para anunciar seu primeiro item."
    assert slots_set(events) == dict.fromkeys(FILLED)
    [shop] = await market.get("/shops", owner_telegram_id=NEWCOMER)
    assert (shop["name"], shop["country"], shop["currency"], shop["language"]) == ("Casa Lima", "PT", "EUR", "pt")
    messages, _ = await run(ActionCreateShop(), yes)  # a second press: no second shop
    assert messages[0]["text"].startswith("Você já tem uma loja: Casa Lima (Portugal, preços em EUR).")
    assert len(await market.get("/shops", owner_telegram_id=NEWCOMER)) == 1


async def test_the_owner_is_always_the_sender_and_no_forgets_the_answers(market: Marketplace) -> None:
    # the owner is always the sender: the slots cannot name another person
    messages, _ = await run(ActionCreateShop(), tracker("/affirm", "affirm", user=BUYER, language="es", slots=FILLED))
    assert messages[0]["text"].startswith("🎉 ¡Casa Lima está abierta!")
    assert [s["owner_telegram_id"] for s in await market.get("/shops", owner_telegram_id=BUYER)] == [BUYER]
    assert len(await market.get("/shops", owner_telegram_id=SELLER)) == 1
    messages, events = await run(ActionDropShop(), tracker("no", "deny", user=NEWCOMER, language="it", slots=FILLED))
    assert messages[0]["text"] == "Va bene, niente negozio per ora. Scrivi «voglio vendere» quando vuoi."
    assert slots_set(events) == dict.fromkeys(FILLED)
