"""Reports: satisfaction ratings (SIPAS levels), the day summary of visits, and the indexes the reports' SQL needs.

Revision ID: 0008_analytics
Revises: 0007_reliability
Create Date: 2026-12-03 08:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_analytics'
down_revision = '0007_reliability'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_queue_ticket_issued_at', 'queue_ticket', ['issued_at']),
    ('ix_queue_ticket_event_ticket_kind', 'queue_ticket_event', ['ticket_id', 'kind', 'id']),
    ('ix_queue_ticket_event_at', 'queue_ticket_event', ['at']),
    ('ix_queue_counter_session_counter_started', 'queue_counter_session', ['counter_id', 'started_at']),
    ('ix_digitized_file_component_id', 'digitized_file', ['component_id']),
    ('ix_dossier_due_at', 'dossier', ['due_at']),
)


def upgrade() -> None:
    op.create_table('satisfaction_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('dossier_code', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['queue_counter.id'], name=op.f('fk_satisfaction_rating_counter_id_queue_counter')),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_satisfaction_rating_officer_id_officer')),
    sa.ForeignKeyConstraint(['ticket_id'], ['queue_ticket.id'], name=op.f('fk_satisfaction_rating_ticket_id_queue_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_rating')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_satisfaction_rating_ticket_id'))
    )
    op.create_index('ix_satisfaction_rating_at', 'satisfaction_rating', ['at', 'officer_id'], unique=False)
    for name, table, cols in INDEXES:
        op.create_index(name, table, cols, unique=False)
    op.create_table('report_visit',
    sa.Column('ticket_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('day', sa.String(length=8), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('served', sa.Integer(), nullable=False),
    sa.Column('no_show', sa.Integer(), nullable=False),
    sa.Column('transferred', sa.Integer(), nullable=False),
    sa.Column('excluded', sa.Integer(), nullable=False),
    sa.Column('wait_s', sa.Float(), nullable=True),
    sa.Column('service_s', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_report_visit'))
    )
    op.create_index(op.f('ix_report_visit_day'), 'report_visit', ['day'], unique=False)
    op.create_index(op.f('ix_report_visit_issued_at'), 'report_visit', ['issued_at'], unique=False)
    op.create_table('report_visit_day',
    sa.Column('day', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_report_visit_day'))
    )
    op.create_table('report_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('checked_event_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_state'))
    )


def downgrade() -> None:
    op.drop_table('report_state')
    op.drop_table('report_visit_day')
    op.drop_index(op.f('ix_report_visit_issued_at'), table_name='report_visit')
    op.drop_index(op.f('ix_report_visit_day'), table_name='report_visit')
    op.drop_table('report_visit')
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_index('ix_satisfaction_rating_at', table_name='satisfaction_rating')
    op.drop_table('satisfaction_rating')
