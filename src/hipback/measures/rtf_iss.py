"""NIH RTF Impact Stratification Score (Deyo et al. 2014): 9 PROMIS-29 items, 8-50.

Scoring ✅ (structure confirmed in BMC Musculoskelet Disord 2022;23 and 2023): the 4 physical
function items reversed (6 − answer, 4-20) + the 4 pain interference items (4-20) + pain
intensity (0-10); higher = greater impact. The item ids are the PROMIS-29 ones, taken from the
shared PROMIS tables file so the two instruments cannot drift apart. Missing items ❌: no official
rule, so all 9 are required. MID 3 points (anchor-based) ⚠️; RTF categories ❌ (norm bands only).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from hipback.errors import InvalidInput
from hipback.measures.base import Computed, FloatArray
from hipback.measures.promis_tables import PromisTables, load_tables
from hipback.measures.questionnaire import Questionnaire

PF_TOP = 6.0  # physical function answers 1-5 are reversed as 6 − answer


def iss_item_ids(tables: PromisTables) -> tuple[str, ...]:
    """The 9 ISS items in hipback order: PF ×4, pain interference ×4, pain intensity."""
    return (
        *tables.domain("physical_function").items,
        *tables.domain("pain_interference").items,
        tables.pain_intensity.item,
    )


def items_from_promis29(items: Sequence[Any]) -> list[Any]:
    """The 9 ISS answers picked by id from a PROMIS-29 ``items`` list (hipback order)."""
    tables = load_tables()
    order = tables.item_ids
    if isinstance(items, str | bytes) or len(items) != len(order):
        shown = f"{len(items)} answers" if isinstance(items, Sequence) else items
        raise InvalidInput.one("items", shown, f"exactly {len(order)} PROMIS-29 answers")
    index = {item_id: j for j, item_id in enumerate(order)}
    return [items[index[i]] for i in iss_item_ids(tables)]


class RtfIss(Questionnaire):
    id = "rtf_iss"

    def __init__(self) -> None:
        super().__init__()
        ids = tuple(item.id for item in self.spec.items)
        if ids != iss_item_ids(load_tables()):
            # A packaging error, not user input: both files must name the same PROMIS items.
            raise RuntimeError("rtf_iss.toml items differ from the PROMIS-29 tables file")

    def compute_matrix(self, matrix: FloatArray) -> Computed:
        complete = np.asarray(~np.isnan(matrix).any(axis=1), dtype=bool)
        pf = (PF_TOP - matrix[:, 0:4]).sum(axis=1)
        pi = matrix[:, 4:8].sum(axis=1)
        intensity = matrix[:, 8]
        total = pf + pi + intensity
        why: list[str | None] = [None] * matrix.shape[0]
        for i in np.flatnonzero(~complete):
            why[i] = "the ISS has no published missing-item rule; all 9 items are required"
        return Computed(
            value=np.where(complete, total, np.nan),
            ok=complete,
            why=why,
            details={
                "physical_function_reversed_sum": np.where(complete, pf, np.nan),
                "pain_interference_sum": np.where(complete, pi, np.nan),
                "pain_intensity": np.where(complete, intensity, np.nan),
            },
        )
