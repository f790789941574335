"""The file-based trial directory: init, randomise under lock, status, tamper detection."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest

from hipback.errors import Conflict, InvalidInput
from hipback.trial import filestore
from hipback.trial.blinding import find_arm_leaks
from hipback.trial.concealment import RandomisationRequest

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _example_config() -> Path:
    return Path(str(resources.files("hipback.trial").joinpath("data/mash_randomisation.toml")))


def _init(tmp_path: Path) -> Path:
    name, config = filestore.read_config(_example_config())
    filestore.initialise(tmp_path / "trial", name, config, NOW, seed=bytes(range(32)))
    return tmp_path / "trial"


def _request(pid: str, site: str = "duke", sex: str = "female") -> RandomisationRequest:
    return RandomisationRequest(pid, {"site": site, "sex": sex}, True, True, "RC", NOW)


def test_init_writes_sealed_list_privately_and_public_commitment(tmp_path: Path) -> None:
    directory = _init(tmp_path)
    public = json.loads((directory / filestore.PUBLIC).read_text())
    assert len(public["commitment"]) == 64 and len(public["strata"]) == 6
    assert "seed" not in public and "list" not in public
    mode = stat.S_IMODE((directory / filestore.SEALED).stat().st_mode)
    assert mode == 0o600
    with pytest.raises(Conflict, match="refusing to overwrite"):
        _init(tmp_path)


def test_randomise_appends_to_log_and_status_shows_no_arms(tmp_path: Path) -> None:
    directory = _init(tmp_path)
    first = filestore.randomise(directory, _request("P1"))
    second = filestore.randomise(directory, _request("P2"))
    assert (first.position, second.position) == (0, 1)
    lines = (directory / filestore.LOG).read_text().splitlines()
    assert [json.loads(line)["participant_id"] for line in lines] == ["P1", "P2"]
    status = filestore.status(directory)
    assert status["randomised"] == 2
    assert status["strata"]["site=duke|sex=female"] == {"randomised": 2, "remaining": 58}
    assert find_arm_leaks(status, ["hip", "spine"]) == []


def test_end_of_trial_verification_and_tampering(tmp_path: Path) -> None:
    directory = _init(tmp_path)
    filestore.randomise(directory, _request("P1"))
    paths = [directory / filestore.PUBLIC, directory / filestore.SEALED, directory / filestore.LOG]
    assert filestore.verify_disclosed(*paths)["ok"] is True
    # Someone edits an arm in the log: the chain breaks.
    log = directory / filestore.LOG
    record = json.loads(log.read_text())
    record["arm"] = "spine" if record["arm"] == "hip" else "hip"
    log.write_text(json.dumps(record) + "\n")
    assert filestore.verify_disclosed(*paths)["ok"] is False
    with pytest.raises(Conflict, match="does not match"):
        filestore.status(directory)


def test_swapped_sealed_list_is_refused(tmp_path: Path) -> None:
    directory = _init(tmp_path)
    sealed_path = directory / filestore.SEALED
    sealed = json.loads(sealed_path.read_text())
    rows = sealed["list"]["strata"]["site=duke|sex=male"]
    rows[0][0] = "spine" if rows[0][0] == "hip" else "hip"
    sealed_path.write_text(json.dumps(sealed))
    with pytest.raises(Conflict, match="published commitment"):
        filestore.randomise(directory, _request("P1", sex="male"))


def test_config_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[trial]\nname = "x"\n[randomisation]\narms = ["a"]\n[extra]\n')
    with pytest.raises(InvalidInput, match="only"):
        filestore.read_config(bad)
    bad.write_text('[trial]\nname = ""\n')
    with pytest.raises(InvalidInput, match=r"trial\.name"):
        filestore.read_config(bad)
