"""Favourite procedures of a counter (issue 11, item 3): what the officers of a counter
marked, listed first by reception with nothing typed, shared by every officer who sits there.

Revision ID: 0014_counter_favourites
Revises: 0013_report_dossier
Create Date: 2026-12-06 20:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_counter_favourites'
down_revision = '0013_report_dossier'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'counter_favourite',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_code', sa.String(length=40), nullable=False),
        sa.Column('counter', sa.String(length=100), nullable=False),
        sa.Column('procedure_code', sa.String(length=40), nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.Column('added_by', sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_favourite')),
        sa.UniqueConstraint('unit_code', 'counter', 'procedure_code',
                            name='uq_counter_favourite_counter_procedure'),
    )


def downgrade() -> None:
    op.drop_table('counter_favourite')
