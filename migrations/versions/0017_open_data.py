"""open data: published datasets and their rows; ratings held for review by the burst rule

Revision ID: 0017_open_data
Revises: 0009_rating_rules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = '0017_open_data'
down_revision = '0009_rating_rules'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'open_datasets',
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('built_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('row_count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('code'),
    )
    op.create_table(
        'open_dataset_rows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dataset_code', sa.String(length=64), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('values', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['dataset_code'], ['open_datasets.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_open_dataset_rows_dataset_position', 'open_dataset_rows', ['dataset_code', 'position'],
                    unique=True)
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_for_review', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('client_key', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_column('client_key')
        batch_op.drop_column('held_for_review')
    op.drop_index('ix_open_dataset_rows_dataset_position', table_name='open_dataset_rows')
    op.drop_table('open_dataset_rows')
    op.drop_table('open_datasets')
