"""Masking: who may know a participant's arm, redaction, unblinding events, Bang blinding index.

MASH was "single-masked" (mash.md §3 ✅); *who* was masked was not found (❌). Masking the outcome
assessors is our assumption, consistent with both arms receiving active physical therapy that
therapists cannot be blind to. The role table below encodes that assumption and is the single
place to change it.

:func:`redact` is the one function every edge (web page, API response, export, error message,
audit view) passes data through before it reaches a masked role. It masks the values of
arm-revealing keys (``arm``, treatment notes, home programme, ...), drops mapping entries keyed by
an arm name (per-arm counts), and masks any string value that *is* an arm name or label. It does
not scan free text: free text written by treating therapists must live under an arm-revealing key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal, cast

from hipback.core import Confidence, Source
from hipback.errors import InvalidInput, PermissionDenied, Problem
from hipback.trial.blinding_index import (
    DONT_KNOW,
    AssessorGuess,
    BangIndex,
    bang_by_arm,
    bang_for_visit,
    bang_index,
    record_guess,
)

MASKED = "[masked]"

__all__ = [
    "ARM_KEYS",
    "DONT_KNOW",
    "MASKED",
    "AssessorGuess",
    "BangIndex",
    "Role",
    "UnblindingEvent",
    "bang_by_arm",
    "bang_for_visit",
    "bang_index",
    "find_arm_leaks",
    "may_see_arm",
    "record_guess",
    "record_unblinding",
    "redact",
]

ARM_KEYS: frozenset[str] = frozenset(
    {
        "arm",
        "arm_label",
        "arm_code",
        "allocation",
        "allocated_arm",
        "treatment_arm",
        "group",
        "randomisation",
        "randomization",
        "intervention",
        "treatment_notes",
        "session_notes",
        "sessions",
        "treatment_plan",
        "plan",
        "home_program",
        "home_programme",
        "exercise_log",
        "exercises",
        "adherence",
        "fidelity",
    }
)

MASKING_ASSUMPTION = Source(
    "Hicks GE et al. Lancet Rheumatol 2024 (single-masked); masked party not reported",
    Confidence.UNVERIFIED,
    "hipback masks outcome assessors and the blinded statistician; confirm against the protocol",
)


class Role(StrEnum):
    ASSESSOR = "assessor"
    BLINDED_STATISTICIAN = "blinded_statistician"
    THERAPIST = "therapist"
    TRIAL_MANAGER = "trial_manager"
    UNBLINDED_STATISTICIAN = "unblinded_statistician"
    SAFETY_OFFICER = "safety_officer"
    PRINCIPAL_INVESTIGATOR = "principal_investigator"


MASKED_ROLES: frozenset[Role] = frozenset({Role.ASSESSOR, Role.BLINDED_STATISTICIAN})
#: Roles that may authorise a deliberate unblinding (emergency, safety, end of trial).
UNBLINDING_AUTHORISERS: frozenset[Role] = frozenset(
    {Role.SAFETY_OFFICER, Role.PRINCIPAL_INVESTIGATOR, Role.UNBLINDED_STATISTICIAN}
)


def may_see_arm(role: Role) -> bool:
    return role not in MASKED_ROLES


def redact(
    record: object, role: Role, arms: Iterable[str] = (), extra_keys: Iterable[str] = ()
) -> object:
    """A copy of ``record`` (dicts, lists, scalars) safe to show to ``role``."""
    if may_see_arm(role):
        return _copy(record)
    keys = ARM_KEYS | {k.lower() for k in extra_keys}
    names = {a.strip().lower() for a in arms if a.strip()}
    return _redact(record, keys, names)


def _copy(value: object) -> object:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


def _redact(value: object, keys: frozenset[str] | set[str], names: set[str]) -> object:
    if isinstance(value, Mapping):
        out: dict[object, object] = {}
        for k, v in value.items():
            key = str(k).lower()
            if key in names:
                continue  # a per-arm entry (e.g. counts by arm) is dropped entirely
            out[k] = MASKED if key in keys else _redact(v, keys, names)
        return out
    if isinstance(value, list | tuple):
        return [_redact(v, keys, names) for v in value]
    if isinstance(value, str) and value.strip().lower() in names:
        return MASKED
    return value


def find_arm_leaks(
    value: object, arms: Iterable[str], extra_keys: Iterable[str] = (), path: str = "$"
) -> list[str]:
    """Paths in ``value`` that would reveal an arm to a masked role (for tests and audits)."""
    keys = ARM_KEYS | {k.lower() for k in extra_keys}
    names = {a.strip().lower() for a in arms if a.strip()}
    leaks: list[str] = []
    if isinstance(value, Mapping):
        for k, v in value.items():
            key = str(k).lower()
            if key in names or (key in keys and v != MASKED):
                leaks.append(f"{path}.{k}")
            else:
                leaks.extend(find_arm_leaks(v, names, keys, f"{path}.{k}"))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            leaks.extend(find_arm_leaks(v, names, keys, f"{path}[{i}]"))
    elif isinstance(value, str) and value.strip().lower() in names:
        leaks.append(path)
    return leaks


UnblindingKind = Literal["emergency", "safety", "accidental", "end_of_trial"]
_KINDS: tuple[str, ...] = ("emergency", "safety", "accidental", "end_of_trial")
MIN_REASON = 15


@dataclass(frozen=True)
class UnblindingEvent:
    """A reasoned, named record that a masked person learned (or was told) an arm."""

    participant_id: str
    kind: UnblindingKind
    reason: str
    revealed_to: str
    revealed_to_role: Role
    recorded_by: str
    recorded_by_role: Role
    at: datetime

    def as_dict(self) -> dict[str, str]:
        return {
            "participant_id": self.participant_id,
            "kind": self.kind,
            "reason": self.reason,
            "revealed_to": self.revealed_to,
            "revealed_to_role": self.revealed_to_role.value,
            "recorded_by": self.recorded_by,
            "recorded_by_role": self.recorded_by_role.value,
            "at": self.at.isoformat(),
        }


def record_unblinding(
    *,
    participant_id: str,
    kind: str,
    reason: str,
    revealed_to: str,
    revealed_to_role: Role,
    recorded_by: str,
    recorded_by_role: Role,
    at: datetime,
) -> UnblindingEvent:
    """Validate and build an unblinding event.

    Deliberate unblinding (emergency, safety, end of trial) must be recorded by an authoriser;
    an accidental unblinding (e.g. a participant mentions their exercises to the assessor) may be
    reported by anyone, including the assessor concerned.
    """
    problems: list[Problem] = []
    if kind not in _KINDS:
        problems.append(Problem("kind", kind, ", ".join(_KINDS)))
    if len(reason.strip()) < MIN_REASON:
        problems.append(
            Problem("reason", reason, f"at least {MIN_REASON} characters", "say why, specifically")
        )
    for field, value in (
        ("participant_id", participant_id),
        ("revealed_to", revealed_to),
        ("recorded_by", recorded_by),
    ):
        if not value.strip():
            problems.append(Problem(field, value, "a non-empty name or id"))
    if at.tzinfo is None:
        problems.append(Problem("at", at.isoformat(), "a timezone-aware date-time"))
    if problems:
        raise InvalidInput(problems)
    if kind != "accidental" and recorded_by_role not in UNBLINDING_AUTHORISERS:
        allowed = ", ".join(sorted(r.value for r in UNBLINDING_AUTHORISERS))
        raise PermissionDenied(
            f"role {recorded_by_role.value!r} may not unblind ({kind}); allowed: {allowed}"
        )
    return UnblindingEvent(
        participant_id,
        cast(UnblindingKind, kind),
        reason.strip(),
        revealed_to,
        revealed_to_role,
        recorded_by,
        recorded_by_role,
        at,
    )
