"""applications: 办件, their events and uploaded materials (办事)

Revision ID: 0014_applications
Revises: 0009_rating_rules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

revision = '0014_applications'
down_revision = '0009_rating_rules'
branch_labels = None
depends_on = ('0004_people',)


def upgrade() -> None:
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('service_code', sa.String(length=64), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('applicant_account_id', sa.Integer(), nullable=False),
    sa.Column('entity_uscc', sa.String(length=18), nullable=True),
    sa.Column('subject_person_id', sa.Integer(), nullable=True),
    sa.Column('bundle_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('open_draft_key', sa.String(length=120), nullable=True),
    sa.Column('origin', sa.String(length=80), nullable=True),
    sa.Column('form', sa.JSON(), nullable=False),
    sa.Column('materials', sa.JSON(), nullable=False),
    sa.Column('supplement', sa.JSON(), nullable=True),
    sa.Column('prefilled_count', sa.Integer(), nullable=False),
    sa.Column('typed_count', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('rule_outcome', sa.JSON(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('handled_by', sa.Integer(), nullable=True),
    sa.Column('rating_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('due_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paused_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('remaining_days', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['applicant_account_id'], ['accounts.id'], name=op.f('fk_applications_applicant_account_id_accounts')),
    sa.ForeignKeyConstraint(['bundle_id'], ['applications.id'], name=op.f('fk_applications_bundle_id_applications')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_applications_department_id_departments')),
    sa.ForeignKeyConstraint(['handled_by'], ['staff_members.id'], name=op.f('fk_applications_handled_by_staff_members')),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_applications_rating_id_ratings')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_applications_service_id_services')),
    sa.ForeignKeyConstraint(['subject_person_id'], ['persons.id'], name=op.f('fk_applications_subject_person_id_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('number', name=op.f('uq_applications_number')),
    sa.UniqueConstraint('open_draft_key', name=op.f('uq_applications_open_draft_key')),
    sa.UniqueConstraint('rating_id', name=op.f('uq_applications_rating_id'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_applicant_account_id'), ['applicant_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_bundle_id'), ['bundle_id'], unique=False)
        batch_op.create_index('ix_applications_department_state', ['department_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_entity_uscc'), ['entity_uscc'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_service_id'), ['service_id'], unique=False)

    op.create_table('application_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_type', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('from_state', sa.String(length=24), nullable=True),
    sa.Column('to_state', sa.String(length=24), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_events_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_events'))
    )
    with op.batch_alter_table('application_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_events_application_id'), ['application_id'], unique=False)

    op.create_table('application_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('material_code', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_uploads_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_uploads')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_application_uploads_storage_key'))
    )
    with op.batch_alter_table('application_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_uploads_application_id'), ['application_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('application_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_uploads_application_id'))

    op.drop_table('application_uploads')
    with op.batch_alter_table('application_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_events_application_id'))

    op.drop_table('application_events')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_service_id'))
        batch_op.drop_index(batch_op.f('ix_applications_entity_uscc'))
        batch_op.drop_index(batch_op.f('ix_applications_due_at'))
        batch_op.drop_index('ix_applications_department_state')
        batch_op.drop_index(batch_op.f('ix_applications_bundle_id'))
        batch_op.drop_index(batch_op.f('ix_applications_applicant_account_id'))

    op.drop_table('applications')
