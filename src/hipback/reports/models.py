"""View models for reports: plain frozen dataclasses built by ``hipback.services.reports``.

Rendering (``render``) and plotting (``plots``) take only these, never database rows, so a report
can be reproduced from its view model alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: display labels of the MASH assessment timepoints, in order
TIMEPOINT_LABELS: dict[str, str] = {
    "baseline": "Baseline",
    "4wk": "4 wk",
    "8wk": "8 wk",
    "6mo": "6 mo",
    "adhoc": "Ad hoc",
}


@dataclass(frozen=True)
class SeriesPoint:
    timepoint: str
    on: date
    value: float

    @property
    def label(self) -> str:
        return TIMEPOINT_LABELS.get(self.timepoint, self.timepoint)


@dataclass(frozen=True)
class ReferenceLine:
    """A norm or threshold drawn across an outcome chart (e.g. "Cesari 2005 risk: 1.0 m/s")."""

    label: str
    value: float
    verified: bool


@dataclass(frozen=True)
class OutcomeView:
    instrument: str
    domain: str
    short_name: str
    unit: str
    higher_is_better: bool
    score_min: float
    score_max: float
    points: tuple[SeriesPoint, ...]
    #: primary minimal important change in score units (None: none published in points)
    mcid: float | None
    mcid_verified: bool
    mcid_source: str
    reference_lines: tuple[ReferenceLine, ...]
    #: "improved" / "no_meaningful_change" / "worsened"; None with fewer than two results
    verdict: str | None
    summary: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signature:
    name: str
    role: str
    signed_on: date


@dataclass(frozen=True)
class ProgressReport:
    clinic: str
    patient_name: str
    mrn: str
    birth_date: date
    age: int
    sex: str
    synthetic: bool
    episode_opened: date
    episode_status: str
    #: None when the reader may not see the arm (e.g. a blinded assessor)
    arm: str | None
    sessions_attended: int
    sessions_planned: int
    sessions_due: int
    outcomes: tuple[OutcomeView, ...]
    #: days with any logged home exercise, per week from ``adherence_start``
    adherence: tuple[int, ...]
    adherence_start: date
    #: prescribed home-exercise days per week (None without a plan)
    adherence_target: int | None
    signature: Signature
    generated_on: date
    #: False when the reader may not see the arm (then ``arm`` is None even if assigned)
    arm_visible: bool = True


@dataclass(frozen=True)
class HandoutExercise:
    id: str
    name: str
    purpose: str
    steps: tuple[str, ...]
    dose: str
    sides: tuple[str, ...]
    safety: tuple[str, ...]
    #: an inline SVG illustration, or None (the slot is left blank)
    figure_svg: str | None = None


@dataclass(frozen=True)
class HandoutTalk:
    """An education topic covered in the clinic, its key points in plain words."""

    title: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class HepHandout:
    clinic: str
    patient_name: str
    mrn: str
    synthetic: bool
    session_number: int
    valid_from: date
    exercises: tuple[HandoutExercise, ...]
    therapist: str
    generated_on: date
    log_days: int = 14
    general_safety: tuple[str, ...] = field(default=())
    education: tuple[HandoutTalk, ...] = field(default=())


@dataclass(frozen=True)
class ArmTrajectory:
    """Mean score of one arm at each timepoint, with the number of patients behind it."""

    arm: str
    timepoints: tuple[str, ...]
    means: tuple[float, ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class InstrumentTrajectories:
    instrument: str
    domain: str
    unit: str
    higher_is_better: bool
    arms: tuple[ArmTrajectory, ...]


@dataclass(frozen=True)
class ResponderRate:
    arm: str
    instrument: str
    responders: int
    assessed: int

    @property
    def share(self) -> float:
        return self.responders / self.assessed if self.assessed else 0.0


@dataclass(frozen=True)
class AdherencePoint:
    arm: str
    #: mean days per week with a logged home exercise
    adherence: float
    #: improvement from baseline to latest (positive = better), in the instrument's units
    improvement: float


@dataclass(frozen=True)
class ClinicAnalytics:
    clinic: str
    generated_on: date
    patients: int
    trajectories: tuple[InstrumentTrajectories, ...]
    responders: tuple[ResponderRate, ...]
    scatter_instrument: str
    scatter_unit: str
    scatter: tuple[AdherencePoint, ...]
    scatter_mcid: float | None = None
    mcid_text: dict[str, str] = field(default_factory=dict)
