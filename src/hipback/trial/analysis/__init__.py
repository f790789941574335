"""Trial analysis, pure NumPy/SciPy: MMRM with Satterthwaite df (agrees with R nlme + emmeans),
responder analysis by MCID, MASH-like simulation and power.

See docs/trial-analysis.md for the model, estimands and the agreement with R.
"""

from typing import TYPE_CHECKING, Any

from hipback.trial.analysis.dataset import LongDataset, from_rows, read_long_csv
from hipback.trial.analysis.responder import ResponderResult, responder_analysis
from hipback.trial.analysis.results import results_table, to_csv

if TYPE_CHECKING:
    from hipback.trial.analysis.mmrm import BatchFit, Estimate, MmrmResult, fit_batch, fit_mmrm

_MMRM = frozenset({"BatchFit", "Estimate", "MmrmResult", "fit_batch", "fit_mmrm"})


def __getattr__(name: str) -> Any:
    """The model (:mod:`.mmrm`, and SciPy with its first fit) loads when first asked for, so
    processes that only read or write datasets (the web app at start-up) do without it."""
    if name in _MMRM:
        from hipback.trial.analysis import mmrm

        return getattr(mmrm, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
