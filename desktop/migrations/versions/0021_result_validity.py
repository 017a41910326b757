"""The validity of results: a procedure's default and a result file's own (issue 12's follow-ups).

* ``procedure.result_valid_months``: the catalogue file has given it since results carry the
  Circular 01/2023 QR with their validity, but the table had no column for it, so a catalogue
  imported with ``motcua catalogue import`` lost it and the default came from the bundled
  file whatever had been imported. NULL (every procedure already there, until the next seed
  or import) means no end date.
* ``digitized_file.valid_until``: the last day a result is valid, recorded with the file
  before it is sealed, so its upload to the dossier system carries it (and a re-signed
  version too). NULL for components, for a result without end date and for results
  recorded before; their validity stays in the citizen's store (``store_document``).

Both nullable: plain ALTERs, no batch copy of a table on SQLite.

Revision ID: 0021_result_validity
Revises: 0020_report_dossier_no_orphans
Create Date: 2026-12-07 15:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0021_result_validity'
down_revision = '0020_report_dossier_no_orphans'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('procedure', sa.Column('result_valid_months', sa.Integer(), nullable=True))
    op.add_column('digitized_file', sa.Column('valid_until', sa.Date(), nullable=True))


def downgrade() -> None:
    # SQLite >= 3.35 and PostgreSQL drop a column in place
    op.drop_column('digitized_file', 'valid_until')
    op.drop_column('procedure', 'result_valid_months')
