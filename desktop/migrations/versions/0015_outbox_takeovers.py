"""Outbox failures apart from takeovers (issue 10): a killed sender is not a refusal.

* ``outbox_job.failures``: outcomes the dossier system or the network refused; the backoff
  and the parking after too many failures count these only.
* ``outbox_job.takeovers``: leases that ran out with no outcome recorded, in a row; a job
  whose sending keeps killing the process is parked after a few (the poison job).

Existing rows cannot tell a killed attempt from a refused one: every attempt of a job still
to send is counted as a failure (the old rule), less the one in flight or delivered.

Revision ID: 0015_outbox_takeovers
Revises: 0014_counter_favourites
Create Date: 2026-12-07 00:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_outbox_takeovers'
down_revision = '0014_counter_favourites'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failures', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('takeovers', sa.Integer(), server_default='0', nullable=False))
    op.execute("UPDATE outbox_job SET failures = CASE WHEN state IN ('in_flight', 'done') "
               "THEN CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END ELSE attempts END")


def downgrade() -> None:
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.drop_column('takeovers')
        batch_op.drop_column('failures')
