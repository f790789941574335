"""Row classes by area; importing this package registers every table on ``Base.metadata``."""

from hipback.db.tables.audit import AuditHeadRow, AuditRow
from hipback.db.tables.clinic import (
    ClinicSettingRow,
    EpisodeRow,
    EvaluationRow,
    ExerciseLogRow,
    OutcomeRow,
    PatientRow,
    PlanRow,
    SessionRow,
    SiteRow,
)
from hipback.db.tables.trial import (
    AdverseEventRow,
    DeviationRow,
    GuessRow,
    ParticipantRow,
    RandomisationRow,
    SealedListRow,
    TrialRow,
    UnblindingRow,
    VisitRow,
)
from hipback.db.tables.users import SignInFailureRow, UserRow, WebSessionRow

__all__ = [
    "AdverseEventRow",
    "AuditHeadRow",
    "AuditRow",
    "ClinicSettingRow",
    "DeviationRow",
    "EpisodeRow",
    "EvaluationRow",
    "ExerciseLogRow",
    "GuessRow",
    "OutcomeRow",
    "ParticipantRow",
    "PatientRow",
    "PlanRow",
    "RandomisationRow",
    "SealedListRow",
    "SessionRow",
    "SignInFailureRow",
    "SiteRow",
    "TrialRow",
    "UnblindingRow",
    "UserRow",
    "VisitRow",
    "WebSessionRow",
]
