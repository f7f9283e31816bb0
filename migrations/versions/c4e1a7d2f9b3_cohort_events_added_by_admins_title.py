"""cohort events added by admins: their title

Revision ID: c4e1a7d2f9b3
Revises: b0b12f68539a
Create Date: 2026-12-07 05:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e1a7d2f9b3'
down_revision = 'b0b12f68539a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cohort_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sa.String(length=200), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('cohort_events', schema=None) as batch_op:
        batch_op.drop_column('title')
