"""Clearly labelled synthetic demo data: a clinic, one account per role, patients at every stage.

Every patient created here has ``synthetic=True`` and an ``SYN-`` record number; the web app
shows a "synthetic demo data" banner on every page in demo mode. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.db.repositories import clinic as repo
from hipback.db.repositories import users as user_repo
from hipback.services import (
    auth,
    evaluations,
    exercise_logs,
    installation,
    outcomes,
    patients,
    plans,
)
from hipback.services.demo_evaluation import synthetic_evaluation
from hipback.services.passwords import DEFAULT_HASHER, PasswordHasher

DEMO_PASSWORD = "synthetic-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str
    what: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "admin", DEMO_PASSWORD, "manages users and sees the audit log"),
    DemoAccount("therapist", "therapist", DEMO_PASSWORD, "evaluates, plans and treats"),
    DemoAccount("assessor", "assessor", DEMO_PASSWORD, "records outcomes, blind to the arm"),
    DemoAccount("manager", "trial_manager", DEMO_PASSWORD, "runs enrolment and randomisation"),
    DemoAccount("statistician", "statistician", DEMO_PASSWORD, "de-identified data only"),
    DemoAccount("patient", "patient", DEMO_PASSWORD, "the large-print patient portal"),
)

GIVEN = [
    "Ada",
    "Ben",
    "Cora",
    "Dev",
    "Edith",
    "Frank",
    "Gloria",
    "Hal",
    "Iris",
    "Jon",
    "Kay",
    "Lou",
    "Mae",
    "Ned",
    "Olga",
    "Pat",
    "Quinn",
    "Rosa",
    "Sam",
    "Tess",
]
FAMILY = [
    "Abbot",
    "Brook",
    "Carver",
    "Dale",
    "Ellis",
    "Frost",
    "Grant",
    "Hale",
    "Ives",
    "Joyce",
    "Kent",
    "Lowe",
    "Marsh",
    "North",
    "Oakes",
    "Price",
    "Reed",
    "Stone",
    "Troy",
    "Vale",
]
EXERCISES = ["bridge", "clamshell", "side_lying_hip_abduction", "sit_to_stand", "bird_dog"]


def _qbpds(level: int, rng: random.Random) -> dict[str, Any]:
    return {"items": [max(0, min(5, level + rng.choice((-1, 0, 0, 1)))) for _ in range(20)]}


def load_demo(
    uow_for: Any,
    *,
    today: date,
    n_patients: int = 40,
    seed: int = 2026,
    options: plans.PlanOptions | None = None,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> int:
    """Create the demo clinic; ``uow_for(actor)`` opens a unit of work. Returns patients made.
    ``options``: the clinic's session length and calendar for the demo plans (settings).

    Idempotent: does nothing when the demo clinic is already there. Refuses a database that
    holds real records (:func:`hipback.services.installation.claim_for_demo`); the database
    remembers it holds demo data. ``hasher`` hashes the demo accounts' passwords (production
    argon2id unless a test passes a cheap one).
    """
    rng = random.Random(seed)
    system = Actor("demo-loader", Role.ADMIN)
    with uow_for(system) as uow:
        claimed = installation.claim_for_demo(uow)
        if not claimed and user_repo.find_by_username(uow.session, "admin") is not None:
            return 0
        patients.ensure_site(uow, "main", "Synthetic Demo Clinic")
        uow.commit()
    therapist = Actor("therapist", Role.THERAPIST)
    made: list[int] = []
    for i in range(n_patients):
        age = rng.randint(60, 85)
        birth = today - timedelta(days=365 * age + rng.randint(0, 360))
        data = {
            "given_name": rng.choice(GIVEN),
            "family_name": FAMILY[i % len(FAMILY)] + ("" if i < len(FAMILY) else "-" + str(i)),
            "birth_date": birth.isoformat(),
            "sex": rng.choice(("female", "male")),
            "mrn": f"SYN-{i + 1:04d}",
        }
        with uow_for(therapist) as uow:
            made.append(patients.create_patient(uow, data, synthetic=True).id)
        stage = i % 4  # 0 new, 1 in treatment, 2 finished 8 weeks, 3 at 6 months
        start = today - timedelta(weeks=[0, 4, 9, 27][stage])
        level = rng.randint(1, 3)
        with uow_for(therapist) as uow:
            episode = repo.current_episode(uow.session, made[-1])
            assert episode is not None
            episode_id = episode.id
        eligible = i % 5 != 4
        evaluation = synthetic_evaluation(
            rng,
            mrn=data["mrn"],
            age=age,
            sex=data["sex"],
            assessed_on=start - timedelta(days=3),
            eligible=eligible,
        )
        with uow_for(therapist) as uow:
            stored = evaluations.record_evaluation(uow, episode_id, evaluation)
        if eligible and stage >= 1:
            arm = "hip" if i % 2 == 0 else "spine"
            _treat(uow_for, therapist, stored.id, arm, start, today, rng, options)
        points = [("baseline", start, level)]
        # synthetic trajectories: both arms improve, the hip arm a little more (as in MASH)
        gain = 1 if i % 2 == 0 else 0
        if eligible and stage >= 1:
            points.append(("4wk", start + timedelta(weeks=4), max(0, level - rng.randint(0, gain))))
        if eligible and stage >= 2:
            points.append(
                ("8wk", start + timedelta(weeks=8), max(0, level - rng.randint(gain, 1 + gain)))
            )
        if eligible and stage >= 3:
            points.append(
                ("6mo", start + timedelta(weeks=26), max(0, level - rng.randint(gain, 1 + gain)))
            )
        for timepoint, on, lvl in points:
            with uow_for(therapist) as uow:
                outcomes.record_outcome(
                    uow,
                    episode_id,
                    {
                        "timepoint": timepoint,
                        "instrument": "qbpds",
                        "assessed_on": on.isoformat(),
                        "responses": _qbpds(lvl, rng),
                    },
                )
            with uow_for(therapist) as uow:
                speed_time = round(rng.uniform(4.2, 6.5) - 0.3 * (level - lvl), 2)
                outcomes.record_outcome(
                    uow,
                    episode_id,
                    {
                        "timepoint": timepoint,
                        "instrument": "ten_mwt",
                        "assessed_on": on.isoformat(),
                        "responses": {"time_s": speed_time, "distance_m": 6},
                    },
                )
        if eligible and stage >= 1:
            days = (min(today, start + timedelta(weeks=8)) - start).days
            for d in range(0, days, rng.choice((1, 2, 3))):
                with uow_for(therapist) as uow:
                    exercise_logs.log_exercise(
                        uow,
                        made[-1],
                        {
                            "logged_on": (start + timedelta(days=d)).isoformat(),
                            "exercise_id": rng.choice(EXERCISES),
                            "sets": 2,
                            "reps": rng.choice((8, 10, 12)),
                            "pain": rng.randint(0, 4),
                        },
                    )
    with uow_for(system) as uow:
        for account in DEMO_ACCOUNTS:
            auth.create_user(
                uow,
                username=account.username,
                display_name=f"Demo {account.role.replace('_', ' ')}",
                role=account.role,
                password=account.password,
                # the portal patient is in treatment (patient 2) when there are two or more
                patient_id=made[min(1, len(made) - 1)] if account.role == "patient" else None,
                bootstrap=True,
                hasher=hasher,
            )
        uow.audit("demo.loaded", "clinic", {"patients": len(made), "seed": seed})
        uow.commit()
    load_demo_trial(uow_for, made)
    return len(made)


def _treat(
    uow_for: Any,
    therapist: Actor,
    evaluation_id: int,
    arm: str,
    start: date,
    today: date,
    rng: random.Random,
    options: plans.PlanOptions | None = None,
) -> None:
    """Create the plan and document every session due by ``today`` (about 1 in 10 missed)."""
    with uow_for(therapist) as uow:
        stored = plans.create_plan(uow, evaluation_id, arm, start, options=options)
    for planned in stored.plan.sessions:
        if planned.on > today:
            break
        if rng.random() < 0.1:
            continue  # missed: stays "planned", so attended < planned on the dashboard
        items = [
            {
                "id": item.id,
                "sets_done": item.dose.sets,
                "reps_done": item.dose.reps,
                "hold_s_done": item.dose.hold_s,
                "minutes_done": item.dose.minutes,
                "bouts_done": item.dose.bouts,
                "rpe": rng.choice((3, 4, 5)),
                "pain_before": 3,
                "pain_during": rng.choice((3, 4)),
                "pain_after": 3,
            }
            for item in [i for i in planned.items if i.part != "education"][:4]
        ]
        record = {"items": [{k: v for k, v in it.items() if v is not None} for it in items]}
        with uow_for(therapist) as uow:
            plans.record_session(uow, stored.id, planned.number, record, delivered_on=planned.on)


# --- demo trial (trial mode; appended by the trial helper) -------------------------------------


def load_demo_trial(uow_for: Any, patient_ids: list[int]) -> int:
    """A small running trial: patients not yet in treatment are screened from their stored
    evaluation (every third declines consent), and the eligible, consented ones are randomised.

    Patients already treated in the demo clinic are not screened, so their plans keep the arm
    they were given. Returns how many were randomised.
    """
    from hipback.services import trial as trial_svc
    from hipback.services import trial_randomise

    manager = Actor("manager", Role.TRIAL_MANAGER)
    with uow_for(manager) as uow:
        trial_id = trial_svc.setup_trial(uow).id
    randomised = 0
    for n, patient_id in enumerate(patient_ids):
        with uow_for(manager) as uow:
            episode = repo.current_episode(uow.session, patient_id)
            if episode is None or episode.arm is not None:
                continue
            today = uow.clock.today()
            view = trial_svc.screen_patient(
                uow,
                trial_id,
                patient_id,
                consented_on=None if n % 3 == 2 else today,
                declined_reason="prefers usual care",
            )
        if view.status == trial_svc.Status.ENROLLED:
            with uow_for(manager) as uow:
                trial_randomise.randomise(uow, trial_id, view.id)
            randomised += 1
    return randomised
