"""The organisation an applicant acts for: its tax code and name on the dossier (issue 17).

The document store already has a ``tax_code`` column (0011); the dossier had nowhere to say
which organisation it was received for, so an organisation's documents were filed under the
representative's own ID number. Both columns are "" for a citizen's own dossier.

Revision ID: 0019_applicant_organisation
Revises: 0018_purged_marker
Create Date: 2026-12-07 12:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_applicant_organisation'
down_revision = '0018_purged_marker'
branch_labels = None
depends_on = None


INDEX = 'ix_dossier_applicant_tax_code'


def upgrade() -> None:
    # plain ALTERs, no batch: a batch that recreated ``dossier`` on SQLite would drop 0017's triggers
    op.add_column('dossier', sa.Column('applicant_tax_code', sa.String(length=14), server_default='', nullable=False))
    op.add_column('dossier', sa.Column('applicant_organisation', sa.String(length=300), server_default='',
                                       nullable=False))
    op.create_index(INDEX, 'dossier', ['applicant_tax_code'], unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name='dossier')
    for name in ('applicant_organisation', 'applicant_tax_code'):  # SQLite >= 3.35 and PostgreSQL: in place
        op.execute(f"ALTER TABLE dossier DROP COLUMN {name}")
