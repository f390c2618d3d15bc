"""Database models (SQLAlchemy 2.0, typed). Money is Numeric + a currency column; times are UTC."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: pass timezone-aware UTC times")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
money = Annotated[Decimal, mapped_column(Numeric(18, 4))]
currency_code = Annotated[str, mapped_column(String(3))]
country_code = Annotated[str, mapped_column(String(2))]
lang_code = Annotated[str, mapped_column(String(8))]
tg_id = Annotated[int, mapped_column(BigInteger)]
created = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow)]
updated = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention that Alembic can diff."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class OrderStatus(enum.StrEnum):
    """States of an order; money is held from `paid` until `completed` or `released`."""

    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    DISPUTED = "disputed"
    REFUNDED = "refunded"
    RELEASED = "released"


class ProductStatus(enum.StrEnum):
    """Whether a listing is visible to buyers."""

    ACTIVE = "active"
    PAUSED = "paused"


class Shop(Base):
    """A small business selling on Tradewind, owned by one Telegram user."""

    __tablename__ = "shops"

    id: Mapped[intpk]
    owner_telegram_id: Mapped[tg_id] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[country_code]
    currency: Mapped[currency_code]
    language: Mapped[lang_code]
    city: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    rating_sum: Mapped[int] = mapped_column(default=0)
    rating_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created]

    products: Mapped[list[Product]] = relationship(back_populates="shop")

    @property
    def rating(self) -> Decimal | None:
        """Average stars from reviews of completed orders, one decimal."""
        if not self.rating_count:
            return None
        return (Decimal(self.rating_sum) / self.rating_count).quantize(Decimal("0.1"))


class Product(Base):
    """A listing: price in the shop's currency, stock, photos, and translations."""

    __tablename__ = "products"
    __table_args__ = (CheckConstraint("stock >= 0", name="stock_not_negative"),
                      CheckConstraint("price_amount > 0", name="price_positive"))

    id: Mapped[intpk]
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    original_language: Mapped[lang_code]
    price_amount: Mapped[money]
    price_currency: Mapped[currency_code]
    stock: Mapped[int] = mapped_column(default=0)
    photos: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[ProductStatus] = mapped_column(
        Enum(ProductStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=ProductStatus.ACTIVE,
    )
    created_at: Mapped[created]
    updated_at: Mapped[updated]

    shop: Mapped[Shop] = relationship(back_populates="products")
    translations: Mapped[list[ProductTranslation]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )


class ProductTranslation(Base):
    """Title and description of a product in one language, with its normalised search text."""

    __tablename__ = "product_translations"
    __table_args__ = (UniqueConstraint("product_id", "language"),)

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    language: Mapped[lang_code]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16), default="original")  # original|machine|seller
    search_text: Mapped[str] = mapped_column(Text, default="")

    product: Mapped[Product] = relationship(back_populates="translations")


class Customer(Base):
    """A buyer, known by their Telegram user id."""

    __tablename__ = "customers"

    id: Mapped[intpk]
    telegram_user_id: Mapped[tg_id] = mapped_column(unique=True)
    name: Mapped[str | None] = mapped_column(String(120))
    language: Mapped[lang_code] = mapped_column(default="en")
    country: Mapped[str | None] = mapped_column(String(2))
    currency: Mapped[currency_code] = mapped_column(default="EUR")
    created_at: Mapped[created]
    # Last time the person talked to the bot (any action); counts active customers for support stats.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Cart(Base):
    """A customer's open cart; items may come from several shops."""

    __tablename__ = "carts"

    id: Mapped[intpk]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|checked_out
    created_at: Mapped[created]
    updated_at: Mapped[updated]

    items: Mapped[list[CartItem]] = relationship(back_populates="cart", cascade="all, delete-orphan")


class CartItem(Base):
    """A product and quantity in a cart."""

    __tablename__ = "cart_items"
    __table_args__ = (UniqueConstraint("cart_id", "product_id"),
                      CheckConstraint("quantity > 0", name="quantity_positive"))

    id: Mapped[intpk]
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    quantity: Mapped[int]

    cart: Mapped[Cart] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()


class Order(Base):
    """One shop's part of a checkout. Amounts are in the shop's currency."""

    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_status_updated", "status", "updated_at"),)

    id: Mapped[intpk]
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(
        Enum(OrderStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=OrderStatus.PENDING_PAYMENT,
    )
    currency: Mapped[currency_code]
    subtotal: Mapped[money]
    shipping: Mapped[money] = mapped_column(default=Decimal(0))
    total: Mapped[money]
    shipping_country: Mapped[str | None] = mapped_column(String(2))
    shipping_address: Mapped[str | None] = mapped_column(Text)
    carrier: Mapped[str | None] = mapped_column(String(60))
    tracking_number: Mapped[str | None] = mapped_column(String(80))
    payment_charge_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # escrow upkeep claimed the reminder
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created]
    updated_at: Mapped[updated]

    items: Mapped[list[OrderItem]] = relationship(back_populates="order", cascade="all, delete-orphan")
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="OrderEvent.id", cascade="all, delete-orphan"
    )
    shop: Mapped[Shop] = relationship()


class OrderItem(Base):
    """A line of an order, with the title and unit price as they were when ordered."""

    __tablename__ = "order_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[money]
    currency: Mapped[currency_code]
    quantity: Mapped[int]

    order: Mapped[Order] = relationship(back_populates="items")


class OrderEvent(Base):
    """The order's log: every transition with its actor and time. Append-only."""

    __tablename__ = "order_events"

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[created]

    order: Mapped[Order] = relationship(back_populates="events")


class Review(Base):
    """A buyer's 1-5 star review of a completed order."""

    __tablename__ = "reviews"
    __table_args__ = (CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),)

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    stars: Mapped[int]
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created]


class OutboxMessage(Base):
    """An event another process must deliver (e.g. order paid -> seller alert), written in the same
    transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "delivered_at", "available_at"),)

    id: Mapped[intpk]
    topic: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[created]
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Recipients already told (comma-separated, e.g. "seller"), so a retried row never repeats them.
    delivered_to: Mapped[str] = mapped_column(String(64), default="", server_default="")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created]


class ExchangeRate(Base):
    """Units of `currency` per 1 EUR on `rate_date` (ECB reference-rate convention)."""

    __tablename__ = "exchange_rates"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Numeric(20, 8))
    rate_date: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(40))


class TranslationMemoryEntry(Base):
    """A machine translation we already paid for, reused instead of asking the provider again."""

    __tablename__ = "translation_memory"
    __table_args__ = (UniqueConstraint("provider", "source", "target", "text_hash"),)

    id: Mapped[intpk]
    provider: Mapped[str] = mapped_column(String(16))
    source: Mapped[lang_code]
    target: Mapped[lang_code]
    text_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 hex of the stripped text
    text: Mapped[str] = mapped_column(Text)
    translated: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created]


class Conversation(Base):
    """A buyer <-> seller thread about one order or one product, relayed (and translated) by the bot.
    `topic` is `order:<id>` or `product:<id>`; one thread per topic and buyer."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("topic", "customer_id"),
                      CheckConstraint("(order_id IS NULL) <> (product_id IS NULL)", name="one_subject"))

    id: Mapped[intpk]
    topic: Mapped[str] = mapped_column(String(32))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    # The latest "type your message" prompt the bot sent each side; a reply to it belongs to this thread.
    buyer_prompt_message_id: Mapped[int | None] = mapped_column(BigInteger)
    seller_prompt_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[created]

    shop: Mapped[Shop] = relationship()
    customer: Mapped[Customer] = relationship()
    messages: Mapped[list[ConversationMessage]] = relationship(
        back_populates="conversation", order_by="ConversationMessage.id", cascade="all, delete-orphan",
        passive_deletes=True)


class ConversationMessage(Base):
    """One relayed message: what the sender wrote, what the recipient read, and the Telegram message
    ids on both sides (a reply to either maps back to the thread)."""

    __tablename__ = "conversation_messages"
    __table_args__ = (UniqueConstraint("sender_chat_id", "sender_message_id"),
                      Index("ix_conversation_messages_recipient", "recipient_chat_id", "recipient_message_id"))

    id: Mapped[intpk]
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    sender_role: Mapped[str] = mapped_column(String(8))  # buyer|seller
    sender_telegram_id: Mapped[tg_id]
    original_text: Mapped[str] = mapped_column(Text)
    original_language: Mapped[lang_code]
    translated_text: Mapped[str | None] = mapped_column(Text)  # None when not translated
    translated_language: Mapped[lang_code]  # the recipient's language
    translation_note: Mapped[str | None] = mapped_column(String(200))
    sender_chat_id: Mapped[int] = mapped_column(BigInteger)
    sender_message_id: Mapped[int | None] = mapped_column(BigInteger)
    recipient_chat_id: Mapped[int] = mapped_column(BigInteger)
    recipient_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[created]
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class HandoffState(enum.StrEnum):
    """A support handoff waits in the queue (`open`), is taken by a staff member (`claimed`), then ends."""

    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


class HandoffReason(enum.StrEnum):
    """Why the bot handed the conversation to a human."""

    TALK_TO_HUMAN = "talk_to_human"
    FALLBACK = "fallback"  # two misunderstandings in a row
    DISPUTE = "dispute"
    ESCALATION = "escalation"  # the bot or a seller escalated


class Handoff(Base):
    """A conversation support staff took over: one topic in the staff group, at most one active per person."""

    __tablename__ = "handoffs"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        Index("ix_handoffs_one_active_per_person", "telegram_user_id", unique=True,
              sqlite_where=sql_text("state <> 'closed'"), postgresql_where=sql_text("state <> 'closed'")),
        Index("ix_handoffs_topic", "staff_chat_id", "thread_id"),
        Index("ix_handoffs_state_created", "state", "created_at"),
    )

    id: Mapped[intpk]
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)  # None once the person was forgotten
    name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))  # buyer|seller
    language: Mapped[lang_code]
    country: Mapped[str | None] = mapped_column(String(2))
    reason: Mapped[HandoffReason] = mapped_column(
        Enum(HandoffReason, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[HandoffState] = mapped_column(
        Enum(HandoffState, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=HandoffState.OPEN)
    assignee_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    assignee_name: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[created]
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_staff_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(64))
    rating: Mapped[int | None]

    events: Mapped[list[HandoffEvent]] = relationship(
        back_populates="handoff", order_by="HandoffEvent.id", cascade="all, delete-orphan", passive_deletes=True)


class HandoffEvent(Base):
    """The handoff's log: opened, claimed, internal notes, refunds, closed, rated. Append-only."""

    __tablename__ = "handoff_events"

    id: Mapped[intpk]
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(64))  # staff:<tg id>, buyer:<tg id>, seller:<tg id>, system
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created]

    handoff: Mapped[Handoff] = relationship(back_populates="events")
