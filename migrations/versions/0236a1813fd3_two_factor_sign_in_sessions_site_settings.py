"""two-factor sign-in, signed-in sessions, site settings

Revision ID: 0236a1813fd3
Revises: 458c2e95ee39
Create Date: 2026-12-07 15:42:00.112384

"""
from alembic import op
import sqlalchemy as sa

import qtp.core.db


# revision identifiers, used by Alembic.
revision = '0236a1813fd3'
down_revision = '458c2e95ee39'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('two_factor_enabled_at', qtp.core.db.UTCDateTime(timezone=True), nullable=True))

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', qtp.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', qtp.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ip_address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=120), nullable=False),
    sa.Column('is_remembered', sa.Boolean(), nullable=False),
    sa.Column('revoked_at', qtp.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('public_id', name=op.f('uq_user_sessions_public_id'))
    )
    op.create_index('ix_user_sessions_user_seen', 'user_sessions', ['user_id', 'last_seen_at'], unique=False)

    op.create_table('two_factor_secrets',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_encrypted', sa.String(length=255), nullable=False),
    sa.Column('created_at', qtp.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', qtp.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_step', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_two_factor_secrets_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_two_factor_secrets'))
    )

    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', qtp.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', qtp.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_recovery_codes_code_hash'))
    )
    op.create_index(op.f('ix_recovery_codes_user_id'), 'recovery_codes', ['user_id'], unique=False)

    op.create_table('site_settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', qtp.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_site_settings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_site_settings'))
    )


def downgrade():
    op.drop_table('site_settings')
    op.drop_index(op.f('ix_recovery_codes_user_id'), table_name='recovery_codes')
    op.drop_table('recovery_codes')
    op.drop_table('two_factor_secrets')
    op.drop_index('ix_user_sessions_user_seen', table_name='user_sessions')
    op.drop_table('user_sessions')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('two_factor_enabled_at')
