"""Reliability: keyed audit chain (event and head MACs), audit anchors in the outbox, lease holders.

* ``audit_event.mac`` / ``audit_head.mac``: HMAC-SHA256 with the workstation's key (kept
  outside the database), so a database user cannot append, rewrite or move the head back.
* ``outbox_job.dossier_id`` may be empty: an audit anchor belongs to no dossier.
* ``outbox_job.holder``: who holds a lease (host, pid, process start time), so a worker on
  the same workstation takes over a dead holder's jobs at once.

Revision ID: 0007_reliability
Revises: 0006_security
Create Date: 2026-12-03 08:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_reliability'
down_revision = '0006_security'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.alter_column('dossier_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('holder', sa.String(length=200), server_default='', nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM outbox_job WHERE dossier_id IS NULL")
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.drop_column('holder')
        batch_op.alter_column('dossier_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.drop_column('mac')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('mac')
