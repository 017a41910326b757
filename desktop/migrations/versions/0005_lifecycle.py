"""Lifecycle after reception: due-date history, process log, fees, returns; clock and portal fields.

Revision ID: 0005_lifecycle
Revises: 0004_counter_sessions
Create Date: 2026-12-03 08:05:21.320174
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_lifecycle'
down_revision = '0004_counter_sessions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dossier_due_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('previous_due', sa.DateTime(), nullable=True),
    sa.Column('new_due', sa.DateTime(), nullable=True),
    sa.Column('previous_legal_due', sa.DateTime(), nullable=True),
    sa.Column('new_legal_due', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_due_change_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_dossier_due_change_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_due_change'))
    )
    with op.batch_alter_table('dossier_due_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_due_change_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('dossier_fee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('collection', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('receipt_ref', sa.String(length=100), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_fee_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_dossier_fee_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_fee'))
    )
    with op.batch_alter_table('dossier_fee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_fee_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('dossier_handoff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('giver', sa.String(length=200), nullable=False),
    sa.Column('giver_title', sa.String(length=200), nullable=False),
    sa.Column('receiver', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=255), nullable=False),
    sa.Column('action', sa.String(length=30), server_default='', nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('step_due', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_handoff_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_dossier_handoff_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_handoff'))
    )
    with op.batch_alter_table('dossier_handoff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_handoff_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('dossier_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('recipient_name', sa.String(length=200), nullable=False),
    sa.Column('recipient_id_number', sa.String(length=20), nullable=False),
    sa.Column('proxy_file_id', sa.Integer(), nullable=True),
    sa.Column('handover_no', sa.String(length=40), nullable=False),
    sa.Column('waybill', sa.String(length=60), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_return_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_dossier_return_officer_id_officer')),
    sa.ForeignKeyConstraint(['proxy_file_id'], ['digitized_file.id'], name=op.f('fk_dossier_return_proxy_file_id_digitized_file'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_return'))
    )
    with op.batch_alter_table('dossier_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_return_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_return_handover_no'), ['handover_no'], unique=False)

    with op.batch_alter_table('digitized_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digitized', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_due_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('done_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('postal_address', sa.JSON(), server_default='{}', nullable=False))

    with op.batch_alter_table('dossier_pause', schema=None) as batch_op:
        batch_op.add_column(sa.Column('components', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('remaining_minutes', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('legal_remaining_minutes', sa.Float(), nullable=True))

    with op.batch_alter_table('dossier_status_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action', sa.String(length=30), server_default='', nullable=False))
        batch_op.add_column(sa.Column('detail', sa.JSON(), server_default='{}', nullable=False))

    # Dossiers received before this revision: their due date is the legal one (no extension existed).
    op.execute("UPDATE dossier SET legal_due_at = due_at")


def downgrade() -> None:
    with op.batch_alter_table('dossier_status_change', schema=None) as batch_op:
        batch_op.drop_column('detail')
        batch_op.drop_column('action')

    with op.batch_alter_table('dossier_pause', schema=None) as batch_op:
        batch_op.drop_column('legal_remaining_minutes')
        batch_op.drop_column('remaining_minutes')
        batch_op.drop_column('components')

    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('postal_address')
        batch_op.drop_column('returned_at')
        batch_op.drop_column('done_at')
        batch_op.drop_column('legal_due_at')

    with op.batch_alter_table('digitized_file', schema=None) as batch_op:
        batch_op.drop_column('digitized')

    with op.batch_alter_table('dossier_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_return_handover_no'))
        batch_op.drop_index(batch_op.f('ix_dossier_return_dossier_id'))

    op.drop_table('dossier_return')
    with op.batch_alter_table('dossier_handoff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_handoff_dossier_id'))

    op.drop_table('dossier_handoff')
    with op.batch_alter_table('dossier_fee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_fee_dossier_id'))

    op.drop_table('dossier_fee')
    with op.batch_alter_table('dossier_due_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_due_change_dossier_id'))

    op.drop_table('dossier_due_change')
