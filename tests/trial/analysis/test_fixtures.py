"""The committed R-reference datasets are exactly what tests/reference/make_datasets.py writes,
so the R outputs next to them (mmrm_reference.R) describe reproducible inputs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REFERENCE = Path(__file__).parents[2] / "reference"


def test_datasets_regenerate_byte_for_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("make_datasets", REFERENCE / "make_datasets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    written = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert written == sorted(p.name for p in REFERENCE.glob("*.csv"))
    for name in written:
        assert (tmp_path / name).read_bytes() == (REFERENCE / name).read_bytes(), name
        assert (REFERENCE / name.replace(".csv", ".R.json")).exists()
