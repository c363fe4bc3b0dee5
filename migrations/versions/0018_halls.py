"""halls: hall officers, appointment slots and appointments; how an account reached L3

Revision ID: 0018_halls
Revises: 0006_tickets
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = '0018_halls'
down_revision = '0006_tickets'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('l3_method', sa.String(length=16), nullable=True))
    op.create_table(
        'hall_officers',
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('hall_code', sa.String(length=32), nullable=False),
        sa.Column('assigned_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], name=op.f('fk_hall_officers_staff_id_staff_members'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('staff_id', name=op.f('pk_hall_officers')),
    )
    op.create_index(op.f('ix_hall_officers_hall_code'), 'hall_officers', ['hall_code'], unique=False)
    op.create_table(
        'hall_slots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hall_code', sa.String(length=32), nullable=False),
        sa.Column('service_code', sa.String(length=64), nullable=False),
        sa.Column('starts_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('booked', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hall_slots')),
        sa.UniqueConstraint('hall_code', 'service_code', 'starts_at',
                            name=op.f('uq_hall_slots_hall_code_service_code_starts_at')),
    )
    op.create_table(
        'appointments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('slot_id', sa.Integer(), nullable=False),
        sa.Column('hall_code', sa.String(length=32), nullable=False),
        sa.Column('service_code', sa.String(length=64), nullable=False),
        sa.Column('starts_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('cancelled_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('outcome_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('outcome_by', sa.Integer(), nullable=True),
        sa.Column('reminded_at', app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_appointments_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['outcome_by'], ['staff_members.id'],
                                name=op.f('fk_appointments_outcome_by_staff_members'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['slot_id'], ['hall_slots.id'], name=op.f('fk_appointments_slot_id_hall_slots')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments')),
    )
    op.create_index(op.f('ix_appointments_account_id'), 'appointments', ['account_id'], unique=False)
    op.create_index(op.f('ix_appointments_slot_id'), 'appointments', ['slot_id'], unique=False)
    op.create_index('ix_appointments_hall_starts', 'appointments', ['hall_code', 'starts_at'], unique=False)
    op.create_index('ix_appointments_status_starts', 'appointments', ['status', 'starts_at'], unique=False)


def downgrade() -> None:
    op.drop_table('appointments')
    op.drop_table('hall_slots')
    op.drop_index(op.f('ix_hall_officers_hall_code'), table_name='hall_officers')
    op.drop_table('hall_officers')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('l3_method')
