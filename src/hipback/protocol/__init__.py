"""Treatment plans for both MASH arms: catalog, tailoring, schedule, progression.

Each plan has its own course over 16 sessions (planned level steps, education topics), a start
as gentle as the patient's severity and irritability call for, sessions fitted to the clinic's
session length, and a calendar that avoids public holidays and closures.

The Python API mirrors the CLI:

* ``generate_plan(evaluation, arm, start_on, calendar=..., session_minutes=...)`` is
  ``hipback plan``;
* ``propose(plan, load_session(data))`` is ``hipback progress``;
* ``reassess(baseline, follow_up)`` gives the 4-week "not responding" flag.

Not the MASH protocol: see ``docs/protocol.md`` for what is MASH's and what is hipback's.
"""

from hipback.protocol.catalog import Arm, Catalog, Condition, Dose, Intervention, load_catalog
from hipback.protocol.plan import generate_plan
from hipback.protocol.progression import load_session, propose
from hipback.protocol.reassessment import ReassessmentResult, reassess
from hipback.protocol.render import as_html, as_text
from hipback.protocol.rules import RuleFile, load_rules
from hipback.protocol.schedule import ClinicCalendar, Schedule, schedule_sessions
from hipback.protocol.tailoring import Tailoring, tailor
from hipback.protocol.treatment_plan import TreatmentPlan, load_plan

__all__ = [
    "Arm",
    "Catalog",
    "ClinicCalendar",
    "Condition",
    "Dose",
    "Intervention",
    "ReassessmentResult",
    "RuleFile",
    "Schedule",
    "Tailoring",
    "TreatmentPlan",
    "as_html",
    "as_text",
    "generate_plan",
    "load_catalog",
    "load_plan",
    "load_rules",
    "load_session",
    "propose",
    "reassess",
    "schedule_sessions",
    "tailor",
]
