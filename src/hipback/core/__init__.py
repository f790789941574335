"""Shared vocabulary for every hipback area; standard library only."""

from hipback.core.provenance import Confidence, Source

__all__ = ["Confidence", "Source"]
