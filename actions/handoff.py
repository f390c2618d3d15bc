"""Handing a conversation to support staff: the actions open the handoff in the marketplace and tell
the bot with a custom message `{"handoff": {...}}`; the bot then opens the staff-group topic, tells
the person how many are waiting, and relays everything between them until staff close it.

Triggers: `talk_to_human` (or an escalation: the `handoff_reason` slot set to "escalation" by
another action, or `request_handoff(..., reason="escalation")` called from one), two fallbacks in a
row (actions/support.py), and `open_dispute` with the order attached.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.buyer import conversation_language, current_buyer, metadata
from actions.catalog import entity, payload
from actions.marketplace import Marketplace, MarketplaceError, marketplace
from actions.orders import describe
from actions.texts import STATUS, say

REASONS = ("talk_to_human", "fallback", "dispute", "escalation")
DISPUTABLE = ("paid", "shipped", "delivered")

TEXTS: dict[str, dict[str, str]] = {
    "handoff_failed": {
        "en": "I couldn't reach a human colleague right now. Please try again in a few minutes.",
        "es": "Ahora mismo no pude contactar con una persona del equipo. Inténtalo de nuevo en unos minutos.",
        "pt": "Não consegui falar com uma pessoa da equipe agora. Tente novamente em alguns minutos.",
        "de": "Ich konnte gerade niemanden aus dem Team erreichen. Bitte versuche es in ein paar Minuten erneut.",
        "fr": "Je n'ai pas pu joindre un collègue pour le moment. Réessaie dans quelques minutes.",
        "it": "Non sono riuscito a contattare una persona del team. Riprova tra qualche minuto.",
        "nb": "Jeg fikk ikke tak i en kollega akkurat nå. Prøv igjen om noen minutter.",
        "zh": "暂时联系不上人工客服，请几分钟后再试。"},
    "dispute_opened": {
        "en": "I'm sorry about that. I opened a case for order #{id}: the payment stays on hold and a colleague "
              "from support will sort it out with you here.",
        "es": "Siento lo ocurrido. Abrí una reclamación para el pedido #{id}: el pago queda retenido y una persona "
              "del equipo de soporte lo resolverá contigo aquí.",
        "pt": "Sinto muito. Abri uma reclamação para o pedido #{id}: o pagamento fica retido e uma pessoa do "
              "suporte vai resolver isso com você aqui.",
        "de": "Das tut mir leid. Ich habe für Bestellung #{id} einen Fall eröffnet: Die Zahlung bleibt zurückgehalten "
              "und jemand vom Support klärt das hier mit dir.",
        "fr": "Désolé pour ça. J'ai ouvert un litige pour la commande n° {id} : le paiement reste bloqué et un "
              "collègue du support va régler ça avec toi ici.",
        "it": "Mi dispiace. Ho aperto una pratica per l'ordine #{id}: il pagamento resta bloccato e una persona "
              "del supporto lo risolverà con te qui.",
        "nb": "Det var leit. Jeg har åpnet en sak for ordre #{id}: betalingen holdes tilbake, og en kollega fra "
              "kundeservice ordner det med deg her.",
        "zh": "很抱歉。我已为订单 #{id} 发起售后：货款将被冻结，客服同事会在这里和你一起处理。"},
    "dispute_not_possible": {
        "en": "Order #{id} can no longer be disputed ({reason}), but I'm passing you to a colleague who can look "
              "into it.",
        "es": "El pedido #{id} ya no admite reclamación ({reason}), pero te paso con una persona del equipo que "
              "puede revisarlo.",
        "pt": "O pedido #{id} não pode mais ser contestado ({reason}), mas vou passar você para uma pessoa da "
              "equipe que pode verificar.",
        "de": "Für Bestellung #{id} ist keine Reklamation mehr möglich ({reason}), aber ich gebe dich an jemanden "
              "weiter, der sich das ansieht.",
        "fr": "La commande n° {id} ne peut plus être contestée ({reason}), mais je te passe un collègue qui peut "
              "regarder.",
        "it": "L'ordine #{id} non si può più contestare ({reason}), ma ti passo a una persona che può verificare.",
        "nb": "Ordre #{id} kan ikke lenger klages på ({reason}), men jeg setter deg over til en kollega som kan "
              "se på den.",
        "zh": "订单 #{id} 已无法发起售后（{reason}），但我会帮你转给能处理的同事。"},
    "which_dispute": {
        "en": "Which order is it about?", "es": "¿De qué pedido se trata?", "pt": "Qual é o pedido?",
        "de": "Um welche Bestellung geht es?", "fr": "De quelle commande s'agit-il ?",
        "it": "Di quale ordine si tratta?",
        "nb": "Hvilken ordre gjelder det?", "zh": "是哪个订单？"},
    "problem_with": {
        "en": "Problem with #{id}", "es": "Problema con #{id}", "pt": "Problema com #{id}", "de": "Problem mit #{id}",
        "fr": "Problème avec n° {id}", "it": "Problema con #{id}", "nb": "Problem med #{id}", "zh": "#{id} 有问题"},
}


def text(key: str, language: str, **values: object) -> str:
    """A sentence of this module in `language` (English when unknown)."""
    variants = TEXTS[key]
    return variants.get(language, variants["en"]).format(**values)


def person_role(tracker: Tracker) -> str:
    """'seller' when the bot says so (shop owner), else 'buyer'."""
    return "seller" if metadata(tracker).get("role") == "seller" else "buyer"


async def request_handoff(market: Marketplace, tracker: Tracker, *, reason: str,
                          order_id: int | None = None) -> dict[str, Any]:
    """Open (or find) the person's handoff in the marketplace; raises MarketplaceError."""
    if reason not in REASONS:
        raise ValueError(f"unknown handoff reason {reason!r}")
    data, language, role = metadata(tracker), conversation_language(tracker), person_role(tracker)
    user_id = data.get("telegram_user_id")
    if not user_id:
        raise MarketplaceError("the conversation has no Telegram user", 400)
    country = None
    if role == "buyer":
        country = (await current_buyer(tracker, market)).country
    else:
        shops = await market.get("/shops", owner_telegram_id=user_id)
        country = shops[0]["country"] if shops else None
    return await market.post("/handoffs", {
        "telegram_user_id": int(user_id), "name": data.get("first_name"), "role": role, "language": language,
        "country": country, "reason": reason, "order_id": order_id})


def handoff_message(handoff: dict[str, Any]) -> dict[str, Any]:
    """The custom message that tells the bot to take the conversation to the staff group."""
    return {"handoff": {key: handoff.get(key) for key in (
        "id", "created", "reason", "order_id", "queue_position", "thread_id")}}


def handoff_slots(reason: str) -> list[dict[str, Any]]:
    """Rasa's record that a human has the conversation (the bot resets it when staff are done)."""
    return [SlotSet("handoff_requested", True), SlotSet("handoff_reason", reason)]


class ActionRequestHandoff(Action):
    """The person asks for a human (or another action escalated): open the handoff, tell the bot."""

    def name(self) -> str:
        return "action_request_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language = conversation_language(tracker)
        reason = "escalation" if tracker.get_slot("handoff_reason") == "escalation" else "talk_to_human"
        try:
            handoff = await request_handoff(marketplace(), tracker, reason=reason)
        except MarketplaceError:
            dispatcher.utter_message(text=text("handoff_failed", language))
            return []
        dispatcher.utter_message(json_message=handoff_message(handoff))
        return handoff_slots(reason)


async def person_orders(market: Marketplace, tracker: Tracker) -> tuple[list[dict[str, Any]], str]:
    """The person's orders (a buyer's own, or a seller's shops'), newest first, and their actor name."""
    user_id = metadata(tracker).get("telegram_user_id")
    if person_role(tracker) == "seller":
        orders = [o for shop in await market.get("/shops", owner_telegram_id=user_id)
                  for o in await market.get(f"/shops/{shop['id']}/orders", acting=user_id)]
        return sorted(orders, key=lambda o: o["id"], reverse=True), f"seller:{user_id}"
    buyer = await current_buyer(tracker, market)
    return await market.get(f"/customers/{buyer.telegram_user_id}/orders"), f"buyer:{buyer.telegram_user_id}"


def _wanted(tracker: Tracker) -> int | None:
    try:
        return int(entity(tracker, "order_id"))
    except (TypeError, ValueError):
        return None


class ActionOpenDispute(Action):
    """A problem with an order: move it to `disputed` (the money stays held) and hand over to support."""

    def name(self) -> str:
        return "action_open_dispute"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, market = conversation_language(tracker), marketplace()
        try:
            orders, actor = await person_orders(market, tracker)
            order = self.pick(tracker, orders)
            if order is None:
                self.ask_which(dispatcher, orders, language)
                return []
            if order["status"] in DISPUTABLE:
                note = ((tracker.latest_message or {}).get("text") or "")[:1000] or None
                await market.post(f"/orders/{order['id']}/actions", {"action": "dispute", "actor": actor, "note": note})
                dispatcher.utter_message(text=text("dispute_opened", language, id=order["id"]))
            elif order["status"] == "disputed":
                dispatcher.utter_message(text=text("dispute_opened", language, id=order["id"]))
            else:
                reason = STATUS.get(order["status"], {}).get(language, order["status"])
                dispatcher.utter_message(text=text("dispute_not_possible", language, id=order["id"], reason=reason))
            handoff = await request_handoff(market, tracker, reason="dispute", order_id=order["id"])
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return []
        dispatcher.utter_message(json_message=handoff_message(handoff))
        return handoff_slots("dispute")

    @staticmethod
    def pick(tracker: Tracker, orders: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The order named in the message (only if it is the person's), or the only one in dispute range."""
        wanted = _wanted(tracker)
        if wanted is not None:
            return next((o for o in orders if o["id"] == wanted), None)
        candidates = [o for o in orders if o["status"] in (*DISPUTABLE, "disputed")]
        return candidates[0] if len(candidates) == 1 else None

    @staticmethod
    def ask_which(dispatcher: CollectingDispatcher, orders: list[dict[str, Any]], language: str) -> None:
        """List the orders a dispute could be about (else the latest ones), with a button each."""
        candidates = [o for o in orders if o["status"] in (*DISPUTABLE, "disputed")][:5] or orders[:5]
        if not candidates:
            dispatcher.utter_message(text=say("no_orders", language))
            return
        dispatcher.utter_message(
            text=text("which_dispute", language) + "\n" + "\n".join(describe(o, language) for o in candidates),
            buttons=[{"title": text("problem_with", language, id=o["id"]),
                      "payload": payload("open_dispute", order_id=o["id"])} for o in candidates])
