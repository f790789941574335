"""The web app starts without the heavy libraries, and with the production password hasher.

SciPy (trial analysis), matplotlib (report figures), WeasyPrint (PDF), fhir.resources (FHIR
validation), pandas and Alembic are imported by the request or command that uses them.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from hipback.config import Settings
from hipback.services.passwords import DEFAULT_HASHER
from hipback.web import create_app

HEAVY = (
    "scipy",
    "pandas",
    "matplotlib",
    "weasyprint",
    "statsmodels",
    "fhir.resources",
    "pyarrow",
    "joblib",
    "PIL",
    "alembic",
    "hipback.trial.analysis.mmrm",
)

PROBE = """
import json, sys
from fastapi.testclient import TestClient
from hipback.config import Settings
from hipback.web import create_app
app = create_app(Settings(database_url=sys.argv[1]))
with TestClient(app) as client:
    status = client.get("/healthz").status_code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def test_app_starts_without_heavy_modules(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, f"sqlite:///{tmp_path / 'empty.sqlite3'}"],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout)
    assert found["status"] == 200
    modules = set(found["modules"])
    heavy = sorted(h for h in HEAVY if h in modules or any(m.startswith(h + ".") for m in modules))
    assert heavy == []
    assert "hipback.web.routes.trial" in modules  # the routes themselves are all loaded


def test_app_hashes_with_the_production_parameters_by_default(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    assert app.state.password_hasher is DEFAULT_HASHER


def test_app_freezes_its_start_up_objects_unless_told_not_to(tmp_path: Path) -> None:
    """Production freezes the start-up objects out of the cyclic GC (docs/performance.md);
    the test suite's apps pass ``freeze_gc=False``."""
    for freeze in (True, False):
        app = create_app(
            Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}"), freeze_gc=freeze
        )
        with TestClient(app) as client:
            assert client.get("/healthz").status_code == 200
            assert (gc.get_freeze_count() > 0) is freeze
        assert gc.get_freeze_count() == 0
