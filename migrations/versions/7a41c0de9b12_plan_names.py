"""plan names up to 120 characters

- plan.label is the plan's name, which its owner can now choose and change: 120 characters,
  so the planner's route labels ("Quickest, fewest gaps, without line management") are no
  longer cut at 40. Down: names are cut back to 40 characters first.

Revision ID: 7a41c0de9b12
Revises: d3ee841071b0
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a41c0de9b12'
down_revision = 'd3ee841071b0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.alter_column('label', existing_type=sa.String(length=40),
                              type_=sa.String(length=120), existing_nullable=False)


def downgrade():
    plan = sa.table('plan', sa.column('label', sa.String))
    op.execute(plan.update().values(label=sa.func.substr(plan.c.label, 1, 40)))
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.alter_column('label', existing_type=sa.String(length=120),
                              type_=sa.String(length=40), existing_nullable=False)
