"""trial mode

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 05:27:41.162164
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "trials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("commitment", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("randomised", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trials")),
        sa.UniqueConstraint("code", name=op.f("uq_trials_code")),
    )
    op.create_table(
        "trial_sealed_lists",
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("seed_hex", sa.String(length=128), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_trial_sealed_lists_trial_id_trials")
        ),
        sa.PrimaryKeyConstraint("trial_id", name=op.f("pk_trial_sealed_lists")),
    )
    op.create_table(
        "trial_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("site", sa.String(length=40), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("exclusion_category", sa.String(length=40), nullable=True),
        sa.Column("exclusion_reason", sa.String(length=400), nullable=True),
        sa.Column("consented_on", sa.Date(), nullable=True),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("randomised_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_reason", sa.String(length=400), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["episodes.id"], name=op.f("fk_trial_participants_episode_id_episodes")
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_trial_participants_evaluation_id_evaluations"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_trial_participants_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_trial_participants_trial_id_trials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_participants")),
        sa.UniqueConstraint("trial_id", "code", name="uq_trial_participants_trial_code"),
        sa.UniqueConstraint("trial_id", "patient_id", name="uq_trial_participants_trial_patient"),
    )
    with op.batch_alter_table("trial_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trial_participants_trial_id"), ["trial_id"], unique=False
        )

    op.create_table(
        "trial_adverse_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["trial_participants.id"],
            name=op.f("fk_trial_adverse_events_participant_id_trial_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_adverse_events")),
    )
    with op.batch_alter_table("trial_adverse_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trial_adverse_events_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "trial_deviations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("reported_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["trial_participants.id"],
            name=op.f("fk_trial_deviations_participant_id_trial_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_deviations")),
    )
    with op.batch_alter_table("trial_deviations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trial_deviations_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "trial_guesses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("visit", sa.String(length=40), nullable=False),
        sa.Column("guess", sa.String(length=40), nullable=False),
        sa.Column("assessor", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["trial_participants.id"],
            name=op.f("fk_trial_guesses_participant_id_trial_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_guesses")),
        sa.UniqueConstraint("participant_id", "visit", name="uq_trial_guesses_participant_visit"),
    )
    with op.batch_alter_table("trial_guesses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trial_guesses_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "trial_randomisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("stratum", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("arm", sa.String(length=40), nullable=False),
        sa.Column("randomised_by", sa.String(length=120), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["trial_participants.id"],
            name=op.f("fk_trial_randomisations_participant_id_trial_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_trial_randomisations_trial_id_trials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_randomisations")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_trial_randomisations_participant_id")),
        sa.UniqueConstraint("trial_id", "sequence", name="uq_trial_randomisations_trial_sequence"),
        sa.UniqueConstraint(
            "trial_id", "stratum", "position", name="uq_trial_randomisations_trial_slot"
        ),
    )
    op.create_table(
        "trial_unblindings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("revealed_to", sa.String(length=120), nullable=False),
        sa.Column("revealed_to_role", sa.String(length=40), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_by_role", sa.String(length=40), nullable=False),
        sa.Column("entered_by", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["trial_participants.id"],
            name=op.f("fk_trial_unblindings_participant_id_trial_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_unblindings")),
    )
    with op.batch_alter_table("trial_unblindings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trial_unblindings_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "trial_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("visit", sa.String(length=40), nullable=False),
        sa.Column("opens", sa.Date(), nullable=False),
        sa.Column("target", sa.Date(), nullable=False),
        sa.Column("closes", sa.Date(), nullable=False),
        sa.Column("late_until", sa.Date(), nullable=False),
        sa.Column("missed_reason", sa.String(length=400), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["trial_participants.id"],
            name=op.f("fk_trial_visits_participant_id_trial_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_visits")),
        sa.UniqueConstraint("participant_id", "visit", name="uq_trial_visits_participant_visit"),
    )
    with op.batch_alter_table("trial_visits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trial_visits_participant_id"), ["participant_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("trial_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_visits_participant_id"))

    op.drop_table("trial_visits")
    with op.batch_alter_table("trial_unblindings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_unblindings_participant_id"))

    op.drop_table("trial_unblindings")
    op.drop_table("trial_randomisations")
    with op.batch_alter_table("trial_guesses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_guesses_participant_id"))

    op.drop_table("trial_guesses")
    with op.batch_alter_table("trial_deviations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_deviations_participant_id"))

    op.drop_table("trial_deviations")
    with op.batch_alter_table("trial_adverse_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_adverse_events_participant_id"))

    op.drop_table("trial_adverse_events")
    with op.batch_alter_table("trial_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_participants_trial_id"))

    op.drop_table("trial_participants")
    op.drop_table("trial_sealed_lists")
    op.drop_table("trials")
