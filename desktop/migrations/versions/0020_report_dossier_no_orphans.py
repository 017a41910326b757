"""A deleted dossier leaves no row in the report's summary (issue 15).

0013's triggers bump a dossier's ``report_dossier.gen`` with an upsert: the row is created
when it is missing. Since 0017 every dossier has its row from its insert, and 0017's delete
trigger removes it with the dossier; but on PostgreSQL the cascade of a dossier's delete
to its components, files, fees and status changes fires their triggers *after* the
dossier's own, and their upserts created the row again, with no ``received_at``: a row
the report skipped and nothing ever removed.

The bumps become plain updates of the row that is there: a dossier that has no row (a
deleted one) gets none. Nothing else changed: a dossier without a row was already missing
from the report (a row made by a bump carried no ``received_at``), and
``desktop.reports.dossiers.summarize_all`` restores missing rows. The rows left by earlier
deletes are removed here.

Revision ID: 0020_report_dossier_no_orphans
Revises: 0019_applicant_organisation
Create Date: 2026-12-07 15:40:00
"""
from alembic import op

revision = '0020_report_dossier_no_orphans'
down_revision = '0019_applicant_organisation'
branch_labels = None
depends_on = None

# 0013's SOURCES, frozen: (table, the dossier ids a NEW/OLD row touches, as SQL selects on the row alias R)
SOURCES = (
    ('dossier_component', ('SELECT R.dossier_id AS i',)),
    ('digitized_file', ('SELECT R.dossier_id AS i',
                        'SELECT c.dossier_id AS i FROM dossier_component c WHERE c.id = R.component_id')),
    ('dossier_fee', ('SELECT R.dossier_id AS i',)),
    ('dossier_status_change', ('SELECT R.dossier_id AS i',)),
    ('procedure_component', ('SELECT c.dossier_id AS i FROM dossier_component c WHERE c.procedure_component_id = R.id',)),
)


def _ids(ids: tuple[str, ...], row: str) -> str:
    return ' UNION '.join(i.replace('R.', f'{row}.') for i in ids)


def _update(ids: tuple[str, ...], row: str) -> str:
    """This revision's bump: the row that is there, and none created."""
    return (f"UPDATE report_dossier SET gen = gen + 1 WHERE dossier_id IN "
            f"(SELECT i FROM ({_ids(ids, row)}) AS t WHERE i IS NOT NULL)")


def _upsert(ids: tuple[str, ...], row: str, postgres: bool) -> str:
    """0013's bump, for the downgrade."""
    order = ' ORDER BY i' if postgres else ''
    return (f"INSERT INTO report_dossier (dossier_id, gen) SELECT i, 1 FROM ({_ids(ids, row)}) AS t "
            f"WHERE i IS NOT NULL{order} ON CONFLICT (dossier_id) DO UPDATE SET gen = report_dossier.gen + 1")


def _replace(postgres: bool, *, upsert: bool) -> None:
    for table, ids in SOURCES:
        def body(row: str, ids: tuple[str, ...] = ids) -> str:
            return _upsert(ids, row, postgres) if upsert else _update(ids, row)

        if postgres:  # the triggers call the function by name: replacing its body is enough
            op.execute(f"""
CREATE OR REPLACE FUNCTION report_dossier_bump_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN {body('NEW')}; END IF;
  IF TG_OP <> 'INSERT' THEN {body('OLD')}; END IF;
  RETURN NULL;
END $$""")
            continue
        for event, rows in (('INSERT', ('NEW',)), ('UPDATE', ('NEW', 'OLD')), ('DELETE', ('OLD',))):
            name = f"report_dossier_{table}_{event.lower()}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN "
                       + ' '.join(body(r) + ';' for r in rows) + " END")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    _replace(postgres, upsert=False)
    op.execute("DELETE FROM report_dossier WHERE NOT EXISTS "
               "(SELECT 1 FROM dossier d WHERE d.id = report_dossier.dossier_id)")


def downgrade() -> None:
    _replace(op.get_bind().dialect.name == 'postgresql', upsert=True)
