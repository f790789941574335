"""Synthetic first-visit evaluations for the demo clinic (invented people, plausible numbers).

Each evaluation is built so screening gives a known answer: most demo patients are eligible
with a weak and painful hip (the MASH subgroup); a few are not, so the demo shows every path.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any


def _side(rng: random.Random, weak: bool, weight_kg: float) -> dict[str, Any]:
    ratio = rng.uniform(0.17, 0.24) if weak else rng.uniform(0.28, 0.36)
    ir_kg = round(ratio * weight_kg, 1)
    capsular = weak and rng.random() < 0.6
    return {
        "rom_deg": {
            "flexion": rng.randint(95, 120),
            "extension": rng.randint(-5, 12),
            "internal_rotation": rng.randint(12, 22) if capsular else rng.randint(25, 35),
            "external_rotation": rng.randint(25, 40),
            "abduction": rng.randint(22, 38),
        },
        "end_feel": {
            "flexion": "normal",
            "extension": "normal",
            "internal_rotation": "capsular" if capsular else "normal",
            "external_rotation": "normal",
            "abduction": "normal",
        },
        "pain_on_internal_rotation": capsular,
        "strength": {
            "abduction": {"force_kg": round(ir_kg * rng.uniform(0.9, 1.2), 1)},
            "extension": {"force_kg": round(ir_kg * rng.uniform(1.0, 1.3), 1)},
            "internal_rotation": {"force_kg": ir_kg},
        },
        "muscle_length": {
            "thomas": {
                "hip_angle_deg": rng.choice((0, 5, 10)),
                "knee_flexion_deg": 75,
                "positive": rng.random() < 0.5,
            },
            "ober": {"adduction_angle_deg": rng.choice((-5, 0, 5)), "positive": rng.random() < 0.4},
            "hamstring": {"slr_angle_deg": rng.randint(50, 75)},
        },
        "faber": {"positive": capsular, "pain_location": "groin" if capsular else "none"},
        "fadir": {"positive": capsular, "pain_location": "groin" if capsular else "none"},
    }


def _behaviour(mrn: str, nprs: int) -> dict[str, str]:
    """Irritability answers that fit the pain rating, from a stream of their own (seeded by the
    record number) so the demo's other random draws stay as they were."""
    own = random.Random(f"symptoms:{mrn}")
    worse = nprs >= 7 or own.random() < 0.15
    return {
        "provoked_by": "little_activity"
        if worse
        else own.choice(("moderate_activity", "sustained_or_strenuous_activity")),
        "settles_within": "next_day_or_longer"
        if worse and own.random() < 0.5
        else own.choice(("under_30_minutes", "30_minutes_to_a_few_hours")),
    }


def synthetic_evaluation(
    rng: random.Random, *, mrn: str, age: int, sex: str, assessed_on: date, eligible: bool = True
) -> dict[str, Any]:
    """A complete evaluation; ``eligible=False`` gives a strong, painless hip (not the subgroup)."""
    weight = round(rng.uniform(55, 95), 1)
    painful_items = (
        [rng.randint(1, 3) for _ in range(10)] if eligible else [0, 1, 0, 1, 0, 0, 1, 0, 0, 0]
    )
    weak_side = rng.choice(("left", "right"))
    evaluation: dict[str, Any] = {
        "schema_version": 1,
        "patient": {
            "id": mrn,
            "age_years": age,
            "sex": sex,
            "height_cm": rng.randint(150, 185),
            "weight_kg": weight,
            "site": "main",
        },
        "assessed_on": assessed_on.isoformat(),
        "low_back_pain": {
            "duration_months": rng.randint(6, 120),
            "frequency_6_months": "every_day_or_nearly_every_day",
            "intensity_nprs": rng.randint(4, 8),
            "leg_pain_worse_than_back": False,
        },
        "hip_pain": {
            "side": weak_side if eligible else "none",
            "hoos_pain": {f"p{i + 1}": v for i, v in enumerate(painful_items)},
        },
        "medical_history": {
            "hip_fractures": [],
            "total_hip_replacement_left": False,
            "total_hip_replacement_right": False,
            "other_spinal_pathology": [],
            "osteoporosis": rng.random() < 0.2,
            "non_ambulatory": False,
            "mmse_score": rng.randint(25, 30),
            "severe_visual_impairment": False,
            "severe_hearing_impairment": False,
            "reads_and_speaks_english": True,
        },
        "red_flags": {
            "unexplained_weight_loss_lb": 0,
            "history_of_cancer": False,
            "bowel_or_bladder_change": False,
            "saddle_anaesthesia": False,
            "recent_trauma": False,
            "fever": False,
            "progressive_neurological_deficit": False,
            "night_pain": False,
        },
        "hip_exam": {
            side: _side(rng, eligible and side == weak_side, weight) for side in ("left", "right")
        },
        "lumbar_exam": {
            "segments": [
                {"level": "L4-L5", "mobility": "hypomobile", "pain": rng.random() < 0.5},
                {"level": "L5-S1", "mobility": "normal", "pain": False},
            ],
            "flexion_limited": rng.random() < 0.5,
            "extension_limited": rng.random() < 0.6,
            "trunk_endurance": {
                "flexor_hold_s": rng.randint(15, 60),
                "extensor_hold_s": rng.randint(20, 80),
                "side_bridge_left_hold_s": rng.randint(5, 30),
                "side_bridge_right_hold_s": rng.randint(5, 30),
            },
        },
        "notes": "Synthetic demo patient generated by hipback; not a real person.",
    }
    nprs = evaluation["low_back_pain"]["intensity_nprs"]
    evaluation["symptom_behaviour"] = _behaviour(mrn, nprs)
    return evaluation
