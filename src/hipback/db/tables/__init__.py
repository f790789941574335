"""Row classes by area; importing this package registers every table on ``Base.metadata``."""

from hipback.db.tables.audit import AuditHeadRow, AuditRow
from hipback.db.tables.clinic import (
    EpisodeRow,
    EvaluationRow,
    ExerciseLogRow,
    OutcomeRow,
    PatientRow,
    PlanRow,
    SessionRow,
    SiteRow,
)
from hipback.db.tables.users import UserRow, WebSessionRow

__all__ = [
    "AuditHeadRow",
    "AuditRow",
    "EpisodeRow",
    "EvaluationRow",
    "ExerciseLogRow",
    "OutcomeRow",
    "PatientRow",
    "PlanRow",
    "SessionRow",
    "SiteRow",
    "UserRow",
    "WebSessionRow",
]
