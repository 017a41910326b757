"""The dossier at the counter: the ticket it was received for, and which components must be
signed before their digitized copy is uploaded.

Revision ID: 0009_dossier_flow
Revises: 0008_analytics
Create Date: 2026-12-03 08:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_dossier_flow'
down_revision = '0008_analytics'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('procedure_component', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_sign', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('dossier_component', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_sign', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ticket_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_dossier_ticket_id'), ['ticket_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_dossier_ticket_id_queue_ticket'), 'queue_ticket', ['ticket_id'],
                                    ['id'])


def downgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dossier_ticket_id_queue_ticket'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_dossier_ticket_id'))
        batch_op.drop_column('ticket_id')
    with op.batch_alter_table('dossier_component', schema=None) as batch_op:
        batch_op.drop_column('must_sign')
    with op.batch_alter_table('procedure_component', schema=None) as batch_op:
        batch_op.drop_column('must_sign')
