"""audit events hash chain

Revision ID: 458c2e95ee39
Revises: c4f0e69b2cd0
Create Date: 2026-12-07 16:15:16.544854

"""
from alembic import op
import sqlalchemy as sa

import qtp.core.db


# revision identifiers, used by Alembic.
revision = '458c2e95ee39'
down_revision = 'c4f0e69b2cd0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('chain', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('redacted_at', qtp.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('redacted_by_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_seq'), ['seq'])
        batch_op.create_foreign_key(
            batch_op.f('fk_audit_events_redacted_by_id_audit_events'), 'audit_events', ['redacted_by_id'], ['id'],
            ondelete='RESTRICT',
        )
    head = op.create_table(
        'audit_chain_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('chain', sa.String(length=64), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head')),
    )
    _seal_existing(head)


def _seal_existing(head):
    """The events written before the chain existed join it in the order they were written (by id)."""
    from types import SimpleNamespace

    from qtp.core.audit_chain import HEAD_ID, content_digest, link_hash

    events = sa.table(
        'audit_events',
        sa.column('id', sa.Integer()), sa.column('at', qtp.core.db.UTCDateTime(timezone=True)),
        sa.column('actor_id', sa.Integer()), sa.column('action', sa.String()), sa.column('object_type', sa.String()),
        sa.column('object_id', sa.String()), sa.column('summary', sa.String()), sa.column('details', sa.JSON()),
        sa.column('ip_address', sa.String()), sa.column('seq', sa.Integer()), sa.column('digest', sa.String()),
        sa.column('chain', sa.String()),
    )
    bind = op.get_bind()
    previous, seq = '', 0
    for row in bind.execute(sa.select(events).order_by(events.c.id)).mappings().all():
        seq += 1
        digest = content_digest(row['summary'], row['details'], row['ip_address'])
        previous = link_hash(previous, seq, SimpleNamespace(**row), digest)
        bind.execute(events.update().where(events.c.id == row['id']).values(seq=seq, digest=digest, chain=previous))
    op.bulk_insert(head, [{'id': HEAD_ID, 'seq': seq, 'chain': previous, 'note': 'sealed by migration 458c2e95ee39'}])


def downgrade():
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_events_redacted_by_id_audit_events'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_audit_events_seq'), type_='unique')
        batch_op.drop_column('redacted_by_id')
        batch_op.drop_column('redacted_at')
        batch_op.drop_column('chain')
        batch_op.drop_column('digest')
        batch_op.drop_column('seq')
