"""licences: status decisions dated in the future wait as scheduled changes

Revision ID: 0010_licence_scheduled_changes
Revises: 0005_entities
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = '0010_licence_scheduled_changes'
down_revision = '0005_entities'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('licence_status_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=12), server_default='applied', nullable=False))
        batch_op.add_column(sa.Column('applied_at', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_licence_status_changes_status_effective_on', ['status', 'effective_on'],
                              unique=False)
    # Every change recorded so far was applied when it was received.
    op.execute("UPDATE licence_status_changes SET applied_at = recorded_at")


def downgrade() -> None:
    with op.batch_alter_table('licence_status_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_licence_status_changes_status_effective_on')
        batch_op.drop_column('applied_at')
        batch_op.drop_column('status')
