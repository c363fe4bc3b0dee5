"""entities: company administrators' grants can be suspended when the legal representative changes

Revision ID: 0018_entity_administrators
Revises: 0012_record_ownership
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = '0018_entity_administrators'
down_revision = '0012_record_ownership'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('entity_agent_grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_at', app.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('entity_agent_grants', schema=None) as batch_op:
        batch_op.drop_column('suspended_at')
