"""Trial analysis, pure NumPy/SciPy: MMRM with Satterthwaite df (agrees with R nlme + emmeans),
responder analysis by MCID, MASH-like simulation and power.

See docs/trial-analysis.md for the model, estimands and the agreement with R.
"""

from hipback.trial.analysis.dataset import LongDataset, from_rows, read_long_csv
from hipback.trial.analysis.mmrm import BatchFit, Estimate, MmrmResult, fit_batch, fit_mmrm

__all__ = [
    "BatchFit",
    "Estimate",
    "LongDataset",
    "MmrmResult",
    "fit_batch",
    "fit_mmrm",
    "from_rows",
    "read_long_csv",
]
