"""translation memory; buyer <-> seller conversations and their messages

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 13:12:00.397897
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('translation_memory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('target', sa.String(length=8), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('translated', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_memory')),
    sa.UniqueConstraint('provider', 'source', 'target', 'text_hash', name=op.f('uq_translation_memory_provider'))
    )
    op.create_table('conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('buyer_prompt_message_id', sa.BigInteger(), nullable=True),
    sa.Column('seller_prompt_message_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(order_id IS NULL) <> (product_id IS NULL)', name=op.f('ck_conversations_one_subject')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_conversations_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_conversations_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_conversations_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_conversations_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations')),
    sa.UniqueConstraint('topic', 'customer_id', name=op.f('uq_conversations_topic'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversations_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversations_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversations_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversations_shop_id'), ['shop_id'], unique=False)

    op.create_table('conversation_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('sender_role', sa.String(length=8), nullable=False),
    sa.Column('sender_telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('original_text', sa.Text(), nullable=False),
    sa.Column('original_language', sa.String(length=8), nullable=False),
    sa.Column('translated_text', sa.Text(), nullable=True),
    sa.Column('translated_language', sa.String(length=8), nullable=False),
    sa.Column('translation_note', sa.String(length=200), nullable=True),
    sa.Column('sender_chat_id', sa.BigInteger(), nullable=False),
    sa.Column('sender_message_id', sa.BigInteger(), nullable=True),
    sa.Column('recipient_chat_id', sa.BigInteger(), nullable=False),
    sa.Column('recipient_message_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_messages_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_messages')),
    sa.UniqueConstraint('sender_chat_id', 'sender_message_id', name=op.f('uq_conversation_messages_sender_chat_id'))
    )
    with op.batch_alter_table('conversation_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_messages_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index('ix_conversation_messages_recipient', ['recipient_chat_id', 'recipient_message_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('conversation_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_conversation_messages_recipient')
        batch_op.drop_index(batch_op.f('ix_conversation_messages_conversation_id'))

    op.drop_table('conversation_messages')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversations_shop_id'))
        batch_op.drop_index(batch_op.f('ix_conversations_product_id'))
        batch_op.drop_index(batch_op.f('ix_conversations_order_id'))
        batch_op.drop_index(batch_op.f('ix_conversations_customer_id'))

    op.drop_table('conversations')
    op.drop_table('translation_memory')
