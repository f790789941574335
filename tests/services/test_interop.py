"""FHIR exchange through the database, on SQLite and PostgreSQL (the ``uow`` fixture).

The source clinic is the synthetic demo (4 patients) plus one edge-case patient recorded
through the services: a therapist with a real account, an ODI with one section missing, a
PROMIS-29 profile, and a withdrawn episode. It is exported once (SQLite); each test imports it
into an empty database of the parametrised kind.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from hipback.clinic.access import Actor
from hipback.clinic.records import Role
from hipback.config import Settings
from hipback.core.clock import FixedClock
from hipback.db import make_engine, upgrade
from hipback.db.tables import (
    AuditRow,
    EpisodeRow,
    EvaluationRow,
    ExerciseLogRow,
    OutcomeRow,
    ParticipantRow,
    PatientRow,
    PlanRow,
    RandomisationRow,
    SessionRow,
    UserRow,
)
from hipback.db.uow import UnitOfWork, session_factory
from hipback.errors import Conflict, InvalidInput, PermissionDenied
from hipback.fhir import ids
from hipback.services import auth, interop, outcomes, patients, plans
from hipback.services.demo import load_demo
from hipback.services.research import pseudonym, write_research

from .conftest import NOW, THERAPIST

UowFactory = Callable[[Actor], UnitOfWork]
TODAY = NOW.date()
ADMIN = Actor("ada", Role.ADMIN)
KEY = b"research-key-for-tests-0123456789"
TABLES = (PatientRow, EpisodeRow, EvaluationRow, PlanRow, SessionRow, OutcomeRow, ExerciseLogRow)


def _edge_patient(uow_for: UowFactory) -> None:
    with uow_for(ADMIN) as u:
        user_id = auth.create_user(
            u,
            username="tina",
            display_name="Tina Therapist",
            role="therapist",
            password="a-long-password-1",
            bootstrap=True,
        )
        u.commit()
    tina = Actor("tina", Role.THERAPIST, user_id=user_id)
    with uow_for(tina) as u:
        created = patients.create_patient(
            u,
            {
                "given_name": "Zelda",
                "family_name": "Edgecase",
                "birth_date": "1941-02-03",
                "sex": "female",
                "mrn": "EDGE-1",
                "phone": "555-0199",
            },
        )
    with uow_for(tina) as u:
        episode = u.session.scalars(
            sa.select(EpisodeRow).where(EpisodeRow.patient_id == created.id)
        ).one()
        episode_id = episode.id
    on = (TODAY - timedelta(days=20)).isoformat()
    for instrument, responses in (
        ("odi", {"items": [1, 2, 3, None, 1, 2, 3, 1, 0, 2]}),
        ("promis29", {"items": [2] * 28 + [5]}),
        ("ten_mwt", {"time_s": 5.2, "distance_m": 6}),
    ):
        with uow_for(tina) as u:
            outcomes.record_outcome(
                u,
                episode_id,
                {
                    "timepoint": "baseline",
                    "instrument": instrument,
                    "assessed_on": on,
                    "responses": responses,
                },
            )
    with uow_for(tina) as u:
        row = u.get(EpisodeRow, episode_id, "episode")
        row.status = "withdrawn"
        row.closed_on = TODAY - timedelta(days=2)
        u.commit()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("source") / "source.sqlite3"
    engine = make_engine(Settings(database_url=f"sqlite:///{path}"))
    upgrade(engine)
    factory = session_factory(engine)
    clock = FixedClock(NOW)

    def uow_for(actor: Actor) -> UnitOfWork:
        return UnitOfWork(factory, actor, clock)

    load_demo(uow_for, today=TODAY, n_patients=4)
    _edge_patient(uow_for)
    with uow_for(ADMIN) as u:
        bundle = interop.export_all(u)
    engine.dispose()
    return bundle


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def counts(uow: UowFactory) -> dict[str, int]:
    with uow(ADMIN) as u:
        return {
            t.__tablename__: int(u.session.scalar(sa.select(sa.func.count()).select_from(t)) or 0)
            for t in (*TABLES, UserRow)
        }


def test_round_trip_is_identical(uow: UowFactory, source: dict[str, Any]) -> None:
    with uow(THERAPIST) as u:
        summary = interop.import_bundle(u, copy.deepcopy(source))
    assert summary.created["Patient"] == 5 and summary.created["Practitioner"] == 1
    with uow(ADMIN) as u:
        again = interop.export_all(u)
    # Same FixedClock, so even Bundle.timestamp is equal: nothing is ignored.
    assert canonical(again) == canonical(source)


def test_withdrawn_episode_and_edge_outcomes_survive(
    uow: UowFactory, source: dict[str, Any]
) -> None:
    with uow(THERAPIST) as u:
        interop.import_bundle(u, source)
    with uow(ADMIN) as u:
        patient = u.session.scalars(sa.select(PatientRow).where(PatientRow.mrn == "EDGE-1")).one()
        episode = u.session.scalars(
            sa.select(EpisodeRow).where(EpisodeRow.patient_id == patient.id)
        ).one()
        assert (episode.status, episode.closed_on) == ("withdrawn", TODAY - timedelta(days=2))
        rows = u.session.scalars(
            sa.select(OutcomeRow).where(OutcomeRow.episode_id == episode.id).order_by(OutcomeRow.id)
        ).all()
        assert [r.instrument for r in rows] == ["odi", "promis29", "ten_mwt"]
        assert rows[0].responses["items"][3] is None
        # 15 points over 9 answered sections: 15 / 45 * 100
        assert rows[0].value == pytest.approx(100 / 3)
        assert rows[1].value is None and rows[1].result["subscores"]["physical_function"]
        user = u.session.scalars(sa.select(UserRow).where(UserRow.username == "tina")).one()
        assert user.active is False and episode.therapist_id == user.id
    # The account came without a password hash: even if activated, no password verifies.
    with uow(ADMIN) as u:
        row = u.session.scalars(sa.select(UserRow).where(UserRow.username == "tina")).one()
        row.active = True
        u.commit()
    with uow(ADMIN) as u, pytest.raises(PermissionDenied):
        auth.authenticate(u, "tina", "a-long-password-1")


def test_second_import_changes_nothing(uow: UowFactory, source: dict[str, Any]) -> None:
    with uow(THERAPIST) as u:
        interop.import_bundle(u, source)
    before = counts(uow)
    with uow(THERAPIST) as u:
        summary = interop.import_bundle(u, source)
    assert not summary.changed
    assert summary.unchanged["Patient"] == 5
    assert counts(uow) == before
    with uow(ADMIN) as u:
        last = u.session.scalars(sa.select(AuditRow).order_by(AuditRow.id.desc())).first()
        assert last is not None and last.action == "fhir.imported"


def _patient_resource(bundle: dict[str, Any], mrn: str) -> dict[str, Any]:
    return next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Patient"
        and e["resource"]["identifier"][0]["value"] == mrn
    )


def test_identity_change_needs_an_explicit_update(uow: UowFactory, source: dict[str, Any]) -> None:
    """Re-importing a record number with another name or birth date is refused (it may be
    another person); asked for explicitly, the change is made and audited (issue 12.6)."""
    with uow(THERAPIST) as u:
        interop.import_bundle(u, source)
    edited = copy.deepcopy(source)
    patient = _patient_resource(edited, "EDGE-1")
    patient["name"][0]["given"] = ["Zora"]
    patient["birthDate"] = "1951-03-04"
    with uow(THERAPIST) as u, pytest.raises(Conflict) as refused:
        interop.import_bundle(u, edited)
    assert "given name, date of birth" in str(refused.value)
    with uow(ADMIN) as u:
        row = u.session.scalars(sa.select(PatientRow).where(PatientRow.mrn == "EDGE-1")).one()
        assert row.given_name != "Zora"
    with uow(THERAPIST) as u:
        summary = interop.import_bundle(u, edited, update_identity=True)
    assert summary.updated["Patient"] == 1
    with uow(ADMIN) as u:
        row = u.session.scalars(sa.select(PatientRow).where(PatientRow.mrn == "EDGE-1")).one()
        assert row.given_name == "Zora" and row.birth_date.isoformat() == "1951-03-04"
        audit = u.session.scalars(
            sa.select(AuditRow).where(AuditRow.action == "patient.identity_updated")
        ).one()
        assert audit.subject == f"patient:{row.id}"
        assert audit.detail["fields"] == ["given_name", "birth_date"]


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("family", "x" * 5000, "family_name"),
        ("family", "Ab\u202ecd", "family_name"),
        ("family", "Ab\u0000cd", "family_name"),
        ("given", "Zo\u2066ra", "given_name"),
        ("birthDate", "9999-01-01", "birth_date"),
        ("birthDate", "1800-01-01", "birth_date"),
    ],
)
def test_import_validates_patients_as_the_form_does(
    uow: UowFactory, source: dict[str, Any], field: str, value: str, problem: str
) -> None:
    bad = copy.deepcopy(source)
    patient = _patient_resource(bad, "EDGE-1")
    if field == "birthDate":
        patient["birthDate"] = value
    elif field == "given":
        patient["name"][0]["given"] = [value]
    else:
        patient["name"][0]["family"] = value
    with uow(THERAPIST) as u, pytest.raises(InvalidInput) as info:
        interop.import_bundle(u, bad)
    fields = [p.field for p in info.value.problems]
    if field != "birthDate":  # (an impossible birth date is refused earlier, by the
        # patient's scored questionnaires, each named)
        assert fields == [f"Patient(EDGE-1).{problem}"]
    assert counts(uow)["patients"] == 0


def test_import_cannot_change_an_allocation(uow: UowFactory) -> None:
    """Only randomisation writes a participant's arm: re-importing the clinic's own export with
    the arm flipped is refused and nothing changes; a plan for the other arm is refused too."""
    load_demo(uow, today=TODAY, n_patients=8)
    with uow(ADMIN) as u:
        rows = u.session.execute(
            sa.select(ParticipantRow.episode_id, EpisodeRow.arm, EpisodeRow.patient_id)
            .join(RandomisationRow, RandomisationRow.participant_id == ParticipantRow.id)
            .join(EpisodeRow, EpisodeRow.id == ParticipantRow.episode_id)
        ).all()
        assert rows, "the demo trial randomised someone"
        episode_id, arm, patient_id = rows[0]
        mrn = u.session.get(PatientRow, patient_id).mrn  # type: ignore[union-attr]
        bundle = interop.export_all(u)
    other = "spine" if arm == "hip" else "hip"
    flipped = copy.deepcopy(bundle)
    flips = 0
    for entry in flipped["entry"]:
        res = entry["resource"]
        if res["resourceType"] == "EpisodeOfCare" and res["patient"] == ids.ref("patient", mrn):
            for ext in res["extension"]:
                if ext["url"] == ids.ext_url("arm"):
                    ext["valueCode"] = other
                    flips += 1
    assert flips == 1
    with uow(THERAPIST) as u, pytest.raises(Conflict, match="cannot change an allocation"):
        interop.import_bundle(u, flipped)
    with uow(ADMIN) as u:
        assert u.session.get(EpisodeRow, episode_id).arm == arm  # type: ignore[union-attr]
        evaluation = u.session.scalars(
            sa.select(EvaluationRow.id).where(EvaluationRow.episode_id == episode_id)
        ).first()
    assert evaluation is not None
    with uow(THERAPIST) as u, pytest.raises(Conflict, match="allocated by randomisation"):
        plans.create_plan(u, evaluation, other, TODAY, override_screening=True)
    with uow(THERAPIST) as u:
        assert plans.create_plan(u, evaluation, arm, TODAY, override_screening=True).id


def test_a_bad_resource_late_in_the_bundle_writes_nothing(
    uow: UowFactory, source: dict[str, Any]
) -> None:
    bad = copy.deepcopy(source)
    last_obs = max(
        i
        for i, e in enumerate(bad["entry"])
        if e["resource"]["resourceType"] == "Observation" and "valueQuantity" in e["resource"]
    )
    bad["entry"][last_obs]["resource"]["valueQuantity"]["value"] = 99.5
    with uow(THERAPIST) as u, pytest.raises(InvalidInput) as info:
        interop.import_bundle(u, bad)
    assert info.value.problems[0].field == (
        f"Bundle.entry[{last_obs}].resource(Observation).valueQuantity.value"
    )
    assert counts(uow)["patients"] == 0


def test_invalid_clinical_document_is_refused(uow: UowFactory, source: dict[str, Any]) -> None:
    import base64

    bad = copy.deepcopy(source)
    evaluation = next(
        e["resource"] for e in bad["entry"] if e["resource"]["resourceType"] == "ClinicalImpression"
    )
    ext = next(x for x in evaluation["extension"] if x["url"].endswith("/evaluation"))
    document = json.loads(base64.b64decode(ext["valueAttachment"]["data"]))
    document["unexpected_field"] = 1
    ext["valueAttachment"]["data"] = base64.b64encode(json.dumps(document).encode()).decode()
    with uow(THERAPIST) as u, pytest.raises(InvalidInput) as info:
        interop.import_bundle(u, bad)
    assert info.value.problems[0].field.startswith("ClinicalImpression(")
    assert "unexpected_field" in info.value.problems[0].field
    assert counts(uow)["patients"] == 0


def test_permissions(uow: UowFactory, source: dict[str, Any]) -> None:
    with uow(Actor("sam", Role.ASSESSOR)) as u, pytest.raises(PermissionDenied):
        interop.export_all(u)
    with uow(Actor("stat", Role.STATISTICIAN)) as u, pytest.raises(PermissionDenied):
        interop.import_bundle(u, source)
    with uow(THERAPIST) as u, pytest.raises(PermissionDenied):
        write_research(u, KEY, Path("unused.csv"))


def test_research_export_is_deidentified(
    uow: UowFactory, source: dict[str, Any], tmp_path: Path
) -> None:
    with uow(THERAPIST) as u:
        interop.import_bundle(u, source)
    with uow(ADMIN) as u:
        people = [
            (p.mrn, p.given_name, p.family_name, p.birth_date)
            for p in u.session.scalars(sa.select(PatientRow))
        ]
    out = tmp_path / "outcomes.csv"
    with uow(ADMIN) as u:
        n = write_research(u, KEY, out)
    text = out.read_text()
    rows = list(csv.DictReader(text.splitlines()))
    assert n == len(rows) > 0
    for mrn, given, family, birth in people:
        assert mrn not in text and family not in text
        assert re.search(rf"\b{given}\b", text) is None
        assert birth.isoformat() not in text
    assert re.search(r"\d{4}-\d{2}-\d{2}", text) is None  # no dates at all
    edge = [
        r
        for r in rows
        if r["participant"] == hmac.new(KEY, b"EDGE-1", hashlib.sha256).hexdigest()[:16]
    ]
    # born 1941-02-03, episode opened on 2026-11-29 (the fixed clock): age 85 -> band 85-89
    assert {r["age_band"] for r in edge} == {"85-89"}
    assert {r["episode_status"] for r in edge} == {"withdrawn"}
    assert {r["measure"] for r in edge if r["instrument"] == "promis29"} >= {
        "score",
        "physical_function",
    }
    assert pseudonym(KEY, "EDGE-1") == edge[0]["participant"]
    parquet = tmp_path / "outcomes.parquet"
    with uow(Actor("stat", Role.STATISTICIAN)) as u:
        assert write_research(u, KEY, parquet) == n
    table = pq.read_table(parquet).to_pylist()
    assert len(table) == n and {r["arm"] for r in table} == {""}  # statisticians are blinded
    assert {r["participant"] for r in table} == {r["participant"] for r in rows}


def test_research_key_and_suffix_are_checked(uow: UowFactory, tmp_path: Path) -> None:
    with uow(ADMIN) as u, pytest.raises(InvalidInput, match="at least 16 bytes"):
        write_research(u, b"short", tmp_path / "x.csv")
    with uow(ADMIN) as u, pytest.raises(InvalidInput, match=r"csv or \.parquet"):
        write_research(u, KEY, tmp_path / "x.xlsx")


def test_export_of_unknown_patient(uow: UowFactory) -> None:
    from hipback.errors import NotFound

    with uow(THERAPIST) as u, pytest.raises(NotFound):
        interop.export_bundle(u, 12345)
