"""The dossier workspace: a folded search key for the dossier list (diacritics ignored on
SQLite and PostgreSQL alike) and a version number, so that two officers editing the same
dossier cannot overwrite each other.

Revision ID: 0010_dossier_workspace
Revises: 0009_dossier_flow
Create Date: 2026-12-03 23:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_dossier_workspace'
down_revision = '0009_dossier_flow'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.String(length=400), server_default='', nullable=False))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    # existing dossiers get their key here, with the same folding as the application
    from desktop.kernel.text import dossier_search_key as search_key

    conn = op.get_bind()
    dossier = sa.table('dossier', sa.column('id', sa.Integer()), sa.column('code', sa.String()),
                       sa.column('applicant_name', sa.String()), sa.column('applicant_id_number', sa.String()),
                       sa.column('search_key', sa.String()))
    rows = conn.execute(sa.select(dossier.c.id, dossier.c.code, dossier.c.applicant_name,
                                  dossier.c.applicant_id_number)).all()
    for i, code, name, id_number in rows:
        conn.execute(dossier.update().where(dossier.c.id == i)
                     .values(search_key=search_key(code, name or '', id_number or '')))


def downgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('search_key')
