"""push: WeChat's sent reports, to settle sends whose worker died mid-call

Revision ID: 0011_push_sent_reports
Revises: 0008_push_scans
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = '0011_push_sent_reports'
down_revision = '0008_push_scans'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'push_sent_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('msgid', sa.String(length=64), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('template_id', sa.String(length=128), nullable=False),
        sa.Column('error_code', sa.Integer(), nullable=False),
        sa.Column('error_status', sa.String(length=64), nullable=False),
        sa.Column('reported_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('received_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('delivery_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['delivery_id'], ['push_deliveries.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('msgid'),
    )
    with op.batch_alter_table('push_sent_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_sent_reports_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_sent_reports_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_sent_reports_received_at'), ['received_at'], unique=False)
    with op.batch_alter_table('push_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_deliveries_msgid'), ['msgid'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('push_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_deliveries_msgid'))
    with op.batch_alter_table('push_sent_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_sent_reports_received_at'))
        batch_op.drop_index(batch_op.f('ix_push_sent_reports_delivery_id'))
        batch_op.drop_index(batch_op.f('ix_push_sent_reports_account_id'))
    op.drop_table('push_sent_reports')
