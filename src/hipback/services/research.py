"""De-identified long-format research export of outcomes (CSV or Parquet) for statisticians.

One row per score or subscore. No names, record numbers, phone numbers or dates: a participant
is a keyed hash (HMAC-SHA256) of the record number, so the same key gives the same pseudonym
across exports and nobody without the key can link it back; age is a 5-year band at the start
of the episode; time is days since the episode opened. The treatment arm is included only for
actors allowed to see it (``arm.read``); otherwise the column is empty.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from pathlib import Path
from typing import Any

from hipback import measures
from hipback.clinic.access import can, require
from hipback.core.escaping import write_csv
from hipback.db.repositories import clinic as repo
from hipback.db.repositories import interop as xrepo
from hipback.db.uow import UnitOfWork
from hipback.errors import InvalidInput

COLUMNS = (
    "participant",
    "age_band",
    "sex",
    "arm",
    "episode",
    "episode_status",
    "timepoint",
    "day",
    "instrument",
    "measure",
    "value",
    "unit",
)
MIN_KEY_BYTES = 16


def pseudonym(key: bytes, mrn: str) -> str:
    """First 16 hex digits of HMAC-SHA256(key, record number)."""
    return hmac.new(key, mrn.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def age_band(birth: date, on: date) -> str:
    """5-year band (``60-64``); ``90+`` from 90, since ages above 89 are identifying (HIPAA)."""
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    if age >= 90:
        return "90+"
    low = age // 5 * 5
    return f"{low}-{low + 4}"


def research_rows(uow: UnitOfWork, key: bytes) -> list[dict[str, Any]]:
    """The rows of the export; audited."""
    require(uow.actor, "export.deidentified")
    if len(key) < MIN_KEY_BYTES:
        raise InvalidInput.one(
            "key", f"{len(key)} bytes", f"a secret of at least {MIN_KEY_BYTES} bytes"
        )
    show_arm = can(uow.actor, "arm.read")
    s = uow.session
    rows: list[dict[str, Any]] = []
    patients = xrepo.patients_by_mrn(s)
    for patient in patients:
        who = pseudonym(key, patient.mrn)
        episodes = xrepo.episodes(s, patient.id)
        for n, episode in enumerate(episodes, 1):
            outcomes = repo.outcomes(s, episode.id)
            base = {
                "participant": who,
                "age_band": age_band(patient.birth_date, episode.opened_on),
                "sex": patient.sex,
                "arm": (episode.arm or "") if show_arm else "",
                "episode": n,
                "episode_status": episode.status,
            }
            for o in outcomes:
                unit = measures.get(o.instrument).spec.unit
                common = base | {
                    "timepoint": o.timepoint,
                    "day": (o.assessed_on - episode.opened_on).days,
                    "instrument": o.instrument,
                    "unit": unit,
                }
                rows.append(common | {"measure": "score", "value": o.value})
                subscores = (o.result or {}).get("subscores") or {}
                rows += [
                    common | {"measure": name, "value": value}
                    for name, value in sorted(subscores.items())
                ]
    uow.audit(
        "export.deidentified",
        "patients",
        {"patients": len(patients), "rows": len(rows), "arm": show_arm},
    )
    uow.commit()
    return rows


def write_research(uow: UnitOfWork, key: bytes, path: Path) -> int:
    """Write the export to ``path`` (``.csv`` or ``.parquet``); returns the number of rows."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InvalidInput.one("output", str(path), "a file name ending in .csv or .parquet")
    rows = research_rows(uow, key)
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            write_csv(handle, COLUMNS, rows)
        return len(rows)
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    schema = pa.schema(
        [
            ("participant", pa.string()),
            ("age_band", pa.string()),
            ("sex", pa.string()),
            ("arm", pa.string()),
            ("episode", pa.int32()),
            ("episode_status", pa.string()),
            ("timepoint", pa.string()),
            ("day", pa.int32()),
            ("instrument", pa.string()),
            ("measure", pa.string()),
            ("value", pa.float64()),
            ("unit", pa.string()),
        ]
    )
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path)
    return len(rows)
