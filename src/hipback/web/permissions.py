"""Every route of the app and the permission it needs: the table the route×role test checks.

``PUBLIC`` routes need no sign-in; ``SIGNED_IN`` any signed-in user; otherwise one action (or a
tuple of actions, all needed) of :data:`hipback.clinic.access.PERMISSIONS`, checked against the
patient the URL refers to. A route
missing here fails ``tests/web/test_permissions.py``, so no route ships without a decision.
"""

from __future__ import annotations

from typing import Any

PUBLIC = "public"
SIGNED_IN = "signed_in"

Need = str | tuple[str, ...]

ROUTES: dict[tuple[str, str], Need] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): SIGNED_IN,
    ("GET", "/account"): SIGNED_IN,
    ("POST", "/account/totp"): "account.second_factor",
    ("POST", "/account/totp/confirm"): "account.second_factor",
    ("GET", "/healthz"): PUBLIC,
    # outcome-measure calculator: no patient data
    ("GET", "/measures"): PUBLIC,
    ("GET", "/measures/{instrument}"): PUBLIC,
    ("POST", "/measures/{instrument}"): PUBLIC,
    ("GET", "/api/measures"): PUBLIC,
    ("POST", "/api/measures/{instrument}/score"): PUBLIC,
    ("POST", "/api/measures/{instrument}/compare"): PUBLIC,
    # exercise figures: drawings generated from the catalog, no patient data
    ("GET", "/figures/{catalog_id}.svg"): PUBLIC,
    # therapist workspace
    ("GET", "/patients"): "patient.list",
    ("GET", "/patients/new"): "patient.create",
    ("POST", "/patients/new"): "patient.create",
    ("GET", "/patients/{patient_id}"): "patient.read",
    ("GET", "/patients/{patient_id}/outcomes/new"): "outcome.write",
    ("POST", "/patients/{patient_id}/outcomes/new"): "outcome.write",
    ("GET", "/patients/{patient_id}/evaluation"): "evaluation.write",
    ("POST", "/patients/{patient_id}/evaluation"): "evaluation.write",
    ("GET", "/patients/{patient_id}/evaluations/{evaluation_id}"): "evaluation.read",
    ("POST", "/patients/{patient_id}/plans"): "plan.write",
    ("GET", "/plans/{plan_id}"): "session.read",
    ("GET", "/plans/{plan_id}/home-program"): "plan.read",
    ("GET", "/plans/{plan_id}/sessions/{number}"): "session.read",
    ("POST", "/plans/{plan_id}/sessions/{number}"): "session.write",
    # patient portal
    ("GET", "/portal"): "portal.use",
    ("POST", "/portal/log"): "portal.use",
    # reports (the service leaves out parts a role may not see, e.g. the arm for assessors)
    ("GET", "/patients/{patient_id}/report.html"): "outcome.read",
    ("GET", "/patients/{patient_id}/report.pdf"): "outcome.read",
    ("GET", "/plans/{plan_id}/handout.pdf"): "plan.read",
    ("GET", "/analytics"): ("patient.list", "arm.read", "outcome.read", "exercise_log.read"),
    # FHIR exchange
    ("GET", "/api/fhir/Patient/{patient_id}/$everything"): (
        "patient.read",
        "evaluation.read",
        "plan.read",
        "session.read",
        "outcome.read",
        "exercise_log.read",
        "arm.read",
    ),
    ("POST", "/api/fhir/Bundle"): "patient.create",
    # JSON API
    ("GET", "/api/patients"): "patient.list",
    ("POST", "/api/patients"): "patient.create",
    ("POST", "/api/patients/{patient_id}/outcomes"): "outcome.write",
    ("POST", "/api/patients/{patient_id}/exercise-logs"): "exercise_log.write",
    ("POST", "/api/patients/{patient_id}/evaluations"): "evaluation.write",
    ("POST", "/api/patients/{patient_id}/plans"): "plan.write",
    ("POST", "/api/plans/{plan_id}/sessions/{number}"): "session.write",
    # trial mode (routes/trial.py, routes/trial_api.py); the assessor never sees an arm
    ("GET", "/trials"): "trial.view",
    ("POST", "/trials"): "trial.manage",
    ("GET", "/trials/{trial_id}"): "trial.manage",
    ("POST", "/trials/{trial_id}/screen"): "trial.manage",
    ("POST", "/trials/{trial_id}/participants/{participant_id}/randomise"): "trial.randomise",
    ("GET", "/trials/{trial_id}/allocations"): ("trial.manage", "arm.read"),
    ("GET", "/trials/{trial_id}/commitment.json"): "trial.view",
    ("GET", "/trials/{trial_id}/visits"): "trial.visits",
    (
        "POST",
        "/trials/{trial_id}/participants/{participant_id}/visits/{visit}/missed",
    ): "trial.manage",
    ("GET", "/trials/{trial_id}/results"): "trial.results",
    ("GET", "/trials/{trial_id}/consort.svg"): "trial.results",
    ("GET", "/trials/{trial_id}/export.csv"): "trial.results",
    ("GET", "/trials/{trial_id}/report.html"): "trial.results",
    ("GET", "/trials/{trial_id}/report.pdf"): "trial.results",
    ("GET", "/trials/{trial_id}/safety"): "trial.manage",
    ("POST", "/trials/{trial_id}/participants/{participant_id}/adverse-events"): "trial.manage",
    ("POST", "/trials/{trial_id}/adverse-events/{event_id}/adjudicate"): "trial.manage",
    ("POST", "/trials/{trial_id}/participants/{participant_id}/deviations"): "trial.manage",
    ("POST", "/trials/{trial_id}/participants/{participant_id}/unblind"): "trial.unblind",
    ("GET", "/trials/{trial_id}/assess"): "trial.visits",
    ("GET", "/trials/{trial_id}/assess/{participant_id}"): "trial.visits",
    ("POST", "/trials/{trial_id}/assess/{participant_id}"): "trial.assess",
    (
        "POST",
        "/trials/{trial_id}/assess/{participant_id}/accidental-unblinding",
    ): "trial.assess",
    ("GET", "/api/trials"): "trial.view",
    ("GET", "/api/trials/{trial_id}/commitment"): "trial.view",
    ("GET", "/api/trials/{trial_id}/participants"): "trial.manage",
    ("POST", "/api/trials/{trial_id}/participants"): "trial.manage",
    (
        "POST",
        "/api/trials/{trial_id}/participants/{participant_id}/randomise",
    ): "trial.randomise",
    ("GET", "/api/trials/{trial_id}/allocations"): ("trial.manage", "arm.read"),
    ("GET", "/api/trials/{trial_id}/visits"): "trial.visits",
    (
        "POST",
        "/api/trials/{trial_id}/participants/{participant_id}/assessments",
    ): "trial.assess",
    ("GET", "/api/trials/{trial_id}/consort"): "trial.results",
    ("GET", "/api/trials/{trial_id}/analysis"): "trial.results",
    ("GET", "/api/trials/{trial_id}/table1"): "trial.results",
    ("GET", "/api/trials/{trial_id}/blinding-index"): "trial.results",
    ("GET", "/api/trials/{trial_id}/safety"): "trial.manage",
}

FRAMEWORK = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})


def all_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path template) of every endpoint, including routers FastAPI includes lazily."""
    found: set[tuple[str, str]] = set()

    def visit(route: Any) -> None:
        contexts = getattr(route, "effective_route_contexts", None)
        if callable(contexts):
            for context in contexts():
                visit(context)
            return
        path, methods = getattr(route, "path", None), getattr(route, "methods", None)
        if path and methods and path not in FRAMEWORK:
            found.update((m, path) for m in methods if m != "HEAD")

    for route in app.routes:
        visit(route)
    return found
