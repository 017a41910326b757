"""Sign-in security: forced password change, lockout counters, CLI sign-in sessions.

An ``admin`` that still has the built-in default password (``motcua-admin``) must change it
at the next sign-in; every other existing password counts as chosen.

Revision ID: 0006_security
Revises: 0005_lifecycle
Create Date: 2026-12-03 08:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_security'
down_revision = '0005_lifecycle'
branch_labels = None
depends_on = None

BUILT_IN_DEFAULT = "motcua-admin"


def upgrade() -> None:
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('failed_sign_ins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(), nullable=True))
    op.create_table('cli_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('os_user', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_cli_session_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cli_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_cli_session_token_hash'))
    )
    with op.batch_alter_table('cli_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cli_session_officer_id'), ['officer_id'], unique=False)
    # The seeded administrator with the public default password: force the change.
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = PasswordHasher()
    bind = op.get_bind()
    for oid, stored in bind.execute(sa.text("SELECT id, password_hash FROM officer WHERE username = 'admin'")):
        try:
            default = hasher.verify(stored, BUILT_IN_DEFAULT)
        except (VerificationError, InvalidHashError):
            default = False
        if default:
            bind.execute(sa.text("UPDATE officer SET must_change_password = :t WHERE id = :i"),
                         {"t": True, "i": oid})


def downgrade() -> None:
    with op.batch_alter_table('cli_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cli_session_officer_id'))
    op.drop_table('cli_session')
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_sign_ins')
        batch_op.drop_column('must_change_password')
