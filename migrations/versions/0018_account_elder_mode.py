"""identity: the account's 长者模式 (elder mode) setting, remembered across devices

Revision ID: 0018_account_elder_mode
Revises: 0002_identity
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018_account_elder_mode'
down_revision = '0002_identity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('elder_mode', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('elder_mode')
