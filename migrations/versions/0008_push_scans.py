"""push scans: indexes for the date-window range queries (birth dates, certificate expiry)

Revision ID: 0008_push_scans
Revises: 0007_push
"""

from __future__ import annotations

from alembic import op

revision = '0008_push_scans'
down_revision = '0007_push'
branch_labels = None
depends_on = ('0004_people',)


def upgrade() -> None:
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index('ix_persons_birth_date', ['birth_date', 'id'], unique=False)
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('ix_certificates_type_expires_on', ['type', 'expires_on', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('ix_certificates_type_expires_on')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index('ix_persons_birth_date')
