"""Item minutes = set-up + work + rests, rounded up (session_time.toml), by hand."""

from __future__ import annotations

import pytest

from hipback.errors import ConfigurationError
from hipback.protocol.catalog import load_catalog
from hipback.protocol.timing import duration, item_time, load_timing, parse_timing

CAT = load_catalog()
TIMING = load_timing()


@pytest.mark.parametrize(
    ("item_id", "level", "sides", "parts", "minutes"),
    [
        # 3 bouts × 30 s on one hip; 2 rests × 15 s; 60 s set-up → 180 s
        ("hip_long_axis_distraction", 1, 1, (60, 90, 30), 3),
        # both hips: 180 s of work; rests still between bouts (the other side works) → 270 s
        ("hip_long_axis_distraction", 1, 2, (60, 180, 30), 5),
        # 2 × 10 reps × (4 s + 3 s hold) = 140 s; 1 rest × 45 s; 60 s set-up → 245 s
        ("bridge", 1, 1, (60, 140, 45), 5),
        # 3 × 12 × 4 s × 2 sides = 288 s; 2 × 45 s; 60 s → 438 s
        ("seated_hip_ir_band", 3, 2, (60, 288, 90), 8),
        # side plank is done on each side: 3 × 15 s × 2 = 90 s; 2 × 30 s; 45 s → 195 s
        ("side_plank", 1, 1, (45, 90, 60), 4),
        # a timed item: 6 minutes of soft tissue work + 45 s set-up → 405 s
        ("hip_soft_tissue_mobilisation", 1, 1, (45, 360, 0), 7),
        # a talk: its minutes, no set-up
        ("edu_pain_pacing", 1, 1, (0, 360, 0), 6),
    ],
)
def test_item_time_by_hand(
    item_id: str, level: int, sides: int, parts: tuple[int, int, int], minutes: int
) -> None:
    item = CAT.get(item_id)
    t = item_time(item, item.level(level).dose, sides, TIMING)
    assert (t.setup_s, t.work_s, t.rest_s) == parts
    assert t.minutes == minutes


def test_time_is_described_in_minutes_and_seconds() -> None:
    item = CAT.get("bridge")
    assert item_time(item, item.level(1).dose, 1, TIMING).describe() == (
        "5 min: set-up 1 min, work 2 min 20 s, rests 45 s"
    )
    assert [duration(s) for s in (45, 120, 135)] == ["45 s", "2 min", "2 min 15 s"]


def test_every_category_needs_a_timing_row() -> None:
    text = (
        'schema_version = 1\nversion = "t"\ncheck_in_minutes = 5\nreassessment_minutes = 20\n'
        'basis = { source = "hipback default", citation = "c", confidence = "unverified" }\n'
        "[timing.aerobic]\nsetup_s = 1\nrep_s = 1\nrest_s = 1\n"
        '[priority.hip]\ncore = []\nrotate = []\nwhy = "w"\n'
    )
    with pytest.raises(ConfigurationError, match=r"session_time\.toml: .*no entry for hip_mob"):
        parse_timing(text)
