"""line manager verification of learning record entries; the SSSC declaration date

- learning_entry.verification_requested_at: the owner asked their line manager to verify it
  (the employer verification step of the SSSC's CPL sampling).
- learning_entry.verification_requested_of_id: the line manager asked. Only they see the
  entry, and only while they are still the owner's line manager (SET NULL).
- learning_entry.verified_at / verified_by_id: who verified it and when. The verifier is kept
  by account only (SET NULL), so erasing their account leaves no name behind.
- learning_entry.verification_note: the manager's note when they return an entry unverified.
- learning_entry.topics_json: the SSSC's mandatory CPL topics an entry covers (trauma-informed
  practice, child protection, adult support and protection; pathways/data/sssc_cpl.yaml).
- profile.declaration_due_on: the date of the person's next SSSC declaration, as they enter it.

Revision ID: f1c4d2e8a7b3
Revises: e5b2a9d4c310
Create Date: 2026-12-03 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1c4d2e8a7b3'
down_revision = 'e5b2a9d4c310'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('learning_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('verification_requested_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('verified_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('verification_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('topics_json', sa.Text(), nullable=False, server_default='[]'))
        batch_op.create_index(batch_op.f('ix_learning_entry_verified_by_id'), ['verified_by_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_learning_entry_verified_by_id_user_account'), 'user_account', ['verified_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_learning_entry_verification_requested_of_id'), ['verification_requested_of_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_learning_entry_verification_requested_of_id_user_account'), 'user_account', ['verification_requested_of_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declaration_due_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('profile', schema=None) as batch_op:
        batch_op.drop_column('declaration_due_on')
    with op.batch_alter_table('learning_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_learning_entry_verification_requested_of_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_learning_entry_verification_requested_of_id'))
        batch_op.drop_column('verification_requested_of_id')
        batch_op.drop_constraint(batch_op.f('fk_learning_entry_verified_by_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_learning_entry_verified_by_id'))
        batch_op.drop_column('topics_json')
        batch_op.drop_column('verification_note')
        batch_op.drop_column('verified_by_id')
        batch_op.drop_column('verified_at')
        batch_op.drop_column('verification_requested_at')
