"""MMRM edge cases with hand-checkable answers, and input errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hipback.errors import InvalidInput
from hipback.trial.analysis import fit_mmrm, from_rows

HEADER = ["participant_id", "arm", "site", "sex", "visit", "baseline", "outcome"]


def _rows(n: int, visits: tuple[str, ...], seed: int) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        base = rng.normal(30, 10)
        arm = "hip" if i % 2 else "spine"
        site = ["a", "b", "c"][i % 3]
        sex = "F" if rng.random() < 0.6 else "M"
        for v in visits:
            y = base - 8 - 3 * (arm == "hip") + rng.normal(0, 10)
            out.append(
                dict(zip(HEADER, [f"p{i}", arm, site, sex, v, f"{base}", f"{y}"], strict=True))
            )
    return out


def test_one_visit_reduces_to_ordinary_least_squares() -> None:
    """With T = 1 the MMRM is OLS: REML sigma^2 = RSS/(n-p), the arm difference is the OLS arm
    coefficient with SE sqrt(sigma^2 [(X'X)^-1]_arm), and Satterthwaite df are exactly n - p."""
    data = from_rows(_rows(60, ("8wk",), 1))
    result = fit_mmrm(data, "spine")
    y = data.change[:, 0]
    x = np.column_stack(
        [
            np.ones(60),
            [a == "hip" for a in data.arm],
            data.baseline,
            [s == "b" for s in data.site],
            [s == "c" for s in data.site],
            [s == "M" for s in data.sex],
        ]
    ).astype(float)
    beta, rss, *_ = np.linalg.lstsq(x, y, rcond=None)
    n, p = x.shape
    s2 = rss[0] / (n - p)
    se = np.sqrt(s2 * np.linalg.inv(x.T @ x)[1, 1])
    (c,) = result.contrasts
    assert c.estimate == pytest.approx(beta[1], abs=1e-8)
    assert c.se == pytest.approx(se, rel=1e-6)
    assert c.df == pytest.approx(n - p, rel=1e-5)
    assert result.covariance[0][0] == pytest.approx(s2, rel=1e-6)


def test_result_serialises_with_the_cli_contract() -> None:
    result = fit_mmrm(from_rows(_rows(80, ("8wk", "6mo"), 2)), "spine")
    out = json.loads(json.dumps(result.as_dict()))
    assert [c["visit"] for c in out["contrasts"]] == ["8wk", "6mo"]
    for c in out["contrasts"]:
        assert {"visit", "difference", "se", "df", "ci_low", "ci_high", "p"} <= set(c)
        assert c["ci_low"] < c["difference"] < c["ci_high"]
    assert len(out["lsmeans"]) == 4
    assert np.allclose(out["covariance"]["matrix"], np.array(out["covariance"]["matrix"]).T)
    assert out["converged"] is True


def test_participants_without_follow_up_are_counted_out_with_a_note() -> None:
    rows = _rows(40, ("8wk", "6mo"), 3)
    rows[0]["outcome"] = rows[1]["outcome"] = ""  # participant p0: no post-baseline outcome
    result = fit_mmrm(from_rows(rows), "spine")
    assert result.n_participants == 39
    assert result.n_observations == 78
    assert any("no post-baseline outcome" in w for w in result.warnings)


def test_unknown_reference_and_single_arm() -> None:
    data = from_rows(_rows(20, ("8wk",), 4))
    with pytest.raises(InvalidInput) as err:
        fit_mmrm(data, "usual")
    assert err.value.problems[0].field == "--reference"
    assert "hip, spine" in err.value.problems[0].allowed
    only = from_rows([r for r in _rows(20, ("8wk",), 4) if r["arm"] == "hip"])
    with pytest.raises(InvalidInput):
        fit_mmrm(only, "hip")


def test_arm_without_data_at_a_visit_is_named() -> None:
    rows = _rows(40, ("8wk", "6mo"), 5)
    for r in rows:
        if r["arm"] == "hip" and r["visit"] == "6mo":
            r["outcome"] = ""
    with pytest.raises(InvalidInput) as err:
        fit_mmrm(from_rows(rows), "spine")
    assert err.value.problems[0].value == "6mo"
    assert "'hip'" in err.value.problems[0].message


def test_confounded_site_is_rejected() -> None:
    rows = _rows(40, ("8wk",), 6)
    for r in rows:
        r["site"] = "x" if r["arm"] == "hip" else "y"  # site identical to arm
    with pytest.raises(InvalidInput) as err:
        fit_mmrm(from_rows(rows), "spine")
    assert "full-rank" in err.value.problems[0].allowed
