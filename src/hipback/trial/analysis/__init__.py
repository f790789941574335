"""Trial analysis, pure NumPy/SciPy: MMRM with Satterthwaite df (agrees with R nlme + emmeans),
responder analysis by MCID, MASH-like simulation and power.

See docs/trial-analysis.md for the model, estimands and the agreement with R.
"""

from hipback.trial.analysis.dataset import LongDataset, from_rows, read_long_csv
from hipback.trial.analysis.mmrm import BatchFit, Estimate, MmrmResult, fit_batch, fit_mmrm
from hipback.trial.analysis.responder import ResponderResult, responder_analysis
from hipback.trial.analysis.results import results_table, to_csv

__all__ = [
    "BatchFit",
    "Estimate",
    "LongDataset",
    "MmrmResult",
    "ResponderResult",
    "fit_batch",
    "fit_mmrm",
    "from_rows",
    "read_long_csv",
    "responder_analysis",
    "results_table",
    "to_csv",
]
