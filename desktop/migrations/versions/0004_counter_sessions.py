"""Counter sessions: state cache and events (open, pause, resume, close); one citizen per counter.

Revision ID: 0004_counter_sessions
Revises: 0003_appointments
Create Date: 2026-12-02 23:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_counter_sessions'
down_revision = '0003_appointments'
branch_labels = None
depends_on = None

LIVE = "state IN ('open', 'paused')"
ACTIVE = "state IN ('called', 'serving')"


def upgrade() -> None:
    with op.batch_alter_table('queue_counter_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=10), server_default='open', nullable=False))
    op.execute("UPDATE queue_counter_session SET state = 'closed' WHERE ended_at IS NOT NULL")
    op.create_index('uq_queue_counter_session_live', 'queue_counter_session', ['counter_id'], unique=True,
                    postgresql_where=sa.text(LIVE), sqlite_where=sa.text(LIVE))
    op.create_table('queue_counter_session_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_queue_counter_session_event_officer_id_officer')),
    sa.ForeignKeyConstraint(['session_id'], ['queue_counter_session.id'], name=op.f('fk_queue_counter_session_event_session_id_queue_counter_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_counter_session_event'))
    )
    with op.batch_alter_table('queue_counter_session_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queue_counter_session_event_session_id'), ['session_id'], unique=False)
    # Before this revision nothing stopped two tickets being "called" at one counter;
    # keep the newest and give the older ones back to the queue, as "call next" would.
    op.execute("UPDATE queue_ticket SET state = 'waiting', counter_id = NULL WHERE state IN ('called', 'serving') "
               "AND EXISTS (SELECT 1 FROM queue_ticket AS newer WHERE newer.counter_id = queue_ticket.counter_id "
               "AND newer.state IN ('called', 'serving') AND newer.id > queue_ticket.id)")
    op.create_index('uq_queue_ticket_counter_active', 'queue_ticket', ['counter_id'], unique=True,
                    postgresql_where=sa.text(ACTIVE), sqlite_where=sa.text(ACTIVE))


def downgrade() -> None:
    op.drop_index('uq_queue_ticket_counter_active', table_name='queue_ticket')
    with op.batch_alter_table('queue_counter_session_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queue_counter_session_event_session_id'))
    op.drop_table('queue_counter_session_event')
    op.drop_index('uq_queue_counter_session_live', table_name='queue_counter_session')
    with op.batch_alter_table('queue_counter_session', schema=None) as batch_op:
        batch_op.drop_column('state')
