"""record ownership: licences and entities name their issuing authority; authorities their document types

Revision ID: 0012_record_ownership
Revises: 0010_licence_scheduled_changes
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0012_record_ownership'
down_revision = '0010_licence_scheduled_changes'
branch_labels = None
depends_on = ('0004_people',)


def upgrade() -> None:
    with op.batch_alter_table('intake_authorities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_types', sa.JSON(), nullable=True))
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authority_id', sa.String(length=64), nullable=True))
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authority_id', sa.String(length=64), nullable=True))
    # Authorities registered before document types keep the types they issue today: the certificate
    # types of their certificates, and (licences had no owner) every licence type held now. Rows
    # without an owner are claimed by the first authority, registered for their type, that changes them.
    bind = op.get_bind()
    licence_types = [f"licence:{code}" for (code,) in bind.execute(sa.text(
        "SELECT DISTINCT type_code FROM licences ORDER BY type_code"))]
    for authority_id, record_types in bind.execute(sa.text("SELECT id, record_types FROM intake_authorities")).all():
        kinds = record_types if isinstance(record_types, list) else json.loads(record_types or "[]")
        documents = []
        if "certificate" in kinds:
            documents += [f"certificate:{code}" for (code,) in bind.execute(sa.text(
                "SELECT DISTINCT type FROM certificates WHERE authority_id = :id ORDER BY type"), {"id": authority_id})]
        if "licence" in kinds:
            documents += licence_types
        bind.execute(sa.text("UPDATE intake_authorities SET document_types = :documents WHERE id = :id"),
                     {"documents": json.dumps(documents), "id": authority_id})
    with op.batch_alter_table('intake_authorities', schema=None) as batch_op:
        batch_op.alter_column('document_types', existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.drop_column('authority_id')
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.drop_column('authority_id')
    with op.batch_alter_table('intake_authorities', schema=None) as batch_op:
        batch_op.drop_column('document_types')
