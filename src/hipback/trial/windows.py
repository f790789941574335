"""Visit schedule, windows and the status of each visit on a reference date.

The schedule is data (``trial/data/visit_windows.toml``, validated by :class:`VisitSchedule`).
For each visit, relative to the anchor date (randomisation):

* window opens ``target_day - window_before`` and closes ``target_day + window_after`` (inclusive);
* after the window, a visit stays collectable for ``late_allowance`` days (a deviation, but
  intention-to-treat analysis still wants the data);
* status on a reference date: ``completed`` if an assessment date is recorded; ``missed`` if it was
  recorded as missed or the late allowance has passed; otherwise ``not_yet_due`` before the
  window, ``due`` inside it, ``overdue`` after it but within the late allowance.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hipback.core import Confidence, Source
from hipback.errors import ConfigurationError, InvalidInput, Problem


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Model):
    citation: str
    confidence: Confidence
    note: str = ""

    def to_source(self) -> Source:
        return Source(self.citation, self.confidence, self.note)


class VisitWindow(_Model):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,30}$")
    label: str
    target_day: int = Field(ge=-365, le=3650)
    window_before: int = Field(ge=0, le=365)
    window_after: int = Field(ge=0, le=365)
    late_allowance: int = Field(ge=0, le=365)
    primary: bool = False

    def opens(self, anchor: date) -> date:
        return anchor + timedelta(days=self.target_day - self.window_before)

    def target(self, anchor: date) -> date:
        return anchor + timedelta(days=self.target_day)

    def closes(self, anchor: date) -> date:
        return anchor + timedelta(days=self.target_day + self.window_after)

    def late_until(self, anchor: date) -> date:
        return self.closes(anchor) + timedelta(days=self.late_allowance)


class VisitSchedule(_Model):
    schema_version: Literal[1]
    anchor: Literal["randomisation"]
    timing_source: SourceSpec
    windows_source: SourceSpec
    visits: tuple[VisitWindow, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> VisitSchedule:
        codes = [v.code for v in self.visits]
        if len(set(codes)) != len(codes):
            raise ValueError("visit codes must be unique")
        return self

    def visit(self, code: str) -> VisitWindow:
        for v in self.visits:
            if v.code == code:
                return v
        raise InvalidInput.one("visit", code, ", ".join(v.code for v in self.visits))


def load_schedule(path: Path | None = None) -> VisitSchedule:
    """The default schedule, or one from ``path``; names the file and field of any error."""
    if path is None:
        text = resources.files("hipback.trial").joinpath("data/visit_windows.toml").read_text()
        where = "hipback/trial/data/visit_windows.toml"
    else:
        text, where = path.read_text(encoding="utf-8"), str(path)
    try:
        return VisitSchedule.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigurationError(f"{where}: {exc}") from None


class VisitStatus(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    DUE = "due"
    OVERDUE = "overdue"
    MISSED = "missed"
    COMPLETED = "completed"


@dataclass(frozen=True)
class VisitState:
    code: str
    label: str
    status: VisitStatus
    opens: date
    target: date
    closes: date
    late_until: date
    completed_on: date | None = None
    #: for completed visits: whether the assessment date was inside the window
    in_window: bool | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "status": self.status.value,
            "opens": self.opens.isoformat(),
            "target": self.target.isoformat(),
            "closes": self.closes.isoformat(),
            "late_until": self.late_until.isoformat(),
            "completed_on": self.completed_on.isoformat() if self.completed_on else None,
            "in_window": self.in_window,
        }


def visit_state(
    window: VisitWindow,
    anchor: date,
    on: date,
    completed_on: date | None = None,
    recorded_missed: bool = False,
) -> VisitState:
    opens, closes, late = window.opens(anchor), window.closes(anchor), window.late_until(anchor)
    in_window = None
    if completed_on is not None:
        status = VisitStatus.COMPLETED
        in_window = opens <= completed_on <= closes
    elif recorded_missed or on > late:
        status = VisitStatus.MISSED
    elif on < opens:
        status = VisitStatus.NOT_YET_DUE
    elif on <= closes:
        status = VisitStatus.DUE
    else:
        status = VisitStatus.OVERDUE
    return VisitState(
        window.code,
        window.label,
        status,
        opens,
        window.target(anchor),
        closes,
        late,
        completed_on,
        in_window,
    )


def schedule_states(
    schedule: VisitSchedule,
    anchor: date,
    on: date,
    completed: Mapping[str, date] | None = None,
    missed: Set[str] = frozenset(),
) -> list[VisitState]:
    """Status of every visit of ``schedule`` for one participant on date ``on``."""
    completed = completed or {}
    codes = {v.code for v in schedule.visits}
    unknown = sorted((set(completed) | set(missed)) - codes)
    if unknown:
        raise InvalidInput(Problem("visit", code, ", ".join(sorted(codes))) for code in unknown)
    return [
        visit_state(v, anchor, on, completed.get(v.code), v.code in missed) for v in schedule.visits
    ]
