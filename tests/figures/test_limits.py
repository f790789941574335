"""The joint-limit data file: complete, sourced, and honest about its confidence."""

from __future__ import annotations

from hipback.core import Confidence
from hipback.figures.limits import JOINTS, load_limits


def test_every_joint_has_a_flexion_limit() -> None:
    limits = load_limits()
    for kind in set(JOINTS.values()):
        assert (kind, "flexion") in limits


def test_hip_limits_follow_older_adult_data() -> None:
    """measures.md §13b: community older women, extension 16.8 ± 4.5°, IR 27.9 ± 6.1°.

    Mean + 2 SD: extension 16.8 + 9.0 = 25.8° -> limit 25°; IR 27.9 + 12.2 = 40.1° -> 40°.
    """
    limits = load_limits()
    assert limits[("hip", "flexion")].min == -25
    assert limits[("hip", "rotation")].max == 40
    assert limits[("hip", "flexion")].max == 120  # AAOS "about 120°"


def test_no_limit_claims_to_be_verified() -> None:
    # all values are recalled textbook figures or secondary sources (see the data file)
    assert all(lim.confidence is not Confidence.VERIFIED for lim in load_limits().values())
