"""certificates: holder-held SD-JWT credentials (device keys, status-list indexes); the server-signed
YSS1 shows and their verifications are gone

Revision ID: 0016_credentials
Revises: 0004_people
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = '0016_credentials'
down_revision = '0004_people'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('device_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('thumbprint', sa.String(length=64), nullable=False),
    sa.Column('jwk', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_device_keys_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_keys')),
    sa.UniqueConstraint('account_id', 'thumbprint', name=op.f('uq_device_keys_account_id_thumbprint'))
    )
    op.create_table('credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('device_key_id', sa.Integer(), nullable=False),
    sa.Column('status_list', sa.Integer(), nullable=False),
    sa.Column('status_index', sa.Integer(), nullable=False),
    sa.Column('issued_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_credentials_certificate_id_certificates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['device_key_id'], ['device_keys.id'], name=op.f('fk_credentials_device_key_id_device_keys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credentials')),
    sa.UniqueConstraint('status_list', 'status_index', name=op.f('uq_credentials_status_list_status_index'))
    )
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credentials_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credentials_device_key_id'), ['device_key_id'], unique=False)

    with op.batch_alter_table('show_verifications', schema=None) as batch_op:
        batch_op.drop_index('ix_show_verifications_show')
    op.drop_table('show_verifications')
    with op.batch_alter_table('certificate_shows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_shows_certificate_id'))
        batch_op.drop_index('ix_certificate_shows_account')
    op.drop_table('certificate_shows')


def downgrade() -> None:
    op.create_table('certificate_shows',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('disclosed', sa.JSON(), nullable=False),
    sa.Column('derived', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_certificate_shows_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_shows_certificate_id_certificates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_shows'))
    )
    with op.batch_alter_table('certificate_shows', schema=None) as batch_op:
        batch_op.create_index('ix_certificate_shows_account', ['account_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_shows_certificate_id'), ['certificate_id'], unique=False)
    op.create_table('show_verifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('show_id', sa.String(length=32), nullable=False),
    sa.Column('verified_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['show_id'], ['certificate_shows.id'], name=op.f('fk_show_verifications_show_id_certificate_shows'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_show_verifications'))
    )
    with op.batch_alter_table('show_verifications', schema=None) as batch_op:
        batch_op.create_index('ix_show_verifications_show', ['show_id', 'verified_at'], unique=False)

    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credentials_device_key_id'))
        batch_op.drop_index(batch_op.f('ix_credentials_certificate_id'))
    op.drop_table('credentials')
    op.drop_table('device_keys')
