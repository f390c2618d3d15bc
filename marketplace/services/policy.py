"""Who may do what to an order. Actors are 'buyer:<tg id>', 'seller:<tg id>', 'staff:<tg id>', 'system'."""

from __future__ import annotations

from marketplace.models import Customer, Order
from marketplace.services.errors import DomainError, NotFound
from marketplace.services.orders import OrderAction

A = OrderAction
ALLOWED: dict[str, frozenset[OrderAction]] = {
    "buyer": frozenset({A.CANCEL, A.CONFIRM_DELIVERY, A.DISPUTE}),
    "seller": frozenset({A.ACCEPT, A.SHIP, A.CANCEL, A.DISPUTE}),
    # Staff membership is checked by the bot (staff group); the API trusts its own services.
    "staff": frozenset({A.CANCEL, A.REFUND, A.RELEASE, A.DISPUTE}),
    "system": frozenset({A.PAY, A.RELEASE}),
}


def is_party(order: Order, customer: Customer | None, telegram_id: int) -> bool:
    """Whether this person is the order's buyer or its shop's owner."""
    buyer = customer.telegram_user_id if customer is not None else None
    return telegram_id in (buyer, order.shop.owner_telegram_id)


def check_actor(*, order: Order, actor: str, action: OrderAction, customer: Customer | None) -> None:
    """Refuse an action the actor may not take; someone else's order looks like a missing one."""
    role, _, ident = actor.partition(":")
    if role == "buyer" and (customer is None or str(customer.telegram_user_id) != ident):
        raise NotFound(f"order {order.id} not found")
    if role == "seller" and str(order.shop.owner_telegram_id) != ident:
        raise NotFound(f"order {order.id} not found")
    if action not in ALLOWED.get(role, frozenset()):
        raise DomainError(f"a {role} cannot {action.value} an order")
