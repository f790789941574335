"""`hipback --help` and `hipback score` start without the heavy libraries (issue 16).

Each command imports what it uses when it runs; a fresh interpreter shows what start-up loads.
"""

from __future__ import annotations

import json
import subprocess
import sys

from hipback.cli.trial import CSV_COLUMNS
from hipback.trial.analysis.dataset import COLUMNS

#: never needed to start the CLI, show its help or score one response
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
    "sqlalchemy",
    "alembic",
    "hipback.trial.analysis.mmrm",
    "hipback.services",
    "hipback.db",
)

PROBE = """
import contextlib, io, json, sys
from hipback.cli import app
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        app(sys.argv[1:])
    except SystemExit as exc:
        assert exc.code in (0, None), (exc.code, out.getvalue())
print(json.dumps({"output": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _loaded_after(*args: str, stdin: str = "") -> tuple[str, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout)
    return found["output"], set(found["modules"])


def _heavy(modules: set[str]) -> list[str]:
    return sorted(h for h in HEAVY if h in modules or any(m.startswith(h + ".") for m in modules))


def test_help_loads_no_heavy_module_and_not_numpy() -> None:
    output, modules = _loaded_after("--help")
    assert "score" in output and "trial" in output
    assert _heavy(modules) == []
    assert "numpy" not in modules


def test_score_loads_the_measures_only() -> None:
    output, modules = _loaded_after("score", "nprs", stdin='{"score": 5}')
    assert json.loads(output)["score"] == 5
    assert "hipback.measures.nprs" in modules
    assert _heavy(modules) == []


def test_help_text_names_the_analysis_columns() -> None:
    assert ", ".join(COLUMNS) == CSV_COLUMNS
