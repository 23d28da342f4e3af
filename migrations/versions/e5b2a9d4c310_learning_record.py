"""a record of continuous professional learning

- learning_entry: any learning a person records (title, date, optional minutes, kind,
  reflection, evidence link, framework capabilities it develops), including leadership shown
  without a post.

Revision ID: e5b2a9d4c310
Revises: c0a7e11b5d21
Create Date: 2026-12-03 08:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b2a9d4c310'
down_revision = 'c0a7e11b5d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('learning_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('learned_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reflection', sa.Text(), nullable=False),
    sa.Column('evidence_link', sa.String(length=500), nullable=False),
    sa.Column('capabilities_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_learning_entry_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_entry'))
    )
    with op.batch_alter_table('learning_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_entry_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('learning_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_entry_user_id'))
    op.drop_table('learning_entry')
