"""A purged dossier is marked, so a purge run skips it (issue 14, privacy purge).

Before, every ``motcua privacy purge`` (and the application's daily one) examined every
dossier ever closed before its cut-off again — a transaction, several queries and a look at
the disk for each — only to find nothing left: a centre's years of purged dossiers made each
daily run slower.

* ``dossier.purged_at``: when the purge finished with the dossier (personal data blanked, its
  files gone); ``NULL`` for every other dossier.
* ``ix_dossier_unpurged_status``: the dossiers not purged yet, by status, partial on
  ``purged_at IS NULL`` — the purge's candidates (closed statuses) are an index range of it,
  and purged dossiers are not in the index at all.
* ``ix_digitized_file_path``: the purge asks which dossiers still use a file by its path (a
  reuse links one file to several dossiers); a hash index on PostgreSQL (only equality is
  asked, and a B-tree refuses keys over ~2.7 kB), a B-tree on SQLite.

Dossiers purged before this revision are marked from their ``privacy.purge`` audit events
(the time of the last one). One of them whose files could not be deleted then is marked too;
its files stay until deleted by hand — the old runs had said so in the log each time.

Revision ID: 0018_purged_marker
Revises: 0017_report_dossier_received
Create Date: 2026-12-07 12:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_purged_marker'
down_revision = '0017_report_dossier_received'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # in place, not a batch copy of the table: that would drop 0017's triggers on dossier
    op.add_column('dossier', sa.Column('purged_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE dossier SET purged_at = (SELECT MAX(e.at) FROM audit_event e "
               "WHERE e.action = 'privacy.purge' AND e.entity_type = 'dossier' AND e.entity_id = dossier.code) "
               "WHERE EXISTS (SELECT 1 FROM audit_event e WHERE e.action = 'privacy.purge' "
               "AND e.entity_type = 'dossier' AND e.entity_id = dossier.code)")
    op.create_index('ix_dossier_unpurged_status', 'dossier', ['status'],
                    postgresql_where=sa.text('purged_at IS NULL'), sqlite_where=sa.text('purged_at IS NULL'))
    op.create_index('ix_digitized_file_path', 'digitized_file', ['path'], postgresql_using='hash')


def downgrade() -> None:
    op.drop_index('ix_digitized_file_path', table_name='digitized_file')
    op.drop_index('ix_dossier_unpurged_status', table_name='dossier')
    op.execute("ALTER TABLE dossier DROP COLUMN purged_at")  # SQLite ≥ 3.35 and PostgreSQL, in place
