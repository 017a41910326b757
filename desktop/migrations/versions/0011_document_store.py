"""The citizen's document store: the index of signed, verified documents per citizen and
organisation, and the "reused" flag of a dossier file linked from it.

Revision ID: 0011_document_store
Revises: 0010_dossier_workspace
Create Date: 2026-12-04 00:40:00
"""
from alembic import op
import sqlalchemy as sa



revision = '0011_document_store'
down_revision = '0010_dossier_workspace'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'store_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('id_number', sa.String(length=20), nullable=False),
        sa.Column('tax_code', sa.String(length=20), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('doc_type', sa.String(length=40), nullable=False),
        sa.Column('doc_name', sa.String(length=500), nullable=False),
        sa.Column('number', sa.String(length=80), nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=True),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('path', sa.String(length=1000), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('file_id', sa.Integer(), nullable=True),
        sa.Column('source_dossier', sa.String(length=60), nullable=False),
        sa.Column('stored_at', sa.DateTime(), nullable=False),
        sa.Column('reuse_count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['file_id'], ['digitized_file.id'],
                                name=op.f('fk_store_document_file_id_digitized_file'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_store_document')),
    )
    with op.batch_alter_table('store_document', schema=None) as batch_op:
        batch_op.create_index('ix_store_document_file', ['file_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_store_document_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_store_document_tax_code'), ['tax_code'], unique=False)
    with op.batch_alter_table('digitized_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reused', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('digitized_file', schema=None) as batch_op:
        batch_op.drop_column('reused')
    with op.batch_alter_table('store_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_store_document_tax_code'))
        batch_op.drop_index(batch_op.f('ix_store_document_id_number'))
        batch_op.drop_index('ix_store_document_file')
    op.drop_table('store_document')
