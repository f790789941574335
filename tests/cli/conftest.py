from __future__ import annotations

import contextlib
import io
import subprocess
import sys


def invoke(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``hipback ARGS`` through the console entry point (:func:`hipback.cli.run`, what
    ``python -m hipback`` and the ``hipback`` script call), in this process: the exit status,
    stdout and stderr a user would see, without a new interpreter and its imports per call.
    tests/cli/test_startup.py and the power-on-Dask test run real ``hipback`` processes.
    """
    from hipback.cli import run

    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv, sys.stdin
    sys.argv, sys.stdin = ["hipback", *args], io.StringIO(stdin)
    code: int = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                run()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (exc.code is not None)
    finally:
        sys.argv, sys.stdin = saved
    return subprocess.CompletedProcess(["hipback", *args], code, out.getvalue(), err.getvalue())
