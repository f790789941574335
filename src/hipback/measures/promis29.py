"""PROMIS-29 v2.1 profile: seven 4-item domains → T-scores, plus 0-10 pain intensity.

Input ``{"items": [...29...]}`` of *printed* answer values in hipback's item order (domain
order of the reference table: physical function, anxiety, depression, fatigue, sleep
disturbance, social roles, pain interference, then pain intensity; ids in ``data/promis29.toml``).

Scoring: each domain's raw sum (4-20) is looked up in ``data/tables/promis29.toml`` (⚠️ values
from public code citing the HealthMeasures manual; verify before clinical use). A profile has no
headline score: ``value`` is None and the seven T-scores plus raw pain intensity are subscores.
Missing items ✅: a lookup is valid only with all 4 items, so a domain with a missing item is
left unscored (None) with a warning; the other domains are still scored. No pro-rating (its
formula is unverified). Directions differ per domain (``subscore_directions`` in the spec).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from hipback.measures.base import Computed, FloatArray
from hipback.measures.promis_tables import DomainTable, PromisTables, load_tables
from hipback.measures.questionnaire import Questionnaire
from hipback.measures.spec import LoincSpec


class Promis29(Questionnaire):
    id = "promis29"

    def __init__(self) -> None:
        super().__init__()
        self.tables: PromisTables = load_tables()
        ids = tuple(item.id for item in self.spec.items)
        if ids != self.tables.item_ids:
            # A packaging error, not user input: the spec and the tables must list the same items.
            raise RuntimeError("promis29.toml items and tables/promis29.toml items differ")
        self._index = {item_id: j for j, item_id in enumerate(ids)}

    def columns_of(self, domain: DomainTable) -> list[int]:
        return [self._index[i] for i in domain.items]

    def compute_matrix(self, matrix: FloatArray) -> Computed:
        n = matrix.shape[0]
        subscores: dict[str, npt.NDArray[Any]] = {}
        details: dict[str, npt.NDArray[Any]] = {}
        any_scored = np.zeros(n, dtype=bool)
        for domain in self.tables.domains:
            block = matrix[:, self.columns_of(domain)]
            complete = ~np.isnan(block).any(axis=1)
            raw = np.where(complete, block.sum(axis=1), np.nan)
            subscores[domain.key] = domain.lookup(raw)
            details[f"{domain.key}_raw"] = raw
            if domain.se:
                details[f"{domain.key}_se"] = domain.lookup(raw, domain.se)
            any_scored |= complete
        pain = matrix[:, self._index[self.tables.pain_intensity.item]]
        subscores[self.tables.pain_intensity.key] = pain
        any_scored |= ~np.isnan(pain)
        why: list[str | None] = [None] * n
        for i in np.flatnonzero(~any_scored):
            why[i] = "no domain has all 4 items answered and pain intensity is missing"
        return Computed(
            value=np.full(n, np.nan),
            ok=any_scored,
            why=why,
            subscores=subscores,
            details=details,
        )

    def warnings(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        out: list[str] = []
        for domain in self.tables.domains:
            missing = [self._index[i] for i in domain.items if row.get(i) is None]
            if missing:
                where = ", ".join(f"items[{j}]" for j in missing)
                out.append(
                    f"{domain.name} not scored: {len(missing)} of 4 items missing ({where}); "
                    "the lookup table needs all 4 answers"
                )
                continue
            raw = int(sum(float(row[i]) for i in domain.items))
            for alt in domain.alternatives:
                if alt.raw == raw:
                    out.append(
                        f"{domain.name} raw {raw}: T {domain.t_score(raw):g} used; "
                        f"{alt.source} gives {alt.t_score:g} (tables unverified)"
                    )
        if row.get(self.tables.pain_intensity.item) is None:
            j = self._index[self.tables.pain_intensity.item]
            out.append(f"pain intensity not reported: items[{j}] missing")
        return tuple(out)

    def loinc_codes(self) -> dict[str, LoincSpec]:
        """LOINC per subscore (all ⚠️ or ❌; see the tables file)."""
        codes = {d.key: d.loinc for d in self.tables.domains if d.loinc is not None}
        if self.tables.pain_intensity.loinc is not None:
            codes[self.tables.pain_intensity.key] = self.tables.pain_intensity.loinc
        return codes
