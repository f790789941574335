"""``hipback trial analyse|simulate|power`` run through the console entry point. Expected analysis
numbers are R's (tests/reference/*.R.json, made by tests/reference/mmrm_reference.R)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import invoke

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
HIPBACK = [sys.executable, "-m", "hipback"]

run = invoke  # the console entry point, in this process (conftest.invoke)


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    """A real ``python -m hipback`` process."""
    return subprocess.run(
        [*HIPBACK, *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_analyse_json_contract_matches_r() -> None:
    out = run("trial", "analyse", str(REFERENCE / "dropout_2visit.csv"), "--reference", "spine")
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    r = json.loads((REFERENCE / "dropout_2visit.R.json").read_text())["contrasts"]
    assert [c["visit"] for c in body["contrasts"]] == ["8wk", "6mo"]
    for i, c in enumerate(body["contrasts"]):
        assert set(c) >= {"visit", "difference", "se", "df", "ci_low", "ci_high", "p"}
        assert c["difference"] == pytest.approx(r["estimate"][i], abs=1e-4)
        assert c["se"] == pytest.approx(r["se"][i], abs=1e-4)
        assert c["df"] == pytest.approx(r["df"][i], rel=0.02)
    assert len(body["lsmeans"]) == 4
    assert len(body["covariance"]["matrix"]) == 2


def test_visit_order_option_reorders_without_changing_estimates() -> None:
    """The unstructured model is invariant to the order of visits: same per-visit numbers."""
    path = str(REFERENCE / "three_visit.csv")
    out = run("trial", "analyse", path, "--reference", "spine", "--visits", "12mo,8wk,6mo")
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert [c["visit"] for c in body["contrasts"]] == ["12mo", "8wk", "6mo"]
    r = json.loads((REFERENCE / "three_visit.R.json").read_text())["contrasts"]
    by_visit = dict(zip(r["visit"], r["estimate"], strict=True))
    for c in body["contrasts"]:
        assert c["difference"] == pytest.approx(by_visit[c["visit"]], abs=1e-4)


def test_analyse_errors_exit_2_naming_the_value(tmp_path: Path) -> None:
    out = run("trial", "analyse", str(REFERENCE / "three_arms.csv"), "--reference", "placebo")
    assert out.returncode == 2
    assert "placebo" in out.stderr and "hip, spine, usual" in out.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "participant_id,arm,site,sex,visit,baseline,outcome\np1,hip,a,F,8wk,x,3\n", encoding="utf-8"
    )
    out = run("trial", "analyse", str(bad), "--reference", "hip")
    assert out.returncode == 2
    assert "line 2: baseline: got 'x'" in out.stderr


def test_simulate_writes_an_analysable_csv(tmp_path: Path) -> None:
    path = tmp_path / "sim.csv"
    out = run("trial", "simulate", "--n", "184", "--seed", "1", "--output", str(path))
    assert out.returncode == 0, out.stderr
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "participant_id,arm,site,sex,visit,baseline,outcome"
    assert len(lines) == 1 + 184 * 2
    out = run("trial", "analyse", str(path), "--reference", "spine", "--mcid", "5")
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["converged"] is True
    assert len(body["responders"]["differences"]) == 2


def test_power_json() -> None:
    out = run("trial", "power", "--trials", "200", "--chunk", "100", "--jobs", "1",
              "--effect", "-5", "--format", "json")  # fmt: skip
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["trials"] == 200
    assert [v["visit"] for v in body["visits"]] == ["8wk", "6mo"]
    first = body["visits"][0]
    assert first["entered_effect"] == -5
    # clipping at 0 on the QBPDS leaves a smaller effect on the recorded scale
    assert -5 < first["realised_effect"] < -4
    assert "power for realised_effect" in body["note"]
    assert "change_sd" in body["unverified_parameters"]


def test_power_on_a_dask_cluster_equals_local_workers() -> None:
    """``--dask``: a LocalCluster scheduler on loopback TCP (in-process worker threads) serves
    the CLI process; per-chunk seeds make the result identical to one local process."""
    from distributed import LocalCluster

    args = ("trial", "power", "--trials", "300", "--chunk", "100", "--seed", "7",
            "--outcome", "gait", "--format", "json")  # fmt: skip
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        on_dask = run_process(*args, "--dask", address)  # another process, over loopback
        assert on_dask.returncode == 0, on_dask.stderr
    local = run(*args, "--jobs", "1")
    assert local.returncode == 0, local.stderr
    dask_body, local_body = json.loads(on_dask.stdout), json.loads(local.stdout)
    assert dask_body["workers"] == f"dask {address}"
    assert local_body["workers"] == "1 process"
    for body in (dask_body, local_body):
        del body["seconds"], body["workers"]
    assert dask_body == local_body
    assert dask_body["trials"] == dask_body["converged"] == 300


def test_analyse_csv_results_table() -> None:
    out = run("trial", "analyse", str(REFERENCE / "mash_qbpds_2visit.csv"), "--reference",
              "spine", "--format", "csv")  # fmt: skip
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("timepoint,spine_n,spine_mean,spine_sd")
    assert [line.split(",")[0] for line in lines[1:]] == ["baseline", "8wk", "6mo"]
    r = json.loads((REFERENCE / "mash_qbpds_2visit.R.json").read_text())["contrasts"]
    header = lines[0].split(",")
    row = dict(zip(header, lines[2].split(","), strict=True))
    assert float(row["hip_minus_spine_difference"]) == pytest.approx(r["estimate"][0], abs=1e-4)
