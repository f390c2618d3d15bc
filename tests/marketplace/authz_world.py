"""A small marketplace in which four people may or may not touch each other's things (for
tests/marketplace/test_authorization.py): a buyer and a seller who traded, support staff, a stranger
who is a buyer and a seller elsewhere."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.models import Customer, HandoffReason, Order, OutboxMessage, Product
from marketplace.services import carts, checkout, conversations, handoffs
from marketplace.services.orders import OrderAction, transition
from marketplace.services.photos import store_photo
from tests.marketplace import builders

BUYER, SELLER, STAFF, STRANGER = 700001, 900001, 600001, 800001
PEOPLE = {"buyer": BUYER, "seller": SELLER, "staff": STAFF, "stranger": STRANGER}
ADDRESS = "Calle Secreta 742, Buenos Aires"  # only the buyer and the seller may ever see it
PROMPT = 5001  # the Telegram id of the "type your message" prompt the buyer got


@dataclass(frozen=True)
class World:
    """Ids of what the buyer and the seller own."""

    shop: int
    product: int
    pending: int  # awaiting payment
    paid: int
    done: int  # completed: may be reviewed
    disputed: int  # attached to the buyer's open handoff
    conversation: int
    handoff: int  # open, about `disputed`
    closed_handoff: int  # may be rated
    outbox: int
    photo: str
    message: int = 0  # a relayed message from the buyer (posted through the API by the test)


def _order(session: Session, buyer: Customer, product: Product, *steps: OrderAction) -> Order:
    cart = carts.open_cart(session, buyer)
    carts.set_item(session, cart=cart, product_id=product.id, quantity=1)
    [order] = checkout.checkout(session, cart=cart, customer=buyer, shipping_country="AR", shipping_address=ADDRESS)
    for step in steps:
        if step is OrderAction.PAY:
            builders.pay(session, order)
            continue
        fields = {"carrier": "Posten", "tracking_number": "LA123NO"} if step is OrderAction.SHIP else None
        transition(session, order=order, action=step, actor="system", fields=fields)
    return order


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def build(factory: sessionmaker[Session], media_dir: Path) -> World:
    """The world, written through the real services."""
    A = OrderAction  # noqa: N806
    with transaction(factory) as session:
        builders.rates(session)
        shop = builders.shop(session, owner=SELLER)
        product = builders.product(session, shop, stock=50)
        buyer = builders.customer(session, telegram_user_id=BUYER)
        stranger = builders.customer(session, telegram_user_id=STRANGER, language="de", country="DE",
                                     currency="EUR")
        elsewhere = builders.shop(session, owner=STRANGER, country="DE", currency="EUR", language="de",
                                  name="Lukas Laden")
        carts.set_item(session, cart=carts.open_cart(session, stranger),
                       product_id=builders.product(session, elsewhere, title="Wollmütze").id, quantity=1)
        pending = _order(session, buyer, product)
        paid = _order(session, buyer, product, A.PAY)
        done = _order(session, buyer, product, A.PAY, A.SHIP, A.CONFIRM_DELIVERY, A.RELEASE)
        disputed = _order(session, buyer, product, A.PAY, A.DISPUTE)
        thread = conversations.open_for_order(session, order_id=paid.id, telegram_id=BUYER, role="buyer")
        conversations.set_prompt(thread, "buyer", PROMPT)
        person = handoffs.Person(telegram_user_id=BUYER, role="buyer", language="es", name="María", country="AR")
        closed, _ = handoffs.open_handoff(session, person, reason=HandoffReason.TALK_TO_HUMAN)
        handoffs.close(session, closed, actor="system")
        session.flush()
        active, _ = handoffs.open_handoff(session, person, reason=HandoffReason.DISPUTE, order_id=disputed.id)
        session.flush()
        outbox = session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)).first()
        assert outbox is not None
        return World(shop=shop.id, product=product.id, pending=pending.id, paid=paid.id, done=done.id,
                     disputed=disputed.id, conversation=thread.id, handoff=active.id, closed_handoff=closed.id,
                     outbox=outbox, photo=store_photo(media_dir, _png()))
