"""The bundled MASH-like scenario file: schema, confidence marks, and user-file errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipback.errors import InvalidInput
from hipback.trial.analysis.scenario import load_scenario


def test_bundled_scenario_marks_assumptions_as_unverified() -> None:
    sc = load_scenario()
    # verified design facts (mash.md §1: 184 randomised, 3 sites, 8 weeks and 6 months)
    assert sc.design.n == 184
    assert sc.design.visits == ["8wk", "6mo"]
    unverified = sc.unverified_fields("qbpds")
    assert "n" not in unverified
    assert "visits" not in unverified
    # SDs, correlation and dropout were not found in any MASH source (mash.md §7.2, §10)
    assert {"change_sd", "correlation", "dropout", "baseline_sd"} <= set(unverified)
    # registry arm means are readings of a re-display (mash.md §7.3 ⚠️)
    assert "effect" in unverified
    # registry descriptive values: 16.7 - 20.3 = -3.6 at 8 weeks, 15.8 - 17.3 = -1.5 at 6 months
    assert sc.outcome("qbpds").effect == pytest.approx([-3.6, -1.5])


def test_user_scenario_errors(tmp_path: Path) -> None:
    text = (
        Path(__file__).parents[3] / "src/hipback/trial/analysis/data/mash_scenario.toml"
    ).read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(
        text.replace("site_proportions = [0.40, 0.25, 0.35]", "site_proportions = [0.5, 0.5, 0.5]")
    )
    with pytest.raises(InvalidInput) as err:
        load_scenario(bad)
    assert "sum to 1" in str(err.value)
    extra = tmp_path / "extra.toml"
    extra.write_text(text.replace("[design]\n", "[design]\nsurprise = 1\n"))
    with pytest.raises(InvalidInput) as err:
        load_scenario(extra)
    assert "design.surprise" in str(err.value)
    with pytest.raises(InvalidInput):
        load_scenario(tmp_path / "absent.toml")
    with pytest.raises(InvalidInput):
        load_scenario().outcome("odi")
