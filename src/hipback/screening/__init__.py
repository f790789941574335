"""Screening: the first-visit evaluation record, MASH eligibility, red flags and subgroups.

>>> import json, pathlib
>>> from hipback.screening import screen
>>> data = json.loads(pathlib.Path("examples/evaluation.json").read_text())  # doctest: +SKIP
>>> screen(data).decision  # doctest: +SKIP
'eligible'

Pure domain code: no web, database or configuration. Rules live in ``rulesets/*.toml``.
"""

from hipback.screening.engine import screen
from hipback.screening.evaluation import Evaluation, evaluation_schema, load_evaluation
from hipback.screening.red_flags import check_red_flags, must_refer
from hipback.screening.render import render_text
from hipback.screening.result import RuleOutcome, ScreeningResult, SubgroupResult
from hipback.screening.strength import (
    STANDARD_GRAVITY_M_PER_S2,
    force_newtons,
    reading_to_body_weight,
    strength_to_body_weight,
    torque_to_body_mass,
)

__all__ = [
    "STANDARD_GRAVITY_M_PER_S2",
    "Evaluation",
    "RuleOutcome",
    "ScreeningResult",
    "SubgroupResult",
    "check_red_flags",
    "evaluation_schema",
    "force_newtons",
    "load_evaluation",
    "must_refer",
    "reading_to_body_weight",
    "render_text",
    "screen",
    "strength_to_body_weight",
    "torque_to_body_mass",
]
