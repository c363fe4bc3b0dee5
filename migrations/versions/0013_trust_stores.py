"""trust: used nonces in the database, WeChat message receipts, the refresh grace

Revision ID: 0013_trust_stores
Revises: 0011_push_sent_reports
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = '0013_trust_stores'
down_revision = '0011_push_sent_reports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'used_nonces',
        sa.Column('scope', sa.String(length=80), nullable=False),
        sa.Column('nonce', sa.String(length=128), nullable=False),
        sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('scope', 'nonce'),
    )
    with op.batch_alter_table('used_nonces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_used_nonces_expires_at'), ['expires_at'], unique=False)
    op.create_table(
        'push_wechat_messages',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('received_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    with op.batch_alter_table('push_wechat_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_wechat_messages_received_at'), ['received_at'], unique=False)
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('successor_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('successor_sealed', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.drop_column('successor_sealed')
        batch_op.drop_column('successor_id')
    with op.batch_alter_table('push_wechat_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_wechat_messages_received_at'))
    op.drop_table('push_wechat_messages')
    with op.batch_alter_table('used_nonces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_used_nonces_expires_at'))
    op.drop_table('used_nonces')
