"""Web latency under load: patient list, patient dashboard and session save on PostgreSQL.

Seeds a fresh PostgreSQL database with 10,000 synthetic patients, 12,500 episodes with an
evaluation and a 16-session plan each (200,000 sessions), 30,000 outcome assessments and
200,000 home-exercise log lines; serves it with uvicorn (2 workers) beside a bare FastAPI
endpoint (the peer, also 2 workers), and drives both with wrk (Debian package) for DURATION
seconds per scenario after a discarded WARMUP (3 s). Prints p50/p95/p99 and req/s, and req/s
as a ratio to the bare endpoint measured in the same run. Goal (issue 4): dashboard p95 ≤ 50 ms.

Run: ``.venv/bin/python bench/web.py [--duration 10] [--connections 8] [--warmup 3]``
(needs PostgreSQL at HIPBACK_BENCH_PG_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test
and ``apt-get install wrk``). The bench database ``hipback_bench`` is dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx2 as httpx
import sqlalchemy as sa

from hipback import measures
from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.config import Settings
from hipback.core.clock import SystemClock
from hipback.db import make_engine, upgrade
from hipback.db.uow import UnitOfWork, session_factory
from hipback.protocol import generate_plan
from hipback.screening import screen
from hipback.services import auth
from hipback.services.demo_evaluation import synthetic_evaluation

HERE = Path(__file__).resolve().parent
PASSWORD = "load-test-password-2026"
N_PATIENTS, N_OLD_EPISODES, N_LOGS = 10_000, 2_500, 20


def seed(url: str) -> dict[str, int]:
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    today = date.today()
    evaluation = synthetic_evaluation(
        random.Random(1), mrn="SYN-BENCH", age=72, sex="female", assessed_on=today
    )
    screening = screen(evaluation).model_dump(mode="json")
    plan = generate_plan(evaluation, "hip", today).model_dump(mode="json", exclude_none=True)
    outcome_rows = []
    for level, timepoint in ((3, "baseline"), (2, "4wk"), (1, "8wk")):
        responses = {"items": [level] * 20}
        score = measures.score("qbpds", responses)
        result = score.as_dict() | {"interpretation": measures.interpret(score, None)}
        outcome_rows.append((timepoint, responses, score.value, result))
    t0 = time.perf_counter()
    with engine.begin() as conn:
        x = conn.execute
        x(sa.text("INSERT INTO sites (id, code, name) VALUES (1, 'main', 'Bench clinic')"))
        x(
            sa.text("""
            INSERT INTO patients (site_id, mrn, given_name, family_name, birth_date, sex,
                                  synthetic, created_at, version)
            SELECT 1, 'SYN-' || lpad(g::text, 6, '0'),
                   (ARRAY['Ada','Ben','Cora','Dev','Edith','Frank','Gloria','Hal'])[1 + g % 8],
                   (ARRAY['Abbot','Brook','Carver','Dale','Ellis','Frost'])[1 + g % 6] || g,
                   DATE '1941-01-01' + (g % 9000), CASE WHEN g % 2 = 0 THEN 'female'
                   ELSE 'male' END, true, now(), 1
            FROM generate_series(1, :n) g"""),
            {"n": N_PATIENTS},
        )
        x(
            sa.text("""
            INSERT INTO episodes (patient_id, opened_on, status, arm, version)
            SELECT g, CURRENT_DATE - 60, 'open', CASE WHEN g % 2 = 0 THEN 'hip' ELSE 'spine'
                   END, 1 FROM generate_series(1, :n) g"""),
            {"n": N_PATIENTS},
        )
        x(
            sa.text("""
            INSERT INTO episodes (patient_id, opened_on, closed_on, status, arm, version)
            SELECT g, CURRENT_DATE - 400, CURRENT_DATE - 300, 'discharged', 'hip', 1
            FROM generate_series(1, :n) g"""),
            {"n": N_OLD_EPISODES},
        )
        x(
            sa.text("""
            INSERT INTO evaluations (episode_id, assessed_on, data, screening, decision,
                                     created_at, version)
            SELECT id, opened_on, CAST(:data AS json), CAST(:screening AS json), 'eligible',
                   now(), 1 FROM episodes"""),
            {"data": json.dumps(evaluation), "screening": json.dumps(screening)},
        )
        x(
            sa.text("""
            INSERT INTO plans (episode_id, evaluation_id, arm, start_on, data, created_at,
                               version)
            SELECT e.id, v.id, e.arm, e.opened_on, CAST(:plan AS json), now(), 1
            FROM episodes e JOIN evaluations v ON v.episode_id = e.id ORDER BY e.id"""),
            {"plan": json.dumps(plan)},
        )
        x(
            sa.text("""
            INSERT INTO plan_sessions (plan_id, number, planned_on, status, delivered_on,
                                       notes, version)
            SELECT p.id, n, p.start_on + ((n - 1) * 7) / 2,
                   CASE WHEN n <= 10 THEN 'delivered' ELSE 'planned' END,
                   CASE WHEN n <= 10 THEN p.start_on + ((n - 1) * 7) / 2 END, '', 1
            FROM plans p CROSS JOIN generate_series(1, 16) n""")
        )
        for i, (timepoint, responses, value, result) in enumerate(outcome_rows):
            x(
                sa.text("""
                INSERT INTO outcome_assessments (episode_id, timepoint, instrument, assessed_on,
                                                 responses, value, result, version)
                SELECT g, :tp, 'qbpds', CURRENT_DATE - 60 + :days, CAST(:responses AS json),
                       :value, CAST(:result AS json), 1 FROM generate_series(1, :n) g"""),
                {
                    "tp": timepoint,
                    "days": 28 * i,
                    "responses": json.dumps(responses),
                    "value": value,
                    "result": json.dumps(result),
                    "n": N_PATIENTS,
                },
            )
        x(
            sa.text("""
            INSERT INTO exercise_logs (patient_id, logged_on, exercise_id, sets, reps, pain,
                                       comment, created_at)
            SELECT p, CURRENT_DATE - 2 * k, 'bridge', 2, 10, k % 5, '', now()
            FROM generate_series(1, :n) p CROSS JOIN generate_series(1, :k) k"""),
            {"n": N_PATIENTS, "k": N_LOGS},
        )
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))
        counts = {
            t: int(conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() or 0)
            for t in (
                "patients",
                "episodes",
                "plans",
                "plan_sessions",
                "outcome_assessments",
                "exercise_logs",
            )
        }
    factory = session_factory(engine)
    with UnitOfWork(factory, Actor("bench", Role.ADMIN), SystemClock()) as uow:
        auth.create_user(
            uow,
            username="bench",
            display_name="Bench therapist",
            role="therapist",
            password=PASSWORD,
            bootstrap=True,
        )
        uow.commit()
    engine.dispose()
    counts["seed_seconds"] = round(time.perf_counter() - t0, 1)
    return counts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(
    app: str, port: int, env: dict[str, str], app_dir: Path | None = None
) -> subprocess.Popen[bytes]:
    # bench/ must not be on the server's import path: bench/fhir.py would shadow fhir.resources
    extra = ["--app-dir", str(app_dir)] if app_dir is not None else []
    log = Path(f"/tmp/hipback-bench-{port}.log")
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                app,
                "--factory",
                "--workers",
                "2",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
                *extra,
            ],
            env=env,
            cwd=HERE.parent,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if (
                httpx.get(
                    f"http://127.0.0.1:{port}/healthz"
                    if "hipback" in app
                    else f"http://127.0.0.1:{port}/ping",
                    timeout=1,
                ).status_code
                == 200
            ):
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"{app} did not start; see {log}")


def wrk(
    script: str, url: str, env: dict[str, str], duration: int, connections: int, warmup: int = 0
) -> dict[str, float]:
    """Run wrk; a first ``warmup`` seconds of the same load are run and discarded (prepared
    statements, template compilation and caches fill then, as on any server in service)."""
    results = {}
    for seconds in (warmup, duration) if warmup else (duration,):
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(HERE / "wrk" / script),
                url,
            ],
            env=os.environ | env | {"WRK_DIR": str(HERE / "wrk")},
            capture_output=True,
            text=True,
            check=True,
        )
        line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT"))
        results = {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=3, help="Discarded seconds per scenario.")
    parser.add_argument("--keep", action="store_true", help="Keep the hipback_bench database.")
    args = parser.parse_args()
    admin_url = os.environ.get(
        "HIPBACK_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    base, _, _ = admin_url.rpartition("/")
    url = f"{base}/hipback_bench"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS hipback_bench WITH (FORCE)"))
        conn.execute(sa.text("CREATE DATABASE hipback_bench"))
    procs = []
    try:
        print("seeding…", flush=True)
        counts = seed(url)
        print("seeded:", counts, flush=True)
        env = os.environ | {"HIPBACK_DATABASE_URL": url}
        app_port, bare_port = free_port(), free_port()
        procs.append(serve("hipback.web.app:create_app", app_port, env))
        procs.append(serve("bare_app:create_app", bare_port, env, app_dir=HERE))
        site = f"http://127.0.0.1:{app_port}"
        with httpx.Client(base_url=site, follow_redirects=False) as client:
            form = client.get("/login").text
            token = re.search(r'name="login_token" value="([^"]+)"', form)
            assert token
            r = client.post(
                "/login",
                data={
                    "username": "bench",
                    "password": PASSWORD,
                    "next": "/patients",
                    "login_token": token.group(1),
                },
            )
            cookie = f"hipback_session={r.cookies['hipback_session']}"
            page = client.get("/patients", headers={"Cookie": cookie}).text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
            assert csrf
        plan_item = _first_item(url)
        body = json.dumps(
            {
                "delivered_on": date.today().isoformat(),
                "items": [
                    {
                        "id": plan_item,
                        "sets_done": 2,
                        "reps_done": 10,
                        "rpe": 3,
                        "pain_before": 2,
                        "pain_during": 3,
                        "pain_after": 2,
                    }
                ],
            }
        )
        common = {"WRK_COOKIE": cookie}
        results = {
            "bare endpoint": wrk(
                "get.lua",
                f"http://127.0.0.1:{bare_port}",
                {"WRK_PATH": "/ping"},
                args.duration,
                args.connections,
                args.warmup,
            ),
            "patient list": wrk(
                "get.lua",
                site,
                common | {"WRK_PATH": "/patients?page={id}", "WRK_IDS": "400"},
                args.duration,
                args.connections,
                args.warmup,
            ),
            "dashboard": wrk(
                "get.lua",
                site,
                common | {"WRK_PATH": "/patients/{id}", "WRK_IDS": str(N_PATIENTS)},
                args.duration,
                args.connections,
                args.warmup,
            ),
            "session save": wrk(
                "session.lua",
                site,
                common
                | {
                    "WRK_CSRF": csrf.group(1),
                    "WRK_BODY": body,
                    "WRK_IDS": str(N_PATIENTS + N_OLD_EPISODES),
                },
                args.duration,
                args.connections,
                args.warmup,
            ),
        }
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(sa.text("DROP DATABASE IF EXISTS hipback_bench WITH (FORCE)"))
        admin.dispose()
    bare = results["bare endpoint"]["rps"]
    print(
        f"\n{'scenario':<15} {'req/s':>9} {'÷ bare':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}"
    )
    for name, r in results.items():
        print(
            f"{name:<15} {r['rps']:>9.1f} {r['rps'] / bare:>8.3f} {r['p50_ms']:>8.2f} "
            f"{r['p95_ms']:>8.2f} {r['p99_ms']:>8.2f} {int(r['errors'] + r['non2xx']):>7}"
        )
    p95 = results["dashboard"]["p95_ms"]
    print(f"\ndashboard p95 {p95:.1f} ms (goal ≤ 50 ms): {'met' if p95 <= 50 else 'NOT met'}")


def _first_item(url: str) -> str:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        data = conn.execute(sa.text("SELECT data FROM plans WHERE id = 1")).scalar_one()
    engine.dispose()
    doc = data if isinstance(data, dict) else json.loads(data)
    return str(doc["sessions"][0]["items"][0]["id"])


if __name__ == "__main__":
    main()
