"""Row classes by area; importing this package registers every table on ``Base.metadata``.

The sealed allocation list's row is registered but not exported: it is imported from
:mod:`hipback.db.tables.sealed_list` only where the import-linter contracts allow.
"""

from hipback.db.tables import sealed_list as _sealed_list  # noqa: F401  (registers the table)
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
    "SessionRow",
    "SignInFailureRow",
    "SiteRow",
    "TrialRow",
    "UnblindingRow",
    "UserRow",
    "VisitRow",
    "WebSessionRow",
]
