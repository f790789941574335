"""Categories from the band rows of a spec's norms table (vectorised).

Instruments whose category is a plain score band (PGIC labels, GRC conventions) keep the bands
in their TOML file, so clinicians can review them; this turns a table into labels per row.
"""

from __future__ import annotations

import numpy as np

from hipback.errors import ConfigurationError
from hipback.measures.base import FloatArray, ObjArray
from hipback.measures.spec import InstrumentSpec, NormSpec


def band_rows(spec: InstrumentSpec, table: str, subscore: str | None = None) -> list[NormSpec]:
    rows = [
        r for r in spec.norms if r.kind == "band" and r.table == table and r.subscore == subscore
    ]
    if not rows:
        raise ConfigurationError(f"measures/data/{spec.id}.toml: no band rows in table {table!r}")
    return rows


def band_labels(
    spec: InstrumentSpec, table: str, values: FloatArray, subscore: str | None = None
) -> ObjArray:
    """The category of each value in ``table`` (None where no band covers it, e.g. NaN)."""
    out: ObjArray = np.full(values.shape, None, dtype=object)
    with np.errstate(invalid="ignore"):
        for row in band_rows(spec, table, subscore):
            lo = -np.inf if row.low is None else row.low
            hi = np.inf if row.high is None else row.high
            out[(values >= lo) & (values <= hi)] = row.category
    return out


def band_low(spec: InstrumentSpec, table: str, category: str) -> float:
    """The lower edge of the band named ``category`` (a threshold stored as data)."""
    for row in band_rows(spec, table):
        if row.category == category and row.low is not None:
            return row.low
    raise ConfigurationError(
        f"measures/data/{spec.id}.toml: table {table!r} needs a band {category!r} with low"
    )
