"""the practitioner's response to a conversation record

- conversation.practitioner_comment: what the practitioner adds or sees differently.
- conversation.comment_at: when they last wrote it.
- conversation.acknowledged_at: when they acknowledged the record (read it; not agreement).

Revision ID: c0a7e11b5d21
Revises: 7a41c0de9b12
Create Date: 2026-12-03 08:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0a7e11b5d21'
down_revision = '7a41c0de9b12'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practitioner_comment', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('comment_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_column('acknowledged_at')
        batch_op.drop_column('comment_at')
        batch_op.drop_column('practitioner_comment')
