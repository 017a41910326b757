"""The receiving agency of a procedure (issue 11, item 3): a postal agent serves many
departments, and the procedure decides which agency receives the dossier and whose code
begins the dossier code.

* ``procedure.agency_code`` / ``procedure.agency_name``: from the catalogue file; "" (every
  procedure already there) means the workstation's own unit receives, as before.

The dossier is recorded with that agency through its existing ``unit_id``: the list's and
the reports' units need no new column.

Revision ID: 0016_procedure_agency
Revises: 0015_outbox_takeovers
Create Date: 2026-12-07 03:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0016_procedure_agency'
down_revision = '0015_outbox_takeovers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agency_code', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('agency_name', sa.String(length=255), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.drop_column('agency_name')
        batch_op.drop_column('agency_code')
