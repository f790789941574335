"""Report render times and page counts on the synthetic demo clinic.

Run: ``.venv/bin/python bench/reports.py [--patients N]`` (default 40). Builds the demo clinic in
a temporary SQLite database, then for every patient times the view model (database), the HTML
(with matplotlib figures) and the PDF (WeasyPrint) of the progress report on A4 and Letter; the
home-exercise handout of every plan; and the clinic analytics page. Prints medians, maxima and
page counts; results are recorded in docs/reports.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa

from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.config import Settings
from hipback.core.clock import SystemClock
from hipback.db import make_engine, upgrade
from hipback.db.tables import PatientRow, PlanRow
from hipback.db.uow import UnitOfWork, session_factory
from hipback.reports import render
from hipback.services import analytics, reports
from hipback.services.demo import load_demo

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def line(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{label:<34} n={len(ms):<3} median {statistics.median(ms):7.0f} ms   max {max(ms):7.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"))
        upgrade(engine)
        factory = session_factory(engine)

        def uow(actor: Actor) -> UnitOfWork:
            return UnitOfWork(factory, actor, SystemClock())

        _, load_s = timed(lambda: load_demo(uow, today=date.today(), n_patients=args.patients))
        print(f"demo clinic with {args.patients} patients loaded in {load_s:.1f} s")
        therapist = Actor("therapist", Role.THERAPIST)
        with uow(therapist) as u:
            patient_ids = list(u.session.scalars(sa.select(PatientRow.id)))
            plan_ids = list(u.session.scalars(sa.select(PlanRow.id)))
        model_s, html_s, a4_s, letter_s, handout_s = [], [], [], [], []
        pages: Counter[str] = Counter()
        for pid in patient_ids:
            with uow(therapist) as u:
                report, s = timed(lambda: reports.progress_report(u, pid))  # noqa: B023
            model_s.append(s)
            _html, s = timed(lambda: render.progress_html(report))  # noqa: B023
            html_s.append(s)
            a4, s = timed(lambda: render.progress_pdf(report, "a4"))  # noqa: B023
            a4_s.append(s)
            letter, s = timed(lambda: render.progress_pdf(report, "letter"))  # noqa: B023
            letter_s.append(s)
            pages[f"progress A4 {a4.pages} p"] += 1
            pages[f"progress Letter {letter.pages} p"] += 1
        for plan_id in plan_ids:
            with uow(therapist) as u:
                handout = reports.home_exercise_handout(u, plan_id)
            pdf, s = timed(lambda: render.handout_pdf(handout))  # noqa: B023
            handout_s.append(s)
            pages[f"handout A4 {pdf.pages} p ({len(handout.exercises)} exercises)"] += 1
        with uow(therapist) as u:
            view, analytics_model_s = timed(lambda: analytics.clinic_analytics(u))
        _, analytics_html_s = timed(lambda: render.analytics_fragment(view))
        print(line("progress report view model (DB)", model_s))
        print(line("progress report HTML + figures", html_s))
        print(line("progress report PDF A4 (incl. HTML)", a4_s))
        print(line("progress report PDF Letter", letter_s))
        print(line("handout PDF A4 (incl. figures)", handout_s))
        print(line("analytics view model (DB)", [analytics_model_s]))
        print(line("analytics HTML + 4 figures", [analytics_html_s]))
        for label, count in sorted(pages.items()):
            print(f"  {label}: {count}")
        engine.dispose()


if __name__ == "__main__":
    main()
