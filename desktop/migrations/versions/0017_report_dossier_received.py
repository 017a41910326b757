"""The dossier report reads its period from the per-dossier summary alone (issue 15).

``report_dossier`` gets a copy of the dossier columns the report filters, groups and
classifies by — ``received_at``, ``officer_id``, ``unit_id``, ``channel``, ``status``,
``due_at``, ``legal_due_at`` — and a partial index on ``received_at``, so a period's rows
are an index range of the summary instead of a join of ``dossier`` with it (the join was
most of the report's time on PostgreSQL at scale). Triggers on ``dossier`` keep the copy
equal to the dossier in the writing transaction, whatever path wrote it (service, CLI,
bulk load):

* insert: the dossier's row is created, valid with zero counts (a new dossier has no
  components, files, fees or status changes yet; those bump ``gen`` as before), so every
  dossier has its row and the report needs no anti-join to find missing ones;
* update of one of the copied columns: copied; the ``WHEN`` clause leaves the summary alone
  when none of them changed (a dossier's other writes — search key, note, version — are
  frequent and would otherwise rewrite the summary row too). The copy needs no ``gen`` bump:
  it is never stale;
* delete: the row goes (the cascade's bumps may leave one without ``received_at``, which the
  partial index and the report leave out).

Dossiers already there get their copy, and a missing row is created stale (recomputed by the
next report). Only the copied columns are indexed (``received_at``), so the frequent ``gen``
bumps and status copies stay HOT updates on PostgreSQL.

Revision ID: 0017_report_dossier_received
Revises: 0016_procedure_agency
Create Date: 2026-12-07 07:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_report_dossier_received'
down_revision = '0016_procedure_agency'
branch_labels = None
depends_on = None

#: the copied dossier columns and their types (desktop.reports.dossiers.COPIED_COLUMNS as of this revision)
COPIED = (('received_at', sa.DateTime()), ('officer_id', sa.Integer()), ('unit_id', sa.Integer()),
          ('channel', sa.Integer()), ('status', sa.Integer()), ('due_at', sa.DateTime()),
          ('legal_due_at', sa.DateTime()))
NAMES = tuple(c for c, _ in COPIED)
INDEX = 'ix_report_dossier_received_at'

_COLS = ', '.join(NAMES)
_NEW = ', '.join(f'NEW.{c}' for c in NAMES)
_SET = ', '.join(f'{c} = excluded.{c}' for c in NAMES)
#: a new dossier: its row, valid with zero counts; a row already there (an id used again) is made stale
_INSERT = (f"INSERT INTO report_dossier (dossier_id, gen, built_gen, {_COLS}) VALUES (NEW.id, 0, 0, {_NEW}) "
           f"ON CONFLICT (dossier_id) DO UPDATE SET gen = report_dossier.gen + 1, {_SET}")
#: a copied column changed: copied (a missing row is created stale, so the next report recomputes it)
_UPDATE = (f"INSERT INTO report_dossier (dossier_id, gen, built_gen, {_COLS}) VALUES (NEW.id, 1, -1, {_NEW}) "
           f"ON CONFLICT (dossier_id) DO UPDATE SET {_SET}")
_DELETE = "DELETE FROM report_dossier WHERE dossier_id = OLD.id"


def _changed(distinct: str) -> str:
    return ' OR '.join(f'OLD.{c} {distinct} NEW.{c}' for c in NAMES)


def upgrade() -> None:
    for name, type_ in COPIED:
        op.add_column('report_dossier', sa.Column(name, type_, nullable=True))
    postgres = op.get_bind().dialect.name == 'postgresql'
    # the copy of the dossiers already there, then the rows missing (stale: counts unknown)
    op.execute(f"UPDATE report_dossier SET {', '.join(f'{c} = d.{c}' for c in NAMES)} "
               "FROM dossier d WHERE d.id = report_dossier.dossier_id")
    op.execute(f"INSERT INTO report_dossier (dossier_id, gen, built_gen, {_COLS}) "
               f"SELECT d.id, 1, -1, {', '.join(f'd.{c}' for c in NAMES)} FROM dossier d "
               "WHERE NOT EXISTS (SELECT 1 FROM report_dossier r WHERE r.dossier_id = d.id)")
    op.create_index(INDEX, 'report_dossier', ['received_at'],
                    postgresql_where=sa.text('received_at IS NOT NULL'),
                    sqlite_where=sa.text('received_at IS NOT NULL'))
    if postgres:
        op.execute(f"""
CREATE FUNCTION report_dossier_follow_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN {_INSERT};
  ELSIF TG_OP = 'UPDATE' THEN {_UPDATE};
  ELSE {_DELETE};
  END IF;
  RETURN NULL;
END $$""")
        op.execute("CREATE TRIGGER report_dossier_dossier AFTER INSERT OR DELETE ON dossier "
                   "FOR EACH ROW EXECUTE FUNCTION report_dossier_follow_dossier()")
        op.execute(f"CREATE TRIGGER report_dossier_dossier_update AFTER UPDATE OF {_COLS} ON dossier "
                   f"FOR EACH ROW WHEN ({_changed('IS DISTINCT FROM')}) "
                   "EXECUTE FUNCTION report_dossier_follow_dossier()")
    else:
        op.execute(f"CREATE TRIGGER report_dossier_dossier_insert AFTER INSERT ON dossier "
                   f"FOR EACH ROW BEGIN {_INSERT}; END")
        op.execute(f"CREATE TRIGGER report_dossier_dossier_update AFTER UPDATE OF {_COLS} ON dossier "
                   f"FOR EACH ROW WHEN {_changed('IS NOT')} BEGIN {_UPDATE}; END")
        op.execute(f"CREATE TRIGGER report_dossier_dossier_delete AFTER DELETE ON dossier "
                   f"FOR EACH ROW BEGIN {_DELETE}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS report_dossier_dossier_update ON dossier")
        op.execute("DROP TRIGGER IF EXISTS report_dossier_dossier ON dossier")
        op.execute("DROP FUNCTION IF EXISTS report_dossier_follow_dossier()")
    else:
        for event in ('insert', 'update', 'delete'):
            op.execute(f"DROP TRIGGER IF EXISTS report_dossier_dossier_{event}")
    op.drop_index(INDEX, table_name='report_dossier')
    # the rows stay: 0013's report finds the dossiers through its own join
    for name in reversed(NAMES):  # SQLite ≥ 3.35 and PostgreSQL drop a plain column in place
        op.execute(f"ALTER TABLE report_dossier DROP COLUMN {name}")
