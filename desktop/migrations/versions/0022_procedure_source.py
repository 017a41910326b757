"""Where a procedure's row came from: the catalogue shipped with the application or an import.

Seeding upserted the bundled catalogue at every start, so what an administrator loaded with
``motcua catalogue import`` (names, deadlines, fees, validity, components) was undone by the
next start of any workstation. ``procedure.source`` says which file set the row last:
``bundled <version>`` or ``import <version>``; seeding leaves imported rows alone.

NULL for the rows already there: they can only hold the bundled catalogue (every start put it
back), so they are treated as bundled. Nullable: a plain ALTER, no batch copy on SQLite.

Revision ID: 0022_procedure_source
Revises: 0021_result_validity
Create Date: 2026-12-07 20:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0022_procedure_source'
down_revision = '0021_result_validity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('procedure', sa.Column('source', sa.String(length=120), nullable=True))


def downgrade() -> None:
    op.drop_column('procedure', 'source')
