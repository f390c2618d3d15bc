"""support handoffs and their log; customers.last_seen_at (active customers for support stats)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 14:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

ACTIVE = sa.text("state <> 'closed'")


def upgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_customers_last_seen_at'), ['last_seen_at'], unique=False)

    op.create_table('handoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('reason', sa.Enum('talk_to_human', 'fallback', 'dispute', 'escalation', name='handoffreason',
                                native_enum=False, length=16), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('staff_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('thread_id', sa.BigInteger(), nullable=True),
    sa.Column('state', sa.Enum('open', 'claimed', 'closed', name='handoffstate', native_enum=False, length=16),
              nullable=False),
    sa.Column('assignee_telegram_id', sa.BigInteger(), nullable=True),
    sa.Column('assignee_name', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_staff_reply_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=64), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_handoffs_rating_range')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_handoffs_order_id_orders'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoffs'))
    )
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.create_index('ix_handoffs_one_active_per_person', ['telegram_user_id'], unique=True,
                              sqlite_where=ACTIVE, postgresql_where=ACTIVE)
        batch_op.create_index('ix_handoffs_state_created', ['state', 'created_at'], unique=False)
        batch_op.create_index('ix_handoffs_topic', ['staff_chat_id', 'thread_id'], unique=False)

    op.create_table('handoff_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handoff_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['handoff_id'], ['handoffs.id'], name=op.f('fk_handoff_events_handoff_id_handoffs'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_events'))
    )
    with op.batch_alter_table('handoff_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_events_handoff_id'), ['handoff_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('handoff_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_events_handoff_id'))
    op.drop_table('handoff_events')
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.drop_index('ix_handoffs_topic')
        batch_op.drop_index('ix_handoffs_state_created')
        batch_op.drop_index('ix_handoffs_one_active_per_person')
    op.drop_table('handoffs')
    # In place (ALTER TABLE … DROP COLUMN), never by copying the table: on SQLite with foreign keys on,
    # dropping the old `customers` would cascade into their carts and orders.
    with op.batch_alter_table('customers', schema=None, recreate='never') as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_last_seen_at'))
        batch_op.drop_column('last_seen_at')
