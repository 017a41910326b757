"""The centre's learned page titles: what officers confirmed when correcting the split of a
whole-dossier feeder pass (issue 17), read by the title classifier on the next dossier.

Revision ID: 0012_learned_titles
Revises: 0011_document_store
Create Date: 2026-12-04 06:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_learned_titles'
down_revision = '0011_document_store'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'learned_title',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('component', sa.String(length=500), nullable=False),
        sa.Column('title', sa.String(length=500), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_learned_title')),
        sa.UniqueConstraint('component', 'title', name='uq_learned_title_component_title'),
    )


def downgrade() -> None:
    op.drop_table('learned_title')
