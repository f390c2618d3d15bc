"""orders.reminded_at: the escrow upkeep claims an order's reminder with a conditional UPDATE

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
    # Orders reminded before this column existed keep their reminder: never remind them again.
    op.execute("UPDATE orders SET reminded_at = (SELECT min(e.created_at) FROM order_events e "
               "WHERE e.order_id = orders.id AND e.event = 'remind') "
               "WHERE EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = orders.id AND e.event = 'remind')")


def downgrade() -> None:
    # In place (SQLite >= 3.35): copying the table would drop `orders` with foreign keys on, and the
    # implicit delete would cascade to the order items and events.
    with op.batch_alter_table('orders', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('reminded_at')
