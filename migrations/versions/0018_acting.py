"""acting: proxy grants (亲属代办) and the coming of age of wards

Revision ID: 0018_acting
Revises: 0004_people
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = '0018_acting'
down_revision = '0004_people'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('proxy_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grantor_person_id', sa.Integer(), nullable=False),
    sa.Column('grantee_account_id', sa.Integer(), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_type', sa.String(length=16), nullable=False),
    sa.Column('recorded_by_id', sa.String(length=64), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('revoked_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['grantee_account_id'], ['accounts.id'], name=op.f('fk_proxy_grants_grantee_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grantor_person_id'], ['persons.id'], name=op.f('fk_proxy_grants_grantor_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proxy_grants'))
    )
    with op.batch_alter_table('proxy_grants', schema=None) as batch_op:
        batch_op.create_index('ix_proxy_grants_grantee', ['grantee_account_id', 'expires_at'], unique=False)
        batch_op.create_index('ix_proxy_grants_grantor', ['grantor_person_id', 'expires_at'], unique=False)
    op.create_table('acting_coming_of_age',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('adult_on', sa.Date(), nullable=False),
    sa.Column('announced_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_acting_coming_of_age_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_acting_coming_of_age'))
    )


def downgrade() -> None:
    op.drop_table('acting_coming_of_age')
    with op.batch_alter_table('proxy_grants', schema=None) as batch_op:
        batch_op.drop_index('ix_proxy_grants_grantor')
        batch_op.drop_index('ix_proxy_grants_grantee')
    op.drop_table('proxy_grants')
