"""Who may do what: one declarative permission table used by every edge.

``PERMISSIONS[action]`` maps each role to the scope it may act in: ``"any"`` (every record of the
clinic), ``"own"`` (a patient's own record only) or absent (never). Assessors never see the
treatment arm (``arm.read`` is absent for them); statisticians see de-identified exports only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hipback.clinic.records import Role
from hipback.errors import PermissionDenied

Scope = Literal["any", "own"]

A, T, S, M, X, P = (
    Role.ADMIN,
    Role.THERAPIST,
    Role.ASSESSOR,
    Role.TRIAL_MANAGER,
    Role.STATISTICIAN,
    Role.PATIENT,
)

PERMISSIONS: dict[str, dict[Role, Scope]] = {
    "patient.create": {A: "any", T: "any"},
    "patient.read": {A: "any", T: "any", S: "any", M: "any", P: "own"},
    "patient.list": {A: "any", T: "any", S: "any", M: "any"},
    "evaluation.write": {T: "any"},
    "evaluation.read": {A: "any", T: "any"},
    "plan.write": {T: "any"},
    "plan.read": {A: "any", T: "any", P: "own"},
    "session.write": {T: "any"},
    "session.read": {A: "any", T: "any"},
    "outcome.write": {T: "any", S: "any"},
    "outcome.read": {A: "any", T: "any", S: "any", M: "any", P: "own"},
    "exercise_log.write": {T: "any", P: "own"},
    "exercise_log.read": {A: "any", T: "any", P: "own"},
    "arm.read": {A: "any", T: "any", M: "any", P: "own"},
    "dashboard.read": {A: "any", T: "any", P: "own"},
    "portal.use": {P: "own"},
    "account.second_factor": {A: "any", T: "any", S: "any", M: "any", X: "any"},
    "user.manage": {A: "any"},
    "audit.read": {A: "any"},
    "export.deidentified": {A: "any", X: "any", M: "any"},
    # trial mode: the assessor records outcomes and arm guesses but never sees an arm
    "trial.view": {A: "any", M: "any", S: "any", X: "any"},
    "trial.visits": {A: "any", M: "any", S: "any"},
    "trial.manage": {A: "any", M: "any"},
    "trial.randomise": {M: "any"},
    "trial.assess": {S: "any"},
    "trial.unblind": {M: "any"},
    "trial.results": {M: "any", X: "any"},
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the CLI's named operator."""

    username: str
    role: Role
    user_id: int | None = None
    patient_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.role.value}:{self.username}"


def can(actor: Actor, action: str, patient_id: int | None = None) -> bool:
    """True when ``actor`` may do ``action`` on the record of ``patient_id`` (None = no record)."""
    scope = PERMISSIONS.get(action, {}).get(actor.role)
    if scope == "any":
        return True
    if scope == "own":
        return actor.patient_id is not None and actor.patient_id == patient_id
    return False


def require(actor: Actor, action: str, patient_id: int | None = None) -> None:
    if action not in PERMISSIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    if not can(actor, action, patient_id):
        raise PermissionDenied(f"{actor.role.value} may not {action.replace('.', ' ')}")


def permission_table_markdown() -> str:
    """The permission table as Markdown (docs/security.md embeds it; a test keeps it current)."""
    roles = list(Role)
    head = "| action | " + " | ".join(r.value.replace("_", " ") for r in roles) + " |"
    rule = "|---|" + "---|" * len(roles)
    rows = [
        f"| `{action}` | " + " | ".join(scopes.get(r, "—") for r in roles) + " |"
        for action, scopes in PERMISSIONS.items()
    ]
    return "\n".join([head, rule, *rows]) + "\n"
