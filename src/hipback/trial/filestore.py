"""A trial kept in a directory of files, until the database-backed version (clinic records).

Files in the trial directory:

* ``commitment.json`` - public: trial name, commitment, configuration, creation time. Publish it
  (registry, protocol appendix, e-mail to the DSMB) before the first enrolment.
* ``allocation-list.sealed.json`` - secret: seed and full list, created with mode 0600. Only the
  randomisation service reads it; the trial statistician discloses it after database lock.
* ``randomisation-log.jsonl`` - one hash-chained :class:`RandomisationRecord` per line.

Randomisations hold an exclusive ``flock`` on the log while reading state and appending, so two
simultaneous randomisations cannot take the same slot.
"""

from __future__ import annotations

import fcntl
import json
import os
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from hipback.errors import Conflict, InvalidInput, NotFound
from hipback.trial.commitment import (
    FORMAT,
    allocation_from_document,
    canonical_document,
    commit,
    verify,
)
from hipback.trial.concealment import (
    ConcealedList,
    RandomisationRecord,
    RandomisationRequest,
    verify_log,
)
from hipback.trial.randomisation import RandomisationConfig, generate_list, new_seed

SEALED = "allocation-list.sealed.json"
PUBLIC = "commitment.json"
LOG = "randomisation-log.jsonl"
ALGORITHM = (
    'SHA-256(b"hipback-commitment/1\\n" + seed + b"\\n" + canonical list JSON); '
    "list from HMAC-SHA256 counter-mode DRBG per stratum (docs/trial.md)"
)


def read_config(path: Path) -> tuple[str, RandomisationConfig]:
    """``[trial] name`` and the ``[randomisation]`` table of a TOML set-up file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFound(f"no configuration file at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput.one(str(path), "TOML", "valid TOML", str(exc)) from None
    extra = sorted(set(data) - {"trial", "randomisation"})
    if extra:
        raise InvalidInput.one(str(path), extra, "tables [trial] and [randomisation] only")
    name = str(data.get("trial", {}).get("name", "")).strip()
    if not name:
        raise InvalidInput.one("trial.name", name, "a non-empty trial name")
    return name, RandomisationConfig.from_mapping(data.get("randomisation", {}))


def initialise(
    directory: Path,
    trial_name: str,
    config: RandomisationConfig,
    now: datetime,
    seed: bytes | None = None,
) -> dict[str, Any]:
    """Generate, seal and commit a list; returns the public commitment document."""
    directory.mkdir(parents=True, exist_ok=True)
    existing = [name for name in (SEALED, PUBLIC, LOG) if (directory / name).exists()]
    if existing:
        raise Conflict(
            f"{directory} already holds a trial ({', '.join(existing)}); refusing to overwrite"
        )
    seed = seed if seed is not None else new_seed()
    allocation = generate_list(config, seed)
    commitment = commit(allocation, seed)
    sealed = {
        "format": "hipback-sealed-list/1",
        "trial": trial_name,
        "seed": seed.hex(),
        "commitment": commitment,
        "list": canonical_document(allocation),
    }
    fd = os.open(directory / SEALED, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(sealed, handle, sort_keys=True)
    public = {
        "format": FORMAT,
        "trial": trial_name,
        "commitment": commitment,
        "algorithm": ALGORITHM,
        "created_at": now.isoformat(),
        "config": config.model_dump(mode="json"),
        "strata": list(config.strata()),
    }
    (directory / PUBLIC).write_text(json.dumps(public, indent=2, sort_keys=True) + "\n", "utf-8")
    (directory / LOG).touch()
    return public


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFound(f"{path} not found; run `hipback trial init` first") from None
    return data


def read_public(directory: Path) -> dict[str, Any]:
    return _read_json(directory / PUBLIC)


def _read_log(directory: Path) -> list[RandomisationRecord]:
    path = directory / LOG
    if not path.exists():
        raise NotFound(f"{path} not found")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [RandomisationRecord.from_dict(json.loads(line)) for line in lines]


def _open(directory: Path) -> ConcealedList:
    public = read_public(directory)
    sealed = _read_json(directory / SEALED)
    allocation = allocation_from_document(sealed["list"])
    seed = bytes.fromhex(sealed["seed"])
    result = verify(allocation, seed, public["commitment"])
    if not result.ok:
        raise Conflict(
            "sealed list does not match the published commitment: " + "; ".join(result.problems)
        )
    return ConcealedList(allocation, public["commitment"], _read_log(directory))


def randomise(directory: Path, request: RandomisationRequest) -> RandomisationRecord:
    """Randomise one participant under an exclusive lock and append the record to the log."""
    with open(directory / LOG, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            record = _open(directory).randomise(request)
            handle.write(json.dumps(record.as_dict(), sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return record


def status(directory: Path) -> dict[str, Any]:
    """Counts per stratum (no arms: status is safe for masked staff) and log integrity."""
    concealed = _open(directory)
    public = read_public(directory)
    strata = {
        s: {"randomised": concealed.randomised_in(s), "remaining": concealed.remaining(s)}
        for s in public["strata"]
    }
    return {
        "trial": public["trial"],
        "commitment": public["commitment"],
        "created_at": public["created_at"],
        "randomised": len(concealed.records),
        "strata": strata,
        "log": "intact",
    }


def verify_disclosed(
    public_path: Path, sealed_path: Path, log_path: Path | None = None
) -> dict[str, Any]:
    """End-of-trial check anyone can run with the disclosed sealed file (and optionally the log)."""
    public = _read_json(public_path)
    sealed = _read_json(sealed_path)
    allocation = allocation_from_document(sealed["list"])
    result = verify(allocation, bytes.fromhex(sealed["seed"]), public["commitment"])
    out: dict[str, Any] = {"commitment": public["commitment"], **result.as_dict()}
    if log_path is not None:
        records = [
            RandomisationRecord.from_dict(json.loads(line))
            for line in log_path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        log_problems = verify_log(records, allocation, public["commitment"])
        out["log_records"] = len(records)
        out["log_problems"] = log_problems
        out["ok"] = bool(out["ok"]) and not log_problems
    return out
