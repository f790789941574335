"""Start-up time and memory of the CLI and of a web worker, against bare peers in the same run.

Commands (each run ``--repeat`` times in turn, so load from other jobs hits them alike; the
median wall-clock time and the median peak RSS of the process are reported):

* the peer: a bare Python JSON round trip, ``python -c "json.dump(json.load(stdin), stdout)"``
  fed ``{"score": 5}`` — what any Python command costs at the least;
* ``hipback --help``;
* ``echo '{"score": 5}' | hipback score nprs`` (one NPRS response scored and interpreted);
* importing the web app and calling ``create_app()`` (``python -c``), for information.

Then ``hipback serve --workers 2`` on a fresh migrated SQLite database and, as the peer, the bare
FastAPI app of ``bench/web.py`` (``bench/bare_app.py``, uvicorn, 2 workers): the resident memory
(VmRSS) of each worker once ``/healthz`` (``/ping``) answers, and again after 50 requests to the
sign-in page (to ``/ping``).

With ``--baseline REV`` the same commands and server also run on the sources of git revision
REV (``git archive`` into a temporary directory, first on ``PYTHONPATH``; same interpreter and
packages), interleaved with the current ones, to show the change in one run.

Goals (issue 16): ``hipback --help`` and one ``hipback score`` ≤ 0.3 s; a web worker's RSS after
start-up ≤ 150 MB. Run: ``.venv/bin/python bench/startup.py [--repeat 15] [--baseline REV]``.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PY = sys.executable
NPRS = b'{"score": 5}'
BARE_JSON = "import json, sys; json.dump(json.load(sys.stdin), sys.stdout)"
#: what the ``hipback`` console script runs (it can then be pointed at other sources)
HIPBACK = [PY, "-c", "import sys; from hipback.cli import run; sys.argv[0] = 'hipback'; run()"]
WEB_IMPORT = "from hipback.web.app import create_app; create_app()"


def run_once(argv: list[str], stdin: bytes, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds and peak RSS (MB) of one run; fails on a non-zero exit.

    The peak RSS counts the forked copy of this process before ``exec`` too, so this script
    imports nothing heavy before measuring (httpx only for the servers, afterwards).
    """
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv} failed ({proc.returncode}): {err.decode()[-500:]}")
    return seconds, usage.ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"resource_tracker" not in cmdline:
            found.append(int(entry.name))
    return sorted(found)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def worker_rss(argv: list[str], env: dict[str, str], probe: str, page: str) -> tuple[float, float]:
    """Mean worker RSS (MB) after start-up and after 50 requests to ``page``."""
    import httpx2 as httpx

    proc = subprocess.Popen(
        argv,
        env=env,
        cwd=HERE.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(probe, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{argv} did not start")
            time.sleep(0.2)
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline:
            workers = _children(proc.pid)
            time.sleep(0.2)
        time.sleep(2)  # both workers finish their start-up (only one answered the probe)
        started = statistics.fmean(_rss_mb(w) for w in workers)
        with httpx.Client(timeout=10) as client:
            for _ in range(50):
                client.get(page).raise_for_status()
        served = statistics.fmean(_rss_mb(w) for w in workers)
        return started, served
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _sources(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", rev, "src"], cwd=HERE.parent, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--baseline", metavar="REV", help="also time the sources of git REV")
    args = parser.parse_args()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("HIPBACK_")}
    with tempfile.TemporaryDirectory() as tmp:
        base_env["HIPBACK_DATABASE_URL"] = f"sqlite:///{tmp}/startup.sqlite3"
        envs = {"": base_env}
        if args.baseline:
            src = _sources(args.baseline, Path(tmp))
            envs[f" ({args.baseline})"] = base_env | {"PYTHONPATH": str(src)}
        commands: dict[str, tuple[list[str], bytes, dict[str, str]]] = {
            "bare Python JSON round trip (peer)": ([PY, "-c", BARE_JSON], NPRS, base_env)
        }
        for tag, env in envs.items():
            commands[f"hipback --help{tag}"] = ([*HIPBACK, "--help"], b"", env)
            commands[f"hipback score nprs{tag}"] = ([*HIPBACK, "score", "nprs"], NPRS, env)
            commands[f"import the web app{tag}"] = ([PY, "-c", WEB_IMPORT], b"", env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        peaks: dict[str, list[float]] = {name: [] for name in commands}
        for argv, stdin, env in commands.values():  # warm the file cache
            run_once(argv, stdin, env)
        for _ in range(args.repeat):
            for name, (argv, stdin, env) in commands.items():
                seconds, peak = run_once(argv, stdin, env)
                times[name].append(seconds)
                peaks[name].append(peak)
        bare = statistics.median(times["bare Python JSON round trip (peer)"])
        print(f"load average before the servers: {os.getloadavg()[0]:.2f}")
        print(f"{'command':<44} {'median s':>9} {'min s':>7} {'÷ bare':>7} {'peak RSS MB':>12}")
        for name in commands:
            med = statistics.median(times[name])
            print(
                f"{name:<44} {med:>9.3f} {min(times[name]):>7.3f} {med / bare:>7.1f} "
                f"{statistics.median(peaks[name]):>12.1f}"
            )
        subprocess.run([*HIPBACK, "db", "upgrade"], env=base_env, check=True, capture_output=True)
        servers: dict[str, tuple[float, float]] = {}
        port = free_port()
        servers["bare FastAPI endpoint (peer)"] = worker_rss(
            [
                *(PY, "-m", "uvicorn", "bare_app:create_app", "--factory"),
                *("--workers", "2", "--port", str(port), "--app-dir", str(HERE)),
                *("--log-level", "warning"),
            ],
            base_env,
            f"http://127.0.0.1:{port}/ping",
            f"http://127.0.0.1:{port}/ping",
        )
        for tag, env in envs.items():
            port = free_port()
            servers[f"hipback serve (GET /login){tag}"] = worker_rss(
                [*HIPBACK, "serve", "--port", str(port), "--workers", "2"],
                env,
                f"http://127.0.0.1:{port}/healthz",
                f"http://127.0.0.1:{port}/login",
            )
    print(f"{'web worker (2 per server)':<44} {'RSS MB after start-up':>22} {'after 50 GETs':>14}")
    for name, (started, served) in servers.items():
        print(f"{name:<44} {started:>22.1f} {served:>14.1f}")


if __name__ == "__main__":
    main()
