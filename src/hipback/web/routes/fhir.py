"""HL7 FHIR R4 over the JSON API: a patient's record as a Bundle, and Bundle import.

``GET /api/fhir/Patient/{id}/$everything`` returns the patient's collection Bundle;
``POST /api/fhir/Bundle`` imports one (idempotent, all or nothing). Bodies over 10 MB are
refused with 413 before they are parsed; malformed JSON or Bundles give 422 with problems that
name the resource and path.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from hipback.core import safejson
from hipback.errors import InvalidInput
from hipback.services import interop
from hipback.web.deps import Csrf, Uow

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/fhir", tags=["fhir"])

MAX_BODY = 10 * 1024 * 1024
FHIR_JSON = "application/fhir+json"


class FhirJSONResponse(JSONResponse):
    media_type = FHIR_JSON


def _too_large(size: str) -> JSONResponse:
    return JSONResponse(
        {
            "error": "too_large",
            "message": f"the Bundle is {size}; at most 10 MB is accepted (split the export "
            "per patient)",
            "problems": [],
        },
        status_code=413,
    )


@api.get("/Patient/{patient_id}/$everything", summary="A patient's record as a FHIR Bundle")
def everything(patient_id: int, uow: Uow) -> FhirJSONResponse:
    return FhirJSONResponse(interop.export_bundle(uow, patient_id))


@api.post("/Bundle", summary="Import a FHIR collection Bundle", dependencies=[Csrf])
async def import_bundle(
    request: Request,
    uow: Uow,
    update: Annotated[
        Literal["identity"] | None,
        Query(
            description="`identity`: allow the Bundle to change an existing patient's name, "
            "date of birth or sex (each change is audited)."
        ),
    ] = None,
) -> JSONResponse:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        return _too_large(f"{int(declared)} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return _too_large("over 10 MB")
    try:
        bundle: Any = safejson.load(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput.one(
            "body", f"{len(body)} bytes", "a JSON FHIR Bundle", str(exc)
        ) from None
    summary = interop.import_bundle(uow, bundle, update_identity=update == "identity")
    return JSONResponse({"imported": summary.as_dict(), "changed": summary.changed})
