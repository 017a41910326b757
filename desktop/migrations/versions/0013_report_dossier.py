"""The dossier report's per-dossier summary (``report_dossier``), kept valid by triggers.

Every insert, update or delete of a dossier's components, digitized files, fees and status
changes, and an update of a procedure component (its ``must_digitize``), bumps the dossier's ``gen``
in the same transaction as the write, whatever code path (service, CLI, bulk load)
made it. The report recomputes a dossier's figures when ``built_gen <> gen``
(desktop.reports.dossiers.refresh_summary). Existing dossiers are summarized here.

Revision ID: 0013_report_dossier
Revises: 0012_learned_titles
Create Date: 2026-12-04 07:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_report_dossier'
down_revision = '0012_learned_titles'
branch_labels = None
depends_on = None

COUNTS = ('to_dig', 'dig', 'files', 'reusable', 'reused', 'has_result', 'signed', 'has_fee', 'paid_online')

# (table, the dossier ids a NEW/OLD row touches, as SQL selects on the row alias R)
SOURCES = (
    ('dossier_component', ('SELECT R.dossier_id AS i',)),
    ('digitized_file', ('SELECT R.dossier_id AS i',
                        'SELECT c.dossier_id AS i FROM dossier_component c WHERE c.id = R.component_id')),
    ('dossier_fee', ('SELECT R.dossier_id AS i',)),
    ('dossier_status_change', ('SELECT R.dossier_id AS i',)),
    ('procedure_component', ('SELECT c.dossier_id AS i FROM dossier_component c WHERE c.procedure_component_id = R.id',)),
)

# desktop.reports.dossiers.SUMMARY_SELECT as of this revision (a migration stays frozen)
SUMMARY_SELECT = """
SELECT d.id AS dossier_id, COALESCE(comp.to_dig, 0) AS to_dig, COALESCE(comp.dig, 0) AS dig,
       COALESCE(fl.files, 0) AS files, COALESCE(fl.reusable, 0) AS reusable, COALESCE(fl.reused, 0) AS reused,
       COALESCE(fl.has_result, 0) AS has_result, COALESCE(fl.signed, 0) AS signed,
       COALESCE(pay.has_fee, 0) AS has_fee, COALESCE(pay.paid_online, 0) AS paid_online, cl.closed_at
FROM dossier d
LEFT JOIN (
  SELECT c.dossier_id,
         SUM(CASE WHEN pc.id IS NULL OR pc.must_digitize THEN 1 ELSE 0 END) AS to_dig,
         SUM(CASE WHEN (pc.id IS NULL OR pc.must_digitize) AND EXISTS (
               SELECT 1 FROM digitized_file f WHERE f.component_id = c.id AND f.kind = 'component')
             THEN 1 ELSE 0 END) AS dig
  FROM dossier_component c LEFT JOIN procedure_component pc ON pc.id = c.procedure_component_id
  WHERE c.dossier_id IN ({ids}) GROUP BY c.dossier_id
) comp ON comp.dossier_id = d.id
LEFT JOIN (
  SELECT f.dossier_id,
         SUM(CASE WHEN f.kind = 'component' THEN 1 ELSE 0 END) AS files,
         SUM(CASE WHEN f.kind = 'component' AND f.reusable THEN 1 ELSE 0 END) AS reusable,
         SUM(CASE WHEN f.kind = 'component' AND f.reused THEN 1 ELSE 0 END) AS reused,
         MAX(CASE WHEN f.kind = 'result' THEN 1 ELSE 0 END) AS has_result,
         MAX(CASE WHEN f.kind = 'result' AND f.signature_state IN ('signed', 'verified') THEN 1 ELSE 0 END) AS signed
  FROM digitized_file f WHERE f.dossier_id IN ({ids}) GROUP BY f.dossier_id
) fl ON fl.dossier_id = d.id
LEFT JOIN (
  -- a financial obligation (Decision 766's denominator) and whether it was paid online
  SELECT p.dossier_id,
         MAX(CASE WHEN p.amount > 0 THEN 1 ELSE 0 END) AS has_fee,
         MAX(CASE WHEN p.amount > 0 AND p.state = 'paid' AND p.method = 'online' THEN 1 ELSE 0 END) AS paid_online
  FROM dossier_fee p WHERE p.dossier_id IN ({ids}) GROUP BY p.dossier_id
) pay ON pay.dossier_id = d.id
LEFT JOIN (
  SELECT h.dossier_id, MIN(h.at) AS closed_at FROM dossier_status_change h
  WHERE h.status IN (9, 10) AND h.dossier_id IN ({ids}) GROUP BY h.dossier_id
) cl ON cl.dossier_id = d.id
WHERE d.id IN ({ids})"""


def _bump(ids: tuple[str, ...], row: str) -> str:
    union = ' UNION '.join(i.replace('R.', f'{row}.') for i in ids)
    return (f"INSERT INTO report_dossier (dossier_id, gen) SELECT i, 1 FROM ({union}) AS t WHERE i IS NOT NULL "
            "ORDER BY i ON CONFLICT (dossier_id) DO UPDATE SET gen = report_dossier.gen + 1")


def _bump_sqlite(ids: tuple[str, ...], row: str) -> str:
    union = ' UNION '.join(i.replace('R.', f'{row}.') for i in ids)
    return (f"INSERT INTO report_dossier (dossier_id, gen) SELECT i, 1 FROM ({union}) AS t "
            "WHERE i IS NOT NULL ON CONFLICT (dossier_id) DO UPDATE SET gen = report_dossier.gen + 1")


def upgrade() -> None:
    op.create_table(
        'report_dossier',
        sa.Column('dossier_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('gen', sa.Integer(), server_default=sa.text('0'), nullable=False),
        sa.Column('built_gen', sa.Integer(), server_default=sa.text('-1'), nullable=False),
        *[sa.Column(c, sa.Integer(), server_default=sa.text('0'), nullable=False) for c in COUNTS],
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('dossier_id', name=op.f('pk_report_dossier')),
    )
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table, ids in SOURCES:
        if postgres:
            op.execute(f"""
CREATE FUNCTION report_dossier_bump_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN {_bump(ids, 'NEW')}; END IF;
  IF TG_OP <> 'INSERT' THEN {_bump(ids, 'OLD')}; END IF;
  RETURN NULL;
END $$""")
            op.execute(f"CREATE TRIGGER report_dossier_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION report_dossier_bump_{table}()")
        else:
            for event, rows in (('INSERT', ('NEW',)), ('UPDATE', ('NEW', 'OLD')), ('DELETE', ('OLD',))):
                body = ' '.join(_bump_sqlite(ids, r) + ';' for r in rows)
                op.execute(f"CREATE TRIGGER report_dossier_{table}_{event.lower()} AFTER {event} ON {table} "
                           f"FOR EACH ROW BEGIN {body} END")
    # existing dossiers: summarized now (gen 0 = built_gen 0)
    cols = ', '.join((*COUNTS, 'closed_at'))
    op.execute(f"INSERT INTO report_dossier (dossier_id, gen, built_gen, {cols}) "
               f"SELECT x.dossier_id, 0, 0, {cols} FROM ({SUMMARY_SELECT.format(ids='SELECT id FROM dossier')}) x "
               "WHERE 1 = 1 ON CONFLICT (dossier_id) DO NOTHING")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table, _ids in SOURCES:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS report_dossier_{table} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS report_dossier_bump_{table}()")
        else:
            for event in ('insert', 'update', 'delete'):
                op.execute(f"DROP TRIGGER IF EXISTS report_dossier_{table}_{event}")
    op.drop_table('report_dossier')
