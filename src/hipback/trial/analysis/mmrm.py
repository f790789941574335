"""MMRM: change from baseline ~ arm x visit + baseline x visit + site + sex, unstructured
covariance, REML; LS means by arm and visit and arm-minus-reference differences per visit with
Satterthwaite df (the estimand and conventions of R ``nlme::gls`` + ``emmeans``).

``fit_mmrm`` analyses one long dataset and returns an :class:`MmrmResult`; ``fit_batch`` fits
many coded datasets at once (power simulation) and returns arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hipback.errors import InvalidInput, Problem
from hipback.trial.analysis.dataset import LongDataset
from hipback.trial.analysis.design import BoolArray, Design, FloatArray, IntArray, SuffStats
from hipback.trial.analysis.design import sufficient_stats as build_stats
from hipback.trial.analysis.inference import Inference, dcov_beta, infer, observed_information
from hipback.trial.analysis.reml import evaluate, fit

LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """An LS mean (``arm`` at ``visit``) or a difference (``arm`` minus ``reference``)."""

    visit: str
    arm: str
    estimate: float
    se: float
    df: float
    ci_low: float
    ci_high: float
    t: float
    p: float
    reference: str | None = None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"visit": self.visit, "arm": self.arm}
        if self.reference is not None:
            out["reference"] = self.reference
            out["difference"] = self.estimate
        else:
            out["estimate"] = self.estimate
        out.update(
            se=self.se, df=self.df, ci_low=self.ci_low, ci_high=self.ci_high, t=self.t, p=self.p
        )
        return out


@dataclass(frozen=True)
class MmrmResult:
    design: Design
    coefficients: dict[str, float]
    coefficient_se: dict[str, float]
    covariance: list[list[float]]
    log_likelihood: float
    lsmeans: tuple[Estimate, ...]
    contrasts: tuple[Estimate, ...]
    n_participants: int
    n_observations: int
    n_by_arm_visit: dict[str, dict[str, int]]
    converged: bool
    iterations: int
    warnings: tuple[str, ...] = field(default=())
    level: float = LEVEL

    def as_dict(self) -> dict[str, object]:
        sd = np.sqrt(np.diag(self.covariance))
        corr = np.asarray(self.covariance) / np.outer(sd, sd)
        return {
            "model": "change ~ visit*arm + visit*base + site + sex; unstructured covariance; "
            "REML; Satterthwaite df",
            "reference": self.design.arms[0],
            "arms": list(self.design.arms),
            "visits": list(self.design.visits),
            "confidence_level": self.level,
            "contrasts": [c.as_dict() for c in self.contrasts],
            "lsmeans": [m.as_dict() for m in self.lsmeans],
            "covariance": {
                "visits": list(self.design.visits),
                "matrix": self.covariance,
                "sd": sd.tolist(),
                "correlation": corr.tolist(),
            },
            "coefficients": [
                {"name": k, "estimate": v, "se": self.coefficient_se[k]}
                for k, v in self.coefficients.items()
            ],
            "log_likelihood_reml": self.log_likelihood,
            "n_participants": self.n_participants,
            "n_observations": self.n_observations,
            "n_by_arm_visit": self.n_by_arm_visit,
            "converged": self.converged,
            "iterations": self.iterations,
            "warnings": list(self.warnings),
        }


def contrast_rows(design: Design, base_mean: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(LS-mean rows (B, K*T, p) ordered visit-major, difference rows (B, (K-1)*T, p))."""
    k, t = len(design.arms), design.n_visits
    grid = [[design.grid_row(a, j, base_mean) for a in range(k)] for j in range(t)]
    means = np.stack([grid[j][a] for j in range(t) for a in range(k)], axis=1)
    diffs = np.stack([grid[j][a] - grid[j][0] for j in range(t) for a in range(1, k)], axis=1)
    return means, diffs


@dataclass(frozen=True)
class BatchFit:
    """Per-dataset arm differences (B, (K-1)*T) visit-major, plus convergence flags."""

    differences: Inference
    sigma: FloatArray
    converged: BoolArray
    iterations: IntArray
    lsmeans: Inference | None = None


def fit_batch(stats: SuffStats, lsmeans: bool = False, level: float = LEVEL) -> BatchFit:
    """Fit every dataset in ``stats`` and infer the arm differences (and LS means)."""
    result = fit(stats)
    ev = evaluate(stats, result.sigma)
    info = observed_information(stats, result.sigma)
    dcov = dcov_beta(stats, ev)
    means, diffs = contrast_rows(stats.design, stats.base_mean)
    rows = np.concatenate([diffs, means], axis=1) if lsmeans else diffs
    inf = infer(rows, ev.beta, ev.cov_beta, dcov, info, level)
    nd = diffs.shape[1]
    part = _slice(inf, slice(0, nd))
    mean_part = _slice(inf, slice(nd, None)) if lsmeans else None
    cells = (stats.cell_counts > 0).all(axis=(1, 2))  # an arm with no data at a visit
    ok = result.converged & ev.ok & cells
    return BatchFit(part, result.sigma, ok, result.iterations, mean_part)


def _slice(inf: Inference, sel: slice) -> Inference:
    return Inference(*(getattr(inf, f)[:, sel] for f in Inference.__dataclass_fields__))


def code_dataset(data: LongDataset, reference: str) -> tuple[SuffStats, list[str]]:
    """Factor coding of a long dataset (reference arm first, other levels sorted) and its
    sufficient statistics; raises InvalidInput when the model cannot be fitted."""
    notes = list(data.notes)
    arms = sorted(set(data.arm))
    if reference not in arms:
        raise InvalidInput.one("--reference", reference, ", ".join(arms), "no such arm in DATA")
    if len(arms) < 2:
        raise InvalidInput.one("arm", arms[0], "at least two arms")
    change = data.change
    keep_visits = [j for j in range(len(data.visits)) if (~np.isnan(change[:, j])).any()]
    for j in range(len(data.visits)):
        if j not in keep_visits:
            notes.append(f"visit {data.visits[j]!r} has no observed outcome and was left out")
    has_data = (~np.isnan(change[:, keep_visits])).any(axis=1)
    if (~has_data).any():
        notes.append(
            f"{int((~has_data).sum())} participant(s) with no post-baseline outcome contribute "
            "nothing to the likelihood (ITT on available data)"
        )
    rows = np.flatnonzero(has_data)
    design = Design(
        visits=tuple(data.visits[j] for j in keep_visits),
        arms=(reference, *(a for a in arms if a != reference)),
        sites=tuple(sorted({data.site[i] for i in rows})),
        sexes=tuple(sorted({data.sex[i] for i in rows})),
    )
    for name, levels in (("site", design.sites), ("sex", design.sexes)):
        if len(levels) == 1:
            notes.append(f"{name} has one level ({levels[0]!r}) and drops out of the model")

    def index(values: tuple[str, ...], levels: tuple[str, ...]) -> IntArray:
        lookup = {v: i for i, v in enumerate(levels)}
        return np.array([lookup[values[i]] for i in rows], dtype=np.int64)[None, :]

    y = change[np.ix_(rows, np.array(keep_visits, dtype=np.int64))][None]
    stats = build_stats(
        design,
        index(data.arm, design.arms),
        index(data.site, design.sites),
        index(data.sex, design.sexes),
        data.baseline[rows][None, :],
        y,
    )
    empty = [
        Problem("visit", design.visits[j], "at least one observed outcome per arm and visit",
                f"arm {design.arms[a]!r} has no observed outcome at this visit")
        for a in range(len(design.arms)) for j in range(design.n_visits)
        if stats.cell_counts[0, a, j] == 0
    ]  # fmt: skip
    if empty:
        raise InvalidInput(empty)
    p = design.n_coef
    if stats.n_obs[0] <= p + design.n_visits:
        raise InvalidInput.one(
            "DATA", int(stats.n_obs[0]), f"more than {p + design.n_visits} observed outcomes",
            "too few observations for the model",
        )  # fmt: skip
    q = p + 1
    t = design.n_visits
    gram = stats.gram[0].reshape(-1, t, t, q, q)
    xtx = sum(gram[:, j, j, :p, :p] for j in range(t)).sum(axis=0)
    if np.linalg.matrix_rank(xtx) < p:
        raise InvalidInput.one(
            "DATA", f"rank {np.linalg.matrix_rank(xtx)} of {p} columns", "a full-rank design",
            "some factor levels are confounded (e.g. a site or sex seen in only one arm/visit "
            "combination); merge small sites or check the coding",
        )  # fmt: skip
    return stats, notes


def fit_mmrm(data: LongDataset, reference: str, level: float = LEVEL) -> MmrmResult:
    """Fit the MMRM to one long dataset; differences are each other arm minus ``reference``."""
    if not 0.5 <= level < 1.0:
        raise InvalidInput.one("level", level, "0.5 <= level < 1")
    stats, notes = code_dataset(data, reference)
    design = stats.design
    batch = fit_batch(stats, lsmeans=True, level=level)
    ev = evaluate(stats, batch.sigma)
    converged = bool(batch.converged[0])
    if not converged:
        notes.append("REML did not converge; estimates are not reliable")
    if not np.isfinite(batch.differences.df).all():
        notes.append("Satterthwaite df could not be computed (singular information)")
    names = design.coefficient_names()
    cov_beta = ev.cov_beta[0]
    k, t = len(design.arms), design.n_visits
    means = batch.lsmeans
    lsmeans = tuple(
        _estimate(means, j * k + a, design.visits[j], design.arms[a], None)
        for j in range(t) for a in range(k)
    ) if means is not None else ()  # fmt: skip
    diffs = tuple(
        _estimate(batch.differences, j * (k - 1) + a - 1, design.visits[j], design.arms[a],
                  design.arms[0])
        for j in range(t) for a in range(1, k)
    )  # fmt: skip
    n_by = {
        design.arms[a]: {design.visits[j]: int(stats.cell_counts[0, a, j]) for j in range(t)}
        for a in range(k)
    }
    return MmrmResult(
        design=design,
        coefficients=dict(zip(names, ev.beta[0].tolist(), strict=True)),
        coefficient_se=dict(zip(names, np.sqrt(np.diag(cov_beta)).tolist(), strict=True)),
        covariance=batch.sigma[0].tolist(),
        log_likelihood=float(-0.5 * ev.m2ll[0]),
        lsmeans=lsmeans,
        contrasts=diffs,
        n_participants=int(stats.counts[0].sum()),
        n_observations=int(stats.n_obs[0]),
        n_by_arm_visit=n_by,
        converged=converged,
        iterations=int(batch.iterations[0]),
        warnings=tuple(notes),
        level=level,
    )


def _estimate(inf: Inference, col: int, visit: str, arm: str, reference: str | None) -> Estimate:
    return Estimate(
        visit=visit,
        arm=arm,
        estimate=float(inf.estimate[0, col]),
        se=float(inf.se[0, col]),
        df=float(inf.df[0, col]),
        ci_low=float(inf.ci_low[0, col]),
        ci_high=float(inf.ci_high[0, col]),
        t=float(inf.t[0, col]),
        p=float(inf.p[0, col]),
        reference=reference,
    )
