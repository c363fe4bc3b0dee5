"""oidc: relying parties, residents' consents, tokens issued to clients

Revision ID: 0015_oidc
Revises: 0002_identity
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = '0015_oidc'
down_revision = '0002_identity'
branch_labels = ('oidc',)
depends_on = None


def upgrade() -> None:
    op.create_table(
        'oidc_clients',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.String(length=48), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=True),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('department', sa.String(length=100), nullable=False),
        sa.Column('logo_text', sa.String(length=8), nullable=False),
        sa.Column('redirect_uris', sa.JSON(), nullable=False),
        sa.Column('claims', sa.JSON(), nullable=False),
        sa.Column('min_level', sa.Integer(), nullable=False),
        sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('client_id'),
    )
    op.create_table(
        'oidc_consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('client_pk', sa.Integer(), nullable=False),
        sa.Column('claims', sa.JSON(), nullable=False),
        sa.Column('declined', sa.JSON(), nullable=False),
        sa.Column('granted_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['client_pk'], ['oidc_clients.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('account_id', 'client_pk'),
    )
    with op.batch_alter_table('oidc_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oidc_consents_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_oidc_consents_client_pk'), ['client_pk'], unique=False)
    op.create_table(
        'oidc_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_pk', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('access_token_hash', sa.String(length=64), nullable=False),
        sa.Column('refresh_token_hash', sa.String(length=64), nullable=True),
        sa.Column('code_hash', sa.String(length=64), nullable=True),
        sa.Column('scope', sa.String(length=500), nullable=False),
        sa.Column('claims', sa.JSON(), nullable=False),
        sa.Column('acr', sa.String(length=16), nullable=False),
        sa.Column('auth_time', sa.Integer(), nullable=False),
        sa.Column('issued_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('refresh_expires_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['client_pk'], ['oidc_clients.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('access_token_hash'),
        sa.UniqueConstraint('refresh_token_hash'),
    )
    with op.batch_alter_table('oidc_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oidc_tokens_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_oidc_tokens_client_pk'), ['client_pk'], unique=False)
        batch_op.create_index(batch_op.f('ix_oidc_tokens_code_hash'), ['code_hash'], unique=False)


def downgrade() -> None:
    op.drop_table('oidc_tokens')
    op.drop_table('oidc_consents')
    op.drop_table('oidc_clients')
