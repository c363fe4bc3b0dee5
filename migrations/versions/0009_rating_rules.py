"""ratings: default ratings, re-rating after rectification, appeals of bad ratings

Revision ID: 0009_rating_rules
Revises: 0006_tickets
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = '0009_rating_rules'
down_revision = '0006_tickets'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=16), server_default='requester', nullable=False))
        batch_op.add_column(sa.Column('original_score', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rerated_at', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('excluded', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'rating_appeals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('filed_by', sa.Integer(), nullable=False),
        sa.Column('filed_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('decision', sa.String(length=16), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=True),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('decided_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['rectification_cases.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by'], ['staff_members.id']),
        sa.ForeignKeyConstraint(['filed_by'], ['staff_members.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id'),
    )


def downgrade() -> None:
    op.drop_table('rating_appeals')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_column('excluded')
        batch_op.drop_column('rerated_at')
        batch_op.drop_column('original_score')
        batch_op.drop_column('source')
