"""Screening: the first-visit evaluation record and MASH eligibility, red flags and subgroups.

Pure domain code: no web, database or configuration.
"""

from hipback.screening.evaluation import Evaluation, evaluation_schema, load_evaluation

__all__ = ["Evaluation", "evaluation_schema", "load_evaluation"]
